"""Setting up kundval areas, their districts and versioned terms: every refusal saves nothing."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile

from tillit.conftest import TEST_ACTOR
from tillit.kundval.actions import areas as actions
from tillit.kundval.actions.areas import AreaInput
from tillit.kundval.actions.authorisation import (
    publish_terms,
    submit_application,
    terms_in_force,
    terms_versions,
)
from tillit.kundval.actions.pricing import RateInput, create_price_list
from tillit.kundval.actions.vouchers import grant_decision
from tillit.kundval.models import (
    AuthorisationApplication,
    AuthorisationTerms,
    CompensationModel,
    District,
    KundvalArea,
    ServiceKind,
)
from tillit.kundval.tests import factories as f
from tillit.organisation.models import Municipality

D = dt.date


@pytest.fixture
def where(db):
    return f.place()


def _elsewhere():
    """Another municipality (municipality codes are unique)."""
    return f.place(Municipality.objects.create(name="Grannkommunen", code="0180"))


def _input(**overrides):
    data = {
        "name": "Ledsagning",
        "service_kind": ServiceKind.ESCORT,
        "compensation_model": CompensationModel.PERFORMED_HOUR,
        "goals": "Kunden ska kunna delta i samhällslivet.",
        "notice_days": 14,
    }
    data.update(overrides)
    return AreaInput(**data)


# --- Areas ----------------------------------------------------------------------------------


def test_a_new_area_belongs_to_the_unit_and_its_municipality(where):
    default = f.provider("Kommunens ledsagning", municipal=True)
    made = actions.create_area(
        unit=where.unit,
        data=_input(name="  Ledsagning  ", default_provider=default, cap_by_decision=True),
        by=TEST_ACTOR,
    )
    assert (made.municipality, made.unit, made.name) == (
        where.municipality,
        where.unit,
        "Ledsagning",
    )
    assert (made.compensation_model, made.cap_by_decision, made.notice_days) == (
        CompensationModel.PERFORMED_HOUR,
        True,
        14,
    )
    assert made.default_provider == default
    assert made.history.count() == 1


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"name": ""}, "name", "Ange områdets namn"),
        ({"name": "   "}, "name", "Ange områdets namn"),
        ({"name": "x" * 121}, "name", "högst 120 tecken"),
        ({"name": "Hemtjänst"}, "name", "redan ett kundvalsområde som heter Hemtjänst"),
        ({"name": "hemtjänst"}, "name", "redan ett kundvalsområde"),
        ({"service_kind": "okand"}, "service_kind", "Välj en tjänst"),
        ({"service_kind": ServiceKind.OTHER}, "description", "Beskriv tjänsten"),
        ({"compensation_model": "per_gissning"}, "compensation_model", "Välj en ersättningsmodell"),
        (
            {"compensation_model": CompensationModel.GRANTED_HOUR, "cap_by_decision": True},
            "cap_by_decision",
            "bara vid ersättning per utförd timme eller per närvarodag",
        ),
        ({"notice_days": -1}, "notice_days", "mellan 0 och 365"),
        ({"notice_days": 366}, "notice_days", "mellan 0 och 365"),
    ],
)
def test_a_bad_area_is_refused_and_nothing_is_saved(where, overrides, field, message):
    f.area(where, CompensationModel.GRANTED_HOUR, name="Hemtjänst")
    before = KundvalArea.objects.count()
    with pytest.raises(ValidationError) as error:
        actions.create_area(unit=where.unit, data=_input(**overrides), by=TEST_ACTOR)
    assert any(message in m for m in error.value.message_dict[field])
    assert KundvalArea.objects.count() == before


def test_the_same_name_is_fine_in_another_municipality(where):
    f.area(where, CompensationModel.GRANTED_HOUR, name="Hemtjänst")
    elsewhere = _elsewhere()
    made = actions.create_area(unit=elsewhere.unit, data=_input(name="Hemtjänst"), by=TEST_ACTOR)
    assert made.municipality == elsewhere.municipality


def test_a_default_provider_from_nowhere_in_the_municipality_is_refused(where):
    stranger = f.provider("Främmande AB")
    with pytest.raises(ValidationError) as error:
        actions.create_area(unit=where.unit, data=_input(default_provider=stranger), by=TEST_ACTOR)
    assert "Ickevalsalternativet" in error.value.message_dict["default_provider"][0]
    # Once authorised in one of the municipality's areas it may be the default of another.
    other, district = f.area(where, CompensationModel.VISIT)
    f.authorise(stranger, other, [district])
    assert actions.create_area(
        unit=where.unit, data=_input(default_provider=stranger), by=TEST_ACTOR
    )


def _priced(where, **kwargs):
    area, district = f.area(where, CompensationModel.GRANTED_HOUR, name="Hemtjänst", **kwargs)
    create_price_list(
        area=area,
        valid_from=D(2025, 1, 1),
        valid_to=None,
        rates=(
            [RateInput(Decimal("441.00"), "kommunal"), RateInput(Decimal("467.00"), "privat")]
            if kwargs.get("separate_rates")
            else [RateInput(Decimal("441.00"))]
        ),
        by=TEST_ACTOR,
    )
    return area, district


def _same(area, **changes):
    """The area's current settings as input, with some changed."""
    data = {
        "name": area.name,
        "service_kind": area.service_kind,
        "compensation_model": area.compensation_model,
        "description": area.description,
        "goals": area.goals,
        "cap_by_decision": area.cap_by_decision,
        "separate_rates": area.separate_rates,
        "default_provider": area.default_provider,
        "notice_days": area.notice_days,
    }
    data.update(changes)
    return AreaInput(**data)


