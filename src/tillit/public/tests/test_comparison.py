"""Jämföraren: who is shown, the filters, the figures, the pages."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse

from tillit.conftest import TEST_ACTOR
from tillit.kundval.models import CompensationModel, ProviderProfile
from tillit.kundval.tests import factories as kv
from tillit.public import comparison
from tillit.surveys.models import Scope, SurveyReference, SurveyResult

TODAY = dt.date(2026, 3, 4)


@pytest.fixture
def market(db):
    where = kv.place()
    home = kv.provider("Hemma Kommunal", municipal=True)
    area, north = kv.area(where, CompensationModel.GRANTED_HOUR, default=home, name="Hemtjänst")
    from tillit.kundval.models import District

    south = District.objects.create(municipality=where.municipality, name="Södra")
    south.areas.add(area)
    kv.authorise(home, area, [north, south])
    arabic = kv.provider("Omsorg Arabiska AB")
    kv.authorise(arabic, area, [south], capacity=1)
    ProviderProfile.objects.create(
        provider=arabic, languages="arabiska, svenska", specialisations="Demens"
    )
    ended = kv.provider("Slutat AB")
    kv.authorise(ended, area, [north], valid_to=TODAY - dt.timedelta(days=1))
    stopped = kv.provider("Stoppad AB")
    made = kv.authorise(stopped, area, [north])
    made.stopped_from, made.stop_kind, made.stop_reason = TODAY, "avstangd", "Brister"
    made.save()
    later = kv.provider("Senare AB")
    kv.authorise(later, area, [north], valid_from=TODAY + dt.timedelta(days=1))
    return {"area": area, "north": north, "south": south, "home": home, "arabic": arabic}


def _names(entries):
    return [e.provider.name for e in entries]


def test_only_providers_authorised_today_are_shown_in_order_default_marked(market):
    found = comparison.entries(market["area"], TODAY)
    assert _names(found) == ["Hemma Kommunal", "Omsorg Arabiska AB"]
    assert [e.is_default for e in found] == [True, False]


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        ({}, ["Hemma Kommunal", "Omsorg Arabiska AB"]),
        ({"district": "north"}, ["Hemma Kommunal"]),
        ({"district": "south"}, ["Hemma Kommunal", "Omsorg Arabiska AB"]),
        ({"language": "Arabiska"}, ["Omsorg Arabiska AB"]),
        ({"specialisation": "demens"}, ["Omsorg Arabiska AB"]),
        ({"ownership": "kommunal"}, ["Hemma Kommunal"]),
        ({"ownership": "privat"}, ["Omsorg Arabiska AB"]),
        ({"free_only": True}, ["Hemma Kommunal", "Omsorg Arabiska AB"]),
    ],
)
def test_filters(market, filters, expected):
    if "district" in filters:
        filters["district"] = market[filters["district"]].pk
    wanted = comparison.Filters(**filters)
    kept = [e for e in comparison.entries(market["area"], TODAY) if wanted.keep(e)]
    assert _names(kept) == expected


def test_a_full_provider_has_no_free_capacity(market):
    sold = kv.voucher(market["area"], market["south"], TODAY - dt.timedelta(days=10), hours="10")
    from tillit.kundval.actions.vouchers import choose_provider

    choose_provider(
        voucher=sold, provider=market["arabic"], chosen_on=TODAY, wanted_from=TODAY, by=TEST_ACTOR
    )
    arabic = comparison.entries(market["area"], TODAY, [market["arabic"].pk])[0]
    assert (arabic.capacity, arabic.held, arabic.free, arabic.has_room) == (1, 1, 0, False)
    kept = comparison.Filters(free_only=True)
    assert _names(e for e in comparison.entries(market["area"], TODAY) if kept.keep(e)) == [
        "Hemma Kommunal"
    ]


@pytest.mark.parametrize(("answers", "shown"), [(9, False), (10, True), (200, True)])
def test_a_figure_with_too_few_answers_is_hidden(market, settings, answers, shown):
    settings.TILLIT_SURVEY_MIN_ANSWERS = 10
    home = market["home"]
    SurveyResult.objects.create(
        year=2025,
        provider=home,
        measure="helhet",
        label="Nöjd",
        share_percent=Decimal("87.5"),
        answers=answers,
        source="Källa",
    )
    SurveyReference.objects.create(
        year=2025,
        scope=Scope.COUNTRY,
        measure="helhet",
        label="Nöjd",
        share_percent=Decimal("84.0"),
        source="Källa",
    )
    (figure,) = comparison.figures_for([home.pk])[home.pk]
    assert (figure.share is not None) is shown
    assert figure.country == Decimal("84.0")
    assert ("87,5 procent" in figure.explanation) is shown


def test_the_latest_year_per_measure_is_shown(market):
    home = market["home"]
    for year, share in [(2023, "70.0"), (2025, "90.0"), (2024, "80.0")]:
        SurveyResult.objects.create(
            year=year,
            provider=home,
            measure="helhet",
            label="Nöjd",
            share_percent=Decimal(share),
            answers=50,
            source="Källa",
        )
    (figure,) = comparison.figures_for([home.pk])[home.pk]
    assert (figure.year, figure.share) == (2025, Decimal("90.0"))


def test_the_pages_list_compare_and_show_a_provider(market, time_machine):
    time_machine.move_to(dt.datetime(2026, 3, 4, 12, 0, tzinfo=dt.UTC), tick=False)
    client = Client()
    area = market["area"]
    listing = client.get(reverse("public:providers"), {"omrade": area.pk, "sprak": "arabiska"})
    html = listing.content.decode()
    assert "Omsorg Arabiska AB" in html
    assert "Hemma Kommunal" not in html
    both = [market["home"].pk, market["arabic"].pk]
    compared = client.get(reverse("public:compare"), {"omrade": area.pk, "anordnare": both})
    html = compared.content.decode()
    assert compared.status_code == 200
    assert html.count('scope="col"') == 2
    one = client.get(reverse("public:compare"), {"omrade": area.pk, "anordnare": both[:1]})
    assert one.status_code == 302
    assert "fel=antal" in one.url
    page = client.get(reverse("public:provider", args=[market["arabic"].pk]))
    assert "Demens" in page.content.decode()
    gone = client.get(reverse("public:provider", args=[market["home"].pk + 100]))
    assert gone.status_code == 404


def test_a_provider_not_authorised_today_has_no_page(market, time_machine):
    time_machine.move_to(dt.datetime(2026, 3, 4, 12, 0, tzinfo=dt.UTC), tick=False)
    from tillit.organisation.models import Provider

    ended = Provider.objects.get(name="Slutat AB")
    assert Client().get(reverse("public:provider", args=[ended.pk])).status_code == 404


def test_the_list_pages(market, time_machine):
    time_machine.move_to(dt.datetime(2026, 3, 4, 12, 0, tzinfo=dt.UTC), tick=False)
    for n in range(25):
        kv.authorise(kv.provider(f"Extra {n:02d} AB"), market["area"], [market["north"]])
    client = Client()
    first = client.get(reverse("public:providers"), {"omrade": market["area"].pk}).content.decode()
    second = client.get(
        reverse("public:providers"), {"omrade": market["area"].pk, "sida": 2}
    ).content.decode()
    assert "Extra 00 AB" in first
    assert "Slutat" not in first
    assert "Omsorg Arabiska AB" in second
    assert "Extra 00 AB" not in second
