"""Failed logins per client address, whatever the way in: a wrong password, a failed return from
the identity provider (OpenID Connect) or an unknown API key. Counted in the shared cache
(`tillit.throttle`), so every server process sees the same count."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest

from tillit import throttle

LOGIN_FAILURES = "inloggning-misslyckad"
API_KEY_FAILURES = "api-nyckel-okand"


def login_failures_exceeded(request: HttpRequest, *, add: bool) -> bool:
    """Password and identity-provider logins share one count per address and hour
    (TILLIT_LOGIN_FAILURES_PER_ADDRESS)."""
    return throttle.exceeded(
        request,
        group=LOGIN_FAILURES,
        limit=settings.TILLIT_LOGIN_FAILURES_PER_ADDRESS,
        period="h",
        add=add,
    )


def api_key_failures_exceeded(request: HttpRequest, *, add: bool) -> bool:
    """Unknown, revoked or expired API keys per address and hour
    (TILLIT_API_KEY_FAILURES_PER_ADDRESS)."""
    return throttle.exceeded(
        request,
        group=API_KEY_FAILURES,
        limit=settings.TILLIT_API_KEY_FAILURES_PER_ADDRESS,
        period="h",
        add=add,
    )
