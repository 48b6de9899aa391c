"""Child-and-family endpoints: register a report, list and read the tracks the user reaches.

Registering follows `tillit.children.actions.register_report` (same rules, same Swedish messages
per field) and is idempotent by a client-supplied key: the `Idempotency-Key` header or the
`submission_key` field, a UUID. The same key from the same user answers 200 with the stored
report; from another user it is refused (409), so a key never reveals someone else's report.

Reading goes through the case, like the pages: every read is written to the access log as an API
read, protected identities are masked, an anonymous report has no reporter, and a reporter the
report asks to withhold is shown to staff with `withhold` set.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import uuid
from typing import Annotated, Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.validators import validate_email
from django.http import Http404, HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Router, Schema, Status
from ninja.errors import HttpError
from ninja.params import functions as param_functions

from tillit.access.presentation import PersonCard, present
from tillit.access.reading import viewer_for
from tillit.audit.log import Read, record
from tillit.audit.models import AccessAction
from tillit.bounds import (
    DATE_MAX,
    DATE_MIN,
    MAX_ATTACHMENTS_PER_REPORT,
    MAX_CHILDREN_PER_REPORT,
    MAX_TEXT,
    Id,
    chars,
    fits,
    items,
    validate_date_in_range,
)
from tillit.children import actions
from tillit.children.forms import content_type_of
from tillit.children.models import (
    Channel,
    ConcernCategory,
    Report,
    ReportAttachment,
    ReportedChild,
    ReporterCategory,
)
from tillit.children.reading import read_track
from tillit.children.status import deadline_rows
from tillit.individuals.identity import parse_identity_number
from tillit.individuals.models import Individual
from tillit.organisation.models import Group
from tillit.uploads import upload_problem

router = Router(tags=["Barn och familj"])

MAX_PAGE_SIZE = 100


class FieldError(Exception):
    """A refused request: Swedish messages keyed by field; answered 422."""

    def __init__(self, errors: dict[str, list[str]]) -> None:
        super().__init__(errors)
        self.errors = errors


def field_errors_response(request: HttpRequest, exc: FieldError) -> HttpResponse:
    from tillit.api.api import api

    return api.create_response(
        request,
        {"detail": _("Uppgifterna behöver rättas."), "errors": exc.errors},
        status=422,
    )


# --- Schemas --------------------------------------------------------------------------------------


class ChildIn(Schema):
    personal_number: Annotated[str, chars(20)] = ""
    first_name: Annotated[str, fits(Individual, "first_name")] = ""
    last_name: Annotated[str, fits(Individual, "last_name")] = ""
    date_of_birth: Annotated[str, chars(10)] = ""


class AttachmentIn(Schema):
    name: Annotated[str, fits(ReportAttachment, "original_name")]
    content_base64: str  # bounded by DATA_UPLOAD_MAX_MEMORY_SIZE (413)


class ReportIn(Schema):
    group_id: Id | None = None
    received_at: Annotated[str, chars(40)] = ""
    channel: Annotated[str, fits(Report, "channel")] = ""
    reporter_category: Annotated[str, fits(Report, "reporter_category")] = ""
    reporter_has_duty: bool = False
    anonymous: bool = False
    reporter_name: Annotated[str, fits(Report, "reporter_name")] = ""
    reporter_organisation: Annotated[str, fits(Report, "reporter_organisation")] = ""
    reporter_phone: Annotated[str, fits(Report, "reporter_phone")] = ""
    reporter_email: Annotated[str, fits(Report, "reporter_email")] = ""
    withhold_reporter: bool = False
    concerns: Annotated[list[Annotated[str, chars(40)]], items(len(ConcernCategory.values))] = []
    description: Annotated[str, chars(MAX_TEXT)] = ""
    children: Annotated[list[ChildIn], items(MAX_CHILDREN_PER_REPORT)] = []
    submission_key: Annotated[str, chars(40)] = ""
    attachments: Annotated[list[AttachmentIn], items(MAX_ATTACHMENTS_PER_REPORT)] = []


class ReportCreatedOut(Schema):
    id: int
    submission_key: uuid.UUID
    created: bool
    track_ids: list[int]


class ChildOut(Schema):
    id: int
    name: str
    personal_number: str
    date_of_birth: dt.date
    protection: str
    identity_masked: bool


class ReporterOut(Schema):
    category: str
    has_duty: bool
    name: str
    organisation: str
    phone: str
    email: str
    withhold: bool


class ReportOut(Schema):
    id: int
    received_at: dt.datetime
    channel: str
    group_id: int
    group: str
    anonymous: bool
    reporter_category: str
    reporter: ReporterOut | None
    concerns: list[str]
    about_violence: bool
    description: str


class DeadlineOut(Schema):
    kind: str
    label: str
    started_on: dt.date
    nominal_due: dt.date
    effective_due: dt.date
    due: dt.date
    extended: bool
    completed_on: dt.date | None
    days_left: int | None
    light: str | None
    legal_reference: str


class TrackSummaryOut(Schema):
    id: int
    report_id: int
    received_at: dt.datetime
    group_id: int
    group: str
    child: ChildOut
    holder: str | None


class TrackPageOut(Schema):
    count: int
    page: int
    page_size: int
    items: list[TrackSummaryOut]


class TrackOut(Schema):
    id: int
    received_at: dt.datetime
    child: ChildOut
    holder: str | None
    report: ReportOut
    deadlines: list[DeadlineOut]


def _child(card: PersonCard) -> ChildOut:
    return ChildOut(
        id=card.id,
        name=card.name,
        personal_number=card.personal_number,
        date_of_birth=card.date_of_birth,
        protection=card.protection,
        identity_masked=card.identity_masked,
    )


def _holder(user: Any) -> str | None:
    return (user.get_full_name() or user.get_username()) if user is not None else None


# --- Registering ----------------------------------------------------------------------------------


def _submission_key(header: str | None, field: str) -> uuid.UUID:
    raw_values = {v.strip() for v in (header or "", field) if v and v.strip()}
    if not raw_values:
        raise FieldError(
            {
                "submission_key": [
                    _("Ange en nyckel (Idempotency-Key) så att anmälan sparas en gång.")
                ]
            }
        )
    if len(raw_values) > 1:
        raise FieldError(
            {"submission_key": [_("Idempotency-Key och submission_key skiljer sig åt.")]}
        )
    try:
        return uuid.UUID(raw_values.pop())
    except ValueError as error:
        raise FieldError({"submission_key": [_("Nyckeln ska vara ett UUID.")]}) from error


def _received_at(raw: str, errors: dict[str, list[str]]) -> dt.datetime | None:
    if not raw.strip():
        errors["received_at"] = [_("Ange när anmälan togs emot.")]
        return None
    try:
        value = dt.datetime.fromisoformat(raw.strip())
    except ValueError:
        errors["received_at"] = [_("Ange tiden som ÅÅÅÅ-MM-DDTHH:MM (ISO 8601).")]
        return None
    # Checked before the time zone is applied: year 1 or 9999 would overflow converting to UTC.
    if not DATE_MIN <= value.date() <= DATE_MAX:
        errors["received_at"] = [_("Ange en tid mellan år 1900 och år 2100.")]
        return None
    return timezone.make_aware(value) if timezone.is_naive(value) else value


def _children(items: list[ChildIn], errors: dict[str, list[str]]) -> list[actions.ChildRef]:
    refs = []
    for i, item in enumerate(items):
        number = None
        if item.personal_number.strip():
            try:
                number = parse_identity_number(item.personal_number)
            except ValidationError as error:
                errors[f"children.{i}.personal_number"] = list(error.messages)
        birth = None
        if item.date_of_birth.strip():
            try:
                birth = dt.date.fromisoformat(item.date_of_birth.strip())
                validate_date_in_range(birth)
            except ValueError:
                errors[f"children.{i}.date_of_birth"] = [_("Ange datum som ÅÅÅÅ-MM-DD.")]
            except ValidationError as error:
                errors[f"children.{i}.date_of_birth"] = list(error.messages)
                birth = None
        refs.append(
            actions.ChildRef(
                number=number,
                first_name=item.first_name,
                last_name=item.last_name,
                date_of_birth=birth,
            )
        )
    return refs


def _attachments(
    items: list[AttachmentIn], errors: dict[str, list[str]]
) -> list[actions.AttachmentInput]:
    """Base64 files, checked by the page's rules; together at most TILLIT_ATTACHMENT_MAX_MB."""
    files = []
    for i, item in enumerate(items):
        name = item.name.strip()
        if not name or len(name) > 200 or "/" in name or "\\" in name:
            errors[f"attachments.{i}.name"] = [
                _("Ange ett filnamn utan sökväg (högst 200 tecken).")
            ]
            continue
        try:
            content = base64.b64decode(item.content_base64, validate=True)
        except (binascii.Error, ValueError):
            errors[f"attachments.{i}.content_base64"] = [_("Innehållet ska vara base64-kodat.")]
            continue
        upload = SimpleUploadedFile(name, content)
        problem = upload_problem(upload)
        if problem is not None:
            errors[f"attachments.{i}.content_base64"] = [problem]
            continue
        files.append(
            actions.AttachmentInput(
                file=upload, name=name, content_type=content_type_of(upload), size=len(content)
            )
        )
    if sum(f.size for f in files) > settings.TILLIT_ATTACHMENT_MAX_MB * 1024 * 1024:
        errors["attachments"] = [
            _("Bilagorna får tillsammans vara högst %(mb)s MB.")
            % {"mb": settings.TILLIT_ATTACHMENT_MAX_MB}
        ]
    return files


