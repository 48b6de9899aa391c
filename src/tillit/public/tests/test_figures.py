"""A provider's figures in Jämföraren: the latest follow-up result, staff continuity and the
survey results, each with source and date, "Uppgift saknas" when missing, nothing personal, and
a fixed number of queries."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tillit.kundval.models import CompensationModel
from tillit.kundval.tests import factories as kv
from tillit.organisation.models import Group, Provider
from tillit.public import figures
from tillit.public.models import PublicService
from tillit.public.tests.factories import reported_follow_up
from tillit.surveys.models import ContinuityLevel, StaffContinuity, SurveyResult

TODAY = dt.date(2026, 3, 4)
NOON = dt.datetime(2026, 3, 4, 11, 0, tzinfo=dt.UTC)
SOURCE = "Påhittad mätning av personalkontinuitet"


@pytest.fixture
def market(db, time_machine):
    time_machine.move_to(NOON, tick=False)
    where = kv.place()
    first = kv.provider("Alfa Omsorg AB")
    area, district = kv.area(where, CompensationModel.GRANTED_HOUR, default=first, name="Hemtjänst")
    providers = [first] + [kv.provider(name) for name in ["Beta AB", "Gamma AB", "Delta AB"]]
    for made in providers:
        kv.authorise(made, area, [district])
    return {"where": where, "area": area, "district": district, "providers": providers}


def continuity(provider, start, staff, customers=40, level=ContinuityLevel.PROVIDER):
    return StaffContinuity.objects.create(
        level=level,
        provider=provider,
        period_from=start,
        period_to=start + dt.timedelta(days=13),
        staff_mean=Decimal(staff),
        customers=customers,
        source=SOURCE,
    )


def test_the_latest_continuity_is_shown_beside_the_same_years_references(market):
    alfa = market["providers"][0]
    continuity(alfa, dt.date(2024, 10, 7), "14.0")
    continuity(alfa, dt.date(2025, 10, 6), "11.5", customers=34)
    continuity(None, dt.date(2025, 10, 6), "12.0", 880, ContinuityLevel.MUNICIPALITY)
    continuity(None, dt.date(2024, 10, 7), "99.0", 880, ContinuityLevel.MUNICIPALITY)
    continuity(None, dt.date(2025, 10, 6), "15.3", None, ContinuityLevel.COUNTRY)
    shown = figures.continuity_for([alfa.pk])[alfa.pk]
    assert (shown.period_from, shown.period_to) == (dt.date(2025, 10, 6), dt.date(2025, 10, 19))
    assert (shown.staff_mean, shown.customers) == (Decimal("11.5"), 34)
    assert (shown.municipality, shown.country) == (Decimal("12.0"), Decimal("15.3"))
    assert "11,5 olika personer" in shown.explanation
    assert "6 oktober 2025–19 oktober 2025" in shown.explanation
    assert "Ett lägre tal är bättre" in shown.explanation


@pytest.mark.parametrize(("customers", "shown"), [(9, False), (10, True), (200, True)])
def test_a_continuity_figure_from_too_few_customers_is_hidden(market, settings, customers, shown):
    settings.TILLIT_SURVEY_MIN_ANSWERS = 10
    alfa = market["providers"][0]
    continuity(alfa, dt.date(2025, 10, 6), "11.5", customers=customers)
    found = figures.continuity_for([alfa.pk])[alfa.pk]
    assert (found.staff_mean is not None) is shown
    assert ("11,5" in found.explanation) is shown


@pytest.mark.parametrize(
    ("rows", "expected"),
    [
        # (reported on, status, result): only a reported follow-up's result is public.
        ([], None),
        ([(None, "planerad", "")], None),
        ([(None, "pagar", "")], None),
        ([(dt.date(2025, 5, 2), "rapporterad", "godkand")], ("2025-05-02", "Uppfyller villkoren")),
        (
            [
                (dt.date(2025, 5, 2), "rapporterad", "godkand"),
                (dt.date(2026, 2, 10), "rapporterad", "ej_godkand"),
                (None, "pagar", ""),
            ],
            ("2026-02-10", "Uppfyller inte villkoren"),
        ),
    ],
)
def test_the_latest_reported_follow_up_is_the_public_result(market, rows, expected):
    alfa = market["providers"][0]
    for reported_on, status, result in rows:
        reported_follow_up(
            alfa,
            market["where"].municipality,
            reported_on=reported_on or TODAY,
            status=status,
            result=result,
        )
    # Another provider's later follow-up, read in the same batch, is not alfa's.
    beta = market["providers"][1]
    reported_follow_up(
        beta, market["where"].municipality, reported_on=dt.date(2026, 3, 1), result="anmarkning"
    )
    batch = figures.quality_for([alfa, beta])
    assert batch[beta.pk].follow_up is not None
    assert batch[beta.pk].follow_up.reported_on == dt.date(2026, 3, 1)
    found = batch[alfa.pk].follow_up
    if expected is None:
        assert found is None
    else:
        assert found is not None
        assert (found.reported_on.isoformat(), found.outcome) == expected
        assert found.source == "Kommunens uppföljning av utförare"


def test_a_provider_without_figures_reads_uppgift_saknas(market):
    alfa = market["providers"][0]
    html = Client().get(reverse("public:provider", args=[alfa.pk])).content.decode()
    for heading in ["Kommunens senaste uppföljning", "Personalkontinuitet", "Brukarundersökning"]:
        section = html.split(f">{heading}</h3>", 1)[1]
        assert section.lstrip().startswith('<p class="govuk-body">Uppgift saknas</p>'), heading


def _compare(market, providers):
    ids = [p.pk for p in providers]
    return Client().get(reverse("public:compare"), {"omrade": market["area"].pk, "anordnare": ids})


def _cells(html: str, row: str) -> list[str]:
    """The cells of the comparison's row whose header starts with `row`."""
    line = next(x for x in html.splitlines() if f'class="govuk-table__header">{row}' in x)
    return [cell.split("</td>", 1)[0] for cell in line.split("<td ")[1:]]


