"""TOTP second factor (django-otp): whether a session has passed it, and enrolment.

Enrolling a device needs more than the password: either a one-time enrolment code issued by
an administrator (`issue_enrolment_code`, from the admin or `tillit issue_enrolment_code`), or
a login through the identity provider (OIDC), which has authenticated the person itself.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import secrets
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from django_otp.plugins.otp_totp.models import TOTPDevice

from tillit.accounts.models import EnrolmentCode
from tillit.changelog.log import Actor, SystemActor, record_change, user_of

if TYPE_CHECKING:
    from tillit.accounts.models import User

logger = logging.getLogger(__name__)

OIDC_SESSION_FLAG = "tillit_oidc_login"
ENROLMENT_SESSION_FLAG = "tillit_enrolment_code"
# No 0/O, 1/I/L: read aloud or typed from a note without mistakes; 12 characters ≈ 60 bits.
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 12
MAX_FAILED_ATTEMPTS = 5


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


def may_enrol(request: HttpRequest) -> bool:
    """Whether this session may see the QR code: an enrolment code was accepted in it, or the
    person logged in through the identity provider."""
    return bool(
        request.session.get(ENROLMENT_SESSION_FLAG) or request.session.get(OIDC_SESSION_FLAG)
    )


def _digest(code: str) -> str:
    return hashlib.sha256(normalise(code).encode()).hexdigest()


def normalise(code: str) -> str:
    return "".join(ch for ch in code.upper() if ch.isalnum())


@dataclass(frozen=True)
class IssuedCode:
    code: str
    expires_at: dt.datetime


def issue_enrolment_code(user: User, *, by: Actor, now: dt.datetime | None = None) -> IssuedCode:
    """A new one-time code for `user`; earlier unused codes stop working. Shown once.

    BY is the administrator, or the command's SystemActor; the change log names the code's row,
    whom it is for and until when (never the code)."""
    now = now or timezone.now()
    raw = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
    code = "-".join(raw[i : i + 4] for i in range(0, CODE_LENGTH, 4))
    expires_at = now + dt.timedelta(hours=settings.TILLIT_ENROLMENT_CODE_HOURS)
    label = by.name if isinstance(by, SystemActor) else by.username
    with transaction.atomic():
        revoked = EnrolmentCode.objects.filter(user=user, used_at=None, revoked_at=None).update(
            revoked_at=now
        )
        row = EnrolmentCode.objects.create(
            user=user,
            code_hash=_digest(code),
            issued_by=user_of(by),
            issued_by_label=label,
            issued_at=now,
            expires_at=expires_at,
        )
        changed: dict[str, tuple[object, object]] = {
            "user": (None, user.pk),
            "expires_at": (None, expires_at),
        }
        if revoked:
            changed["revoked"] = (None, revoked)
        record_change(by, "accounts.enrolment_code.issued", row, changed, at=now)
    logger.warning("Enrolment code issued for %s by %s", user.username, label)
    return IssuedCode(code, expires_at)


def redeem_enrolment_code(user: User, code: str, *, now: dt.datetime | None = None) -> None:
    """Use the code once, or raise a ValidationError saying why it does not hold."""
    now = now or timezone.now()
    with transaction.atomic():
        row = (
            EnrolmentCode.objects.select_for_update()
            .filter(user=user, code_hash=_digest(code))
            .order_by("-issued_at")
            .first()
        )
        if row is None:
            _count_failure(user, now)
            problem = _("Koden stämmer inte. Be en administratör om en kod om du inte har någon.")
        elif row.used_at is not None:
            problem = _("Koden har redan använts. Be en administratör om en ny kod.")
        elif row.revoked_at is not None:
            problem = _("Koden gäller inte längre. Be en administratör om en ny kod.")
        elif row.expires_at <= now:
            problem = _("Koden har gått ut. Be en administratör om en ny kod.")
        else:
            row.used_at = now
            row.save(update_fields=["used_at"])
            # A device created before the code was shown to nobody we can vouch for: start over.
            TOTPDevice.objects.filter(user=user, confirmed=False).delete()
            logger.warning("Enrolment code used by %s", user.username)
            return
    logger.warning("Enrolment code refused for %s: %s", user.username, problem)
    raise ValidationError(problem)


def _count_failure(user: User, now: dt.datetime) -> None:
    """Wrong codes count against the user's live code; after five it stops working."""
    live = (
        EnrolmentCode.objects.select_for_update()
        .filter(user=user, used_at=None, revoked_at=None, expires_at__gt=now)
        .first()
    )
    if live is None:
        return
    live.failed_attempts += 1
    if live.failed_attempts >= MAX_FAILED_ATTEMPTS:
        live.revoked_at = now
    live.save(update_fields=["failed_attempts", "revoked_at"])