@pytest.mark.parametrize(
    ("setup", "changes", "field", "message"),
    [
        (
            "prices",
            {"compensation_model": CompensationModel.VISIT},
            "compensation_model",
            "Ersättningsmodellen kan inte ändras när området har prislistor eller checkar",
        ),
        (
            "voucher",
            {"compensation_model": CompensationModel.PERFORMED_HOUR},
            "compensation_model",
            "Ersättningsmodellen kan inte ändras",
        ),
        (
            "prices",
            {"separate_rates": True},
            "separate_rates",
            "Skilda ersättningar kan inte slås av eller på när området har prislistor",
        ),
        (
            "voucher",
            {"compensation_model": CompensationModel.PERFORMED_HOUR, "cap_by_decision": True},
            "cap_by_decision",
            "Tak enligt beslut kan inte ändras när checkar har utfärdats",
        ),
    ],
)
def test_a_money_setting_cannot_change_under_prices_or_vouchers(
    where, setup, changes, field, message
):
    if setup == "prices":
        area, _district = _priced(where)
    else:
        area, district = f.area(where, CompensationModel.GRANTED_HOUR, name="Hemtjänst")
        f.voucher(area, district, D(2025, 1, 1), hours="10")
    versions = area.history.count()
    with pytest.raises(ValidationError) as error:
        actions.change_area(area, _same(area, goals="Nya mål", **changes), by=TEST_ACTOR)
    assert any(message in m for m in error.value.message_dict[field])
    area.refresh_from_db()
    assert (area.compensation_model, area.goals) == (CompensationModel.GRANTED_HOUR, "")
    assert area.history.count() == versions


def test_the_money_settings_may_change_while_nothing_rests_on_them(where):
    area, _district = f.area(where, CompensationModel.GRANTED_HOUR, name="Hemtjänst")
    actions.change_area(
        area,
        _same(
            area,
            compensation_model=CompensationModel.PERFORMED_HOUR,
            cap_by_decision=True,
            separate_rates=True,
        ),
        by=TEST_ACTOR,
    )
    area.refresh_from_db()
    assert (area.compensation_model, area.cap_by_decision, area.separate_rates) == (
        CompensationModel.PERFORMED_HOUR,
        True,
        True,
    )


def test_goals_notice_and_name_change_under_prices_and_vouchers_with_history(where):
    area, district = _priced(where)
    f.voucher(area, district, D(2025, 1, 1), hours="10")
    actions.change_area(
        area,
        _same(area, name="Hemtjänst Nacka", goals="Trygghet i hemmet.", notice_days=30),
        by=TEST_ACTOR,
    )
    area.refresh_from_db()
    assert (area.name, area.goals, area.notice_days) == (
        "Hemtjänst Nacka",
        "Trygghet i hemmet.",
        30,
    )
    old, new = area.history.order_by("history_date", "history_id")[::1][-2:]
    # `version` is the optimistic lock's counter (tillit.versioning), raised by every save.
    changed = {c.field for c in new.diff_against(old).changes}
    assert changed == {"name", "goals", "notice_days", "version"}


