"""Who reads which deviation and complaint: a deviation that points to a case follows the case,
provider staff see only their own provider's, and every read is logged."""

import datetime as dt

import pytest
from django.utils import timezone

from tillit.access.models import AuditPurpose
from tillit.audit.models import AccessAction, AccessLog
from tillit.conftest import PERSONAS
from tillit.incidents.tests import factories as f
from tillit.organisation.models import Membership, Provider
from tillit.organisation.roles import Role


def _answers(world, url):
    return {p: world.client(p).get(url).status_code for p in PERSONAS}


def _readers(answers):
    return {p for p, status in answers.items() if status == 200}


def test_a_deviation_without_a_case_is_read_by_its_reporter_unit_head_and_quality(world):
    found = f.deviation(world)
    answers = _answers(world, f"/avvikelser/{found.pk}/")
    assert _readers(answers) == {"reception_worker", "unit_head", "quality_developer"}
    assert {s for p, s in answers.items() if p not in _readers(answers)} <= {403, 404}


def test_a_case_linked_deviation_follows_the_case(world):
    found = f.deviation(world, case=world.cases["queue"])
    url = f"/avvikelser/{found.pk}/"
    # The quality developer reads the unit's deviations, but not this one without a purpose.
    assert _readers(_answers(world, url)) == {"reception_worker", "unit_head"}
    AuditPurpose.objects.create(
        user=world.people["quality_developer"],
        unit=world.unit,
        purpose="Egenkontroll av dokumentation",
        started_at=timezone.now() - dt.timedelta(minutes=1),
        expires_at=timezone.now() + dt.timedelta(hours=1),
    )
    assert world.client("quality_developer").get(url).status_code == 200
    row = AccessLog.objects.filter(object_type="avvikelse", action=AccessAction.VIEW).latest("seq")
    assert row.individual_id == world.children["queue"].pk
    assert (row.basis, row.purpose) == ("granskning", "Egenkontroll av dokumentation")


def test_a_refused_read_is_a_logged_404(world):
    found = f.deviation(world, case=world.cases["queue"])
    before = AccessLog.objects.filter(action=AccessAction.DENIED).count()
    assert world.client("quality_developer").get(f"/avvikelser/{found.pk}/").status_code == 404
    assert AccessLog.objects.filter(action=AccessAction.DENIED).count() == before + 1


def test_a_case_the_reporter_does_not_reach_is_refused_on_the_form(world):
    client = world.client("reception_worker")
    response = client.post(
        "/avvikelser/ny/",
        {
            "unit": world.unit.pk,
            "case_number": world.cases["investigated"].pk,
            "occurred_on": timezone.localdate().isoformat(),
            "category": "dokumentation",
            "description": "Något hände.",
        },
    )
    assert response.status_code == 400
    assert "utanför din behörighet" in response.content.decode()


def test_provider_staff_see_only_their_own_providers_deviations(world):
    from tillit.kundval.tests import factories as kf

    ours = f.provider_deviation(world)
    theirs_provider = kf.provider("Annan omsorg AB")
    ids = kf.matrix_objects(world)
    from tillit.kundval.models import KundvalArea

    kf.authorise(theirs_provider, KundvalArea.objects.get(pk=ids["area_id"]), [])
    other_staff = world.people["outsider"]
    Membership.objects.create(
        user=other_staff,
        role=Role.PROVIDER_STAFF,
        provider=theirs_provider,
        valid_from=dt.date(2020, 1, 1),
    )
    theirs = f.provider_deviation(world, provider=theirs_provider, by="outsider")
    staff = world.client("provider_staff")
    assert staff.get(f"/avvikelser/{ours.pk}/").status_code == 200
    assert staff.get(f"/avvikelser/{theirs.pk}/").status_code == 404
    listed = staff.get("/avvikelser/").content.decode()
    assert ours.reference in listed
    assert theirs.reference not in listed
    # The unit that manages the area answers for both; its kundval officer reads both.
    assert ours.unit == theirs.unit == world.other_unit
    officer = world.client("kundval_officer")
    assert officer.get(f"/avvikelser/{theirs.pk}/").status_code == 200


def test_provider_staff_report_for_their_own_provider_only(world):
    from tillit.incidents.models import Deviation
    from tillit.kundval.tests import factories as kf

    kf.matrix_objects(world)
    other = kf.provider("Tredje AB")
    client = world.client("provider_staff")
    form = {
        "occurred_on": timezone.localdate().isoformat(),
        "category": "insats",
        "description": "Besöket uteblev.",
    }
    assert client.post("/avvikelser/ny/", {**form, "provider": other.pk}).status_code == 400
    assert not Deviation.objects.exists()
    assert client.post("/avvikelser/ny/", form).status_code == 302
    made = Deviation.objects.get()
    assert made.provider == Provider.objects.get(name="Testomsorg AB")
    assert made.unit == world.other_unit


def test_a_provider_complaint_is_visible_to_the_kundval_officer(world):
    from tillit.kundval.tests import factories as kf

    ids = kf.matrix_objects(world)
    provider = Provider.objects.get(pk=ids["provider_id"])
    about_provider = f.complaint(world, unit=None, provider=provider)
    about_unit = f.complaint(world)
    officer = world.client("kundval_officer")
    assert officer.get(f"/klagomal/{about_provider.pk}/").status_code == 200
    assert officer.get(f"/klagomal/{about_unit.pk}/").status_code == 404
    assert world.client("other_unit_head").get(f"/klagomal/{about_provider.pk}/").status_code == 200
    assert world.client("provider_staff").get(f"/klagomal/{about_provider.pk}/").status_code == 404


@pytest.mark.parametrize(
    ("persona", "may"),
    [("unit_head", True), ("reception_worker", False), ("quality_developer", False)],
)
def test_only_handlers_take_a_deviation_a_step(world, persona, may):
    found = f.deviation(world)
    response = world.client(persona).post(f"/avvikelser/{found.pk}/", {"step": "receive"})
    assert response.status_code == (302 if may else 403)
    found.refresh_from_db()
    assert (found.status == "mottagen") is may
