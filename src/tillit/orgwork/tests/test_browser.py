"""In a real browser: a unit head files an assignment from the start page; the quality staff
acknowledge, plan, report time and deliver it; the unit head accepts it; the board secretary
puts the action plan on a meeting's agenda and downloads the agenda as PDF. axe-core finds no
violation on any page visited."""

import datetime as dt
import io

import pytest
from django.utils import timezone
from pypdf import PdfReader

from tillit.browser import all_violations, launch, log_in, require_chromium
from tillit.conftest import PASSWORD
from tillit.orgwork.models import Assignment, AssignmentStatus, BoardItem, TimeEntry
from tillit.orgwork.tests import factories as f

pytestmark = pytest.mark.browser


@pytest.fixture
def browser():
    require_chromium()
    yield from launch()


def _login(browser, live_server, username):
    return log_in(browser.new_page(locale="sv-SE"), live_server.url, username, PASSWORD)


def _axe(page):
    assert all_violations(page) == []


def test_an_assignment_from_request_to_acceptance_and_a_report_back_on_the_agenda(
    browser, live_server, live_world
):
    today = timezone.localdate()
    head = _login(browser, live_server, "unit_head")
    _axe(head)
    head.get_by_role("link", name="Beställ ett uppdrag av kvalitetsresursen").click()
    head.get_by_role("heading", name="Beställ ett uppdrag av kvalitetsresursen").wait_for()
    _axe(head)
    head.get_by_role("button", name="Spara").click()
    head.get_by_text("Det finns fel att rätta").wait_for()
    _axe(head)
    head.get_by_label("Utredning", exact=True).check()
    head.get_by_label("Rubrik").fill("Genomlysning av placeringskostnader")
    head.get_by_label("Beskrivning").fill("Varför ökar kostnaderna för placeringar?")
    head.get_by_role("button", name="Spara").click()
    head.get_by_text("Uppdraget är mottaget och kvitteras senast").wait_for()
    _axe(head)
    assignment = Assignment.objects.get()
    assert (assignment.requester, assignment.requester_unit, assignment.unit) == (
        live_world.people["unit_head"],
        live_world.unit,
        live_world.unit,
    )

    quality = _login(browser, live_server, "quality_developer")
    quality.get_by_role("link", name="Uppdrag till kvalitetsresursen").click()
    quality.get_by_role("heading", name="Uppdrag till kvalitetsresursen").wait_for()
    _axe(quality)
    quality.get_by_role("table").get_by_role(
        "link", name="Genomlysning av placeringskostnader"
    ).click()
    quality.get_by_role("button", name="Kvittera", exact=True).click()
    quality.get_by_text("Uppdraget är kvitterat.").first.wait_for()
    _axe(quality)
    quality.get_by_role("button", name="Planera", exact=True).click()
    quality.get_by_role("heading", name="Planera uppdraget").wait_for()
    _axe(quality)
    quality.get_by_label("Klart senast").fill(f"{today + dt.timedelta(days=30):%Y-%m-%d}")
    quality.get_by_label("Uppskattad tid (timmar)").fill("24")
    quality.get_by_role("button", name="Spara").click()
    quality.get_by_text("Uppdraget är planerat.").wait_for()
    quality.get_by_role("button", name="Påbörja").click()
    quality.get_by_text("Uppdraget är påbörjat.").wait_for()
    _axe(quality)

    quality.goto(f"{live_server.url}/start/")
    quality.get_by_role("link", name="Rapportera tid").click()
    quality.get_by_role("heading", name="Rapportera tid").wait_for()
    _axe(quality)
    quality.get_by_label("Uppdrag eller uppgift").select_option(
        label="Genomlysning av placeringskostnader"
    )
    quality.get_by_label("Timmar").fill("7,5")
    quality.get_by_role("button", name="Rapportera").click()
    quality.get_by_text("Tiden är rapporterad.").wait_for()
    _axe(quality)
    assert TimeEntry.objects.get().hours == 7.5

    quality.goto(f"{live_server.url}/kvalitetsarbete/uppdrag/{assignment.pk}/")
    quality.get_by_label("Kommentar till leveransen").fill("Rapporten finns i teamet.")
    quality.get_by_role("button", name="Leverera").click()
    quality.get_by_text("Uppdraget är levererat.").first.wait_for()
    _axe(quality)

    head.goto(f"{live_server.url}/kvalitetsarbete/uppdrag/")
    head.get_by_role("table").get_by_role(
        "link", name="Genomlysning av placeringskostnader"
    ).click()
    head.get_by_text("Rapporten finns i teamet.").wait_for()
    head.get_by_label("Meddelande").fill("Tack, vi tar upp den i ledningsgruppen.")
    head.get_by_role("button", name="Skicka meddelande").click()
    head.get_by_text("Meddelandet är skickat.").wait_for()
    head.get_by_role("button", name="Godkänn leveransen").click()
    head.get_by_text("Du har godkänt leveransen.").wait_for()
    _axe(head)
    assignment.refresh_from_db()
    assert assignment.status == AssignmentStatus.ACCEPTED

    board = f.board(live_world)
    secretary = _login(browser, live_server, "board_secretary")
    secretary.get_by_role("link", name="Nämndarbete").click()
    secretary.get_by_role("heading", name="Nämndarbete").wait_for()
    _axe(secretary)
    secretary.get_by_role("link", name="Nytt sammanträde").click()
    meeting_day = today + dt.timedelta(days=45)
    secretary.get_by_label("Sammanträdesdag").fill(f"{meeting_day:%Y-%m-%d}")
    secretary.get_by_label("Plats (frivilligt)").fill("Stadshuset")
    secretary.get_by_role("button", name="Spara").click()
    secretary.get_by_text("Sammanträdet är planerat.").wait_for()
    _axe(secretary)
    secretary.get_by_role("button", name="Nytt ärende på dagordningen").click()
    secretary.get_by_label("Typ av ärende").select_option(label="Återrapportering")
    secretary.get_by_role("button", name="Spara").click()
    secretary.get_by_text("Det finns fel att rätta").wait_for()
    _axe(secretary)
    secretary.get_by_label("Återrapportering av (frivilligt)").select_option(label="Handlingsplan")
    secretary.get_by_label("Rubrik").fill("Handlingsplan för kvalitetsarbetet")
    secretary.get_by_role("button", name="Spara").click()
    secretary.get_by_text("Ärendet är lagt på dagordningen.").wait_for()
    _axe(secretary)
    item = BoardItem.objects.get()
    assert (item.meeting.board, item.report_back) == (board, "handlingsplan")
    with secretary.expect_download() as download:
        secretary.get_by_role("link", name="Dagordning (PDF)").click()
    pdf = download.value.path().read_bytes()
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    assert "Handlingsplan för kvalitetsarbetet" in text
    assert f"Dagordning – Socialnämnden {meeting_day.isoformat()}" in text