def test_an_area_may_keep_its_own_name(where):
    area, _district = f.area(where, CompensationModel.GRANTED_HOUR, name="Hemtjänst")
    actions.change_area(area, _same(area, name="HEMTJÄNST"), by=TEST_ACTOR)
    area.refresh_from_db()
    assert area.name == "HEMTJÄNST"


# --- Districts ------------------------------------------------------------------------------


def test_a_new_district_is_the_municipalitys_and_used_in_the_area(where):
    area, _district = f.area(where, CompensationModel.GRANTED_HOUR)
    made = actions.add_district(area, name=" Fisksätra ", valid_from=D(2026, 1, 1), by=TEST_ACTOR)
    assert (made.municipality, made.name, made.valid_from, made.valid_to) == (
        where.municipality,
        "Fisksätra",
        D(2026, 1, 1),
        None,
    )
    assert list(made.areas.all()) == [area]
    # The link is in the district's history too.
    latest = made.history.order_by("-history_date", "-history_id").first()
    assert list(latest.areas.values_list("kundvalarea", flat=True)) == [area.pk]


@pytest.mark.parametrize(
    ("name", "valid_from", "valid_to", "field", "message"),
    [
        ("", None, None, "name", "Ange det geografiska områdets namn"),
        ("x" * 121, None, None, "name", "högst 120 tecken"),
        ("Saltsjöbaden", None, None, "name", "redan ett geografiskt område som heter"),
        ("SALTSJÖBADEN", None, None, "name", "redan ett geografiskt område"),
        ("Boo", D(2026, 2, 1), D(2026, 1, 31), "valid_to", "Sista dagen ligger före första dagen"),
    ],
)
def test_a_bad_new_district_is_refused_and_nothing_is_saved(
    where, name, valid_from, valid_to, field, message
):
    area, _district = f.area(where, CompensationModel.GRANTED_HOUR)
    District.objects.create(municipality=where.municipality, name="Saltsjöbaden")
    before = District.objects.count()
    with pytest.raises(ValidationError) as error:
        actions.add_district(
            area, name=name, valid_from=valid_from, valid_to=valid_to, by=TEST_ACTOR
        )
    assert any(message in m for m in error.value.message_dict[field])
    assert District.objects.count() == before


@pytest.fixture
def used(where):
    """A district with decisions starting 2025-02-01 and 2025-06-01."""
    area, district = f.area(where, CompensationModel.GRANTED_HOUR)
    f.voucher(area, district, D(2025, 2, 1), hours="10")
    f.voucher(area, district, D(2025, 6, 1), hours="10")
    return area, district


@pytest.mark.parametrize(
    ("name", "valid_from", "valid_to", "field", "message"),
    [
        ("", None, None, "name", "Ange det geografiska områdets namn"),
        ("Taget", None, None, "name", "redan ett geografiskt område"),
        ("Nytt", D(2025, 6, 2), D(2025, 6, 1), "valid_to", "före första dagen"),
        ("Nytt", None, D(2025, 5, 31), "valid_to", "beslut i området som börjar 2025-06-01"),
        ("Nytt", D(2025, 3, 1), None, "valid_from", "beslut i området som börjar 2025-02-01"),
    ],
)
def test_a_bad_change_of_a_district_is_refused_and_nothing_is_saved(
    used, where, name, valid_from, valid_to, field, message
):
    _area, district = used
    District.objects.create(municipality=where.municipality, name="Taget")
    before = (district.name, district.history.count())
    with pytest.raises(ValidationError) as error:
        actions.change_district(
            district, name=name, valid_from=valid_from, valid_to=valid_to, by=TEST_ACTOR
        )
    assert any(message in m for m in error.value.message_dict[field])
    district.refresh_from_db()
    assert (district.name, district.history.count()) == before
    assert district.valid_to is None


