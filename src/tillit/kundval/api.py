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
from tillit.api_errors import ErrorOut
from tillit.audit.models import AccessAction
from tillit.bounds import (
    INT_MAX,
    INT_MIN,
    BoundedDate,
    Id,
    decimal_bounds,
    fits,
    items,
)
from tillit.individuals.identity import parse_identity_number
from tillit.individuals.models import Individual, Protection
from tillit.kundval.access import (
    basis_for,
    decision_customer,
    decision_subject,
    officer_areas,
    read_basis,
    read_customers,
    read_voucher,
)
from tillit.kundval.actions.performance import RejectedRowsError, ReportRow, check_rows, report
from tillit.kundval.actions.vouchers import NewCustomer, choose_provider, grant_decision
from tillit.kundval.adjustment_details import describe
from tillit.kundval.models import Decision, District, PaymentLine, ReportSource, Voucher
from tillit.kundval.reach import customers, held_choices
from tillit.organisation.models import Provider

router = Router(tags=["kundval"])

MAX_DAYS_PER_MONTH = 31
# A provider's month for all its customers in one call; larger batches go in several.
MAX_ROWS_PER_REPORT = 10_000
# The vouchers list is paged: each voucher read is a logged read of its customer.
MAX_PAGE_SIZE = 100


class VoucherOut(Schema):
    id: int
    area: str
    customer: str
    personal_number: str
    valid_from: dt.date
    valid_to: dt.date | None
    provider: str | None


class CustomerIn(Schema):
    """A person new to the officer's kundval areas, registered with the decision (the same
    fields and protection choices as the person form). When the number already belongs to one
    of the officer's customers, that customer is used and the identity here is ignored."""

    personal_number: str = Field(max_length=15, description="ÅÅÅÅMMDD-NNNN eller ÅÅMMDD-NNNN")
    first_name: str = Field(min_length=1, max_length=100)
    last_name: str = Field(min_length=1, max_length=100)
    street_address: str = Field("", max_length=200)
    postal_code: str = Field("", max_length=6)
    city: str = Field("", max_length=100)
    protection: Protection = Protection.NONE


class VoucherPageOut(Schema):
    count: int = Field(description="Checkar inom behörigheten, alla sidor")
    page: int
    page_size: int
    items: list[VoucherOut]


HOURS_DIGITS, HOURS_PLACES = decimal_bounds(Decision, "hours_per_month")


class DecisionIn(Schema):
    """Exactly one of `individual_id` (one of the officer's customers) and `customer` (a person
    new to the officer's areas)."""

    individual_id: Id | None = None
    customer: CustomerIn | None = None
    area_id: Id
    district_id: Id
    valid_from: BoundedDate
    valid_to: BoundedDate | None = None
    decided_on: BoundedDate
    # Decimals are left to the action's rule (tillit.kundval.rules), which names the reason;
    # the digits bound keeps absurd numbers (1e20) out before they reach it.
    hours_per_month: Annotated[Decimal, Field(max_digits=HOURS_DIGITS + 2)] | None = None
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
    # Numbers, not int: the action's rules (tillit.kundval.rules) refuse 79.98 minutes with
    # the same message as the form and the file, where a schema type error would say less;
    # out-of-range time and visits are refused per row by the action, with the row's number.
    minutes: Annotated[Decimal, Field(ge=INT_MIN, le=INT_MAX)] = Decimal(0)
    visits: Annotated[Decimal, Field(ge=INT_MIN, le=INT_MAX)] = Decimal(0)
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
    # Adjustment lines only: what the closed month paid and what it should have, and why.
    quantity_before: Decimal | None = None
    quantity_after: Decimal | None = None
    rate_before: Decimal | None = None
    rate_after: Decimal | None = None
    reason: str = ""
    reason_reference: str = ""
    explanation: str = ""


class BasisOut(Schema):
    month: dt.date
    status: str
    provider: str
    organisation_number: str
    total: Decimal
    lines: list[LineOut]


def _problems(error: ValidationError) -> str:
    return " ".join(error.messages)