def _report_input(
    payload: ReportIn, group: Group | None, key: uuid.UUID, now: dt.datetime
) -> actions.ReportInput:
    errors: dict[str, list[str]] = {}
    if group is None:
        errors["group_id"] = [_("Välj vilken grupp som tar emot anmälan.")]
    received_at = _received_at(payload.received_at, errors)
    if payload.channel not in Channel.values:
        errors["channel"] = [_("Välj hur anmälan kom in.")]
    if payload.reporter_category not in ReporterCategory.values:
        errors["reporter_category"] = [_("Välj vem som anmäler.")]
    if payload.reporter_email.strip():
        try:
            validate_email(payload.reporter_email.strip())
        except ValidationError:
            errors["reporter_email"] = [_("Ange en giltig e-postadress.")]
    children = _children(payload.children, errors)
    attachments = _attachments(payload.attachments, errors)
    data = actions.ReportInput(
        group=group,  # type: ignore[arg-type]  # refused below when None
        received_at=received_at or now,
        channel=payload.channel,
        reporter_category=payload.reporter_category,
        reporter_has_duty=payload.reporter_has_duty,
        anonymous=payload.anonymous,
        reporter_name=payload.reporter_name,
        reporter_organisation=payload.reporter_organisation,
        reporter_phone=payload.reporter_phone,
        reporter_email=payload.reporter_email,
        withhold_reporter=payload.withhold_reporter,
        concerns=payload.concerns,
        description=payload.description,
        children=children,
        holder=None,
        submission_key=key,
        attachments=attachments,
    )
    try:
        actions.validate_report(data, now)  # holder is None: the group is not used
    except ValidationError as error:
        for field, messages in error.message_dict.items():
            errors.setdefault(field, list(messages))
    if errors:
        raise FieldError(errors)
    return data


