"""In a real browser: a report goes from registration to an investigation, seen on the workbench.

A reception social worker registers a report and makes the protective, risk and initial
assessments; the reception's group head watches the items leave the group's list, and the unit
head finds the new investigation and gives it to an investigator. axe-core finds no serious or
critical violation on any of these pages.
"""

import re

import pytest

from tillit.browser import launch, log_in, require_chromium, serious_violations
from tillit.conftest import PASSWORD
from tillit.individuals.identity import with_check_digit

pytestmark = pytest.mark.browser

CHILD = "Nyfiken Barnsson"
PERSONNUMMER = with_check_digit("20210304998")


@pytest.fixture
def browser():
    require_chromium()
    yield from launch()


def _login(browser, live_server, username):
    return log_in(browser.new_page(locale="sv-SE"), live_server.url, username, PASSWORD)


def _rows(page, table_id):
    """(kind, child) of every row in the workbench table."""
    rows = page.locator(f"#{table_id} tbody tr[data-deadline]")
    return [
        (
            rows.nth(i).locator("th").inner_text().strip(),
            rows.nth(i).locator("td").first.inner_text().split("\n")[0].strip(),
        )
        for i in range(rows.count())
    ]


def _group_view(page, live_server):
    page.goto(f"{live_server.url}/barn-och-familj/arbetsyta/grupp/")
    page.get_by_role("heading", name="Arbetsyta").wait_for()
    assert serious_violations(page) == []
    return _rows(page, "gruppens")


def test_a_report_moves_through_the_assessments_on_the_workbench(browser, live_server, live_world):
    head = _login(browser, live_server, "reception_head")
    assert head.get_by_role("link", name="Arbetsyta").is_visible()
    assert _group_view(head, live_server) == []

    # The reception worker registers a report about a child not yet known.
    worker = _login(browser, live_server, "reception_worker")
    worker.goto(f"{live_server.url}/barn-och-familj/anmalan/ny/")
    assert serious_violations(worker) == []
    worker.get_by_label("Anmälarens namn").fill("Mentor på skolan")
    worker.locator("#id_barn-0-personal_number").fill(f"{PERSONNUMMER[:8]}-{PERSONNUMMER[8:]}")
    worker.locator("#id_barn-0-first_name").fill("Nyfiken")
    worker.locator("#id_barn-0-last_name").fill("Barnsson")
    worker.get_by_label("Omsorgssvikt").check()
    worker.get_by_label("Beskrivning").fill("Barnet kommer hungrigt till skolan.")
    worker.get_by_role("button", name="Registrera anmälan").click()
    worker.get_by_text("Anmälan är registrerad.").wait_for()
    track_url = worker.url
    assert re.search(r"/barn-och-familj/barn/\d+/$", track_url)
    assert worker.get_by_role("heading", name=CHILD).is_visible()
    assert serious_violations(worker) == []

    # The group head sees the report waiting for its protective assessment, at the top.
    assert _group_view(head, live_server) == [
        ("Skyddsbedömning", CHILD),
        ("Förhandsbedömning", CHILD),
    ]

    # The worker's own list holds the same two items.
    worker.goto(f"{live_server.url}/barn-och-familj/arbetsyta/")
    assert _rows(worker, "mina") == [("Skyddsbedömning", CHILD), ("Förhandsbedömning", CHILD)]
    assert serious_violations(worker) == []
    worker.get_by_role("link", name=CHILD).first.click()
    worker.wait_for_url(track_url)

    protective = worker.locator("form[action$='/skyddsbedomning/']")
    protective.get_by_label("Nej").check()
    protective.get_by_label("Motivering").fill("Inga uppgifter om akut fara.")
    protective.get_by_role("button", name="Spara skyddsbedömning").click()
    worker.get_by_text("Skyddsbedömningen är sparad.").wait_for()
    assert serious_violations(worker) == []
    assert _group_view(head, live_server) == [("Förhandsbedömning", CHILD)]

    risk = worker.locator("form[action$='/riskbedomning/']")
    for group in range(risk.locator(".govuk-radios").count()):
        risk.locator(".govuk-radios").nth(group).get_by_label("Nej", exact=True).check()
    risk.get_by_label("Samlad risknivå").select_option(label="Låg")
    risk.get_by_role("button", name="Spara riskbedömning").click()
    worker.get_by_text("Riskbedömningen är sparad.").wait_for()
    assert serious_violations(worker) == []

    initial = worker.locator("form[action$='/forhandsbedomning/']")
    initial.get_by_label("Utredning inleds", exact=True).check()
    initial.get_by_label("Grupp som utreder").select_option(label="Barn och familj – Utredning")
    initial.get_by_role("button", name="Besluta förhandsbedömning").click()
    worker.get_by_text("Förhandsbedömningen är beslutad.").wait_for()
    assert serious_violations(worker) == []

    # The report has left the reception; the investigation stands in the investigating group.
    assert _group_view(head, live_server) == []
    unit_head = _login(browser, live_server, "unit_head")
    assert _group_view(unit_head, live_server) == [("Utredning", CHILD)]
    row = unit_head.locator("#gruppens tbody tr[data-deadline]").first
    assert "ej tilldelad" in row.inner_text()
    assert row.locator("td").nth(1).inner_text() == "Utredning"

    # The unit head gives the investigation to an investigator, without leaving the list.
    row.get_by_label(re.compile("Ny handläggare")).select_option(label="Investigation Testsson")
    row.get_by_role("button", name="Omfördela").click()
    unit_head.get_by_text(
        "Utredning är omfördelad från ej tilldelad till Investigation Testsson."
    ).wait_for()
    assert "Investigation Testsson" in unit_head.locator("#gruppens tbody tr").first.inner_text()
    assert serious_violations(unit_head) == []

    investigator = _login(browser, live_server, "investigation_worker")
    investigator.goto(f"{live_server.url}/barn-och-familj/arbetsyta/")
    assert _rows(investigator, "mina") == [("Utredning", CHILD)]
    investigator.goto(f"{live_server.url}/barn-och-familj/arbetsyta/overskridna/")
    investigator.get_by_role("heading", name="Arbetsyta").wait_for()
    assert serious_violations(investigator) == []
