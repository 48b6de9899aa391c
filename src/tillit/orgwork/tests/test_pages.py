"""The pages: bad input gets a Swedish message beside the field and nothing is saved; the
downloads are what they say."""

import datetime as dt
import io
from decimal import Decimal

import time_machine
from django.utils import timezone
from openpyxl import load_workbook
from pypdf import PdfReader

from tillit.orgwork import actions
from tillit.orgwork.models import Assignment, TaskPlacement, TimeEntry
from tillit.orgwork.tests import factories as f


def test_a_new_assignment_without_title_is_refused_beside_the_field(world):
    client = world.client("unit_head")
    response = client.post(
        "/kvalitetsarbete/uppdrag/nytt/",
        {"kind": "utredning", "title": "", "description": "", "unit": world.unit.pk},
    )
    page = response.content.decode()
    assert response.status_code == 400
    assert "Det finns fel att rätta" in page
    assert "Fältet måste fyllas i." in page
    assert not Assignment.objects.exists()


def test_planning_without_a_due_date_is_refused_beside_the_field(world):
    made = f.assignment(world)
    response = world.client("quality_developer").post(
        f"/kvalitetsarbete/uppdrag/{made.pk}/planera/",
        {"owner": world.people["quality_developer"].pk, "due": "", "estimate_hours": "8"},
    )
    assert response.status_code == 400
    assert "Ange när uppdraget ska vara klart." in response.content.decode()
    made.refresh_from_db()
    assert made.due is None


@time_machine.travel(dt.datetime(2026, 4, 2, 10, 0, tzinfo=dt.UTC), tick=False)
def test_time_in_a_locked_month_is_refused_on_the_page(world):
    task = f.task(world)
    response = world.client("quality_developer").post(
        "/kvalitetsarbete/tid/", {"week": "2026-03-16", "target": f"t{task.pk}", "hours": "4"}
    )
    assert response.status_code == 400
    assert "som är avslutad och låst" in response.content.decode()
    assert not TimeEntry.objects.exists()


def test_placements_leaving_a_task_out_are_refused(world):
    first, second = f.task(world, "Lex Sarah"), f.task(world, "Kundval")
    alternative = f.alternative(world, "Primärt förslag", is_proposed=True)
    TaskPlacement.objects.filter(task=second).delete()
    response = world.client("director").post(
        f"/kvalitetsarbete/alternativ/{alternative.pk}/placering/",
        {f"task_{first.pk}": "direktor"},
    )
    page = response.content.decode()
    assert response.status_code == 400
    assert "lämnar uppgifter utan placering: Kundval." in page
    assert "Välj var uppgiften ska ligga." in page
    assert TaskPlacement.objects.get(task=first).place == "lokalt"


def test_the_alternatives_side_by_side_and_their_downloads(world):
    f.task(world, "Lex Sarah")
    f.task(world, "Kundval")
    f.alternative(world, "Primärt förslag", is_proposed=True)
    f.alternative(world, "Första alternativet", place="direktor")
    client = world.client("director")
    page = client.get("/kvalitetsarbete/alternativ/").content.decode()
    assert page.count("govuk-tag--yellow") == 2  # both tasks differ in the first alternative
    pdf = client.get("/kvalitetsarbete/alternativ.pdf").content
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages)
    assert "Första alternativet" in text
    assert "Direktörens stöd *" in text
    book = load_workbook(io.BytesIO(client.get("/kvalitetsarbete/alternativ.xlsx").content))
    rows = list(book["Placering"].values)
    assert rows[0] == ("Uppgift", "Primärt förslag", "Första alternativet")
    assert rows[1] == ("Kundval", "Lokalt på respektive enhet", "Direktörens strategiska stöd *")


def test_the_time_report_as_excel(world):
    task = f.task(world)
    today = timezone.localdate()
    actions.report_time(
        user=world.people["quality_developer"],
        week=today,
        hours=Decimal("3.5"),
        task=task,
        by=world.people["quality_developer"],
        today=today,
    )
    response = world.client("unit_head").get(f"/kvalitetsarbete/tid/rapport.xlsx?ar={today.year}")
    book = load_workbook(io.BytesIO(response.content))
    assert list(book["Per uppgift"].values)[1] == ("Lex Sarah-utredningar", 3.5)
