"""In a real browser: each role's daily journey from the start page, clicking only what is shown.

Issue 11: a page nobody can reach by clicking is as good as missing. Each test opens the login
page and from there only clicks links and buttons by their visible role and name and fills forms
by their labels; it checks the outcome on the page and in the database. axe-core finds no
violation at all on any page the journey passes.
"""

import datetime as dt
import re
import uuid
from decimal import Decimal

import pytest
from django.utils import timezone

from tillit.browser import all_violations, launch, require_chromium
from tillit.children import actions as children_actions
from tillit.children.models import ConcernCategory, Deadline, DeadlineKind, ReportedChild
from tillit.conftest import PASSWORD, TEST_ACTOR
from tillit.individuals.identity import with_check_digit
from tillit.individuals.models import Individual
from tillit.kundval.actions.pricing import RateInput
from tillit.kundval.actions.vouchers import choose_provider
from tillit.kundval.models import (
    CompensationModel,
    PaymentRun,
    PerformanceReport,
    RunStatus,
    Voucher,
)
from tillit.kundval.periods import month_start
from tillit.kundval.tests import factories as f
from tillit.organisation.models import Provider

pytestmark = pytest.mark.browser


@pytest.fixture
def browser():
    require_chromium()
    yield from launch()


def _login(browser, live_server, username):
    """Log in on the login page; the journey starts on the start page it leads to."""
    page = browser.new_page(locale="sv-SE")
    page.goto(f"{live_server.url}/konto/logga-in/")
    _axe(page)
    page.get_by_label("Användarnamn").fill(username)
    page.get_by_label("Lösenord").fill(PASSWORD)
    page.get_by_role("button", name="Logga in").click()
    page.wait_for_url(f"{live_server.url}/start/")
    page.get_by_role("heading", level=1, name=re.compile("^Välkommen")).wait_for()
    _axe(page)
    return page


def _axe(page):
    assert all_violations(page) == [], page.url


def _to_start(page):
    page.get_by_role("navigation", name="Huvudmeny").get_by_role(
        "link", name="Start", exact=True
    ).click()
    page.get_by_role("heading", level=1, name=re.compile("^Välkommen")).wait_for()


def _home_care(world):
    """A home-care area paid on performed hours, the world's provider authorised in it and one
    customer who chose it from 2020 (so last month it reported nothing: a warning)."""
    municipality = world.other_unit.process.municipality
    area, district = f.area(
        f.place(municipality, world.other_unit),
        CompensationModel.PERFORMED_HOUR,
        name="Hemtjänst Centrum",
        rates=[RateInput(Decimal("441.37"))],
    )
    provider = Provider.objects.get(name="Testomsorg AB")
    f.authorise(provider, area, [district])
    customer = f.customer("Vera")
    voucher = f.voucher(area, district, dt.date(2020, 1, 1), individual=customer, hours="10")
    choose_provider(
        voucher=voucher,
        provider=provider,
        chosen_on=dt.date(2020, 1, 1),
        wanted_from=dt.date(2020, 1, 1),
        by=TEST_ACTOR,
    )
    return area, district, customer, voucher


def test_reception_registers_a_report_and_makes_its_protective_assessment(
    browser, live_server, live_world
):
    number = with_check_digit("20200815998")
    page = _login(browser, live_server, "reception_worker")

    page.get_by_role("button", name="Ny orosanmälan").click()
    page.get_by_role("heading", name="Registrera orosanmälan").wait_for()
    _axe(page)
    page.get_by_label("Anmälarens namn").fill("Mentor på skolan")
    child = page.get_by_role("group", name="Barn 1")
    child.get_by_label("Personnummer", exact=True).fill(f"{number[:8]}-{number[8:]}")
    child.get_by_label("Förnamn").fill("Journey")
    child.get_by_label("Efternamn").fill("Barnsson")
    page.get_by_label("Omsorgssvikt").check()
    page.get_by_label("Beskrivning").fill("Barnet kommer hungrigt till skolan.")
    page.get_by_role("button", name="Registrera anmälan").last.click()

    # One child: the report opens on the child's track.
    page.get_by_text("Anmälan är registrerad.").wait_for()
    assert page.get_by_role("heading", name="Journey Barnsson").is_visible()
    _axe(page)
    track = ReportedChild.objects.get(individual__personal_number=number)
    assert page.url == f"{live_server.url}/barn-och-familj/barn/{track.pk}/"
    protective = Deadline.objects.get(track=track, kind=DeadlineKind.PROTECTIVE)
    assert protective.completed_on is None

    # The track holds a form per step; the protective one is the form with its button (the
    # risk checklist asks about immediate protection too).
    form = page.locator("form").filter(has=page.get_by_role("button", name="Spara skyddsbedömning"))
    form.get_by_role("group", name="Behöver barnet omedelbart skydd?").get_by_label(
        "Nej", exact=True
    ).check()
    form.get_by_label("Motivering").fill("Inga uppgifter om akut fara.")
    form.get_by_role("button", name="Spara skyddsbedömning").click()
    page.get_by_text("Skyddsbedömningen är sparad.").wait_for()
    _axe(page)

    today = timezone.localdate()
    deadlines = page.get_by_role("table", name="Tidsgränser")
    row = deadlines.get_by_role("row").filter(
        has=page.get_by_role("rowheader", name="Skyddsbedömning")
    )
    assert f"Klar {today:%Y-%m-%d}" in row.inner_text()
    assert page.get_by_role("button", name="Spara skyddsbedömning").count() == 0
    protective.refresh_from_db()
    assert protective.completed_on == today
    assert track.protective_assessment.immediate_protection is False