def _created(report: Report, created: bool) -> ReportCreatedOut:
    return ReportCreatedOut(
        id=report.pk,
        submission_key=report.submission_key,
        created=created,
        track_ids=list(report.tracks.order_by("pk").values_list("pk", flat=True)),
    )


@router.post(
    "/reports",
    response={200: ReportCreatedOut, 201: ReportCreatedOut},
    url_name="create_report",
    summary="Registrera en orosanmälan (idempotent med Idempotency-Key)",
)
def create_report(
    request: HttpRequest,
    payload: ReportIn,
    idempotency_key: Annotated[str | None, param_functions.Header(alias="Idempotency-Key")] = None,
) -> Status[ReportCreatedOut]:
    viewer = viewer_for(request)
    if not viewer.may_register_individuals or viewer.user is None:
        raise HttpError(403, _("Rollen får inte registrera anmälningar."))
    key = _submission_key(idempotency_key, payload.submission_key)
    existing = Report.objects.filter(submission_key=key).first()
    if existing is not None:
        if existing.registered_by_id != viewer.user.pk:
            raise HttpError(409, _("Nyckeln är redan använd för en annan anmälan."))
        return Status(200, _created(existing, created=False))
    group = None
    if payload.group_id is not None:
        group = Group.objects.filter(pk=payload.group_id).select_related("unit").first()
        if group is None:
            raise FieldError({"group_id": [_("Gruppen finns inte.")]})
        if group.pk not in viewer.worker_group_ids | viewer.head_group_ids:
            raise HttpError(403, _("Du kan bara registrera anmälningar i din egen grupp."))
    now = timezone.now()
    data = _report_input(payload, group, key, now)
    report = actions.register_report(data, by=viewer.user, now=now)
    if report.registered_by_id != viewer.user.pk:  # another user's request with the same key won
        raise HttpError(409, _("Nyckeln är redan använd för en annan anmälan."))
    return Status(201, _created(report, created=True))