@router.get(
    "/vouchers",
    response={200: VoucherPageOut, 403: ErrorOut, 422: ErrorOut},
    summary="Checkar för kunder inom behörigheten, sida för sida",
)
def kundval_vouchers(
    request: HttpRequest, on: dt.date | None = None, page: int = 1, page_size: int = 50
) -> VoucherPageOut:
    """Oldest voucher first; at most MAX_PAGE_SIZE a page. Each voucher on the page writes one
    access-log row (in one write); the other pages are not read."""
    viewer = viewer_for(request)
    if not (viewer.is_kundval_officer or viewer.is_provider_staff):
        raise HttpError(403, "Rollen ger inte tillgång till kundval.")
    if page < 1 or not 1 <= page_size <= MAX_PAGE_SIZE:
        raise HttpError(
            422, f"Sidan och sidstorleken (1–{MAX_PAGE_SIZE}) måste vara positiva heltal."
        )
    day = on or viewer.today
    found = Voucher.objects.filter(individual__in=customers(viewer))
    if not viewer.is_kundval_officer:
        # Provider staff: only the vouchers that give them reach, not the customer's others.
        found = found.filter(pk__in=held_choices(viewer).values("voucher_id"))
    else:
        found = found.filter(area__unit_id__in=viewer.kundval_unit_ids)
    count = found.count()
    start = (page - 1) * page_size
    vouchers = list(
        found.select_related("individual", "area")
        .prefetch_related("choices__provider")
        .order_by("pk")[start : start + page_size]
    )
    cards = {
        c.id: c for c in read_customers(request, [v.individual for v in vouchers], AccessAction.API)
    }
    items = []
    for v in vouchers:
        card = cards.get(v.individual_id)
        if card is None:
            continue
        holder = _holder(v, day)
        items.append(
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
    return VoucherPageOut(count=count, page=page, page_size=page_size, items=items)


def _holder(voucher: Voucher, day: dt.date) -> Provider | None:
    """Who holds the voucher on the day, from the prefetched choices (no query per voucher)."""
    for choice in voucher.choices.all():
        if choice.valid_from <= day and (choice.valid_to is None or choice.valid_to >= day):
            return choice.provider
    return None


@router.post(
    "/decisions",
    response={201: VoucherOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut},
    summary="Registrera biståndsbeslut för egen kund (individual_id) eller ny person (customer)",
)
def kundval_decision(request: HttpRequest, data: DecisionIn) -> Status[VoucherOut]:
    viewer = viewer_for(request)
    if not viewer.is_kundval_officer:
        raise HttpError(403, "Endast kundvalshandläggare registrerar beslut.")
    if (data.individual_id is None) == (data.customer is None):
        raise HttpError(422, "Ange antingen individual_id eller customer.")
    subject: Individual | NewCustomer
    if data.individual_id is not None:
        # Missing and unreachable ids answer alike (and are logged as refused).
        try:
            subject = decision_subject(request, data.individual_id)
        except Http404 as error:
            raise HttpError(404, "Finns inte.") from error
    else:
        assert data.customer is not None  # noqa: S101 - checked above, for the type checker
        subject = _customer(request, data.customer)
    area = officer_areas(viewer).filter(pk=data.area_id).first()
    district = District.objects.filter(pk=data.district_id).first()
    if area is None or district is None:
        raise HttpError(404, "Finns inte.")
    try:
        voucher = grant_decision(
            individual=subject,
            area=area,
            district=district,
            valid_from=data.valid_from,
            valid_to=data.valid_to,
            decided_on=data.decided_on,
            by=staff_user(request),
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


def _customer(request: HttpRequest, given: CustomerIn) -> Individual | NewCustomer:
    """The officer's customer with the number, else the new person as given: the same answer
    whether or not the number exists elsewhere in Tillit."""
    try:
        number = parse_identity_number(given.personal_number.strip())
    except ValidationError as error:
        raise HttpError(422, _problems(error)) from error
    found = decision_customer(request, number)
    if found is not None:
        return found
    return NewCustomer(
        number=number,
        first_name=given.first_name.strip(),
        last_name=given.last_name.strip(),
        street_address=given.street_address.strip(),
        postal_code=given.postal_code.strip(),
        city=given.city.strip(),
        protection=given.protection,
    )


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
            by=staff_user(request),
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
            provider, rows, by=staff_user(request), source=ReportSource.API, today=viewer.today
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
    response={200: BasisOut, 403: ErrorOut, 404: ErrorOut},
    summary="Underlag för en anordnare och månad (kunder utanför behörigheten utan identitet)",
)
def kundval_basis(request: HttpRequest, run_id: int, provider_id: int) -> BasisOut:
    viewer = viewer_for(request)
    if not (viewer.is_kundval_officer or viewer.is_provider_staff):
        raise HttpError(403, "Rollen ger inte tillgång till kundval.")
    try:
        run, provider = basis_for(request, run_id, provider_id)
    except Http404 as error:
        raise HttpError(404, "Finns inte.") from error
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
                quantity_before=line.quantity_before,
                quantity_after=line.quantity_after,
                rate_before=line.rate_before,
                rate_after=line.rate_after,
                reason=line.reason,
                reason_reference=line.reason_reference,
                explanation=describe(line),
            )
            for line in lines
        ],
    )
