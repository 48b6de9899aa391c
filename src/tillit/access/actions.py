"""Changes to explicit permissions: protected-identity grants and audit purposes."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import transaction

from tillit.access.models import AuditPurpose, ProtectedIdentityGrant
from tillit.individuals.models import Individual
from tillit.organisation.models import Unit

if TYPE_CHECKING:
    from tillit.accounts.models import User


@transaction.atomic
def grant_protected_identity(
    *,
    granted_by: User,
    user: User,
    individual: Individual,
    reason: str,
    valid_from: dt.date,
    valid_to: dt.date,
) -> ProtectedIdentityGrant:
    return ProtectedIdentityGrant.objects.create(
        individual=individual,
        user=user,
        granted_by=granted_by,
        reason=reason,
        valid_from=valid_from,
        valid_to=valid_to,
    )


@transaction.atomic
def state_audit_purpose(*, user: User, unit: Unit, purpose: str, now: dt.datetime) -> AuditPurpose:
    """Open a time-limited audit of a unit's records; every read under it carries the purpose."""
    return AuditPurpose.objects.create(
        user=user,
        unit=unit,
        purpose=purpose,
        started_at=now,
        expires_at=now + dt.timedelta(hours=settings.TILLIT_AUDIT_PURPOSE_HOURS),
    )
