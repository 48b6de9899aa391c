"""Report intake: checking and registering an orosanmälan, one track per child."""

from __future__ import annotations

import datetime as dt

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tillit.bounds import DATE_MAX, DATE_MIN, MAX_CHILDREN_PER_REPORT
from tillit.changelog.log import Actor, created, record_change, user_of
from tillit.children import tracking
from tillit.children.actions.common import (
    ChildRef,
    Errors,
    ReportInput,
    _ensure_assigned,
    _group_case,
    _may_hold,
    _not_future,
    _refuse,
)
from tillit.children.models import (
    ConcernCategory,
    Report,
    ReportAttachment,
    ReportedChild,
    ReporterCategory,
)
from tillit.children.rules import (
    reporter_identity,
)
from tillit.deadlines.models import policy_for
from tillit.individuals.models import Individual

# --- Report intake --------------------------------------------------------------------------------


def validate_report(data: ReportInput, now: dt.datetime) -> None:
    errors = Errors()
    if timezone.is_naive(data.received_at):
        errors["received_at"] = _("Ange när anmälan togs emot.")
    elif not DATE_MIN <= data.received_at.date() <= DATE_MAX:
        errors["received_at"] = _("Ange en tid mellan år 1900 och år 2100.")
    elif not _not_future(data.received_at, now):
        errors["received_at"] = _("Mottagningstiden kan inte ligga i framtiden.")
    if not data.concerns:
        errors["concerns"] = _("Välj minst ett område som oron gäller.")
    elif set(data.concerns) - set(ConcernCategory.values):
        errors["concerns"] = _("Okänt område för oro.")
    if not data.description.strip():
        errors["description"] = _("Beskriv vad anmälan gäller.")
    if not data.children:
        errors["children"] = _("Ange minst ett barn som anmälan gäller.")
    elif len(data.children) > MAX_CHILDREN_PER_REPORT:
        errors["children"] = _("En anmälan kan gälla högst %(n)s barn.") % {
            "n": MAX_CHILDREN_PER_REPORT
        }
    if data.anonymous and any(
        [
            data.reporter_name,
            data.reporter_organisation,
            data.reporter_phone,
            data.reporter_email,
        ]
    ):
        errors["anonymous"] = _("En anonym anmälan får inte innehålla uppgifter om anmälaren.")
    if data.reporter_category == ReporterCategory.ANONYMOUS and not data.anonymous:
        errors["reporter_category"] = _("Anmälaren är anonym: markera anmälan som anonym.")
    if not data.anonymous and not data.reporter_name.strip():
        errors["reporter_name"] = _("Ange anmälarens namn, eller markera anmälan som anonym.")
    if data.holder is not None and not _may_hold(data.holder, data.group, timezone.localdate(now)):
        errors["holder"] = _("Handläggaren arbetar inte i gruppen.")
    numbers = [c.number.digits for c in data.children if c.number]
    if len(numbers) != len(set(numbers)):
        errors["children"] = _("Samma barn är angivet två gånger.")
    for child in data.children:
        if child.individual is None and child.number is None and child.date_of_birth is None:
            errors["children"] = _("Ange personnummer eller födelsedatum för varje barn.")
        if child.individual is None and not (child.first_name.strip() and child.last_name.strip()):
            errors["children"] = _("Ange för- och efternamn för varje barn.")
        if child.date_of_birth is not None and not DATE_MIN <= child.date_of_birth <= DATE_MAX:
            errors["children"] = _("Ange ett födelsedatum mellan år 1900 och år 2100.")
    _refuse(errors)


def register_report(data: ReportInput, *, by: Actor, now: dt.datetime | None = None) -> Report:
    """Store a report and one track per child. The same submission key stores it once.

    BY is the staff member who registers it, or the public e-service (a SystemActor)."""
    now = now or timezone.now()
    existing = Report.objects.filter(submission_key=data.submission_key).first()
    if existing is not None:
        return existing
    validate_report(data, now)
    try:
        # The outermost transaction when called from a view: one BEGIN, no savepoints.
        with transaction.atomic():
            return _create_report(data, by, now)
    except IntegrityError:
        existing = Report.objects.filter(submission_key=data.submission_key).first()
        if existing is None:
            raise
        return existing


REPORT_FIELDS = ("group", "received_at", "channel", "reporter_category", "anonymous", "concerns")


def _create_report(data: ReportInput, by: Actor, now: dt.datetime) -> Report:
    received_on = timezone.localdate(data.received_at)
    report = Report.objects.create(
        unit_id=data.group.unit_id,
        group=data.group,
        received_at=data.received_at,
        channel=data.channel,
        reporter_category=data.reporter_category,
        reporter_has_duty=data.reporter_has_duty,
        **reporter_identity(
            anonymous=data.anonymous,
            name=data.reporter_name,
            organisation=data.reporter_organisation,
            phone=data.reporter_phone,
            email=data.reporter_email,
            withhold=data.withhold_reporter,
        ),
        concerns=sorted(set(data.concerns)),
        description=data.description.strip(),
        submission_key=data.submission_key,
        registered_by=user_of(by),
    )
    policy = policy_for(data.group.unit_id)
    tracks = []
    # The children the report registers in the person register: part of the same change.
    registered: list[int] = []
    for child in data.children:
        individual, is_new = _resolve_child(child)
        if is_new:
            registered.append(individual.pk)
        case = _group_case(individual, data.group, received_on, _("Barnavård"))
        track = ReportedChild.objects.create(
            report=report,
            individual=individual,
            case=case,
            holder=data.holder,
            received_at=data.received_at,
        )
        _ensure_assigned(case, data.holder, received_on)
        tracking.start_track(track, policy)
        tracks.append(track)
    for attachment in data.attachments:
        ReportAttachment.objects.create(
            report=report,
            file=attachment.file,
            original_name=attachment.name[:200],
            content_type=attachment.content_type,
            size=attachment.size,
        )
    changed = created(report, REPORT_FIELDS)
    changed["children"] = (None, [t.individual_id for t in tracks])
    if registered:
        changed["registered"] = (None, registered)
    if data.holder is not None:
        changed["holder"] = (None, data.holder.pk)
    record_change(by, "children.report.registered", report, changed, at=now)
    return report


def _resolve_child(child: ChildRef) -> tuple[Individual, bool]:
    """The child's record, and whether the report registers it."""
    if child.individual is not None:
        return child.individual, False
    if child.number is not None:
        found = Individual.objects.filter(personal_number=child.number.digits).first()
        if found is not None:
            return found, False
    birth = child.number.birth_date if child.number else child.date_of_birth
    assert birth is not None  # noqa: S101 - validate_report requires one of them
    individual = Individual.objects.create(
        personal_number=child.number.digits if child.number else None,
        first_name=child.first_name.strip(),
        last_name=child.last_name.strip(),
        date_of_birth=birth,
    )
    return individual, True


def earlier_reports(track: ReportedChild, months: int = 12) -> list[ReportedChild]:
    """Earlier reports about the same child, newest first; repeated reports are a signal."""
    since = track.received_at - dt.timedelta(days=round(months * 365.25 / 12))
    return list(
        ReportedChild.objects.filter(
            individual_id=track.individual_id,
            received_at__lt=track.received_at,
            received_at__gte=since,
        )
        .select_related("report")
        .order_by("-received_at")
    )