def test_group_head_reassigns_an_item_to_a_colleague(browser, live_server, live_world):
    people = live_world.people
    # Distinct names, so the list shows who is who (the personas share a surname).
    for username, first in [
        ("reception_worker", "Ada"),
        ("reception_colleague", "Bo"),
        ("reception_head", "Cilla"),
    ]:
        people[username].first_name = first
        people[username].save(update_fields=["first_name"])
    report = children_actions.register_report(
        children_actions.ReportInput(
            group=live_world.reception,
            received_at=timezone.now(),
            channel="telefon",
            reporter_category="skola",
            reporter_has_duty=True,
            reporter_name="Mentor på skolan",
            reporter_organisation="Testskolan",
            concerns=[ConcernCategory.NEGLECT],
            description="Barnet kommer hungrigt till skolan.",
            children=[children_actions.ChildRef(individual=live_world.children["queue"])],
            holder=people["reception_worker"],
            submission_key=uuid.uuid4(),
        ),
        by=people["reception_worker"],
        now=timezone.now(),
    )
    item = Deadline.objects.get(track__report=report, kind=DeadlineKind.PROTECTIVE)

    page = _login(browser, live_server, "reception_head")
    page.get_by_role("link", name="Gruppens ärenden").click()
    page.get_by_role("heading", name="Arbetsyta").wait_for()
    _axe(page)
    row = page.get_by_role("row").filter(has=page.get_by_role("rowheader", name="Skyddsbedömning"))
    assert "Kö Barnsson" in row.inner_text()
    assert "Ada Testsson" in row.inner_text()
    holder = row.get_by_label(re.compile("^Ny handläggare för Skyddsbedömning"))
    # Only those who may hold the group's items: its social workers and its head (not the
    # investigator in another group, the unit head or the worker who has left).
    options = [o.strip() for o in holder.locator("option").all_inner_texts()]
    assert options == ["Välj handläggare", "Ada Testsson", "Bo Testsson", "Cilla Testsson"]
    holder.select_option(label="Bo Testsson")
    row.get_by_role("button", name="Omfördela").click()
    page.get_by_text("Skyddsbedömning är omfördelad från Ada Testsson till Bo Testsson.").wait_for()
    _axe(page)
    row = page.get_by_role("row").filter(has=page.get_by_role("rowheader", name="Skyddsbedömning"))
    assert "Bo Testsson" in row.locator(".tillit-holder").inner_text()
    item.refresh_from_db()
    assert item.holder == people["reception_colleague"]


