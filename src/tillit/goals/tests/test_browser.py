"""In a real browser: the director goes from the start page to a board's dashboard, sees where
the municipality stands for an indicator with its source, and downloads the PDF, whose text
holds the same figures."""

import io

import pytest
from pypdf import PdfReader

from tillit.browser import launch, log_in, require_chromium, serious_violations
from tillit.conftest import PASSWORD
from tillit.goals.tests.factories import matrix_objects

pytestmark = pytest.mark.browser


@pytest.fixture
def browser():
    require_chromium()
    yield from launch()


def test_director_opens_the_dashboard_and_downloads_the_pdf(browser, live_server, live_world):
    matrix_objects(live_world)
    page = browser.new_page(locale="sv-SE", accept_downloads=True)
    log_in(page, live_server.url, "director", PASSWORD)

    page.get_by_role("link", name="Mål och jämförelser").click()
    page.get_by_role("heading", name="Mål och jämförelser", level=1).wait_for()
    assert serious_violations(page) == []
    page.get_by_role("link", name="Nämnden", exact=True).click()
    page.get_by_role("heading", name="Mål och resultat – Nämnden").wait_for()
    row = page.get_by_role("row").filter(has_text="Brukarbedömning hemtjänst")
    assert "1 av 2" in row.inner_text()
    assert "Källa: test" in row.inner_text()
    assert serious_violations(page) == []

    with page.expect_download() as download:
        page.get_by_role("link", name="Ladda ned som PDF").click()
    text = "".join(
        p.extract_text() for p in PdfReader(io.BytesIO(download.value.path().read_bytes())).pages
    )
    assert "Brukarbedömning hemtjänst" in text
    assert "1 av 2" in text
    assert "90" in text
    assert "Källa: test" in text
