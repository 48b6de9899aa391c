"""In a real browser: a kundvalshandläggare sets up a new area with a district and terms.

axe-core finds no serious or critical violation on any set-up page visited, with and without
errors shown.
"""

import pytest
from django.utils import timezone

from tillit.kundval.models import AuthorisationTerms, CompensationModel, District, KundvalArea
from tillit.kundval.tests.test_browser import _axe, _login, browser  # noqa: F401 - fixture

pytestmark = pytest.mark.browser


def test_an_officer_creates_an_area_a_district_and_terms(browser, live_server, live_world):  # noqa: F811
    officer = _login(browser, live_server, "kundval_officer")
    officer.goto(f"{live_server.url}/kundval/")
    officer.get_by_role("link", name="Nytt kundvalsområde").click()
    officer.get_by_role("heading", name="Nytt kundvalsområde").wait_for()
    _axe(officer)

    # Nothing filled in: the error summary and the fields' errors are accessible too.
    officer.get_by_role("button", name="Spara").click()
    officer.get_by_text("Det finns fel att rätta").wait_for()
    _axe(officer)

    officer.get_by_label("Namn", exact=True).fill("Ledsagning")
    officer.get_by_label("Tjänst", exact=True).select_option(label="Ledsagning")
    officer.get_by_label("Mål och ramar").fill("Kunden ska kunna delta i samhällslivet.")
    officer.get_by_label("Per utförd timme", exact=False).check()
    officer.get_by_label("Omvalsfrist (dagar)").fill("14")
    officer.get_by_role("button", name="Spara").click()
    officer.get_by_text("Kundvalsområdet är skapat.").wait_for()
    _axe(officer)
    area = KundvalArea.objects.get(name="Ledsagning")
    assert (area.compensation_model, area.notice_days, area.unit) == (
        CompensationModel.PERFORMED_HOUR,
        14,
        live_world.other_unit,
    )

    officer.get_by_role("link", name="Hantera geografiska områden").click()
    officer.get_by_role("heading", name="Geografiska områden").wait_for()
    _axe(officer)
    officer.get_by_label("Namn").fill("Fisksätra")
    officer.get_by_role("button", name="Lägg till").click()
    officer.get_by_text("Det geografiska området är tillagt.").wait_for()
    _axe(officer)
    assert list(District.objects.get(name="Fisksätra").areas.all()) == [area]

    officer.get_by_role("link", name="Fisksätra").click()
    officer.get_by_role("heading", name="Fisksätra").wait_for()
    _axe(officer)

    officer.goto(f"{live_server.url}/kundval/omraden/{area.pk}/andra/")
    _axe(officer)

    officer.goto(f"{live_server.url}/kundval/omraden/{area.pk}/villkor/")
    _axe(officer)
    officer.get_by_role("link", name="Publicera en ny version").click()
    officer.get_by_label("Rubrik").fill("Villkor för ledsagning")
    officer.get_by_label("Gäller från").fill(f"{timezone.localdate():%Y-%m-%d}")
    officer.get_by_label("Villkor (frivilligt)", exact=True).fill(
        "Anordnaren har personal med rätt utbildning."
    )
    officer.get_by_label("Checklista för granskning").fill("Utbildad personal")
    officer.get_by_role("button", name="Spara").click()
    officer.get_by_text("Version 1 av villkoren är publicerad.").wait_for()
    _axe(officer)
    assert AuthorisationTerms.objects.get(area=area).checklist_items() == ["Utbildad personal"]

    officer.goto(f"{live_server.url}/kundval/villkor/")
    _axe(officer)
