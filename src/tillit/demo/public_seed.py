"""Demo data for the public side (issue 14): the e-services' settings, user-survey results
and staff continuity per provider with the municipality's and the country's values, a request
to change provider waiting in the kundval officer's queue, and one anonymous report from the
e-service.

All invented: figures are random, sources named as invented."""

from __future__ import annotations

import datetime as dt
import random
import uuid
from decimal import Decimal

from tillit.individuals.identity import IdentityNumber
from tillit.kundval.models import Authorisation, Voucher
from tillit.organisation.models import Group, Municipality, Provider
from tillit.public.actions import Ask, Concern, submit_choice_request, submit_concern
from tillit.public.models import PublicService
from tillit.surveys.models import (
    ContinuityLevel,
    Scope,
    StaffContinuity,
    SurveyReference,
    SurveyResult,
)

SOURCE = "Påhittad brukarundersökning (demo)"
CONTINUITY_SOURCE = "Påhittad mätning av personalkontinuitet (demo)"
MEASURES = [
    ("helhet", "Sammantaget nöjd med hemtjänsten"),
    ("bemotande", "Personalen bemöter mig bra"),
    ("trygghet", "Känner sig trygg med hemtjänsten"),
    ("kontinuitet", "Samma personal kommer oftast"),
]


def seed_public(
    today: dt.date, municipality: Municipality, *, now: dt.datetime, seed: int = 14
) -> None:
    rng = random.Random(seed)
    reception = Group.objects.filter(unit__process__municipality=municipality, name="Mottagning")
    service = PublicService.objects.create(
        municipality=municipality,
        report_group=reception.get(),
        phone="08-000 000 00",
        accessibility_email="tillganglighet@demokommunen.invalid",
    )
    provider_ids = set(Authorisation.objects.values_list("provider_id", flat=True))
    results = []
    for provider in Provider.objects.filter(pk__in=provider_ids).order_by("pk"):
        for year in (today.year - 2, today.year - 1):
            for measure, label in MEASURES:
                answers = rng.choice([6, 25, 40, 80, 150])
                results.append(
                    SurveyResult(
                        year=year,
                        provider=provider,
                        measure=measure,
                        label=label,
                        share_percent=Decimal(rng.randint(650, 980)) / 10,
                        answers=answers,
                        source=SOURCE,
                    )
                )
    SurveyResult.objects.bulk_create(results)
    references: tuple[tuple[str, int | None], ...] = (
        (Scope.MUNICIPALITY, 1200),
        (Scope.COUNTRY, None),
    )
    for year in (today.year - 2, today.year - 1):
        for measure, label in MEASURES:
            for scope, reference_answers in references:
                SurveyReference.objects.create(
                    year=year,
                    scope=scope,
                    measure=measure,
                    label=label,
                    share_percent=Decimal(rng.randint(780, 900)) / 10,
                    answers=reference_answers,
                    source=SOURCE,
                )
    _staff_continuity(rng, today, sorted(provider_ids))
    _a_request(today, now)
    submit_concern(
        Concern(
            reporter_category="forskola",
            reporter_has_duty=True,
            anonymous=True,
            reporter_name="",
            reporter_organisation="",
            reporter_phone="",
            reporter_email="",
            child_first_name="Alva",
            child_last_name="Påhittadsson",
            child_number=None,
            child_birth_date=dt.date(today.year - 4, 3, 12),
            concerns=["omsorgssvikt"],
            description="Barnet hämtas ofta sent och verkar trött och hungrigt (påhittat).",
            submission_key=uuid.UUID(int=14),
        ),
        service=service,
        now=now - dt.timedelta(hours=2),
    )


def _staff_continuity(rng: random.Random, today: dt.date, provider_ids: list[int]) -> None:
    """Two weeks of each of the last two Octobers (when the national measure is taken): the
    mean number of different staff each provider's customers met, with the municipality's and
    the country's; some providers measured on too few customers, so the page hides them."""
    rows = []
    for year in (today.year - 2, today.year - 1):
        period = {"period_from": dt.date(year, 10, 1), "period_to": dt.date(year, 10, 14)}
        for provider_id in provider_ids:
            rows.append(
                StaffContinuity(
                    level=ContinuityLevel.PROVIDER,
                    provider_id=provider_id,
                    staff_mean=Decimal(rng.randint(70, 190)) / 10,
                    customers=rng.choice([4, 18, 35, 60, 120]),
                    source=CONTINUITY_SOURCE,
                    **period,
                )
            )
        for level, mean in ((ContinuityLevel.MUNICIPALITY, 128), (ContinuityLevel.COUNTRY, 150)):
            rows.append(
                StaffContinuity(
                    level=level,
                    staff_mean=Decimal(mean + rng.randint(-10, 10)) / 10,
                    source=CONTINUITY_SOURCE,
                    **period,
                )
            )
    StaffContinuity.objects.bulk_create(rows)


def _a_request(today: dt.date, now: dt.datetime) -> None:
    """A customer's daughter asks to change to another provider authorised in the area."""
    voucher = (
        Voucher.objects.filter(valid_from__lte=today)
        .exclude(valid_to__lt=today)
        .select_related("individual", "area")
        .order_by("pk")
        .first()
    )
    if voucher is None or not voucher.individual.personal_number:
        return
    current = voucher.provider_on(today)
    other = (
        Authorisation.objects.in_force(today)
        .filter(area=voucher.area, districts=voucher.decision.district)
        .exclude(provider=current)
        .select_related("provider")
        .first()
    )
    if other is None:
        return
    submit_choice_request(
        Ask(
            area=voucher.area,
            provider=other.provider,
            customer_name=f"{voucher.individual.first_name} {voucher.individual.last_name}",
            personal_number=IdentityNumber(voucher.individual.personal_number),
            representative_name="Anhörig Påhittad",
            representative_relation="dotter",
            phone="070-000 00 00",
            email="",
            wanted_from=None,
            message="Mamma vill ha personal som talar finska.",
            submission_key=uuid.UUID(int=15),
        ),
        now=now,
    )
