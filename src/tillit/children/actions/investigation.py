"""Investigations: opening (with the Ombudsman pattern), extension and closing."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tillit.changelog.log import Actor, created, diff, record_change, snapshot
from tillit.children import tracking
from tillit.children.models import (
    Deadline,
    DeadlineKind,
    Investigation,
    InvestigationExtension,
    InvestigationOutcome,
    InvestigationScope,
    ReportedChild,
)
from tillit.children.rules import (
    JO_WINDOW_DAYS,
    ClosedInvestigation,
    quick_reopening,
)
from tillit.individuals.models import Individual
from tillit.organisation.models import Group

if TYPE_CHECKING:
    from tillit.accounts.models import User

from tillit.children.actions.assessments import _deadline, _late_reason_missing
from tillit.children.actions.common import (
    Errors,
    _ensure_assigned,
    _group_case,
    _not_future,
    _refuse,
)

# --- Investigation --------------------------------------------------------------------------------


def _closed_near_limit(individual: Individual, opened_on: dt.date) -> Investigation | None:
    """The investigation a new one follows in the Ombudsman's pattern (rules.quick_reopening)."""
    closed = [
        ClosedInvestigation(investigation_id, closed_on, effective_due)
        for investigation_id, closed_on, effective_due in Deadline.objects.filter(
            kind=DeadlineKind.INVESTIGATION,
            individual=individual,
            completed_on__gte=opened_on - dt.timedelta(days=JO_WINDOW_DAYS),
            completed_on__lte=opened_on,
        ).values_list("object_id", "completed_on", "effective_due")  # the investigation
        if investigation_id is not None and closed_on is not None
    ]
    found = quick_reopening(opened_on, closed, margin_days=settings.TILLIT_JO_NEAR_LIMIT_DAYS)
    return Investigation.objects.get(pk=found) if found is not None else None


def open_investigation(
    *,
    individual: Individual,
    group: Group,
    opened_on: dt.date,
    origin: ReportedChild | None = None,
    scope: str = InvestigationScope.LIMITED,
    holder: User | None = None,
    workers: Iterable[User] = (),
    by: Actor,
    now: dt.datetime | None = None,
) -> Investigation:
    """Called from a decision to open one; the caller holds the transaction."""
    case = _group_case(individual, group, opened_on, _("Utredning"))
    investigation = Investigation.objects.create(
        individual=individual,
        case=case,
        opened_on=opened_on,
        origin=origin,
        scope=scope,
        holder=holder,
        follows=_closed_near_limit(individual, opened_on),
    )
    team = {u.pk: u for u in [*([holder] if holder else []), *workers]}
    investigation.workers.set(team.values())
    for user in team.values():
        _ensure_assigned(case, user, opened_on)
    tracking.sync_investigation(investigation)
    changed = created(investigation, ("opened_on", "scope", "origin", "holder", "follows"))
    if team:
        changed["workers"] = (None, sorted(team))
    record_change(by, "children.investigation.opened", investigation, changed, at=now)
    return investigation


