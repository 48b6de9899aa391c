"""In a real browser: someone sends a complaint through the public e-service without logging in,
and the unit head finds it by clicking from the start page, reads it and acknowledges it. axe-core
finds no violation on any page visited."""

import pytest

from tillit.browser import all_violations, launch, log_in, require_chromium
from tillit.conftest import PASSWORD
from tillit.incidents.models import Complaint

pytestmark = pytest.mark.browser


@pytest.fixture
def browser():
    require_chromium()
    yield from launch()


def _axe(page):
    assert all_violations(page) == []


def test_a_public_complaint_reaches_the_unit_head(browser, live_server, live_world):
    public = browser.new_page(locale="sv-SE")
    public.goto(f"{live_server.url}/synpunkter/")
    public.get_by_role("heading", name="Lämna klagomål eller synpunkter").wait_for()
    _axe(public)
    # Sent empty, the form says what is missing.
    public.get_by_role("button", name="Skicka").click()
    public.get_by_text("Det finns fel att rätta").wait_for()
    _axe(public)
    public.get_by_role("radio", name="Klagomål").check()
    public.get_by_label("Vilken verksamhet gäller det?").select_option(label="Barn och familj")
    public.get_by_label("Vad handlar det om?").select_option(label="Bemötande")
    public.get_by_label("Beskriv vad det gäller").fill("Jag fick aldrig något svar (påhittat).")
    public.get_by_label("Jag vill vara anonym").check()
    public.get_by_role("button", name="Skicka").click()
    public.get_by_role("heading", name="Tack, vi har tagit emot ditt meddelande").wait_for()
    _axe(public)
    reference = public.locator(".govuk-panel__body strong").inner_text()
    public.get_by_role("link", name="/synpunkter/status/").click()
    public.get_by_role("heading", name=f"Status för {reference}").wait_for()
    assert "påhittat" not in public.content()
    _axe(public)

    head = browser.new_page(locale="sv-SE")
    log_in(head, live_server.url, "unit_head", PASSWORD)
    _axe(head)
    head.get_by_role("link", name="Avvikelser och klagomål").click()
    head.get_by_role("heading", name="Avvikelser", exact=True).wait_for()
    _axe(head)
    head.get_by_role("link", name="Klagomål och synpunkter").first.click()
    head.get_by_role("heading", name="Klagomål och synpunkter").wait_for()
    _axe(head)
    head.get_by_role("link", name=reference).click()
    head.get_by_role("heading", name=reference).wait_for()
    assert head.get_by_text("Jag fick aldrig något svar (påhittat).").is_visible()
    _axe(head)
    head.get_by_role("button", name="Bekräfta").click()
    head.get_by_text("Ärendet är uppdaterat.").wait_for()
    _axe(head)
    assert Complaint.objects.get().status == "bekraftad"
