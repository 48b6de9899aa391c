"""In a real browser, from the quality developer's start page, clicking only what is shown: a
self-audit is run and falls under its target, a deficiency is recorded from it, a measure is
added and marked done by its owner, the unit head verifies it, and the board report is made and
downloaded; its PDF holds the tables and the chart. axe-core finds no serious violation."""

import datetime as dt
import io
from pathlib import Path

import pytest
from django.utils import timezone
from pypdf import PdfReader

from tillit.browser import launch, log_in, require_chromium, serious_violations
from tillit.children.models import DeadlineKind
from tillit.children.tests.test_figures import item
from tillit.conftest import PASSWORD
from tillit.quality import actions, rules
from tillit.quality.tests.factories import board, computed_plan

pytestmark = pytest.mark.browser


@pytest.fixture
def browser():
    require_chromium()
    yield from launch()


def _login(browser, live_server, username):
    return log_in(browser.new_page(locale="sv-SE"), live_server.url, username, PASSWORD)


def _axe(page):
    assert serious_violations(page) == []


def test_self_audit_to_verified_measure_and_board_report(browser, live_server, live_world):
    world = live_world
    today = timezone.localdate()
    current, _ = rules.period_containing(today, 3)
    first, last = rules.period_containing(current - dt.timedelta(days=1), 3)
    # Last quarter: one protective assessment on time, one a day late (50 % against 90 %).
    started = first + dt.timedelta(days=6)
    item(world, DeadlineKind.PROTECTIVE, started, started, started)
    item(world, DeadlineKind.PROTECTIVE, started, started, started + dt.timedelta(days=1))
    plan = actions.adopt_plan(computed_plan(world), by=world.people["unit_head"])
    actions.plan_run(plan, first=first, last=last, by=world.people["quality_developer"])
    board(world)

    page = _login(browser, live_server, "quality_developer")
    page.get_by_role("button", name="Egenkontroller").click()
    page.get_by_role("heading", name="Egenkontroller").wait_for()
    _axe(page)
    page.get_by_role("link", name="Skyddsbedömning i tid").click()
    page.get_by_role("link", name=f"{first:%Y-%m-%d} – {last:%Y-%m-%d}").click()
    page.get_by_role("button", name="Genomför egenkontrollen").click()
    page.get_by_text("Egenkontrollen är genomförd.").wait_for()
    assert (
        "50,0 %" in page.locator("#resultat").inner_text()
        or "50.0" in page.locator("#resultat").inner_text()
    )
    assert page.get_by_text("under målet").is_visible()
    _axe(page)

    page.get_by_role("link", name="Registrera brist").click()
    page.get_by_label("Allvarlighetsgrad").select_option(label="Hög")
    page.get_by_role("button", name="Spara").click()
    page.get_by_text("Bristen är registrerad.").wait_for()
    _axe(page)

    page.get_by_role("link", name="Lägg till åtgärd").click()
    # Sent without owner or due date: refused beside the fields, nothing saved.
    page.get_by_label("Åtgärd").fill("Bemanna mottagningen före kl. 16")
    page.get_by_label("Förväntad effekt").fill("Alla skyddsbedömningar samma dag")
    page.get_by_label("Så kontrolleras att den genomförts").fill("Nästa egenkontroll")
    page.get_by_role("button", name="Spara").click()
    page.get_by_text("Det finns fel att rätta").wait_for()
    assert page.get_by_text("En åtgärd måste ha en ansvarig.").first.is_visible()
    _axe(page)
    page.get_by_label("Ansvarig").select_option(label="Quality Testsson")
    page.get_by_label("Klar senast").fill((today + dt.timedelta(days=30)).isoformat())
    page.get_by_role("button", name="Spara").click()
    page.get_by_text("Åtgärden är tillagd.").wait_for()
    page.get_by_label("Vad som gjordes").fill("Schemat är ändrat från och med måndag.")
    page.get_by_role("button", name="Markera som genomförd").click()
    page.get_by_text("Åtgärden är uppdaterad.").wait_for()
    assert page.locator("#status").inner_text() == "Genomförd"
    # The owner is not offered the verification.
    assert page.get_by_role("button", name="Verifiera åtgärden").count() == 0
    _axe(page)

    head = _login(browser, live_server, "unit_head")
    head.get_by_role("link", name="Kvalitet", exact=True).click()
    head.get_by_role("link", name="Bemanna mottagningen före kl. 16").click()
    head.get_by_role("textbox", name="Belägg").fill(
        "Schemat kontrollerat; alla bedömningar samma dag i maj."
    )
    head.get_by_role("button", name="Verifiera åtgärden").click()
    head.get_by_text("Åtgärden är uppdaterad.").wait_for()
    assert head.locator("#status").inner_text() == "Verifierad"
    _axe(head)

    page.get_by_role("link", name="Kvalitet", exact=True).click()
    page.get_by_role("link", name="Rapporter till nämnden").click()
    page.get_by_label("Nämnd").select_option(label="Socialnämnden")
    page.get_by_label("Sammanträde").fill(today.isoformat())
    page.get_by_label("Period från").fill(first.isoformat())
    page.get_by_label("Period till").fill(today.isoformat())
    page.get_by_role("button", name="Sammanställ").click()
    page.get_by_text("Rapporten är sammanställd.").wait_for()
    assert page.locator("svg[role=img]").count() >= 1
    _axe(page)
    with page.expect_download() as download:
        page.get_by_role("link", name="Ladda ner PDF").click()
    body = Path(download.value.path()).read_bytes()
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(body)).pages)
    assert "Åtgärdsplanens läge" in text
    assert "Egenkontroller under perioden" in text
    assert "Skyddsbedömning i tid" in text
    assert "Diagram: Barn och familj: Skyddsbedömning i tid" in text
    assert "Mål 90 %" in text
    assert "Uppgift saknas" in text  # no report before: nothing changed to show
