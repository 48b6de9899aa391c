"""`tillit check --deploy`: the access log's chain must have a key of its own in production."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.checks import CheckMessage, Error, Tags, Warning, register

MINIMUM_KEY_LENGTH = 32


@register(Tags.security, deploy=True)
def check_audit_key(app_configs: Any, **kwargs: Any) -> list[CheckMessage]:
    if settings.DEBUG or getattr(settings, "DEMO", False):
        return []
    key = str(settings.AUDIT_HMAC_KEY or "")
    if not key:
        return [
            Error(
                "AUDIT_HMAC_KEY is not set: the access log's chain is keyed with a key derived "
                "from SECRET_KEY.",
                hint="Set AUDIT_HMAC_KEY (or AUDIT_HMAC_KEY_FILE) to a random secret of at "
                "least 32 characters that the database does not hold, before `migrate`; "
                "see docs/access.md.",
                id="tillit.E001",
            )
        ]
    if len(key) < MINIMUM_KEY_LENGTH:
        return [
            Warning(
                f"AUDIT_HMAC_KEY is shorter than {MINIMUM_KEY_LENGTH} characters.",
                id="tillit.W001",
            )
        ]
    return []
