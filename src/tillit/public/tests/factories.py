"""Builders for the public side's tests (also used by the permission matrix)."""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal
from typing import Any

from django.utils import timezone

from tillit.individuals.identity import IdentityNumber
from tillit.public.actions import Ask, Concern, submit_choice_request, submit_concern
from tillit.public.models import PublicService


def service(world: Any) -> PublicService:
    found = PublicService.objects.filter(municipality=world.unit.process.municipality).first()
    if found is not None:
        return found
    return PublicService.objects.create(
        municipality=world.unit.process.municipality,
        report_group=world.reception,
        phone="08-123 456 00",
        accessibility_email="tillganglighet@example.se",
    )


def concern(**overrides: Any) -> Concern:
    values: dict[str, Any] = {
        "reporter_category": "skola",
        "reporter_has_duty": True,
        "anonymous": True,
        "reporter_name": "",
        "reporter_organisation": "",
        "reporter_phone": "",
        "reporter_email": "",
        "child_first_name": "Elsa",
        "child_last_name": "Påhittad",
        "child_number": None,
        "child_birth_date": dt.date(2016, 5, 1),
        "concerns": ["omsorgssvikt"],
        "description": "Barnet kommer hungrigt till skolan varje dag.",
        "submission_key": uuid.uuid4(),
    }
    values.update(overrides)
    return Concern(**values)


def public_objects(world: Any) -> dict[str, Any]:
    """The public side's objects for the permission matrix, built once per world."""
    cached: dict[str, Any] | None = getattr(world, "_public", None)
    if cached is not None:
        return cached
    from tillit.kundval.models import Authorisation
    from tillit.kundval.tests.factories import matrix_objects
    from tillit.surveys.models import SurveyResult

    kv = matrix_objects(world)
    here = service(world)
    authorisation = (
        Authorisation.objects.in_force(timezone.localdate())
        .select_related("provider", "area")
        .filter(area__unit=world.other_unit)
        .first()
    )
    assert authorisation is not None
    area, provider = authorisation.area, authorisation.provider
    SurveyResult.objects.create(
        year=2025,
        provider=provider,
        measure="helhet",
        label="Sammantaget nöjd",
        share_percent=Decimal("88.0"),
        answers=40,
        source="Påhittad undersökning",
    )
    voucher_holder = area.vouchers.select_related("individual").first()
    number = voucher_holder.individual.personal_number if voucher_holder else "194001019805"
    asked = submit_choice_request(
        Ask(
            area=area,
            provider=provider,
            customer_name="Kund Kundsson",
            personal_number=IdentityNumber(number),
            representative_name="",
            representative_relation="",
            phone="070-000 00 00",
            email="",
            wanted_from=None,
            message="",
            submission_key=uuid.uuid4(),
        )
    )
    report = submit_concern(concern(), service=here)
    world._public = {
        **kv,
        "provider_id": provider.pk,
        "area_id": area.pk,
        "request_id": asked.pk,
        "pub_ask": asked.submission_key,
        "pub_concern": report.submission_key,
    }
    return world._public


def reported_follow_up(
    provider: Any,
    municipality: Any,
    *,
    reported_on: dt.date,
    result: str = "godkand",
    summary: str = "Sammanfattning med Stina Exempelsson (ska aldrig visas offentligt).",
    status: str = "rapporterad",
) -> Any:
    """A follow-up of `provider` as the incidents actions leave it once reported, written
    directly: the public pages only read it (incidents' own tests drive the actions)."""
    from django.contrib.auth import get_user_model

    from tillit.incidents.models import FollowUp, FollowUpPlan, ReviewType

    officer, _new = get_user_model().objects.get_or_create(username="uppfoljare")
    plan, _new = FollowUpPlan.objects.get_or_create(
        municipality=municipality,
        year=reported_on.year,
        defaults={"made_on": reported_on.replace(month=1, day=1), "made_by": officer},
    )
    return FollowUp.objects.create(
        plan=plan,
        provider=provider,
        review_type=ReviewType.CONTRACT,
        planned_quarter=1,
        status=status,
        result=result,
        summary=summary,
        reported_on=reported_on if status == "rapporterad" else None,
    )