# --- Reading --------------------------------------------------------------------------------------


@router.get(
    "/tracks",
    response=TrackPageOut,
    url_name="tracks",
    summary="Anmälda barn (ett spår per barn och anmälan) inom behörigheten, sida för sida",
)
def tracks(request: HttpRequest, page: int = 1, page_size: int = 50) -> TrackPageOut:
    viewer = viewer_for(request)
    if not viewer.may_search_individuals:
        raise HttpError(403, _("Rollen ger inte tillgång till personuppgifter."))
    if page < 1 or not 1 <= page_size <= MAX_PAGE_SIZE:
        raise FieldError(
            {
                "page": [
                    _("Sidan och sidstorleken (1–%(max)s) måste vara positiva.")
                    % {"max": MAX_PAGE_SIZE}
                ]
            }
        )
    reached = ReportedChild.objects.filter(case__in=viewer.cases())
    count = reached.count()
    start = (page - 1) * page_size
    items = list(
        reached.select_related("report__group", "individual", "case", "holder")
        .prefetch_related("case__assignments")
        .order_by("-received_at", "-pk")[start : start + page_size]
    )
    reads = []
    for track in items:
        reach = viewer.case_reach(track.case)
        reads.append(
            Read(
                individual_id=track.individual_id,
                basis=reach.basis,
                unit_id=reach.unit_id,
                purpose=reach.purpose,
                protected=track.individual.is_protected,
                object_type="report_track",
                object_id=str(track.pk),
            )
        )
    if reads:
        record(actor=viewer.user, action=AccessAction.API, reads=reads, request=request)
    cards = present([t.individual for t in items], viewer)
    return TrackPageOut(
        count=count,
        page=page,
        page_size=page_size,
        items=[
            TrackSummaryOut(
                id=track.pk,
                report_id=track.report_id,
                received_at=track.received_at,
                group_id=track.report.group_id,
                group=str(track.report.group),
                child=_child(card),
                holder=_holder(track.holder),
            )
            for track, card in zip(items, cards, strict=True)
        ],
    )


def _report(report: Report) -> ReportOut:
    reporter = None
    if not report.anonymous:
        reporter = ReporterOut(
            category=report.reporter_category,
            has_duty=report.reporter_has_duty,
            name=report.reporter_name,
            organisation=report.reporter_organisation,
            phone=report.reporter_phone,
            email=report.reporter_email,
            withhold=report.withhold_reporter,
        )
    return ReportOut(
        id=report.pk,
        received_at=report.received_at,
        channel=report.channel,
        group_id=report.group_id,
        group=str(report.group),
        anonymous=report.anonymous,
        reporter_category=report.reporter_category,
        reporter=reporter,
        concerns=list(report.concerns),
        about_violence=report.about_violence,
        description=report.description,
    )


@router.get(
    "/tracks/{track_id}",
    response=TrackOut,
    url_name="track",
    summary="Ett anmält barn med anmälan och tidsgränser",
)
def track(request: HttpRequest, track_id: int) -> TrackOut:
    try:
        found, _reach, card = read_track(request, track_id, AccessAction.API)
    except Http404 as error:
        raise HttpError(404, _("Finns inte.")) from error
    today = viewer_for(request).today
    rows = deadline_rows(found.deadlines.order_by("due", "pk"), today)
    return TrackOut(
        id=found.pk,
        received_at=found.received_at,
        child=_child(card),
        holder=_holder(found.holder),
        report=_report(Report.objects.select_related("group").get(pk=found.report_id)),
        deadlines=[
            DeadlineOut(
                kind=row.deadline.kind,
                label=row.deadline.get_kind_display(),
                started_on=row.deadline.started_on,
                nominal_due=row.deadline.nominal_due,
                effective_due=row.deadline.effective_due,
                due=row.deadline.due,
                extended=row.deadline.extended,
                completed_on=row.deadline.completed_on,
                days_left=row.days_left,
                light=str(row.light.value) if row.light else None,
                legal_reference=row.reference,
            )
            for row in rows
        ],
    )
