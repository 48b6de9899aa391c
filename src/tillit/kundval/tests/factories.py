"""Small builders for kundval tests (also used by the access tests)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from itertools import count
from typing import Any

from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile

from tillit.conftest import TEST_ACTOR
from tillit.individuals.identity import with_check_digit
from tillit.individuals.models import Individual
from tillit.kundval.actions.pricing import RateInput, create_price_list
from tillit.kundval.actions.vouchers import grant_decision
from tillit.kundval.models import (
    ApplicationSource,
    Authorisation,
    CompensationModel,
    District,
    KundvalArea,
    ServiceKind,
    Voucher,
)
from tillit.organisation.models import Municipality, Process, Provider, Unit

# The smallest file the document checks take for a PDF (they read the first bytes).
PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"

_serial = count(1)
# Organisation numbers that pass the Luhn check (invented, see tests).
_ORGNR = count(5560000100)


def orgnr() -> str:
    from stdnum.se import orgnr as check

    while True:
        candidate = str(next(_ORGNR))
        if check.is_valid(candidate):
            return candidate


def provider(name: str, *, municipal: bool = False) -> Provider:
    return Provider.objects.create(name=name, organisation_number=orgnr(), is_municipal=municipal)


def number() -> str:
    """A valid personnummer (twelve digits) no test person has yet."""
    n = next(_serial)
    born = dt.date(1940, 1, 1) + dt.timedelta(days=n)
    return with_check_digit(f"{born:%Y%m%d}{980 + n % 20:03d}")


def customer(first: str = "Kund") -> Individual:
    n = next(_serial)
    born = dt.date(1940, 1, 1) + dt.timedelta(days=n)
    number = with_check_digit(f"{born:%Y%m%d}{980 + n % 20:03d}")
    return Individual.objects.create(
        personal_number=number,
        first_name=f"{first}{n}",
        last_name="Kundsson",
        date_of_birth=born,
    )


@dataclass
class Place:
    municipality: Municipality
    unit: Unit


def place(municipality: Municipality | None = None, unit: Unit | None = None) -> Place:
    if municipality is None:
        municipality = Municipality.objects.create(
            name=f"Kundvalskommun {next(_serial)}", code="0182"
        )
    if unit is None:
        process = Process.objects.create(municipality=municipality, name="Äldre och funktion")
        unit = Unit.objects.create(process=process, name="Kundvalsenheten")
    return Place(municipality, unit)


def area(
    where: Place,
    model: CompensationModel,
    *,
    name: str | None = None,
    separate_rates: bool = False,
    cap: bool = False,
    notice_days: int = 0,
    default: Provider | None = None,
    rates: list[RateInput] | None = None,
    rates_from: dt.date = dt.date(2020, 1, 1),
) -> tuple[KundvalArea, District]:
    made = KundvalArea.objects.create(
        municipality=where.municipality,
        unit=where.unit,
        name=name or f"Område {next(_serial)}",
        service_kind=ServiceKind.HOME_CARE,
        compensation_model=model,
        cap_by_decision=cap,
        separate_rates=separate_rates,
        notice_days=notice_days,
        default_provider=default,
    )
    district = District.objects.create(municipality=where.municipality, name=f"Distrikt {made.pk}")
    district.areas.add(made)
    if rates is not None:
        create_price_list(
            area=made, valid_from=rates_from, valid_to=None, rates=rates, by=TEST_ACTOR
        )
    return made, district


def authorise(
    who: Provider,
    where: KundvalArea,
    districts: list[District],
    *,
    valid_from: dt.date = dt.date(2020, 1, 1),
    valid_to: dt.date | None = None,
    capacity: int | None = None,
) -> Authorisation:
    made = Authorisation.objects.create(
        provider=who, area=where, valid_from=valid_from, valid_to=valid_to, capacity=capacity
    )
    made.districts.set(districts)
    return made


def voucher(
    where: KundvalArea,
    district: District,
    valid_from: dt.date,
    valid_to: dt.date | None = None,
    *,
    individual: Individual | None = None,
    hours: str | None = None,
    level: str = "",
    extent: str = "",
) -> Voucher:
    return grant_decision(
        individual=individual or customer(),
        area=where,
        district=district,
        valid_from=valid_from,
        valid_to=valid_to,
        decided_on=valid_from,
        hours_per_month=Decimal(hours) if hours else None,
        level=level,
        extent=extent,
        by=TEST_ACTOR,
    )


def pdf(name: str = "villkor.pdf") -> ContentFile[bytes]:
    """A tiny file that starts like a PDF (the terms accept PDF only)."""
    return ContentFile(PDF, name=name)


def matrix_objects(world: object) -> dict[str, Any]:
    """Kundval objects for the permission matrix: an area managed by the kundval officer's unit,
    the world's provider authorised and chosen by one customer, an application, and a computed
    run for last month. Built once per world."""
    from django.utils import timezone

    from tillit.kundval.actions.authorisation import publish_terms, stop, submit_application
    from tillit.kundval.actions.payments import run_month
    from tillit.kundval.actions.vouchers import choose_provider
    from tillit.kundval.models import StopDecidedBy, StopKind
    from tillit.kundval.periods import month_start

    cached: dict[str, Any] | None = getattr(world, "_kundval", None)
    if cached is not None:
        return cached
    other_unit: Unit = world.other_unit  # type: ignore[attr-defined]
    municipality = other_unit.process.municipality
    ours = Provider.objects.get(name="Testomsorg AB")
    made, district = area(
        place(municipality, other_unit),
        CompensationModel.GRANTED_HOUR,
        rates=[RateInput(Decimal("441.00"))],
    )
    authorisation = authorise(ours, made, [district])
    sold = voucher(made, district, dt.date(2020, 1, 1), hours="10")
    choose_provider(
        voucher=sold,
        provider=ours,
        chosen_on=dt.date(2020, 1, 1),
        wanted_from=dt.date(2020, 1, 1),
        by=TEST_ACTOR,
    )
    general = publish_terms(
        municipality=municipality,
        area=None,
        title="Allmänna",
        valid_from=dt.date(2020, 1, 1),
        text="Allmänna villkor (påhittade).",
        document=pdf(),
        by=TEST_ACTOR,
    )
    area_terms = publish_terms(
        municipality=municipality,
        area=made,
        title="Område",
        valid_from=dt.date(2020, 1, 1),
        text="Områdets villkor (påhittade).",
        document=pdf(),
        by=TEST_ACTOR,
    )
    # Sent through the e-service, so it has a status link (its id and token are in the matrix).
    application = submit_application(
        municipality=municipality,
        name="Sökande AB",
        organisation_number=orgnr(),
        contact_name="Sam Sökande",
        email="sam@example.invalid",
        areas=[made],
        districts=[district],
        submitted_on=timezone.localdate(),
        source=ApplicationSource.E_SERVICE,
        confirmed_true=True,
        documents=[SimpleUploadedFile("intyg.pdf", PDF)],
        by=TEST_ACTOR,
    )
    # Last month: it has ended, so it may be run and closed (the running month is a preview).
    last_month = month_start(month_start(timezone.localdate()) - dt.timedelta(days=1))
    run = run_month(municipality, last_month, now=timezone.now(), by=TEST_ACTOR)
    stopped = authorise(provider("Avstängd Omsorg AB"), made, [district])
    stop(
        stopped,
        kind=StopKind.SUSPENDED,
        decided_by=StopDecidedBy.BOARD,
        from_date=timezone.localdate(),
        today=timezone.localdate(),
        reason="Brister (påhittade).",
        by=TEST_ACTOR,
    )
    cached = {
        "stopped_authorisation_id": stopped.pk,
        "area_id": made.pk,
        "authorisation_id": authorisation.pk,
        "voucher_id": sold.pk,
        "application_id": application.pk,
        "token": application.status_token,
        "document_id": application.documents.get().pk,
        "terms_id": general.pk,
        "run_id": run.pk,
        "provider_id": ours.pk,
        "district_id": district.pk,
        "area_terms_id": area_terms.pk,
    }
    world._kundval = cached  # type: ignore[attr-defined]
    return cached