def test_a_district_is_renamed_and_closed_and_no_new_decision_is_made_in_it(used):
    area, district = used
    actions.change_district(
        district, name="Orminge centrum", valid_from=None, valid_to=D(2025, 6, 30), by=TEST_ACTOR
    )
    district.refresh_from_db()
    assert (district.name, district.valid_to) == ("Orminge centrum", D(2025, 6, 30))
    # The vouchers already there run on; a new decision from after the last day is refused.
    assert area.vouchers.count() == 2
    with pytest.raises(ValidationError) as error:
        f.voucher(area, district, D(2025, 7, 1), hours="10")
    assert "används inte 2025-07-01" in error.value.message_dict["district"][0]
    assert f.voucher(area, district, D(2025, 6, 30), hours="10")


def test_an_application_cannot_name_a_closed_district(where):
    area, district = f.area(where, CompensationModel.GRANTED_HOUR)
    for terms_area in (None, area):
        publish_terms(
            municipality=where.municipality,
            area=terms_area,
            title="Villkor",
            valid_from=D(2024, 1, 1),
            text="Villkor.",
            by=TEST_ACTOR,
        )
    district = actions.change_district(
        district, name=district.name, valid_from=None, valid_to=D(2024, 12, 31), by=TEST_ACTOR
    )
    with pytest.raises(ValidationError) as error:
        submit_application(
            municipality=where.municipality,
            name="Sen AB",
            organisation_number=f.orgnr(),
            contact_name="Sam",
            email="sam@example.invalid",
            areas=[area],
            districts=[district],
            submitted_on=D(2025, 1, 1),
            by=TEST_ACTOR,
        )
    assert "används inte 2025-01-01" in error.value.message_dict["districts"][0]
    assert not AuthorisationApplication.objects.exists()


def test_a_decision_cannot_start_before_a_district_opens(where):
    area, _district = f.area(where, CompensationModel.GRANTED_HOUR)
    later = actions.add_district(area, name="Nya området", valid_from=D(2026, 1, 1), by=TEST_ACTOR)
    with pytest.raises(ValidationError, match="används inte 2025-12-31"):
        grant_decision(
            individual=f.customer(),
            area=area,
            district=later,
            valid_from=D(2025, 12, 31),
            valid_to=None,
            decided_on=D(2025, 12, 1),
            hours_per_month=Decimal(10),
            by=TEST_ACTOR,
        )


@pytest.mark.parametrize(
    ("case", "message"),
    [
        ("other_municipality", "hör till en annan kommun"),
        ("already", "används redan i kundvalsområdet"),
        ("closed", "stängt sedan 2025-01-31"),
    ],
)
def test_a_bad_link_of_an_existing_district_is_refused(where, case, message):
    area, own = f.area(where, CompensationModel.GRANTED_HOUR)
    if case == "other_municipality":
        _theirs, district = f.area(_elsewhere(), CompensationModel.GRANTED_HOUR)
    elif case == "already":
        district = own
    else:
        district = District.objects.create(
            municipality=where.municipality, name="Stängt", valid_to=D(2025, 1, 31)
        )
    before = list(area.districts.all())
    with pytest.raises(ValidationError) as error:
        actions.link_district(area, district, today=D(2025, 3, 1), by=TEST_ACTOR)
    assert message in error.value.message_dict["district"][0]
    assert list(area.districts.all()) == before


def test_an_existing_district_is_linked_to_a_second_area(where):
    first, district = f.area(where, CompensationModel.GRANTED_HOUR)
    second, _own = f.area(where, CompensationModel.VISIT)
    actions.link_district(second, district, today=D(2025, 3, 1), by=TEST_ACTOR)
    assert set(district.areas.all()) == {first, second}


