"""Rate limits per client address, counted with django-ratelimit in Django's cache.

The cache is shared by every server process (the database, or Redis with CACHE_URL), so four
gunicorn workers or two servers allow the limit once, not once each.
"""

from __future__ import annotations

from django.http import HttpRequest
from django_ratelimit.core import get_usage

from tillit.audit.log import client_ip


def _address(group: str, request: HttpRequest) -> str:
    return client_ip(request) or "okand"


def count(request: HttpRequest, *, group: str, limit: int, period: str, add: bool) -> int:
    """How many times `group` has been counted for this address in the current window
    (`period` as django-ratelimit writes it: "h", "15m"), counting this one when `add`."""
    usage = get_usage(request, group=group, key=_address, rate=f"{limit}/{period}", increment=add)
    return int(usage["count"]) if usage is not None else 0


def exceeded(request: HttpRequest, *, group: str, limit: int, period: str, add: bool) -> bool:
    """With `add`: count this request and say whether it is one too many. Without: say
    whether the limit is already used up."""
    used = count(request, group=group, limit=limit, period=period, add=add)
    return used > limit if add else used >= limit
