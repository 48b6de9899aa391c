"""In a real browser: someone with more open steps than the start page shows finds them all,
searches them and is reminded of one, from the menu and the start page only."""

import datetime as dt

import pytest
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from tillit.browser import all_violations, launch, log_in, require_chromium
from tillit.conftest import PASSWORD
from tillit.deadlines import reminders
from tillit.deadlines.due import DueKind, register_kind
from tillit.deadlines.due_models import DueItem
from tillit.individuals.models import Individual

pytestmark = pytest.mark.browser

KIND = "test.browser_step"
register_kind(DueKind(KIND, "Webbläsarsteg", url=lambda item: "/start/"))


@pytest.fixture
def browser():
    require_chromium()
    yield from launch()


def test_all_my_deadlines_and_their_reminder(browser, live_server, live_world):
    today = timezone.localdate()
    subject_type = ContentType.objects.get_for_model(Individual)
    DueItem.objects.bulk_create(
        DueItem(
            kind=KIND,
            content_type=subject_type,
            object_id=7000 + n,
            title=f"Granska rutin {n}",
            unit=live_world.unit,
            holder=live_world.people["quality_developer"],
            started_on=today,
            nominal_due=today + dt.timedelta(days=n),
            effective_due=today + dt.timedelta(days=n),
            due=today + dt.timedelta(days=n),
        )
        for n in range(30)
    )
    # Step 0 is due today; those due in the next two days (and their weekend moves) are near.
    reminded = reminders.send_reminders(today).created
    assert reminded >= 1

    page = log_in(browser.new_page(locale="sv-SE"), live_server.url, "quality_developer", PASSWORD)
    assert page.get_by_text("Granska rutin 24", exact=True).is_visible()
    assert page.get_by_text("Granska rutin 25", exact=True).count() == 0
    page.get_by_role("link", name="Alla mina tidsgränser").click()
    page.get_by_role("heading", level=1, name="Mina tidsgränser").wait_for()
    assert page.get_by_text("Granska rutin 29", exact=True).is_visible()
    assert all_violations(page) == []
    page.get_by_label("Sök i rubriken").fill("rutin 2")
    page.get_by_role("button", name="Sök").click()
    page.wait_for_url("**q=rutin+2**")
    shown = page.locator("tbody tr").count()
    assert shown == 11  # 2 and 20–29
    page.get_by_role("link", name=f"Påminnelser ({reminded})").click()
    page.get_by_role("heading", level=1, name="Påminnelser").wait_for()
    assert page.get_by_role("link", name="Webbläsarsteg: tidsgränsen är i dag").is_visible()
    assert all_violations(page) == []
