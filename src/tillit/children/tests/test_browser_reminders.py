"""In a real browser: a holder finds today's reminder from the menu and marks it read."""

import datetime as dt
import uuid

import pytest
from django.utils import timezone

from tillit.browser import launch, log_in, require_chromium, serious_violations
from tillit.children import actions
from tillit.children.models import Deadline, DeadlineKind
from tillit.conftest import PASSWORD
from tillit.deadlines import reminders

pytestmark = pytest.mark.browser


@pytest.fixture
def browser():
    require_chromium()
    yield from launch()


def test_the_reminder_page_from_the_menu(browser, live_server, live_world):
    world = live_world
    report = actions.register_report(
        actions.ReportInput(
            group=world.reception,
            received_at=timezone.now() - dt.timedelta(hours=1),
            channel="telefon",
            reporter_category="skola",
            reporter_name="Mentor",
            concerns=["omsorgssvikt"],
            description="Oro",
            children=[actions.ChildRef(individual=world.children["queue"])],
            holder=world.people["reception_worker"],
            submission_key=uuid.uuid4(),
        ),
        by=world.people["reception_worker"],
    )
    today = timezone.localdate()
    Deadline.objects.filter(track__report=report, kind=DeadlineKind.PROTECTIVE).update(due=today)
    Deadline.objects.filter(track__report=report, kind=DeadlineKind.INITIAL).update(
        completed_on=today
    )
    assert reminders.send_reminders(today).created == 1

    page = browser.new_page(locale="sv-SE")
    log_in(page, live_server.url, "reception_worker", PASSWORD)
    page.get_by_role("link", name="Påminnelser (1)").click()
    page.get_by_role("heading", name="Påminnelser").wait_for()
    assert page.get_by_role("link", name="Skyddsbedömning: tidsgränsen är i dag").is_visible()
    assert "Kö Barnsson" not in page.content()
    assert serious_violations(page) == []
    page.get_by_role("button", name="Markera som läst").click()
    page.get_by_text("Läst", exact=True).wait_for()
    assert page.get_by_role("link", name="Påminnelser", exact=True).is_visible()
    assert serious_violations(page) == []
    # The link leads to the record page, which checks reach, masks and logs. (Not followed here:
    # earlier transactional tests empty the risk checklist that page needs.)
    link = page.get_by_role("link", name="Skyddsbedömning: tidsgränsen är i dag")
    assert link.get_attribute("href") == f"/barn-och-familj/barn/{report.tracks.get().pk}/"
