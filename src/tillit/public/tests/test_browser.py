"""In a real browser, from the site root, clicking only what is shown: a citizen filters,
compares three providers side by side and asks to change; the kundval officer sees and
confirms the request. A professional submits an anonymous concern; it stands first in the
reception group's queue with its arrival time and protective-assessment deadline. axe-core
finds no violation of any impact on any public page, in Swedish and English, at a phone's
width and a desktop's."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from tillit.browser import all_violations, launch, log_in, require_chromium
from tillit.children.models import Report
from tillit.conftest import PASSWORD, TEST_ACTOR
from tillit.kundval.actions.vouchers import choose_provider
from tillit.kundval.models import CompensationModel, ProviderProfile
from tillit.kundval.tests import factories as kv
from tillit.public.models import ChoiceRequest, RequestStatus
from tillit.public.tests.factories import reported_follow_up, service
from tillit.surveys.models import ContinuityLevel, StaffContinuity, SurveyResult

pytestmark = pytest.mark.browser
PHONE = {"width": 375, "height": 740}
DESKTOP = {"width": 1280, "height": 900}


@pytest.fixture
def browser():
    require_chromium()
    yield from launch()


@pytest.fixture
def market(live_world):
    world = live_world
    service(world)
    where = kv.place(world.other_unit.process.municipality, world.other_unit)
    default = kv.provider("Kommunens Hemtjänst", municipal=True)
    area, district = kv.area(
        where, CompensationModel.GRANTED_HOUR, default=default, name="Hemtjänst"
    )
    providers = {"default": default}
    kv.authorise(default, area, [district])
    for name, languages, capacity in [
        ("Alfa Omsorg AB", "svenska, finska", None),
        ("Beta Omsorg AB", "svenska, finska", 5),
        ("Gamma Omsorg AB", "finska", 1),
        ("Delta Omsorg AB", "svenska", None),
    ]:
        made = kv.provider(name)
        kv.authorise(made, area, [district], capacity=capacity)
        ProviderProfile.objects.create(
            provider=made,
            languages=languages,
            specialisations="Demens",
            description=f"{name} är en påhittad utförare.",
            phone="08-000 00 00",
        )
        SurveyResult.objects.create(
            year=2025,
            provider=made,
            measure="helhet",
            label="Sammantaget nöjd",
            share_percent=Decimal("85.5"),
            answers=40,
            source="Påhittad källa",
        )
        providers[name] = made
    # Staff continuity for all but Gamma (whose figure then reads "Uppgift saknas"); the
    # municipality's follow-up of Alfa.
    period = dt.date(2025, 10, 6)
    for name, staff in [("Alfa Omsorg AB", "9.5"), ("Beta Omsorg AB", "13.0")]:
        StaffContinuity.objects.create(
            level=ContinuityLevel.PROVIDER,
            provider=providers[name],
            period_from=period,
            period_to=period + dt.timedelta(days=13),
            staff_mean=Decimal(staff),
            customers=30,
            source="Påhittad mätning",
        )
    reported_follow_up(
        providers["Alfa Omsorg AB"],
        world.other_unit.process.municipality,
        reported_on=dt.date(2026, 2, 10),
        result="anmarkning",
    )
    start = timezone.localdate() - dt.timedelta(days=30)
    full = kv.voucher(area, district, start, hours="10")
    choose_provider(
        voucher=full,
        provider=providers["Gamma Omsorg AB"],
        chosen_on=start,
        wanted_from=start,
        by=TEST_ACTOR,
    )
    customer = kv.voucher(area, district, start, hours="8")
    return {"world": world, "area": area, "customer": customer, "providers": providers}


def _login(browser, live_server, username):
    return log_in(browser.new_page(locale="sv-SE"), live_server.url, username, PASSWORD)


def test_a_citizen_compares_three_and_asks_to_change_and_the_officer_confirms(
    browser, live_server, market
):
    page = browser.new_page(locale="sv-SE", viewport=PHONE)
    page.goto(f"{live_server.url}/")
    page.get_by_role("link", name="Jämföraren: jämför och välj utförare").click()
    page.get_by_label("Tjänst och område").select_option(label="Hemtjänst (Hemtjänst)")
    page.get_by_role("button", name="Filtrera").click()  # the only area is chosen already
    page.get_by_label("Språk som personalen talar").select_option("finska")
    page.get_by_label("Bara utförare som har plats för nya kunder").check()
    page.get_by_role("button", name="Filtrera").click()
    assert page.get_by_role("heading", name="2 utförare i Hemtjänst").is_visible()
    page.get_by_label("Bara utförare som har plats för nya kunder").uncheck()
    page.get_by_role("button", name="Filtrera").click()
    assert page.get_by_role("heading", name="3 utförare i Hemtjänst").is_visible()
    for name in ["Alfa Omsorg AB", "Beta Omsorg AB", "Gamma Omsorg AB"]:
        page.get_by_label(f"Jämför {name}").check()
    page.get_by_role("button", name="Jämför valda utförare").click()
    assert page.locator("th[scope=col]").count() == 3
    assert page.get_by_text("85,5 %").count() >= 1 or page.get_by_text("85.5 %").count() >= 1
    _the_comparison_shows_the_figures_on_a_phone_to_a_screen_reader_and_in_print(page)
    page.get_by_role("link", name="Välj Beta Omsorg AB").click()
    customer = market["customer"].individual
    page.get_by_label("Kundens namn").fill(f"{customer.first_name} {customer.last_name}")
    page.get_by_label("Kundens personnummer").fill(customer.personal_number)
    page.get_by_label("Telefon").fill("070-123 45 67")
    page.get_by_role("button", name="Skicka").click()
    assert page.get_by_role("heading", name="Vi har tagit emot din begäran").is_visible()
    asked = ChoiceRequest.objects.get()

    officer = _login(browser, live_server, "kundval_officer")
    officer.get_by_role("link", name="Förfrågningar om val av utförare").first.click()
    officer.get_by_role("link", name=asked.reference).click()
    officer.get_by_role("button", name="Registrera valet").click()
    assert officer.get_by_text("Valet är registrerat.").is_visible()
    asked.refresh_from_db()
    assert asked.status == RequestStatus.CONFIRMED
    assert asked.choice.provider == market["providers"]["Beta Omsorg AB"]


def _the_comparison_shows_the_figures_on_a_phone_to_a_screen_reader_and_in_print(page):
    """At 375 px each cell reads as a block naming its provider; the accessibility tree keeps
    the row and column headers; printing keeps the figures and drops the links to choose."""
    table = page.get_by_role("table")
    follow_up = page.get_by_role("row", name="Kommunens senaste uppföljning")
    assert "Uppfyller villkoren med anmärkningar" in follow_up.inner_text()
    assert "10 februari 2026" in follow_up.inner_text()
    staff = page.get_by_role("row", name="Personalkontinuitet")
    cells = staff.get_by_role("cell")
    assert [c.inner_text().split(" (")[0] for c in cells.all()] == ["9,5", "13,0", "Uppgift saknas"]
    # Each cell, shown as its own block, begins with its provider's name.
    assert [c.evaluate("c => getComputedStyle(c, '::before').content") for c in cells.all()] == [
        '"Alfa Omsorg AB: "',
        '"Beta Omsorg AB: "',
        '"Gamma Omsorg AB: "',
    ]
    assert "Källa: Påhittad mätning" in cells.first.inner_text()
    # On a phone the table is one block per cell, inside the page's width.
    width = page.evaluate("document.documentElement.clientWidth")
    box = cells.first.bounding_box()
    assert box is not None
    assert box["x"] + box["width"] <= width
    assert cells.first.evaluate("c => getComputedStyle(c).display") == "block"
    # A screen reader hears each figure with its row's and provider's header.
    assert table.get_by_role("rowheader", name="Personalkontinuitet").count() == 1
    assert table.get_by_role("columnheader", name="Beta Omsorg AB").count() == 1
    page.emulate_media(media="print")
    assert staff.is_visible()
    assert not page.get_by_role("link", name="Välj Beta Omsorg AB").is_visible()
    page.emulate_media(media="screen")


def test_a_professional_reports_anonymously_and_the_report_heads_the_queue(
    browser, live_server, market
):
    page = browser.new_page(locale="sv-SE")
    page.goto(f"{live_server.url}/")
    page.get_by_role("link", name="Orosanmälan: anmäl oro för ett barn").click()
    page.get_by_role("radio", name="Skola", exact=True).check()
    page.get_by_label("Jag vill vara anonym").check()
    page.get_by_label("Barnets förnamn").fill("Elsa")
    page.get_by_label("Barnets efternamn").fill("Påhittad")
    page.get_by_label("Barnets födelsedatum").fill("2016-05-01")
    page.get_by_label("Omsorgssvikt").check()
    page.get_by_label("Beskriv vad du har sett eller hört").fill("Kommer hungrig till skolan.")
    page.get_by_role("button", name="Skicka anmälan").click()
    assert page.get_by_role("heading", name="Anmälan är mottagen").is_visible()
    report = Report.objects.get()
    assert report.anonymous
    assert report.channel == "e_tjanst"

    head = _login(browser, live_server, "reception_head")
    head.get_by_role("link", name="Arbetsyta").click()
    head.get_by_role("link", name="Gruppens ärenden").click()
    first = head.locator("#gruppens tbody tr").first
    assert "Skyddsbedömning" in first.inner_text()
    assert "Elsa Påhittad" in first.inner_text()
    first.get_by_role("link", name="Elsa Påhittad").click()
    arrived = timezone.localtime(report.received_at).strftime("%Y-%m-%d %H:%M")
    assert arrived in head.content()


def _public_paths(market) -> list[str]:
    area = market["area"]
    providers = market["providers"]
    ids = [providers[n].pk for n in ["Alfa Omsorg AB", "Beta Omsorg AB", "Gamma Omsorg AB"]]
    return [
        "/",
        "/jamforaren/",
        f"/jamforaren/?omrade={area.pk}",
        f"/jamforaren/anordnare/{ids[0]}/",
        f"/jamforaren/jamfor/?omrade={area.pk}&" + "&".join(f"anordnare={i}" for i in ids),
        f"/jamforaren/valj/{area.pk}/{ids[0]}/",
        "/orosanmalan/",
        "/tillganglighet/",
        "/tillganglighet/rapportera/",
    ]


def test_no_public_page_has_any_axe_violation_in_either_language_or_width(
    browser, live_server, market
):
    found: dict[str, list[str]] = {}
    for language in ["sv", "en"]:
        for name, viewport in [("telefon", PHONE), ("dator", DESKTOP)]:
            context = browser.new_context(viewport=viewport)
            context.add_cookies(
                [{"name": "django_language", "value": language, "url": live_server.url}]
            )
            page = context.new_page()
            for path in _public_paths(market):
                page.goto(f"{live_server.url}{path}")
                assert page.locator("html").get_attribute("lang") == language
                problems = all_violations(page)
                if problems:
                    found[f"{language} {name} {path}"] = problems
            # A form with errors too.
            page.goto(f"{live_server.url}/orosanmalan/")
            page.get_by_role("button").last.click()
            problems = all_violations(page)
            if problems:
                found[f"{language} {name} errors"] = problems
            context.close()
    assert found == {}


def test_the_language_switch_turns_a_public_page_english(browser, live_server, market):
    page = browser.new_page(locale="sv-SE")
    page.goto(f"{live_server.url}/tillganglighet/")
    page.get_by_label("Språk").select_option("en")
    page.get_by_role("button", name="Byt språk").click()
    assert page.locator("html").get_attribute("lang") == "en"