@transaction.atomic
def extend_investigation(
    investigation: Investigation,
    *,
    by: User,
    grounds: str,
    new_due: dt.date,
    decided_on: dt.date,
    family_informed_on: dt.date | None,
    now: dt.datetime | None = None,
) -> InvestigationExtension:
    now = now or timezone.now()
    investigation = Investigation.objects.select_for_update().get(pk=investigation.pk)
    deadline = _deadline(DeadlineKind.INVESTIGATION, investigation)
    errors = Errors()
    if investigation.closed_on is not None:
        errors["__all__"] = _("Utredningen är avslutad.")
    if not grounds.strip():
        errors["grounds"] = _("En förlängning kräver att de särskilda skälen anges.")
    if decided_on < investigation.opened_on:
        errors["decided_on"] = _("Beslutet kan inte fattas före att utredningen inleddes.")
    elif not _not_future(decided_on, now):
        errors["decided_on"] = _("Beslutsdatum kan inte ligga i framtiden.")
    if new_due <= deadline.due:
        errors["new_due"] = _(
            "Den nya tidsgränsen måste vara senare än den nuvarande (%(due)s)."
        ) % {"due": deadline.due.isoformat()}
    if family_informed_on is None:
        errors["family_informed_on"] = _("Ange när vårdnadshavarna underrättades om förlängningen.")
    elif family_informed_on < decided_on:
        errors["family_informed_on"] = _("Familjen kan inte underrättas före beslutet.")
    elif not _not_future(family_informed_on, now):
        errors["family_informed_on"] = _("Datumet kan inte ligga i framtiden.")
    _refuse(errors)
    assert family_informed_on is not None  # noqa: S101 - checked above
    extension = InvestigationExtension.objects.create(
        investigation=investigation,
        grounds=grounds.strip(),
        new_due=new_due,
        decided_on=decided_on,
        decided_by=by,
        family_informed_on=family_informed_on,
    )
    tracking.sync_investigation(investigation)
    record_change(
        by,
        "children.investigation.extended",
        extension,
        {
            "due": (deadline.due, new_due),
            **created(extension, ("decided_on", "family_informed_on", "grounds")),
        },
        at=now,
    )
    return extension


def closing_errors(
    *,
    opened_on: dt.date,
    closed_on: dt.date,
    outcome: str,
    reasons: str,
    late_reason: str,
    has_intervention: bool,
    due: dt.date,
    now: dt.datetime,
) -> dict[str, str]:
    """The rules for closing an investigation, shared by the page and the import."""
    errors: dict[str, str] = {}
    if closed_on < opened_on:
        errors["closed_on"] = _("Utredningen kan inte avslutas före att den inleddes.")
    elif not _not_future(closed_on, now):
        errors["closed_on"] = _("Datumet kan inte ligga i framtiden.")
    if outcome not in InvestigationOutcome.values:
        errors["outcome"] = _("Välj ett beslut.")
    if not reasons.strip():
        errors["reasons"] = _("Motivera beslutet.")
    if outcome == InvestigationOutcome.INTERVENTION and not has_intervention:
        errors["outcome"] = _("Registrera den beslutade insatsen innan utredningen avslutas.")
    if _late_reason_missing(closed_on, due, late_reason):
        errors["late_reason"] = _("Tidsgränsen har passerats: ange skälet.")
    return errors


@transaction.atomic
def close_investigation(
    investigation: Investigation,
    *,
    by: User,
    closed_on: dt.date,
    outcome: str,
    reasons: str,
    late_reason: str = "",
    now: dt.datetime | None = None,
) -> Investigation:
    now = now or timezone.now()
    investigation = Investigation.objects.select_for_update().get(pk=investigation.pk)
    deadline = _deadline(DeadlineKind.INVESTIGATION, investigation)
    errors = Errors()
    if investigation.closed_on is not None:
        errors["__all__"] = _("Utredningen är redan avslutad.")
    errors.update(
        closing_errors(
            opened_on=investigation.opened_on,
            closed_on=closed_on,
            outcome=outcome,
            reasons=reasons,
            late_reason=late_reason,
            has_intervention=investigation.interventions.exists(),
            due=deadline.due,
            now=now,
        )
    )
    _refuse(errors)
    before = snapshot(investigation, CLOSING_FIELDS)
    investigation.closed_on = closed_on
    investigation.outcome = outcome
    investigation.closing_reasons = reasons.strip()
    investigation.late_reason = late_reason.strip()
    investigation.save()
    tracking.sync_investigation(investigation)
    record_change(
        by,
        "children.investigation.closed",
        investigation,
        diff(before, snapshot(investigation, CLOSING_FIELDS)),
        at=now,
    )
    return investigation


CLOSING_FIELDS = ("closed_on", "outcome", "closing_reasons", "late_reason")
