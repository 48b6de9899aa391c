"""The set-up pages through real requests: areas, districts and terms, refusals next to the
fields with nothing saved, and officers of another area or municipality kept out."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from tillit.accounts.models import User
from tillit.conftest import START, TEST_ACTOR
from tillit.kundval.actions import areas as area_actions
from tillit.kundval.models import (
    AuthorisationTerms,
    CompensationModel,
    District,
    KundvalArea,
    ServiceKind,
)
from tillit.kundval.tests import factories as f
from tillit.organisation.models import Membership, Municipality, Process, Unit
from tillit.organisation.roles import Role


@pytest.fixture
def kv(world):
    ids = f.matrix_objects(world)
    return world, ids, KundvalArea.objects.get(pk=ids["area_id"])


def _officer(unit: Unit, username: str) -> Client:
    user = User.objects.create_user(username=username, password="x", first_name="Olga")
    Membership.objects.create(user=user, role=Role.KUNDVAL_OFFICER, unit=unit, valid_from=START)
    client = Client()
    client.force_login(user)
    return client


def _area_post(**overrides):
    data = {
        "name": "Ledsagning",
        "service_kind": ServiceKind.ESCORT,
        "description": "",
        "goals": "Kunden ska kunna delta i samhällslivet.",
        "compensation_model": CompensationModel.PERFORMED_HOUR,
        "notice_days": "14",
    }
    data.update(overrides)
    return data


# --- Areas ----------------------------------------------------------------------------------


def test_an_officer_creates_an_area_in_their_unit(kv):
    world, _ids, _area = kv
    client = world.client("kundval_officer")
    form = client.get(reverse("kundval:area_new")).content.decode()
    assert "Ansvarig enhet" not in form  # one unit: nothing to choose
    assert "Per utförd timme (kronor per utförd timme)" in form
    response = client.post(reverse("kundval:area_new"), _area_post(cap_by_decision="on"))
    made = KundvalArea.objects.get(name="Ledsagning")
    assert response.status_code == 302
    assert response["Location"] == reverse("kundval:area", kwargs={"area_id": made.pk})
    assert (made.unit, made.municipality) == (
        world.other_unit,
        world.other_unit.process.municipality,
    )
    assert (made.cap_by_decision, made.notice_days) == (True, 14)
    assert made.history.get().history_user == world.people["kundval_officer"]
    page = client.get(response["Location"]).content.decode()
    assert "Kundvalsområdet är skapat." in page
    assert "Kunden ska kunna delta i samhällslivet." in page


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"name": ""}, "Fältet måste fyllas i."),
        ({"name": "TAKEN"}, "Kommunen har redan ett kundvalsområde som heter"),
        ({"service_kind": ServiceKind.OTHER}, "Beskriv tjänsten när den inte är en av de fasta."),
        ({"compensation_model": ""}, "Fältet måste fyllas i."),
        ({"notice_days": "-3"}, "Omvalsfristen ska vara mellan 0 och 365 dagar."),
        ({"notice_days": "två"}, "Fyll i ett heltal."),
        (
            {"compensation_model": CompensationModel.VISIT, "cap_by_decision": "on"},
            "Tak enligt beslut finns bara vid",
        ),
    ],
)
def test_a_bad_area_is_refused_on_the_page_and_nothing_is_saved(kv, overrides, message):
    world, _ids, area = kv
    if overrides.get("name") == "TAKEN":
        overrides["name"] = area.name.upper()
    before = KundvalArea.objects.count()
    response = world.client("kundval_officer").post(
        reverse("kundval:area_new"), _area_post(**overrides)
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "Det finns fel att rätta" in page
    assert message in page
    assert KundvalArea.objects.count() == before


def test_an_officer_of_two_units_chooses_which_manages_the_area(kv):
    world, _ids, _area = kv
    second = Unit.objects.create(process=world.other_unit.process, name="Kundval LSS")
    Membership.objects.create(
        user=world.people["kundval_officer"],
        role=Role.KUNDVAL_OFFICER,
        unit=second,
        valid_from=START,
    )
    client = world.client("kundval_officer")
    assert "Ansvarig enhet" in client.get(reverse("kundval:area_new")).content.decode()
    client.post(reverse("kundval:area_new"), _area_post(unit=second.pk))
    assert KundvalArea.objects.get(name="Ledsagning").unit == second
    # A unit that is not the officer's is not on offer.
    response = client.post(
        reverse("kundval:area_new"), _area_post(name="Avlösning", unit=world.unit.pk)
    )
    assert "Välj ett giltigt alternativ" in response.content.decode()
    assert not KundvalArea.objects.filter(name="Avlösning").exists()


def _edit_post(area, **changes):
    data = {
        "name": area.name,
        "service_kind": area.service_kind,
        "description": area.description,
        "goals": area.goals,
        "compensation_model": area.compensation_model,
        "notice_days": str(area.notice_days),
        "default_provider": area.default_provider_id or "",
        "version": str(area.version),
    }
    if area.cap_by_decision:
        data["cap_by_decision"] = "on"
    if area.separate_rates:
        data["separate_rates"] = "on"
    data.update(changes)
    return data


def test_the_compensation_model_of_an_area_with_prices_cannot_change_on_the_page(kv):
    world, _ids, area = kv
    client = world.client("kundval_officer")
    url = reverse("kundval:area_edit", kwargs={"area_id": area.pk})
    assert "Ersättningsmodellen kan inte ändras" in client.get(url).content.decode()
    response = client.post(
        url,
        _edit_post(area, compensation_model=CompensationModel.VISIT, goals="Nya mål"),
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "Det finns fel att rätta" in page
    assert "de befintliga beloppen och besluten skulle få en annan betydelse" in page
    area.refresh_from_db()
    assert (area.compensation_model, area.goals) == (CompensationModel.GRANTED_HOUR, "")


def test_goals_and_notice_change_on_the_page_and_the_history_says_who(kv):
    world, _ids, area = kv
    client = world.client("kundval_officer")
    url = reverse("kundval:area_edit", kwargs={"area_id": area.pk})
    response = client.post(
        url, _edit_post(area, goals="Trygghet och självständighet.", notice_days="30")
    )
    assert response.status_code == 302
    area.refresh_from_db()
    assert (area.goals, area.notice_days) == ("Trygghet och självständighet.", 30)
    page = client.get(url).content.decode()
    assert "Ändringshistorik" in page
    assert "Kundval Testsson" in page
    assert "mål och ramar, omvalsfrist (dagar)" in page


def test_a_save_from_a_stale_edit_page_is_refused_with_the_newer_values(kv):
    world, _ids, area = kv
    url = reverse("kundval:area_edit", kwargs={"area_id": area.pk})
    first, second = world.client("kundval_officer"), world.client("kundval_officer")
    assert 'name="version" value="1"' in first.get(url).content.decode()
    assert 'name="version" value="1"' in second.get(url).content.decode()
    assert first.post(url, _edit_post(area, goals="Första målen.")).status_code == 302
    response = second.post(url, _edit_post(area, goals="Andra målen.", notice_days="14"))
    page = response.content.decode()
    assert response.status_code == 409
    assert "Någon annan har sparat ändringar sedan du öppnade sidan" in page
    assert "Första målen." in page
    assert 'name="version" value="2"' in page
    area.refresh_from_db()
    assert (area.goals, area.notice_days, area.version) == ("Första målen.", 0, 2)
    # From the reloaded page the save goes through.
    assert second.post(url, _edit_post(area, goals="Andra målen.")).status_code == 302
    area.refresh_from_db()
    assert (area.goals, area.version) == ("Andra målen.", 3)


# --- Districts ------------------------------------------------------------------------------


def test_districts_are_added_linked_renamed_and_closed_on_the_pages(kv):
    world, ids, area = kv
    client = world.client("kundval_officer")
    response = client.post(
        reverse("kundval:district_new", kwargs={"area_id": area.pk}),
        {"name": "Fisksätra", "valid_from": "2026-01-01"},
    )
    assert response.status_code == 302
    added = District.objects.get(name="Fisksätra")
    assert (list(added.areas.all()), added.valid_from) == ([area], dt.date(2026, 1, 1))

    spare = District.objects.create(municipality=area.municipality, name="Älta")
    assert (
        client.post(
            reverse("kundval:district_link", kwargs={"area_id": area.pk}), {"district": spare.pk}
        ).status_code
        == 302
    )
    assert area in spare.areas.all()

    url = reverse(
        "kundval:district", kwargs={"area_id": area.pk, "district_id": ids["district_id"]}
    )
    response = client.post(url, {"name": "Boo", "valid_to": "2026-06-30"})
    assert response.status_code == 302
    closed = District.objects.get(pk=ids["district_id"])
    assert (closed.name, closed.valid_to) == ("Boo", dt.date(2026, 6, 30))
    page = client.get(reverse("kundval:districts", kwargs={"area_id": area.pk})).content.decode()
    assert "Boo" in page
    assert "2026-06-30" in page
    assert "Fisksätra" in page


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"name": ""}, "Fältet måste fyllas i."),
        ({"name": "TAKEN"}, "Kommunen har redan ett geografiskt område som heter"),
        ({"name": "Nytt", "valid_from": "1 januari"}, "Fyll i ett giltigt datum."),
    ],
)
def test_a_bad_new_district_is_refused_on_the_page(kv, data, message):
    world, ids, area = kv
    if data["name"] == "TAKEN":
        data["name"] = District.objects.get(pk=ids["district_id"]).name.lower()
    before = District.objects.count()
    response = world.client("kundval_officer").post(
        reverse("kundval:district_new", kwargs={"area_id": area.pk}), data
    )
    assert response.status_code == 400
    assert message in response.content.decode()
    assert District.objects.count() == before


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"name": ""}, "Fältet måste fyllas i."),
        (
            {"name": "Boo", "valid_from": "2026-02-01", "valid_to": "2026-01-31"},
            "Sista dagen ligger före första dagen.",
        ),
        # The matrix voucher starts 2020-01-01.
        ({"name": "Boo", "valid_to": "2019-12-31"}, "beslut i området som börjar 2020-01-01"),
    ],
)
def test_a_bad_change_of_a_district_is_refused_on_the_page(kv, data, message):
    world, ids, area = kv
    district = District.objects.get(pk=ids["district_id"])
    url = reverse("kundval:district", kwargs={"area_id": area.pk, "district_id": district.pk})
    response = world.client("kundval_officer").post(url, data)
    assert response.status_code == 200
    assert message in response.content.decode()
    after = District.objects.get(pk=district.pk)
    assert (after.name, after.valid_from, after.valid_to) == (district.name, None, None)


def test_a_district_in_use_is_not_removed_but_an_unused_one_is(kv):
    world, ids, area = kv
    client = world.client("kundval_officer")
    used = reverse(
        "kundval:district_remove", kwargs={"area_id": area.pk, "district_id": ids["district_id"]}
    )
    response = client.post(used)
    assert response.status_code == 400
    assert "stäng det i stället" in response.content.decode()
    assert District.objects.filter(pk=ids["district_id"], areas=area).exists()
    unused = area_actions.add_district(area, name="Felskrivet", by=TEST_ACTOR)
    page = client.get(
        reverse("kundval:district", kwargs={"area_id": area.pk, "district_id": unused.pk})
    ).content.decode()
    assert "Ta bort" in page
    response = client.post(
        reverse("kundval:district_remove", kwargs={"area_id": area.pk, "district_id": unused.pk})
    )
    assert response.status_code == 302
    assert not District.objects.filter(pk=unused.pk).exists()


def test_the_districts_page_makes_the_same_queries_for_one_district_or_many(kv):
    world, _ids, area = kv
    client = world.client("kundval_officer")
    url = reverse("kundval:districts", kwargs={"area_id": area.pk})
    other, _own = f.area(f.place(area.municipality, area.unit), CompensationModel.VISIT)
    client.get(url)
    with CaptureQueriesContext(connection) as one:
        assert client.get(url).status_code == 200
    for n in range(6):
        made = area_actions.add_district(area, name=f"Område {n}", by=TEST_ACTOR)
        area_actions.link_district(other, made, today=timezone.localdate(), by=TEST_ACTOR)
        f.voucher(area, made, dt.date(2021, 1, 1), hours="5")
    with CaptureQueriesContext(connection) as many:
        assert client.get(url).status_code == 200
    assert len(many) == len(one)


# --- Terms ----------------------------------------------------------------------------------


def _pdf(name="villkor.pdf", content=b"%PDF-1.4\n% villkor\n%%EOF\n"):
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def test_an_officer_publishes_area_terms_and_the_old_version_stays_readable(kv):
    world, ids, area = kv
    client = world.client("kundval_officer")
    start = timezone.localdate() + dt.timedelta(days=30)
    response = client.post(
        reverse("kundval:area_terms_new", kwargs={"area_id": area.pk}),
        {
            "title": "Villkor för hemtjänst 2",
            "valid_from": start.isoformat(),
            "document": _pdf(),
            "checklist": "Tillstånd från IVO\nKollektivavtal",
        },
    )
    newer = AuthorisationTerms.objects.get(area=area, version=2)
    assert response.status_code == 302
    assert response["Location"] == reverse("kundval:terms_version", kwargs={"terms_id": newer.pk})
    page = client.get(response["Location"]).content.decode()
    assert "Version 2 av villkoren är publicerad." in page
    assert "Kommande" in page
    assert "Kollektivavtal" in page
    download = client.get(reverse("kundval:terms_document", kwargs={"terms_id": newer.pk}))
    assert download["Content-Type"] == "application/pdf"
    assert b"".join(download.streaming_content).startswith(b"%PDF-")

    listing = client.get(reverse("kundval:area_terms", kwargs={"area_id": area.pk}))
    last_day = (start - dt.timedelta(days=1)).isoformat()
    assert f"2020-01-01 – {last_day}" in listing.content.decode()
    old = client.get(reverse("kundval:terms_version", kwargs={"terms_id": ids["terms_id"]}))
    assert old.status_code == 200
    assert "Gäller" in old.content.decode()
    old_file = client.get(reverse("kundval:terms_document", kwargs={"terms_id": ids["terms_id"]}))
    assert old_file.status_code == 200


@pytest.mark.parametrize(
    ("data", "field_message"),
    [
        ({"title": ""}, "Fältet måste fyllas i."),
        ({"text": ""}, "Skriv villkoren eller bifoga dem som dokument."),
        ({"document": "word"}, "Dokumentet ska vara en PDF-fil."),
        ({"valid_from": "2020-01-01"}, "en ny version måste börja gälla senare än så"),
        ({"valid_from": "TODAY"}, "har granskats mot de tidigare villkoren"),
    ],
)
def test_bad_terms_are_refused_on_the_page_and_nothing_is_saved(kv, data, field_message):
    world, _ids, area = kv
    post = {
        "title": "Villkor 2",
        "valid_from": (timezone.localdate() + dt.timedelta(days=30)).isoformat(),
        "text": "Nya villkor.",
    }
    post.update(data)
    if post.get("document") == "word":
        post["document"] = _pdf("villkor.docx", b"PK\x03\x04 inte en pdf")
    if post["valid_from"] == "TODAY":
        post["valid_from"] = timezone.localdate().isoformat()  # the matrix application's day
    before = AuthorisationTerms.objects.count()
    response = world.client("kundval_officer").post(
        reverse("kundval:area_terms_new", kwargs={"area_id": area.pk}), post
    )
    assert response.status_code == 200
    assert field_message in response.content.decode()
    assert AuthorisationTerms.objects.count() == before


def test_general_terms_are_published_for_the_officers_municipality(kv):
    world, _ids, area = kv
    client = world.client("kundval_officer")
    # One municipality: nothing to choose.
    assert 'name="municipality"' not in client.get(reverse("kundval:terms_new")).content.decode()
    start = timezone.localdate() + dt.timedelta(days=10)
    response = client.post(
        reverse("kundval:terms_new"),
        {"title": "Allmänna villkor 2", "valid_from": start.isoformat(), "text": "Nytt."},
    )
    assert response.status_code == 302
    made = AuthorisationTerms.objects.get(title="Allmänna villkor 2")
    assert (made.municipality, made.area, made.version) == (area.municipality, None, 2)
    page = client.get(reverse("kundval:terms")).content.decode()
    assert "Allmänna villkor 2" in page
    assert area.name in page


# --- Who may use the pages ----------------------------------------------------------------


def _our_urls(ids, area):
    kw = {"area_id": area.pk}
    district = {"area_id": area.pk, "district_id": ids["district_id"]}
    return [
        ("get", reverse("kundval:area_edit", kwargs=kw)),
        ("post", reverse("kundval:area_edit", kwargs=kw)),
        ("get", reverse("kundval:districts", kwargs=kw)),
        ("post", reverse("kundval:district_new", kwargs=kw)),
        ("post", reverse("kundval:district_link", kwargs=kw)),
        ("get", reverse("kundval:district", kwargs=district)),
        ("post", reverse("kundval:district", kwargs=district)),
        ("post", reverse("kundval:district_remove", kwargs=district)),
        ("get", reverse("kundval:area_terms", kwargs=kw)),
        ("get", reverse("kundval:area_terms_new", kwargs=kw)),
        ("post", reverse("kundval:area_terms_new", kwargs=kw)),
        ("get", reverse("kundval:terms_version", kwargs={"terms_id": ids["area_terms_id"]})),
        ("get", reverse("kundval:terms_document", kwargs={"terms_id": ids["area_terms_id"]})),
    ]


@pytest.mark.parametrize("who", ["other_municipality", "other_unit"])
def test_an_officer_of_another_area_finds_nothing_and_changes_nothing(kv, who):
    world, ids, area = kv
    if who == "other_municipality":
        municipality = Municipality.objects.create(name="Grannkommunen", code="0180")
        process = Process.objects.create(municipality=municipality, name="Omsorg")
        unit = Unit.objects.create(process=process, name="Kundval")
    else:
        unit = Unit.objects.create(process=world.other_unit.process, name="Kundval LSS")
    client = _officer(unit, f"officer_{who}")
    data = {"name": "Kapat", "title": "Kapat", "valid_from": "2030-01-01", "text": "x"}
    for method, url in _our_urls(ids, area):
        assert getattr(client, method)(url, data).status_code == 404, (method, url)
    assert not KundvalArea.objects.filter(name="Kapat").exists()
    assert not District.objects.filter(name="Kapat").exists()
    assert District.objects.filter(pk=ids["district_id"], areas=area).exists()
    assert not AuthorisationTerms.objects.filter(title="Kapat").exists()
    general = AuthorisationTerms.objects.get(municipality=area.municipality, area=None)
    general_url = reverse("kundval:terms_version", kwargs={"terms_id": general.pk})
    listing = client.get(reverse("kundval:terms")).content.decode()
    if who == "other_municipality":
        assert client.get(general_url).status_code == 404
        assert general_url not in listing
    else:
        # The general terms are the whole municipality's.
        assert client.get(general_url).status_code == 200
        assert area.name not in listing
