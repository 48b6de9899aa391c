"""The goal pages through the real endpoints: the dashboard, its PDF (text read back with pypdf)
and Excel, and the forms refusing bad input in Swedish with nothing saved."""

import io
import json
from decimal import Decimal

import pytest
from django.urls import reverse
from openpyxl import load_workbook
from pypdf import PdfReader

from tillit.changelog.models import Change
from tillit.goals import actions
from tillit.goals.models import ComparisonGroup, FollowUp, Goal, NationalValue, OwnMeasure, OwnValue
from tillit.goals.tests.factories import TEST_ACTOR, matrix_objects, own_indicator

pytestmark = pytest.mark.django_db


@pytest.fixture
def goals(world):
    return matrix_objects(world)


def test_the_board_dashboard_shows_the_standing_with_its_source(
    world, goals, django_assert_max_num_queries
):
    client = world.client("director")
    with django_assert_max_num_queries(40):
        page = client.get(reverse("goals:board", args=[goals["board_id"]]))
    text = page.content.decode()
    assert page.status_code == 200
    assert "Brukarbedömning hemtjänst äldreomsorg - helhetssyn, andel (%)" in text
    assert "1 av 2" in text  # Testkommunen (9999) 90 beats Stockholm 85
    assert "Bland de 10 % bästa" in text
    assert "Källa: test" in text
    assert "<svg" in text


def test_the_pdf_holds_the_figures(world, goals):
    response = world.client("board_secretary").get(
        reverse("goals:board_pdf", args=[goals["board_id"]])
    )
    assert response["Content-Type"] == "application/pdf"
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    assert "Nöjda brukare i hemtjänsten" in text
    assert "90" in text
    assert "1 av 2" in text
    assert "Källa: test" in text
    assert "Definitioner och källor" in text


def test_the_excel_file_holds_the_figures(world, goals):
    response = world.client("director").get(reverse("goals:board_xlsx", args=[goals["board_id"]]))
    book = load_workbook(io.BytesIO(response.content))
    rows = list(book["Mål"].iter_rows(values_only=True))
    header, line = rows[0], rows[1]
    assert line[header.index("Kod")] == "U21468"
    assert line[header.index("2024")] == 90.0
    assert line[header.index("Placering")] == 1
    assert line[header.index("Antal kommuner")] == 2
    assert "Definitioner" in book.sheetnames


def test_the_indicator_page_lists_the_distribution_and_a_comparison_group(world, goals):
    group = actions.save_comparison_group(name="Grannar", members=["0180", "0182"], by=TEST_ACTOR)
    page = world.client("director").get(
        reverse("goals:indicator", args=[goals["indicator_id"]]), {"grupp": group.pk}
    )
    text = page.content.decode()
    assert "Stockholm" in text
    assert "Gruppens medelvärde" in text
    assert "Utan värde:" in text  # Nacka has no value


def test_a_follow_up_with_bad_input_is_refused_in_swedish_and_nothing_is_saved(world, goals):
    url = reverse("goals:follow_up", args=[goals["goal_id"]])
    client = world.client("board_secretary")
    response = client.post(url, {"period": "1999", "assessment": "kanske", "comment": ""})
    assert response.status_code == 400
    assert "Det finns fel att rätta" in response.content.decode()
    response = client.post(url, {"period": "1999", "assessment": "delvis", "comment": "Bra."})
    assert response.status_code == 400
    assert "Målet gäller 2022–2026." in response.content.decode()
    assert not FollowUp.objects.exists()
    response = client.post(
        url, {"period": "2025", "assessment": "delvis", "comment": "Nära målet."}
    )
    assert response.status_code == 302
    follow_up = FollowUp.objects.get()
    assert follow_up.recorded_by == world.people["board_secretary"]
    assert Change.objects.filter(event="goals.follow_up.recorded").exists()


def test_a_unit_goal_needs_a_unit(world, goals):
    response = world.client("director").post(
        reverse("goals:goal_new"),
        {
            "level": "enhet",
            "title": "Snabbare",
            "board": goals["board_id"],
            "adopted_by": "Nämnden",
            "adopted_on": "2026-01-10",
            "first_year": "2026",
            "last_year": "2026",
        },
    )
    assert response.status_code == 400
    assert "Välj enheten som målet hör till." in response.content.decode()
    assert Goal.objects.count() == 2


def test_a_group_with_an_unknown_code_is_refused(world, goals):
    response = world.client("director").post(
        reverse("goals:groups"), {"name": "Fel", "members": "0180 1234"}
    )
    assert response.status_code == 400
    assert "Okända kommunkoder: 1234." in response.content.decode()
    assert not ComparisonGroup.objects.exists()


def test_a_wrongly_shaped_file_is_refused_beside_the_field(world, goals):
    before = NationalValue.objects.count()
    upload = io.BytesIO(json.dumps({"data": []}).encode())
    upload.name = "fel.json"
    response = world.client("director").post(
        reverse("goals:national_load"),
        {"file": upload, "kind": "varden", "source_note": "Källa: Kolada"},
    )
    assert response.status_code == 400
    assert "Filen har inte Koladas form" in response.content.decode()
    assert NationalValue.objects.count() == before


def test_a_good_file_loads_through_the_page(world, goals):
    rows = [
        {
            "kpi": "U21468",
            "municipality": "0182",
            "period": 2025,
            "values": [{"gender": "T", "value": 93}],
        }
    ]
    upload = io.BytesIO(json.dumps({"values": rows}).encode())
    upload.name = "u21468.json"
    response = world.client("director").post(
        reverse("goals:national_load"),
        {"file": upload, "kind": "varden", "source_note": "Källa: Kolada"},
    )
    assert response.status_code == 302
    assert NationalValue.objects.filter(year=2025).get().value == Decimal("93.0000")


def test_own_cost_per_customer_month_is_the_runs_amount_over_customer_months(world):
    from django.db.models import Count, Sum

    from tillit.kundval.models import PaymentLine
    from tillit.kundval.tests.factories import matrix_objects as kundval_objects

    kundval_objects(world)
    lines = PaymentLine.objects.all()
    run = lines.first().run
    cost = own_indicator("EGEN-KOSTNAD", OwnMeasure.COST_PER_CUSTOMER_MONTH, is_cost=True)
    actions.record_own_values(run.month.year, by=TEST_ACTOR)
    expected = (
        lines.aggregate(s=Sum("amount"))["s"]
        / lines.aggregate(n=Count("individual_id", distinct=True))["n"]
    )
    stored = OwnValue.objects.get(indicator=cost, unit__isnull=True, year=run.month.year)
    assert stored.value == expected.quantize(Decimal("0.01"))
    assert OwnValue.objects.filter(indicator=cost, unit__isnull=False).exists()
