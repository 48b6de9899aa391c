"""Inputs, the error collector and the helpers every stage uses."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.core.files import File
from django.utils import timezone

from tillit.individuals.identity import IdentityNumber
from tillit.individuals.models import Case, CaseAssignment, Individual
from tillit.organisation.models import Group, Membership
from tillit.organisation.roles import Role

if TYPE_CHECKING:
    from tillit.accounts.models import User


@dataclass(frozen=True)
class ChildRef:
    """A child named in a report: an existing record, or the details to register one."""

    individual: Individual | None = None
    number: IdentityNumber | None = None
    first_name: str = ""
    last_name: str = ""
    date_of_birth: dt.date | None = None


@dataclass
class AttachmentInput:
    """A file that came with the report, already checked for size and type by the form."""

    file: File[bytes]
    name: str
    content_type: str
    size: int


@dataclass
class ReportInput:
    group: Group
    received_at: dt.datetime
    channel: str
    reporter_category: str
    description: str
    concerns: list[str]
    children: list[ChildRef]
    reporter_has_duty: bool = False
    anonymous: bool = False
    reporter_name: str = ""
    reporter_organisation: str = ""
    reporter_phone: str = ""
    reporter_email: str = ""
    withhold_reporter: bool = False
    holder: User | None = None
    submission_key: uuid.UUID = field(default_factory=uuid.uuid4)
    attachments: list[AttachmentInput] = field(default_factory=list)


class Errors(dict[str, list[str]]):
    """Refusals by field; setting a field again adds a message instead of replacing one."""

    def __setitem__(self, name: str, message: str) -> None:  # type: ignore[override]
        super().setdefault(name, []).append(message)

    def update(self, other: Mapping[str, str]) -> None:  # type: ignore[override]
        for name, message in other.items():
            self[name] = message


def _refuse(errors: Errors) -> None:
    if errors:
        raise ValidationError(dict(errors))


def _not_future(value: dt.date | dt.datetime, now: dt.datetime) -> bool:
    if isinstance(value, dt.datetime):
        return value <= now + dt.timedelta(minutes=5)
    return value <= timezone.localdate(now)


def _ensure_assigned(case: Case, user: User | None, on: dt.date) -> None:
    if user is None:
        return
    active = CaseAssignment.objects.filter(case=case, user=user, valid_from__lte=on).filter(
        valid_to__isnull=True
    )
    if not active.exists():
        CaseAssignment.objects.create(case=case, user=user, valid_from=on)


def _group_case(individual: Individual, group: Group, on: dt.date, title: str) -> Case:
    """The group's open case with the child, or a new one: reach follows the group's case."""
    case = (
        Case.objects.filter(individual=individual, group=group, closed_on__isnull=True)
        .order_by("opened_on")
        .first()
    )
    if case is None:
        case = Case.objects.create(
            individual=individual, unit_id=group.unit_id, group=group, title=title, opened_on=on
        )
    return case


def _may_hold(user: User, group: Group, on: dt.date) -> bool:
    """A group's items are held by its own social workers and its head (workbench.HOLDER_ROLES):
    the people who work its queue. workbench.eligible_holders lists the same people."""
    return (
        Membership.objects.active(on)
        .filter(user=user, group=group, role__in=[Role.SOCIAL_WORKER, Role.GROUP_HEAD])
        .exists()
    )
