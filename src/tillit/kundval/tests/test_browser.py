"""In a real browser: a provider is authorised, chosen, reports time and sees what it is paid.

The provider applies itself in the public e-service, without logging in, and follows its
application on the status page; the kundvalshandläggare reviews and approves it, a customer is
given a voucher and chooses the provider, the provider's staff reports time in the portal, the
officer runs and closes the month, and the provider finds its payment basis with the amount
worked out by hand. axe-core finds no serious or critical violation on any kundval page visited,
the public pages included.
"""

import datetime as dt
import re
from decimal import Decimal

import pytest
from django.utils import timezone

from tillit.browser import launch, log_in, require_chromium, serious_violations
from tillit.conftest import PASSWORD, TEST_ACTOR
from tillit.kundval.actions.authorisation import publish_terms
from tillit.kundval.actions.pricing import RateInput
from tillit.kundval.models import CompensationModel
from tillit.kundval.periods import month_start
from tillit.kundval.tests import factories as f

pytestmark = pytest.mark.browser

RATE = Decimal("441.37")
MINUTES = 100
# 100 minutes = 5/3 hour × 441.37 kr = 735.6166… kr, rounded to öre.
EXPECTED = Decimal("735.62")
SHOWN = "735,62"


@pytest.fixture
def browser():
    require_chromium()
    yield from launch()


def _login(browser, live_server, username):
    return log_in(browser.new_page(locale="sv-SE"), live_server.url, username, PASSWORD)


def _kronor(text):
    """A shown amount in kronor ('735,62') as Decimal, refusing anything but öre precision."""
    shown = re.sub(r"\s", "", text)
    assert re.fullmatch(r"-?\d+,\d\d", shown), shown
    return Decimal(shown.replace(",", "."))


def _axe(page):
    assert serious_violations(page) == []


