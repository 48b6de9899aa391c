"""In a real browser: staff log in, open their start pages, and axe-core finds no serious issue."""

import pytest

from tillit.browser import all_violations, launch, require_chromium, serious_violations
from tillit.conftest import PASSWORD
from tillit.individuals.models import CaseAssignment

pytestmark = pytest.mark.browser


@pytest.fixture
def browser():
    require_chromium()
    yield from launch()


def _login(browser, live_server, username):
    page = browser.new_page(locale="sv-SE")
    failed = []
    page.on("response", lambda r: failed.append(r.url) if r.status >= 400 else None)
    page.goto(f"{live_server.url}/konto/logga-in/")
    assert failed == [], "every stylesheet and script loads"
    # The design system's stylesheet is applied, not only linked.
    assert page.eval_on_selector("body", "b => getComputedStyle(b).margin") == "0px"
    assert serious_violations(page) == []
    page.get_by_label("Användarnamn").fill(username)
    page.get_by_label("Lösenord").fill(PASSWORD)
    page.get_by_role("button", name="Logga in").click()
    page.wait_for_url(f"{live_server.url}/start/")
    return page


def test_social_worker_start_page_search_and_record(browser, live_server, live_world):
    # The start page lists one's own cases: the worker holds the queued child's case.
    case = live_world.cases["queue"]
    CaseAssignment.objects.create(
        case=case, user=live_world.people["reception_worker"], valid_from=case.opened_on
    )
    page = _login(browser, live_server, "reception_worker")
    assert page.get_by_role("heading", level=1).inner_text().startswith("Välkommen")
    assert page.get_by_role("link", name="Kö Barnsson").is_visible()
    assert serious_violations(page) == []

    page.get_by_role("link", name="Personer", exact=True).click()
    page.get_by_label("Sök på namn eller personnummer").fill("Kö")
    page.get_by_role("button", name="Sök").click()
    page.get_by_role("link", name="Kö Barnsson").wait_for()
    assert serious_violations(page) == []

    page.get_by_role("link", name="Kö Barnsson").click()
    page.get_by_role("heading", name="Kö Barnsson").wait_for()
    assert "Läsningen loggas" in page.content()
    assert serious_violations(page) == []


def test_unit_head_start_page_and_log_review(browser, live_server, live_world):
    page = _login(browser, live_server, "unit_head")
    assert page.get_by_role("link", name="Logggranskning").is_visible()
    assert serious_violations(page) == []
    page.get_by_role("link", name="Logggranskning").click()
    page.get_by_role("heading", name="Logggranskning").wait_for()
    assert serious_violations(page) == []


def test_a_bad_registration_shows_swedish_errors_without_javascript(
    browser, live_server, live_world
):
    page = _login(browser, live_server, "reception_worker")
    page.goto(f"{live_server.url}/personer/ny/")
    page.get_by_label("Personnummer eller samordningsnummer").fill("20150203-9980")
    page.get_by_role("button", name="Registrera").click()
    page.get_by_text("Det finns fel att rätta").wait_for()
    assert page.get_by_text("Kontrollsiffran stämmer inte").first.is_visible()
    assert serious_violations(page) == []


@pytest.mark.parametrize(
    ("username", "pages"),
    [
        ("reception_worker", ["/", "/barn-och-familj/anmalan/ny/", "/barn-och-familj/arbetsyta/"]),
        ("unit_head", ["/", "/personer/", "/finns-inte/"]),
        ("kundval_officer", ["/", "/kundval/kunder/"]),
        ("provider_staff", ["/"]),
    ],
)
def test_each_roles_daily_pages_have_no_axe_violation_at_all(
    browser, live_server, live_world, username, pages
):
    page = _login(browser, live_server, username)
    for path in pages:
        page.goto(f"{live_server.url}{path}")
        assert all_violations(page) == [], path
