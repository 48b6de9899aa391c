"""Kundval in the JSON API (/api/kundval/...): the same actions, access rules and logging as the
pages. Mounted by tillit.api.api."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Annotated

from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest
from ninja import Router, Schema, Status
from ninja.errors import HttpError
from pydantic import Field

from tillit.access.reading import staff_user, viewer_for
from tillit.audit.models import AccessAction
from tillit.bounds import (
    BoundedDate,
    BoundedInt,
    Id,
    decimal_bounds,
    fits,
    items,
)
from tillit.individuals.models import Individual
from tillit.kundval.access import (
    may_see_basis,
    officer_areas,
    read_basis,
    read_customers,
    read_voucher,
    run_for,
)
from tillit.kundval.actions.performance import RejectedRowsError, ReportRow, check_rows, report
from tillit.kundval.actions.vouchers import choose_provider, grant_decision
from tillit.kundval.models import Decision, District, PaymentLine, ReportSource, Voucher
from tillit.organisation.models import Provider

router = Router(tags=["kundval"])

MAX_DAYS_PER_MONTH = 31
# A provider's month for all its customers in one call; larger batches go in several.
MAX_ROWS_PER_REPORT = 10_000


class VoucherOut(Schema):
    id: int
    area: str
    customer: str
    personal_number: str
    valid_from: dt.date
    valid_to: dt.date | None
    provider: str | None


HOURS_DIGITS, HOURS_PLACES = decimal_bounds(Decision, "hours_per_month")


class DecisionIn(Schema):
    individual_id: Id
    area_id: Id
    district_id: Id
    valid_from: BoundedDate
    valid_to: BoundedDate | None = None
    decided_on: BoundedDate
    hours_per_month: (
        Annotated[Decimal, Field(max_digits=HOURS_DIGITS, decimal_places=HOURS_PLACES)] | None
    ) = None
    level: Annotated[str, fits(Decision, "level")] = ""
    extent: Annotated[str, fits(Decision, "extent")] = ""
    days_per_month: Annotated[int, Field(ge=0, le=MAX_DAYS_PER_MONTH)] | None = None


class ChoiceIn(Schema):
    provider_id: Id
    chosen_on: BoundedDate
    wanted_from: BoundedDate


class ChoiceOut(Schema):
    voucher_id: int
    provider: str
    valid_from: dt.date


class RowIn(Schema):
    voucher_id: Id
    date: BoundedDate
    # Out-of-range time and visits are refused per row by the action, with the row's number.
    minutes: BoundedInt = 0
    visits: BoundedInt = 0
    attended: bool = False
    starts_at: dt.time | None = None
    ends_at: dt.time | None = None
    corrects_id: Id | None = None


class ReportIn(Schema):
    rows: Annotated[list[RowIn], items(MAX_ROWS_PER_REPORT)]
    dry_run: bool = False


class RowErrorOut(Schema):
    row: int
    messages: list[str]


class PerformanceOut(Schema):
    saved: list[int]
    errors: list[RowErrorOut]


class LineOut(Schema):
    customer: str
    personal_number: str
    voucher_id: int
    area: str
    date_from: dt.date
    date_to: dt.date
    quantity: Decimal
    unit: str
    rate: Decimal | None
    amount: Decimal
    kind: str
    billing: str
    adjusts_month: dt.date | None


class BasisOut(Schema):
    month: dt.date
    status: str
    provider: str
    organisation_number: str
    total: Decimal
    lines: list[LineOut]


def _problems(error: ValidationError) -> str:
    return " ".join(error.messages)


@router.get("/vouchers", response=list[VoucherOut], summary="Checkar för kunder inom behörigheten")
def kundval_vouchers(request: HttpRequest, on: dt.date | None = None) -> list[VoucherOut]:
    viewer = viewer_for(request)
    if not (viewer.is_kundval_officer or viewer.is_provider_staff):
        raise HttpError(403, "Rollen ger inte tillgång till kundval.")
    day = on or viewer.today
    found = Voucher.objects.filter(individual__in=viewer.customers())
    if not viewer.is_kundval_officer:
        # Provider staff: only the vouchers that give them reach, not the customer's others.
        found = found.filter(pk__in=viewer.held_choices().values("voucher_id"))
    else:
        found = found.filter(area__unit_id__in=viewer.kundval_unit_ids)
    vouchers = list(found.select_related("individual", "area").order_by("pk"))
    cards = {
        c.id: c for c in read_customers(request, [v.individual for v in vouchers], AccessAction.API)
    }
    out = []
    for v in vouchers:
        card = cards.get(v.individual_id)
        if card is None:
            continue
        holder = v.provider_on(day)
        out.append(
            VoucherOut(
                id=v.pk,
                area=v.area.name,
                customer=card.name,
                personal_number=card.personal_number,
                valid_from=v.valid_from,
                valid_to=v.valid_to,
                provider=holder.name if holder else None,
            )
        )
    return out


@router.post("/decisions", response={201: VoucherOut}, summary="Registrera biståndsbeslut")
def kundval_decision(request: HttpRequest, data: DecisionIn) -> Status[VoucherOut]:
    viewer = viewer_for(request)
    if not viewer.is_kundval_officer:
        raise HttpError(403, "Endast kundvalshandläggare registrerar beslut.")
    area = officer_areas(viewer).filter(pk=data.area_id).first()
    district = District.objects.filter(pk=data.district_id).first()
    individual = Individual.objects.filter(pk=data.individual_id).first()
    if area is None or district is None or individual is None:
        raise HttpError(404, "Finns inte.")
    try:
        voucher = grant_decision(
            individual=individual,
            area=area,
            district=district,
            valid_from=data.valid_from,
            valid_to=data.valid_to,
            decided_on=data.decided_on,
            user=staff_user(request),
            hours_per_month=data.hours_per_month,
            level=data.level,
            extent=data.extent,
            days_per_month=data.days_per_month,
        )
    except ValidationError as error:
        raise HttpError(422, _problems(error)) from error
    _voucher, card = read_voucher(request, voucher.pk)
    holder = voucher.provider_on(voucher.valid_from)
    out = VoucherOut(
        id=voucher.pk,
        area=area.name,
        customer=card.name,
        personal_number=card.personal_number,
        valid_from=voucher.valid_from,
        valid_to=voucher.valid_to,
        provider=holder.name if holder else None,
    )
    return Status(201, out)


@router.post("/vouchers/{voucher_id}/choice", response={201: ChoiceOut}, summary="Registrera val")
def kundval_choice(request: HttpRequest, voucher_id: int, data: ChoiceIn) -> Status[ChoiceOut]:
    viewer = viewer_for(request)
    if not viewer.is_kundval_officer:
        raise HttpError(403, "Endast kundvalshandläggare registrerar val.")
    try:
        voucher, _card = read_voucher(request, voucher_id)
    except Http404 as error:
        raise HttpError(404, "Finns inte.") from error
    provider = Provider.objects.filter(pk=data.provider_id).first()
    if provider is None or voucher.area.unit_id not in viewer.kundval_unit_ids:
        raise HttpError(404, "Finns inte.")
    try:
        choice = choose_provider(
            voucher=voucher,
            provider=provider,
            chosen_on=data.chosen_on,
            wanted_from=data.wanted_from,
            user=staff_user(request),
        )
    except ValidationError as error:
        raise HttpError(422, _problems(error)) from error
    return Status(
        201, ChoiceOut(voucher_id=voucher.pk, provider=provider.name, valid_from=choice.valid_from)
    )


@router.post(
    "/performance",
    response={200: PerformanceOut, 422: PerformanceOut},
    summary="Rapportera utförande (allt eller inget; dry_run kontrollerar bara)",
)
def kundval_performance(request: HttpRequest, data: ReportIn) -> Status[PerformanceOut]:
    viewer = viewer_for(request)
    if len(viewer.provider_ids) != 1:
        raise HttpError(403, "Endast anordnarpersonal rapporterar utförande.")
    provider = Provider.objects.get(pk=next(iter(viewer.provider_ids)))
    rows = [ReportRow(**row.dict()) for row in data.rows]
    if data.dry_run:
        errors = check_rows(provider, rows, viewer.today)
        return Status(
            422 if errors else 200,
            PerformanceOut(
                saved=[], errors=[RowErrorOut(row=e.row, messages=e.messages) for e in errors]
            ),
        )
    try:
        saved = report(
            provider, rows, user=staff_user(request), source=ReportSource.API, today=viewer.today
        )
    except RejectedRowsError as error:
        return Status(
            422,
            PerformanceOut(
                saved=[], errors=[RowErrorOut(row=e.row, messages=e.messages) for e in error.rows]
            ),
        )
    return Status(200, PerformanceOut(saved=[r.pk for r in saved], errors=[]))


@router.get(
    "/runs/{run_id}/basis/{provider_id}",
    response=BasisOut,
    summary="Underlag för en anordnare och månad",
)
def kundval_basis(request: HttpRequest, run_id: int, provider_id: int) -> BasisOut:
    viewer = viewer_for(request)
    if not (viewer.is_kundval_officer or viewer.is_provider_staff):
        raise HttpError(403, "Rollen ger inte tillgång till kundval.")
    try:
        run = run_for(viewer, run_id)
    except Http404 as error:
        raise HttpError(404, "Finns inte.") from error
    provider = Provider.objects.filter(pk=provider_id).first()
    if provider is None or not may_see_basis(viewer, run, provider):
        raise HttpError(404, "Finns inte.")
    lines = list(
        PaymentLine.objects.filter(run=run, provider=provider)
        .select_related("individual", "area")
        .order_by("individual__last_name", "individual__first_name", "date_from", "pk")
    )
    cards = read_basis(request, lines, provider, AccessAction.API)
    return BasisOut(
        month=run.month,
        status=run.status,
        provider=provider.name,
        organisation_number=provider.organisation_number,
        total=sum((line.amount for line in lines), Decimal("0.00")),
        lines=[
            LineOut(
                customer=cards[line.individual_id].name,
                personal_number=cards[line.individual_id].personal_number,
                voucher_id=line.voucher_id,
                area=line.area.name,
                date_from=line.date_from,
                date_to=line.date_to,
                quantity=line.quantity,
                unit=line.unit,
                rate=line.rate,
                amount=line.amount,
                kind=line.kind,
                billing=line.billing,
                adjusts_month=line.adjusts_month,
            )
            for line in lines
        ],
    )