def test_a_provider_is_authorised_chosen_and_sees_its_payment_basis(
    browser, live_server, live_world
):
    today = timezone.localdate()
    # Last month: a month may be closed only once it has ended (docs/kundval.md).
    first = month_start(month_start(today) - dt.timedelta(days=1))
    municipality = live_world.other_unit.process.municipality
    # The kundval area, its price list and its terms are set up beforehand (the officer's own
    # pages for these are tested in test_pages.py): paid per performed hour, no cap.
    area, district = f.area(
        f.place(municipality, live_world.other_unit),
        CompensationModel.PERFORMED_HOUR,
        name="Hemtjänst Centrum",
        rates=[RateInput(RATE)],
        rates_from=dt.date(2020, 1, 1),
    )
    for terms_area, title in [(None, "Allmänna villkor"), (area, "Villkor hemtjänst")]:
        publish_terms(
            municipality=municipality,
            area=terms_area,
            title=title,
            valid_from=dt.date(2020, 1, 1),
            text=title,
            checklist="Godkänd för F-skatt",
            by=TEST_ACTOR,
        )
    customer = f.customer("Vera")

    # The provider applies in the e-service, not logged in. The world's provider (whose staff
    # has a login) is 556000-0001; typed without the hyphen, it is found all the same.
    applicant = browser.new_page(locale="sv-SE")
    applicant.goto(f"{live_server.url}/kundval/ansok/")
    applicant.get_by_role("heading", name="Ansök om auktorisation").wait_for()
    _axe(applicant)
    applicant.get_by_role("link", name="Villkor hemtjänst").click()
    applicant.get_by_role("heading", name="Villkor hemtjänst").wait_for()
    assert applicant.get_by_text("Godkänd för F-skatt").is_visible()
    _axe(applicant)
    applicant.get_by_role("link", name="Tillbaka till ansökan").click()
    # Sent empty, the form says what is missing at each field.
    applicant.get_by_role("button", name="Skicka ansökan").click()
    applicant.get_by_text("Det finns fel att rätta").wait_for()
    assert applicant.get_by_text("Välj minst ett kundvalsområde.").first.is_visible()
    _axe(applicant)
    applicant.get_by_role("checkbox", name="Hemtjänst Centrum", exact=True).check()
    applicant.get_by_label("Kapacitet i Hemtjänst Centrum").fill("30")
    applicant.get_by_role("checkbox", name=f"{district.name} (Hemtjänst Centrum)").check()
    applicant.get_by_label("Företagets namn").fill("Testomsorg AB")
    applicant.get_by_label("Organisationsnummer").fill("5560000001")
    applicant.get_by_label("Kontaktperson").fill("Alva Anordnare")
    applicant.get_by_label("E-post").fill("alva@example.invalid")
    applicant.get_by_label("Telefon").fill("08-123 45 67")
    applicant.get_by_label("Filer till ansökan").set_input_files(
        [{"name": "registreringsbevis.pdf", "mimeType": "application/pdf", "buffer": f.PDF}]
    )
    applicant.get_by_role("checkbox", name="Jag intygar att uppgifterna").check()
    applicant.get_by_role("button", name="Skicka ansökan").click()
    applicant.get_by_role("heading", name="Ansökan är mottagen").wait_for()
    _axe(applicant)
    reference = applicant.locator(".govuk-panel__body strong").inner_text()
    status_link = applicant.locator('a[href*="/kundval/ansok/status/"]')
    status_url = status_link.get_attribute("href")
    status_link.click()
    applicant.get_by_role("heading", name="Status för ansökan").wait_for()
    assert applicant.get_by_text("Mottagen", exact=True).is_visible()
    _axe(applicant)

    # The officer finds the new e-service application among the applications and reviews it.
    officer = _login(browser, live_server, "kundval_officer")
    officer.goto(f"{live_server.url}/kundval/ansokningar/")
    row = officer.locator("table tbody tr").filter(has_text=reference)
    assert "E-tjänst" in row.inner_text()
    assert "Ny – att granska" in row.inner_text()
    _axe(officer)
    row.get_by_role("link", name="Testomsorg AB").click()
    officer.get_by_role("heading", name="Testomsorg AB").wait_for()
    assert officer.get_by_role("link", name="registreringsbevis.pdf").is_visible()
    _axe(officer)

    # The officer reviews the checklist; the applicant sees the application under review.
    for box in officer.get_by_role("checkbox", name="Godkänd för F-skatt").all():
        box.check()
    officer.get_by_role("button", name="Spara granskningen").click()
    officer.get_by_text("Granskningen är sparad.").wait_for()
    applicant.goto(status_url)
    assert applicant.get_by_text("Under granskning", exact=True).is_visible()

    # The officer approves; the applicant sees the decision and the contract period.
    officer.get_by_label("Avtal från").fill(f"{first:%Y-%m-%d}")
    officer.get_by_label("Motivering").fill("Uppfyller villkoren.")
    officer.get_by_role("button", name="Godkänn ansökan").click()
    officer.get_by_text("Ansökan är godkänd och anordnaren auktoriserad.").wait_for()
    _axe(officer)
    applicant.goto(status_url)
    assert applicant.get_by_text("Godkänd", exact=True).is_visible()
    assert applicant.get_by_text(f"från {first:%Y-%m-%d}, tills vidare").is_visible()
    _axe(applicant)

    # The customer is given a voucher on the decision page.
    officer.goto(f"{live_server.url}/kundval/beslut/nytt/")
    _axe(officer)
    officer.get_by_label("Kundens personnummer").fill(customer.personal_number)
    # New to the officer's areas: registered with the decision, with the name from the application.
    officer.get_by_label("Förnamn").fill(customer.first_name)
    officer.get_by_label("Efternamn").fill(customer.last_name)
    officer.get_by_label("Kundvalsområde").select_option(label="Hemtjänst Centrum")
    officer.get_by_label("Geografiskt område").select_option(label=district.name)
    officer.get_by_label("Gäller från").fill(f"{first:%Y-%m-%d}")
    officer.get_by_label("Beslutsdatum").fill(f"{today:%Y-%m-%d}")
    officer.get_by_label("Timmar per månad").fill("10")
    officer.get_by_role("button", name="Spara").click()
    officer.get_by_text("Beslutet är registrerat och checken utfärdad.").wait_for()
    voucher_id = int(re.search(r"/kundval/checkar/(\d+)/$", officer.url).group(1))
    _axe(officer)

    # The customer chooses the provider (the officer registers the choice).
    officer.get_by_label("Anordnare").select_option(label="Testomsorg AB")
    officer.get_by_label("Valet gjordes").fill(f"{today:%Y-%m-%d}")
    officer.get_by_label("Önskas från").fill(f"{first:%Y-%m-%d}")
    officer.get_by_role("button", name="Registrera valet").click()
    officer.get_by_text("Valet är registrerat.").wait_for()
    _axe(officer)

    # The provider's staff finds the customer in the portal and reports the time worked.
    staff = _login(browser, live_server, "provider_staff")
    staff.goto(f"{live_server.url}/kundval/anordnare/")
    _axe(staff)
    assert staff.get_by_role("link", name=customer.first_name, exact=False).is_visible()
    staff.get_by_role("link", name="Rapportera utförande").click()
    staff.get_by_role("heading", name="Rapportera utförande").wait_for()
    _axe(staff)
    # The customer is found by a search on the name and picked (no list of every customer).
    staff.get_by_label("Sök på namn eller personnummer").fill(customer.last_name)
    staff.get_by_role("button", name="Sök kund").click()
    staff.locator(f"a[href='?check={voucher_id}']").click()
    staff.get_by_role("link", name="Byt kund").wait_for()
    staff.get_by_label("Datum").fill(f"{first:%Y-%m-%d}")
    staff.get_by_label("Utförd tid (minuter)").fill(str(MINUTES))
    staff.get_by_role("button", name="Spara raden").click()
    staff.get_by_text("Raden är sparad.").wait_for()
    _axe(staff)

    # The officer runs the month and closes it.
    officer.goto(f"{live_server.url}/kundval/utbetalningar/")
    _axe(officer)
    officer.get_by_label("Månad").fill(f"{first:%Y-%m}")
    officer.get_by_role("button", name="Beräkna månaden").click()
    officer.get_by_text("Månaden är beräknad.").wait_for()
    _axe(officer)
    officer.get_by_role("button", name="Stäng månaden").click()
    officer.get_by_text("Månaden är stängd.").wait_for()
    _axe(officer)
    totals = officer.locator("table tbody tr").filter(has_text="Testomsorg AB")
    assert _kronor(totals.locator("td").nth(3).inner_text()) == EXPECTED
    assert _kronor(officer.locator("table tfoot td").first.inner_text()) == EXPECTED

    # The provider sees its payment basis: the amount is the hand-computed one.
    staff.goto(f"{live_server.url}/kundval/anordnare/")
    bases = staff.get_by_role("table").filter(has_text="Underlag för ersättning")
    row = bases.locator("tbody tr").first
    assert row.locator("td").nth(1).inner_text().strip() == "Stängd"
    assert row.locator("td").nth(2).inner_text().strip() == SHOWN
    assert _kronor(row.locator("td").nth(2).inner_text()) == EXPECTED
    _axe(staff)
    row.get_by_role("link", name=f"{first:%Y-%m}").click()
    staff.get_by_role("heading", name="Testomsorg AB").wait_for()
    _axe(staff)
    lines = staff.locator("table tbody tr")
    assert lines.count() == 1
    # Columns: customer, voucher, area, period, quantity, rate, amount, kind.
    assert _kronor(lines.first.locator("td").nth(5).inner_text()) == RATE
    assert _kronor(lines.first.locator("td").nth(6).inner_text()) == EXPECTED
    assert _kronor(staff.locator("table tfoot td").first.inner_text()) == EXPECTED