@pytest.mark.parametrize(
    ("use", "message"),
    [
        ("voucher", "1 beslut om kundval"),
        ("authorisation", "1 auktorisationer"),
        ("application", "1 ansökningar om auktorisation"),
    ],
)
def test_a_district_in_use_is_never_removed(where, use, message):
    area, district = f.area(where, CompensationModel.GRANTED_HOUR)
    if use == "voucher":
        f.voucher(area, district, D(2025, 1, 1), hours="10")
    elif use == "authorisation":
        f.authorise(f.provider("Omsorg AB"), area, [district])
    else:
        for terms_area in (None, area):
            publish_terms(
                municipality=where.municipality,
                area=terms_area,
                title="Villkor",
                valid_from=D(2024, 1, 1),
                text="Villkor.",
                by=TEST_ACTOR,
            )
        submit_application(
            municipality=where.municipality,
            name="Sökande AB",
            organisation_number=f.orgnr(),
            contact_name="Sam",
            email="sam@example.invalid",
            areas=[area],
            districts=[district],
            submitted_on=D(2025, 1, 1),
            by=TEST_ACTOR,
        )
    with pytest.raises(ValidationError) as error:
        actions.remove_district(area, district, by=TEST_ACTOR)
    assert message in error.value.messages[0]
    assert "stäng det i stället" in error.value.messages[0]
    assert list(district.areas.all()) == [area]


def test_an_unused_district_is_deleted_and_a_shared_one_only_leaves_the_area(where):
    area, district = f.area(where, CompensationModel.GRANTED_HOUR)
    other, _own = f.area(where, CompensationModel.VISIT)
    shared = actions.add_district(area, name="Delat", by=TEST_ACTOR)
    actions.link_district(other, shared, today=D(2025, 1, 1), by=TEST_ACTOR)
    assert actions.remove_district(area, shared, by=TEST_ACTOR) is False
    assert list(shared.areas.all()) == [other]
    assert actions.remove_district(area, district, by=TEST_ACTOR) is True
    assert not District.objects.filter(pk=district.pk).exists()
    # The deletion is in the history.
    assert District.history.filter(id=district.pk, history_type="-").exists()


def test_a_district_of_another_area_cannot_be_removed_through_this_one(where):
    area, _district = f.area(where, CompensationModel.GRANTED_HOUR)
    _other, theirs = f.area(where, CompensationModel.VISIT)
    with pytest.raises(ValidationError, match="används inte i kundvalsområdet"):
        actions.remove_district(area, theirs, by=TEST_ACTOR)
    assert District.objects.filter(pk=theirs.pk).exists()


# --- Terms ----------------------------------------------------------------------------------


def _publish(where, area=None, **overrides):
    data = {
        "municipality": where.municipality,
        "area": area,
        "title": "Allmänna villkor",
        "valid_from": D(2025, 1, 1),
        "text": "Anordnaren följer lagen.",
    }
    data.update(overrides)
    return publish_terms(**data, by=TEST_ACTOR)


def test_a_version_with_a_document_is_saved_and_readable(where):
    terms = _publish(where, text="", document=f.pdf(), checklist="  F-skatt \n\n Försäkring ")
    assert terms.version == 1
    assert terms.document.name.endswith(".pdf")
    with terms.document.open("rb") as stored:
        assert stored.read().startswith(b"%PDF-")
    assert terms.checklist_items() == ["F-skatt", "Försäkring"]


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"title": " "}, "title", "Ange en rubrik"),
        ({"title": "x" * 201}, "title", "högst 200 tecken"),
        ({"text": ""}, "text", "Skriv villkoren eller bifoga dem"),
        ({"document": ContentFile(b"PK\x03\x04word", name="v.docx")}, "document", "PDF-fil"),
        ({"document": ContentFile(b"", name="tom.pdf")}, "document", "tomt"),
        # Overlapping: the same first day as version 1, or earlier.
        ({"valid_from": D(2024, 1, 1)}, "valid_from", "Version 1 gäller från 2024-01-01"),
        ({"valid_from": D(2023, 6, 1)}, "valid_from", "måste börja gälla senare"),
        # Backdated: an application from 2024-05-02 was reviewed under version 1.
        ({"valid_from": D(2024, 5, 2)}, "valid_from", "tidigast 2024-05-03"),
        ({"valid_from": D(2024, 3, 1)}, "valid_from", "En ansökan som kom in 2024-05-02"),
    ],
)
def test_a_bad_version_of_the_terms_is_refused_and_nothing_is_saved(
    where, overrides, field, message
):
    area, district = f.area(where, CompensationModel.GRANTED_HOUR)
    _publish(where, valid_from=D(2024, 1, 1))
    _publish(where, area, title="Hemtjänst", valid_from=D(2024, 1, 1))
    submit_application(
        municipality=where.municipality,
        name="Sökande AB",
        organisation_number=f.orgnr(),
        contact_name="Sam",
        email="sam@example.invalid",
        areas=[area],
        districts=[district],
        submitted_on=D(2024, 5, 2),
        by=TEST_ACTOR,
    )
    before = AuthorisationTerms.objects.count()
    with pytest.raises(ValidationError) as error:
        _publish(where, **overrides)
    assert any(message in m for m in error.value.message_dict[field])
    assert AuthorisationTerms.objects.count() == before


