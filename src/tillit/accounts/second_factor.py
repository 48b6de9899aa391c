"""TOTP second factor (django-otp): whether a session has passed it, and enrolment."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from django.http import HttpRequest
from django_otp.plugins.otp_totp.models import TOTPDevice

if TYPE_CHECKING:
    from tillit.accounts.models import User

OIDC_SESSION_FLAG = "tillit_oidc_login"


def is_second_factor_satisfied(request: HttpRequest) -> bool:
    if getattr(request.user, "is_verified", lambda: False)():
        return True
    return bool(settings.OIDC_SATISFIES_SECOND_FACTOR and request.session.get(OIDC_SESSION_FLAG))


def confirmed_device(user: User) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).first()


def pending_device(user: User) -> TOTPDevice:
    """The unconfirmed device being enrolled, created on first request."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="Tillit", confirmed=False)
    return device