def test_kundval_officer_finds_a_customer_decides_and_closes_a_month(
    browser, live_server, live_world
):
    today = timezone.localdate()
    last_month = month_start(month_start(today) - dt.timedelta(days=1))
    _area, district, customer, voucher = _home_care(live_world)
    f.customer("Ville")  # another customer, not a hit
    page = _login(browser, live_server, "kundval_officer")

    # Find a customer by name and open them.
    page.get_by_role("link", name="Kunder och checkar").click()
    page.get_by_role("heading", name="Kunder och checkar").wait_for()
    _axe(page)
    page.get_by_label("Sök på namn eller personnummer").fill("Vera")
    page.get_by_role("button", name="Sök", exact=True).click()
    page.get_by_role("link", name="Visa alla").wait_for()
    hits = page.get_by_role("table").get_by_role("link")
    assert hits.all_inner_texts() == [f"{customer.first_name} Kundsson"]  # not Ville
    _axe(page)
    hits.first.click()
    name = f"{customer.first_name} Kundsson"
    page.get_by_role("heading", name=f"Check {voucher.pk}: {name}").wait_for()
    # The voucher page says who performs it.
    chosen = page.get_by_role("table", name="Vem har utfört, när").get_by_role("row")
    assert "Testomsorg AB" in chosen.filter(has_text="2020-01-01").inner_text()
    _axe(page)

    # A decision for a person not yet in Tillit, registered with it.
    number = with_check_digit("19400601980")
    assert not Individual.objects.filter(personal_number=number).exists()
    _to_start(page)
    page.get_by_role("link", name="Registrera biståndsbeslut").click()
    page.get_by_role("heading", name="Nytt biståndsbeslut").wait_for()
    _axe(page)
    wrong = number[:-1] + str((int(number[-1]) + 1) % 10)
    page.get_by_label("Kundens personnummer").fill(wrong)
    page.get_by_label("Förnamn").fill("Nya")
    page.get_by_label("Efternamn").fill("Kundsson")
    page.get_by_label("Kundvalsområde").select_option(label="Hemtjänst Centrum")
    page.get_by_label("Geografiskt område").select_option(label=district.name)
    page.get_by_label("Gäller från").fill(f"{month_start(today):%Y-%m-%d}")
    page.get_by_label("Beslutsdatum").fill(f"{today:%Y-%m-%d}")
    page.get_by_label("Timmar per månad").fill("12")
    page.get_by_role("button", name="Spara").click()
    # The same identity checks as everywhere: a wrong check digit is refused.
    page.get_by_text("Det finns fel att rätta").wait_for()
    assert page.get_by_text("Kontrollsiffran stämmer inte").first.is_visible()
    _axe(page)
    page.get_by_label("Kundens personnummer").fill(number)
    page.get_by_role("button", name="Spara").click()
    page.get_by_text("Beslutet är registrerat och checken utfärdad.").wait_for()
    page.get_by_role("heading", name=re.compile(r"^Check \d+: Nya Kundsson$")).wait_for()
    _axe(page)
    made = Voucher.objects.get(individual__personal_number=number)
    assert page.url == f"{live_server.url}/kundval/checkar/{made.pk}/"
    assert made.valid_from == month_start(today)
    assert made.decision.hours_per_month == Decimal("12")
    assert made.individual.first_name == "Nya"

    # Last month: compute it, read its warnings, close it.
    _to_start(page)
    page.get_by_role("link", name="Utbetalningar").click()
    page.get_by_role("heading", name="Utbetalningar").wait_for()
    _axe(page)
    page.get_by_label("Månad").fill(f"{last_month:%Y-%m}")
    page.get_by_role("button", name="Beräkna månaden").click()
    page.get_by_text("Månaden är beräknad.").wait_for()
    _axe(page)
    warnings = page.get_by_role("table", name="Varningar per anordnare")
    assert (
        warnings.get_by_role("row")
        .filter(has_text="Testomsorg AB")
        .inner_text()
        .endswith("Ingen rapport för månaden (1 kunder).")
    )
    assert page.get_by_text("Läs varningen innan du stänger månaden: 1 anordnare.").is_visible()
    page.get_by_role("button", name="Stäng månaden").click()
    page.get_by_text("Månaden är stängd.").wait_for()
    _axe(page)
    assert page.get_by_role("button", name="Stäng månaden").count() == 0
    run = PaymentRun.objects.get(month=last_month)
    assert run.status == RunStatus.CLOSED
    assert run.closed_by == live_world.people["kundval_officer"]


def test_provider_staff_reports_a_visit_for_a_customer_found_by_search(
    browser, live_server, live_world
):
    today = timezone.localdate()
    _area, _district, customer, voucher = _home_care(live_world)
    page = _login(browser, live_server, "provider_staff")

    page.get_by_role("link", name="Anordnarportal").click()
    page.get_by_role("heading", name="Testomsorg AB").wait_for()
    _axe(page)
    page.get_by_role("link", name="Rapportera utförande").click()
    page.get_by_role("heading", name="Rapportera utförande").wait_for()
    _axe(page)
    page.get_by_label("Sök på namn eller personnummer").fill(customer.first_name)
    page.get_by_role("button", name="Sök kund").click()
    hits = page.get_by_role("list", name="Träffar")
    hits.wait_for()
    _axe(page)
    hits.get_by_role("link", name=f"{customer.first_name} Kundsson").click()
    page.get_by_role("link", name="Byt kund").wait_for()
    _axe(page)
    page.get_by_label("Datum").fill(f"{today:%Y-%m-%d}")
    page.get_by_label("Start").fill("08:00")
    page.get_by_label("Slut").fill("08:45")
    page.get_by_label("Utförd tid (minuter)").fill("45")
    page.get_by_label("Besök").fill("1")
    page.get_by_role("button", name="Spara raden").click()
    page.get_by_text("Raden är sparad.").wait_for()
    _axe(page)

    stored = PerformanceReport.objects.get(voucher=voucher)
    assert (stored.date, stored.minutes, stored.visits) == (today, 45, 1)
    assert (stored.starts_at, stored.ends_at) == (dt.time(8), dt.time(8, 45))
    recent = page.get_by_role("table", name="Senast rapporterat")
    row = recent.get_by_role("row").filter(has=page.get_by_role("cell", name=str(stored.pk)))
    assert row.get_by_role("cell").all_inner_texts() == [
        str(stored.pk),
        str(voucher.pk),
        f"{today:%Y-%m-%d} 08:00–08:45",
        "45",
        "1",
        "",
    ]
