"""The demo's public side: its settings, figures, a waiting request and an e-service report."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse

from tillit.children.models import Report
from tillit.demo.seed import seed_demo
from tillit.public.models import ChoiceRequest, PublicService
from tillit.surveys.models import StaffContinuity, SurveyReference, SurveyResult

TODAY = dt.date(2026, 11, 22)
NOW = dt.datetime(2026, 11, 22, 13, 0, tzinfo=dt.UTC)


# Seeds the whole demo: a slow whole-product check, run once in CI (marker `once`).
pytestmark = pytest.mark.once


@pytest.mark.django_db
def test_the_demo_seeds_the_public_side(time_machine):
    time_machine.move_to(NOW, tick=False)
    seed_demo(TODAY, NOW, reports_per_year=20)
    assert PublicService.objects.count() == 1
    assert SurveyResult.objects.filter(provider__isnull=False).count() > 50
    assert SurveyReference.objects.filter(scope="riket").exists()
    assert ChoiceRequest.objects.count() == 1
    assert Report.objects.filter(channel="e_tjanst", anonymous=True).count() == 1
    client = Client()
    assert client.get("/").status_code == 200
    listing = client.get(reverse("public:providers"))
    assert listing.status_code == 200
    provider = SurveyResult.objects.filter(provider__isnull=False).first().provider
    assert client.get(reverse("public:provider", args=[provider.pk])).status_code == 200
    # Staff continuity: the provider's latest figure, shown when measured on enough customers.
    latest = StaffContinuity.objects.filter(provider__isnull=False, customers__gte=10).latest(
        "period_to"
    )
    shown = client.get(reverse("public:provider", args=[latest.provider_id]))
    assert f"{latest.staff_mean:.1f}".replace(".", ",") in shown.content.decode()
    assert StaffContinuity.objects.filter(level="riket").count() == 2
