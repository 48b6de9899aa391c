"""The quality pages: bad input beside its field and nothing saved; reads logged under the
run's stated purpose; downloads."""

import datetime as dt
import io

from django.urls import reverse
from openpyxl import load_workbook

from tillit.audit.models import AccessLog
from tillit.children.models import DeadlineKind
from tillit.children.tests.test_figures import item
from tillit.quality import actions
from tillit.quality.models import AuditPlan, Measure
from tillit.quality.tests.factories import board, computed_plan

D = dt.date


def test_a_plan_with_bad_input_is_refused_beside_its_fields(world):
    client = world.client("quality_developer")
    response = client.post(
        reverse("quality:plan_new"),
        {
            "unit": world.unit.pk,
            "title": "Barnets röst",
            "population": "Varje anmälan",
            "method": "manuell",
            "interval_months": 3,
            "holder": world.people["quality_developer"].pk,
            "target_percent": "90",
            "legal_reference": "11 kap. 10 § SoL",
        },
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert "Skriv minst en fråga i checklistan" in body
    assert "Ange hur många poster stickprovet ska omfatta" in body
    assert not AuditPlan.objects.exists()


def test_a_run_number_that_is_no_number_starts_an_empty_deficiency(world):
    # ?omgang=² passed str.isdigit() and int() refused it: a server error (found by fuzzing).
    client = world.client("quality_developer")
    for omgang in ["²", "9" * 30]:
        response = client.get(reverse("quality:deficiency_new"), {"omgang": omgang})
        assert response.status_code == 200
        assert response.context["form"].initial == {}


def test_the_plan_form_offers_as_holder_only_those_who_carry_out_runs(world):
    form = world.client("quality_developer").get(reverse("quality:plan_new")).context["form"]
    offered = set(form.fields["holder"].queryset.values_list("username", flat=True))
    # The developer's process has two units: each one's head, and the developer; the action
    # refuses a head of the other unit for this unit's plan (test_actions).
    assert offered == {
        world.people["unit_head"].username,
        world.people["other_unit_head"].username,
        world.people["quality_developer"].username,
    }


def test_a_measure_without_owner_or_due_date_is_refused_on_the_page(world):
    deficiency = actions.record_deficiency(
        world.unit,
        title="Brist",
        severity="medel",
        source_type="enkat",
        by=world.people["unit_head"],
    )
    response = world.client("unit_head").post(
        reverse("quality:measure_new", args=[deficiency.pk]),
        {"description": "Gör något", "expected_effect": "Bättre", "verification_method": "Enkät"},
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert "En åtgärd måste ha en ansvarig." in body
    assert "En åtgärd måste ha ett datum då den ska vara klar." in body
    assert not Measure.objects.exists()


def test_the_run_page_logs_each_failing_record_under_the_purpose(world):
    today = D.today()
    started = today - dt.timedelta(days=3)
    late = item(world, DeadlineKind.PROTECTIVE, started, started, started + dt.timedelta(days=1))
    plan = actions.adopt_plan(computed_plan(world), by=world.people["unit_head"])
    run = plan.runs.get()
    run.period_first, run.period_last = started, today
    run.save()
    client = world.client("quality_developer")
    response = client.post(reverse("quality:run", args=[run.pk]), {"do": "start"})
    assert response.status_code == 302
    response = client.get(reverse("quality:run", args=[run.pk]))
    assert response.status_code == 200
    assert reverse("children:track", args=[late.track_id]) in response.content.decode()
    logged = AccessLog.objects.filter(
        actor=world.people["quality_developer"], object_type="egenkontroll_track"
    )
    assert logged.count() == 1
    row = logged.get()
    assert (row.individual_id, row.basis, row.object_id) == (
        late.individual_id,
        "granskning",
        str(late.track_id),
    )
    assert row.purpose.startswith("Egenkontroll: Skyddsbedömning i tid")


def test_board_report_downloads(world):
    report = actions.make_board_report(
        board(world),
        meeting_on=D(2026, 5, 1),
        period_first=D(2026, 1, 1),
        period_last=D(2026, 3, 31),
        by=world.people["director"],
    )
    client = world.client("board_secretary")
    pdf = client.get(reverse("quality:board_report_pdf", args=[report.pk]))
    assert pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")
    xlsx = client.get(reverse("quality:board_report_xlsx", args=[report.pk]))
    book = load_workbook(io.BytesIO(xlsx.content))
    overview = list(book["Översikt"].iter_rows(values_only=True))
    assert ("1. Åtgärdsplanens läge", "Uppgift saknas") in overview
    page = client.get(reverse("quality:board_report", args=[report.pk]))
    assert page.content.decode().count("Uppgift saknas") >= 4