def test_an_area_version_after_the_last_application_is_published(where):
    area, district = f.area(where, CompensationModel.GRANTED_HOUR)
    _publish(where, valid_from=D(2024, 1, 1))
    _publish(where, area, title="Hemtjänst", valid_from=D(2024, 1, 1))
    submit_application(
        municipality=where.municipality,
        name="Sökande AB",
        organisation_number=f.orgnr(),
        contact_name="Sam",
        email="sam@example.invalid",
        areas=[area],
        districts=[district],
        submitted_on=D(2024, 5, 2),
        by=TEST_ACTOR,
    )
    # Another area's terms are not held back by this area's application.
    other, _own = f.area(where, CompensationModel.VISIT)
    _publish(where, other, title="Besök", valid_from=D(2024, 1, 1))
    assert _publish(where, other, title="Besök", valid_from=D(2024, 3, 1)).version == 2
    newer = _publish(where, area, title="Hemtjänst 2", valid_from=D(2024, 5, 3))
    assert newer.version == 2
    assert terms_in_force(where.municipality, area, D(2024, 5, 2)).version == 1
    assert terms_in_force(where.municipality, area, D(2024, 5, 3)) == newer


def test_terms_of_an_area_in_another_municipality_are_refused(where):
    area, _district = f.area(_elsewhere(), CompensationModel.GRANTED_HOUR)
    with pytest.raises(ValidationError, match="annan kommun"):
        _publish(where, area)


def test_a_too_large_document_is_refused(where, settings):
    settings.TILLIT_ATTACHMENT_MAX_MB = 1
    big = ContentFile(b"%PDF-" + b"0" * (1024 * 1024), name="stor.pdf")
    with pytest.raises(ValidationError) as error:
        _publish(where, document=big)
    assert "större än 1 MB" in error.value.message_dict["document"][0]
    assert not AuthorisationTerms.objects.exists()


def test_each_version_is_in_force_until_the_next_starts(where):
    _publish(where, title="v1", valid_from=D(2020, 1, 1))
    _publish(where, title="v2", valid_from=D(2023, 1, 1))
    # Data from before the rule: a version 3 that started before version 2 voids it.
    AuthorisationTerms.objects.create(
        municipality=where.municipality, version=3, title="v3", valid_from=D(2022, 7, 1)
    )
    _publish(where, title="v4", valid_from=D(2025, 1, 1))
    shown = {
        v.terms.title: (v.valid_to, v.never_in_force)
        for v in terms_versions(where.municipality, None)
    }
    assert shown == {
        "v4": (None, False),
        "v3": (D(2024, 12, 31), False),
        "v2": (None, True),
        "v1": (D(2022, 6, 30), False),
    }
    for version in terms_versions(where.municipality, None):
        day = version.terms.valid_from
        in_force = terms_in_force(where.municipality, None, day)
        assert version.in_force(day) == (in_force == version.terms)


def test_a_default_provider_set_elsewhere_is_kept_but_no_new_stranger_is_taken(where):
    stranger = f.provider("Främmande AB")
    area, _district = f.area(where, CompensationModel.GRANTED_HOUR, default=stranger)
    actions.change_area(area, _same(area, goals="Nya mål"), by=TEST_ACTOR)
    area.refresh_from_db()
    assert (area.goals, area.default_provider) == ("Nya mål", stranger)
    with pytest.raises(ValidationError) as error:
        actions.change_area(
            area, _same(area, default_provider=f.provider("Annan AB")), by=TEST_ACTOR
        )
    assert "Ickevalsalternativet" in error.value.message_dict["default_provider"][0]
    area.refresh_from_db()
    assert area.default_provider == stranger