def test_the_comparison_shows_every_figure_with_source_and_date_or_uppgift_saknas(market):
    alfa, beta, gamma, _delta = market["providers"]
    continuity(alfa, dt.date(2025, 10, 6), "11.5", customers=34)
    continuity(gamma, dt.date(2025, 10, 6), "20.0", customers=3)
    reported_follow_up(alfa, market["where"].municipality, reported_on=dt.date(2026, 2, 10))
    SurveyResult.objects.create(
        year=2025,
        provider=beta,
        measure="helhet",
        label="Sammantaget nöjd",
        share_percent=Decimal("91.0"),
        answers=50,
        source="Påhittad brukarundersökning",
    )
    response = _compare(market, [alfa, beta, gamma])
    assert response.status_code == 200
    html = response.content.decode()
    follow_up = _cells(html, "Kommunens senaste uppföljning")
    assert "Uppfyller villkoren" in follow_up[0]
    assert "10 februari 2026" in follow_up[0]
    assert "Källa: Kommunens uppföljning av utförare" in follow_up[0]
    assert [c.endswith("Uppgift saknas") for c in follow_up] == [False, True, True]
    staff = _cells(html, "Personalkontinuitet")
    assert "<strong>11,5</strong>" in staff[0]
    assert f"Källa: {SOURCE}" in staff[0]
    assert "6 oktober–19 oktober 2025" in staff[0]
    assert staff[1].endswith("Uppgift saknas")
    assert "För få kunder i mätningen (3)" in staff[2]
    assert "20,0" not in staff[2]
    survey = _cells(html, "Sammantaget nöjd")
    assert survey[0].endswith("Uppgift saknas")
    assert "<strong>91,0 %</strong>" in survey[1]
    assert "Källa: Påhittad brukarundersökning" in survey[1]
    # Nothing about people from the follow-up: its summary names a person.
    assert "Exempelsson" not in html
    provider_page = Client().get(reverse("public:provider", args=[alfa.pk])).content.decode()
    assert "Uppfyller villkoren" in provider_page
    assert "11,5" in provider_page
    assert "Exempelsson" not in provider_page


def test_with_no_survey_results_the_comparison_has_one_row_saying_so(market):
    html = _compare(market, market["providers"][:2]).content.decode()
    assert _cells(html, "Brukarundersökning") == [
        'class="govuk-table__cell" data-provider="Alfa Omsorg AB">Uppgift saknas',
        'class="govuk-table__cell" data-provider="Beta AB">Uppgift saknas',
    ]


def _queries(fn) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = fn()
    assert response.status_code == 200
    return len(captured)


def _with_every_figure(market, providers: list[Provider]) -> None:
    for n, made in enumerate(providers):
        continuity(made, dt.date(2025, 10, 6), "11.5")
        reported_follow_up(made, market["where"].municipality, reported_on=dt.date(2026, 1, 1 + n))
        for measure in ["helhet", "bemotande"]:
            SurveyResult.objects.create(
                year=2025,
                provider=made,
                measure=measure,
                label=measure,
                share_percent=Decimal("80.0"),
                answers=50,
                source="Källa",
            )


def test_the_pages_read_a_fixed_number_of_queries(market):
    """The list, provider and comparison pages read as many queries whatever the number of
    providers and figures, and the comparison as many for four providers as for two."""
    providers = market["providers"]
    where = market["where"]
    PublicService.objects.create(
        municipality=where.municipality,
        report_group=Group.objects.create(unit=where.unit, name="Mottagning"),
        phone="08-000 00 00",
    )
    _with_every_figure(market, providers)
    client = Client()
    area = market["area"]

    def listing():
        return client.get(reverse("public:providers"), {"omrade": area.pk})

    def provider_page():
        return client.get(reverse("public:provider", args=[providers[0].pk]))

    few_list, few_provider = _queries(listing), _queries(provider_page)
    two = _queries(lambda: _compare(market, providers[:2]))
    four = _queries(lambda: _compare(market, providers))
    assert four == two
    for n in range(30):
        made = kv.provider(f"Extra {n:02d} AB")
        kv.authorise(made, area, [market["district"]])
        _with_every_figure(market, [made])
    assert _queries(listing) == few_list
    assert _queries(provider_page) == few_provider
    assert _queries(lambda: _compare(market, providers)) == four
    assert (few_list, few_provider, two, four) == (5, 8, 9, 9)
