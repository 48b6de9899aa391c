"""The e-service: a provider applies without an account, gets a receipt and a status link.

Through real requests as an anonymous visitor: what a bad application is told (and that nothing
is saved), double submits, the rate limit and size limit, who reaches a status page, the terms
pages, the receipt e-mail, and what the officer sees of an e-service application.
"""

import datetime as dt
import re
import uuid
import zoneinfo

import pytest
import time_machine
from django.core import mail
from django.core.cache import cache
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from tillit.audit.models import AccessAction, AccessLog
from tillit.conftest import TEST_ACTOR, at_noon
from tillit.kundval.actions import authorisation as actions
from tillit.kundval.models import (
    ApplicationDocument,
    ApplicationSource,
    AppliedArea,
    AuthorisationApplication,
    CompensationModel,
    ReviewItem,
)
from tillit.kundval.tests import factories as f
from tillit.organisation.models import Municipality, Provider

D = dt.date
TODAY = D(2025, 3, 10)
STOCKHOLM = zoneinfo.ZoneInfo("Europe/Stockholm")
PDF = f.PDF


@pytest.fixture(autouse=True)
def fixed_day():
    """A fixed day, and an empty cache so that the rate limit counts this test's posts only."""
    cache.clear()
    with time_machine.travel(dt.datetime(2025, 3, 10, 10, tzinfo=STOCKHOLM), tick=False):
        yield
    cache.clear()


class Setting:
    def __init__(self) -> None:
        self.place = f.place()
        self.home_care, self.centre = f.area(
            self.place, CompensationModel.PERFORMED_HOUR, name="Hemtjänst Centrum"
        )
        self.support, self.harbour = f.area(
            self.place, CompensationModel.GRANTED_HOUR, name="Boendestöd"
        )
        # An area without terms of its own takes no applications.
        self.closed, _district = f.area(self.place, CompensationModel.VISIT, name="Ledsagning")
        municipality = self.place.municipality
        self.general = actions.publish_terms(
            municipality=municipality,
            area=None,
            title="Allmänna villkor",
            valid_from=D(2024, 1, 1),
            text="Anordnaren ska ha F-skatt.",
            checklist="F-skattsedel\nFörsäkring",
            by=TEST_ACTOR,
        )
        self.home_care_terms = actions.publish_terms(
            municipality=municipality,
            area=self.home_care,
            title="Villkor hemtjänst",
            valid_from=D(2024, 1, 1),
            text="Hemtjänst utförs alla dagar.",
            checklist="Verksamhetschef med rätt utbildning",
            by=TEST_ACTOR,
        )
        actions.publish_terms(
            municipality=municipality,
            area=self.support,
            title="Villkor boendestöd",
            valid_from=D(2024, 1, 1),
            text="Boendestöd utförs i hemmet.",
            by=TEST_ACTOR,
        )

    def form(self, **overrides: object) -> dict[str, object]:
        data: dict[str, object] = {
            "areas": [self.home_care.pk],
            "districts": [self.centre.pk],
            f"capacity_{self.home_care.pk}": "20",
            "name": "Omsorg Ett AB",
            "organisation_number": f.orgnr(),
            "contact_name": "Kim Kontakt",
            "email": "kim@example.invalid",
            "phone": "08-123 45 67",
            "documents": [SimpleUploadedFile("registreringsbevis.pdf", PDF)],
            "confirmed_true": "on",
            "submission_key": str(uuid.uuid4()),
        }
        data.update(overrides)
        return {k: v for k, v in data.items() if v is not None}


@pytest.fixture
def setting(db):
    return Setting()


def _apply(data, client=None, **extra):
    return (client or Client()).post(reverse("kundval:apply"), data, **extra)


def _status_path(response) -> str:
    found = re.search(r'href="http://testserver(/kundval/ansok/status/[^"]+)"', response.text)
    assert found, response.text
    return found.group(1)


def test_a_provider_applies_without_an_account_and_gets_a_receipt(setting):
    page = Client().get(reverse("kundval:apply"))
    assert page.status_code == 200
    text = page.text
    for shown in ["Hemtjänst Centrum", "Boendestöd", "Allmänna villkor", "Villkor hemtjänst"]:
        assert shown in text
    assert "Ledsagning" not in text

    data = setting.form(organisation_number="556000 0001")  # the world's provider, typed loosely
    response = _apply(data)
    assert response.status_code == 302
    application = AuthorisationApplication.objects.get()
    assert response.url == reverse(
        "kundval:apply_receipt",
        kwargs={"application_id": application.pk, "token": application.status_token},
    )
    assert application.source == ApplicationSource.E_SERVICE
    assert application.organisation_number == "556000-0001"
    assert application.confirmed_true
    assert len(application.status_token) >= 43
    assert [(a.area, a.capacity) for a in AppliedArea.objects.filter(application=application)] == [
        (setting.home_care, 20)
    ]
    assert list(application.districts.all()) == [setting.centre]
    [document] = application.documents.all()
    assert (document.title, document.content_type, document.size) == (
        "registreringsbevis.pdf",
        "application/pdf",
        len(PDF),
    )
    assert sorted(application.review_items.values_list("item", flat=True)) == [
        "F-skattsedel",
        "Försäkring",
        "Verksamhetschef med rätt utbildning",
    ]

    receipt = Client().get(response.url)
    assert receipt.status_code == 200
    assert application.reference in receipt.text
    assert re.fullmatch(r"KV-2025-\d{5}", application.reference)
    assert receipt["Cache-Control"] == "no-store, private"
    status = Client().get(_status_path(receipt))
    assert status.status_code == 200
    assert "Mottagen" in status.text


# Each row: the fields changed, the field the message stands at, and the message.
BAD = [
    ({"organisation_number": "556000-0002"}, "organisation_number", "inte giltigt"),
    ({"organisation_number": "12345"}, "organisation_number", "inte giltigt"),
    ({"organisation_number": ""}, "organisation_number", "måste fyllas i"),
    ({"name": ""}, "name", "måste fyllas i"),
    ({"contact_name": "  "}, "contact_name", "måste fyllas i"),
    ({"email": "inte-en-adress"}, "email", "giltig e-postadress"),
    ({"email": ""}, "email", "måste fyllas i"),
    ({"phone": "ring mig"}, "phone", "siffror"),
    ({"areas": None, "capacity_A": None}, "areas", "minst ett kundvalsområde"),
    ({"areas": "closed"}, "areas", "giltigt"),
    ({"districts": None}, "districts", "minst ett geografiskt område"),
    ({"districts": "harbour"}, "districts", "hör inte till något av de valda"),
    ({"capacity_A": "0"}, "capacity_A", "minst en kund"),
    ({"capacity_A": "-5"}, "capacity_A", "minst en kund"),
    ({"capacity_A": "många"}, "capacity_A", "heltal"),
    ({"capacity_A": str(10**30)}, "capacity_A", "mindre än eller lika med 2147483647"),
    ({"name": "x" * 201}, "name", "som mest 200 tecken"),
    ({"confirmed_true": None}, "confirmed_true", "Intyga att uppgifterna"),
    ({"documents": "exe"}, "documents", "inte en tillåten filtyp"),
    ({"documents": "empty"}, "documents", "är tom"),
    ({"documents": "big"}, "documents", "större än 1 MB"),
    ({"documents": "eleven"}, "documents", "högst 10 bilagor"),
    ({"documents": "long_extension"}, "documents", "Filnamnet är för långt"),
]


def _resolve(setting, overrides):
    """The table's symbolic values as real form values."""
    files = {
        "exe": [SimpleUploadedFile("program.pdf", b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\xff\xff")],
        "empty": [SimpleUploadedFile("tom.pdf", b"")],
        "big": [SimpleUploadedFile("stor.pdf", PDF + b"0" * (1024 * 1024))],
        "eleven": [SimpleUploadedFile(f"bilaga{n}.pdf", PDF) for n in range(11)],
        "long_extension": [SimpleUploadedFile("bilaga." + "p" * 150, PDF)],
    }
    values = {}
    for key, value in overrides.items():
        name = f"capacity_{setting.home_care.pk}" if key == "capacity_A" else key
        if key == "areas" and value == "closed":
            value = [setting.closed.pk]
        elif key == "districts" and value == "harbour":
            value = [setting.harbour.pk]
        elif key == "documents" and value is not None:
            value = files[value]
        values[name] = value
    return values


@pytest.mark.parametrize(("overrides", "field", "message"), BAD)
def test_a_bad_application_is_told_why_at_the_field_and_nothing_is_saved(
    setting, settings, overrides, field, message
):
    settings.TILLIT_ATTACHMENT_MAX_MB = 1
    response = _apply(setting.form(**_resolve(setting, overrides)))
    assert response.status_code == 400
    form = response.context["form"]
    name = f"capacity_{setting.home_care.pk}" if field == "capacity_A" else field
    assert any(message in str(m) for m in form.errors[name]), form.errors
    assert message in response.text  # in the error summary and at the field
    assert not AuthorisationApplication.objects.exists()
    assert not ApplicationDocument.objects.exists()
    assert not ReviewItem.objects.exists()


def test_areas_of_two_municipalities_are_refused(setting):
    other_place = f.place(Municipality.objects.create(name="Grannkommunen", code="0180"))
    other_area, other_district = f.area(other_place, CompensationModel.VISIT, name="Annan")
    for area in (None, other_area):
        actions.publish_terms(
            municipality=other_place.municipality,
            area=area,
            title="Andra villkor",
            valid_from=D(2024, 1, 1),
            text="Den andra kommunens villkor.",
            by=TEST_ACTOR,
        )
    response = _apply(
        setting.form(
            areas=[setting.home_care.pk, other_area.pk],
            districts=[setting.centre.pk, other_district.pk],
        )
    )
    assert response.status_code == 400
    assert "hör inte till kommunen" in response.text
    assert not AuthorisationApplication.objects.exists()


def test_a_double_submit_stores_the_application_once(setting):
    data = setting.form()
    first = _apply(data)
    data["documents"] = [SimpleUploadedFile("registreringsbevis.pdf", PDF)]
    second = _apply(data)
    assert first.status_code == second.status_code == 302
    assert first.url == second.url
    assert AuthorisationApplication.objects.count() == 1
    assert ApplicationDocument.objects.count() == 1


def test_the_rate_limit_refuses_more_posts_from_one_address_in_an_hour(setting, settings):
    settings.TILLIT_KUNDVAL_APPLICATIONS_PER_HOUR = 2
    answers = [_apply(setting.form()).status_code for _ in range(3)]
    assert answers == [302, 302, 429]
    refused = _apply(setting.form())
    assert "för många ansökningar" in refused.text
    assert AuthorisationApplication.objects.count() == 2
    # Another address is counted on its own, and the count is per hour.
    assert _apply(setting.form(), REMOTE_ADDR="192.0.2.7").status_code == 302
    with time_machine.travel(dt.datetime(2025, 3, 10, 11, 1, tzinfo=STOCKHOLM), tick=False):
        assert _apply(setting.form()).status_code == 302


def test_a_request_larger_than_the_documents_allowed_is_refused_unread(setting, settings):
    settings.TILLIT_ATTACHMENT_MAX_MB = 1
    response = _apply(setting.form(), CONTENT_LENGTH=str(12 * 1024 * 1024))
    assert response.status_code == 413
    assert "för stor" in response.text
    assert not AuthorisationApplication.objects.exists()


def test_the_form_needs_a_csrf_token(setting):
    client = Client(enforce_csrf_checks=True)
    assert _apply(setting.form(), client=client).status_code == 403
    assert not AuthorisationApplication.objects.exists()


def _submitted(setting, **overrides):
    response = _apply(setting.form(**overrides))
    assert response.status_code == 302, response.context["form"].errors
    return AuthorisationApplication.objects.latest("pk")


def test_the_status_page_answers_only_to_its_own_secret_link(setting):
    ours = _submitted(setting)
    theirs = _submitted(setting, name="Annan Omsorg AB")
    officer_registered = actions.submit_application(
        municipality=setting.place.municipality,
        name="Pappersansökan AB",
        organisation_number=f.orgnr(),
        contact_name="Pat",
        email="pat@example.invalid",
        areas=[setting.home_care],
        districts=[setting.centre],
        submitted_on=TODAY,
        by=TEST_ACTOR,
    )

    def status(application_id, token):
        url = reverse(
            "kundval:apply_status", kwargs={"application_id": application_id, "token": token}
        )
        return Client().get(url)

    right = status(ours.pk, ours.status_token)
    assert right.status_code == 200
    assert ours.reference in right.text
    for hidden in ["Annan Omsorg AB", ours.contact_name, ours.email, theirs.reference]:
        assert hidden not in right.text
    cases = {
        "wrong token": (ours.pk, "x" * 43),
        "token cut short": (ours.pk, ours.status_token[:-1]),
        "another application's token": (ours.pk, theirs.status_token),
        "another application's id": (theirs.pk, ours.status_token),
        "an application registered by the officer": (officer_registered.pk, "x" * 43),
        "no such application": (10**9, ours.status_token),
    }
    answers = {case: status(*args).status_code for case, args in cases.items()}
    assert answers == dict.fromkeys(cases, 404)
    receipt = reverse(
        "kundval:apply_receipt", kwargs={"application_id": ours.pk, "token": theirs.status_token}
    )
    assert Client().get(receipt).status_code == 404


def test_the_status_page_follows_the_application_to_its_decision(setting):
    approved = _submitted(setting)
    refused = _submitted(setting, name="Nej AB")

    def shown(application):
        return Client().get(application.status_path()).text

    assert "Mottagen" in shown(approved)
    items = {i.pk: (True, "") for i in approved.review_items.all()}
    actions.review(approved, items, by=TEST_ACTOR, now=at_noon(TODAY))
    assert "Under granskning" in shown(approved)
    actions.approve(
        approved,
        by=TEST_ACTOR,
        decided_on=TODAY,
        contract_from=D(2025, 4, 1),
        contract_to=D(2029, 3, 31),
    )
    page = shown(approved)
    assert "Godkänd" in page
    assert "2025-04-01 till och med 2029-03-31" in page
    actions.refuse(refused, by=TEST_ACTOR, decided_on=TODAY, reasons="Försäkringsbrev saknas.")
    page = shown(refused)
    assert "Avslagen" in page
    assert "Försäkringsbrev saknas." in page


def test_the_contact_is_emailed_the_status_link_when_mail_is_configured(
    setting, settings, django_capture_on_commit_callbacks
):
    settings.EMAIL_HOST = "smtp.example.invalid"
    settings.SITE_URL = "https://tillit.example.invalid"
    with django_capture_on_commit_callbacks(execute=True):
        application = _submitted(setting)
    [message] = mail.outbox
    assert message.to == ["kim@example.invalid"]
    assert application.reference in message.subject
    assert f"https://tillit.example.invalid{application.status_path()}" in message.body


def test_no_mail_is_sent_without_mail_settings(
    setting, settings, django_capture_on_commit_callbacks
):
    settings.EMAIL_HOST = ""
    with django_capture_on_commit_callbacks(execute=True):
        _submitted(setting)
    assert mail.outbox == []


def test_the_terms_in_force_are_public_and_no_other_version(setting):
    setting.general.document.save("allmanna-villkor.pdf", ContentFile(PDF), save=True)
    page = Client().get(reverse("kundval:apply_terms", kwargs={"terms_id": setting.general.pk}))
    assert page.status_code == 200
    assert "Anordnaren ska ha F-skatt." in page.text
    assert "Försäkring" in page.text
    download = Client().get(
        reverse("kundval:apply_terms_document", kwargs={"terms_id": setting.general.pk})
    )
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == PDF
    assert "attachment" in download["Content-Disposition"]
    # A version not yet in force, and the version it replaces once it is, are not shown.
    coming = actions.publish_terms(
        municipality=setting.place.municipality,
        area=None,
        title="Allmänna villkor 2026",
        valid_from=D(2026, 1, 1),
        text="Nya allmänna villkor.",
        by=TEST_ACTOR,
    )
    assert (
        Client().get(reverse("kundval:apply_terms", kwargs={"terms_id": coming.pk})).status_code
        == 404
    )
    with time_machine.travel(dt.datetime(2026, 1, 2, 10, tzinfo=STOCKHOLM), tick=False):
        old = reverse("kundval:apply_terms", kwargs={"terms_id": setting.general.pk})
        assert Client().get(old).status_code == 404
    # Terms without a document have nothing to download.
    no_document = reverse(
        "kundval:apply_terms_document", kwargs={"terms_id": setting.home_care_terms.pk}
    )
    assert Client().get(no_document).status_code == 404


def test_the_terms_for_many_areas_agree_with_terms_in_force(setting):
    areas = [setting.home_care, setting.support, setting.closed]
    for on in [D(2023, 12, 31), TODAY]:
        by_area, general = actions.terms_in_force_for(areas, on)
        municipality = setting.place.municipality
        assert general.get(municipality.pk) == actions.terms_in_force(municipality, None, on)
        for area in areas:
            assert by_area.get(area.pk) == actions.terms_in_force(municipality, area, on)


def test_the_apply_page_reads_a_fixed_number_of_queries(setting, django_assert_max_num_queries):
    for n in range(5):
        more, _district = f.area(setting.place, CompensationModel.VISIT, name=f"Område {n}")
        actions.publish_terms(
            municipality=setting.place.municipality,
            area=more,
            title=f"Villkor {n}",
            valid_from=D(2024, 1, 1),
            text=f"Villkor för område {n}.",
            by=TEST_ACTOR,
        )
    with django_assert_max_num_queries(5):
        assert Client().get(reverse("kundval:apply")).status_code == 200


def test_when_no_area_takes_applications_the_page_says_so(db):
    page = Client().get(reverse("kundval:apply"))
    assert page.status_code == 200
    assert "tar inget kundvalsområde emot ansökningar" in page.text
    assert "Skicka ansökan" not in page.text


def test_the_officer_sees_where_an_application_came_from_and_its_documents(world):
    ids = f.matrix_objects(world)
    officer = world.client("kundval_officer")
    listing = officer.get(reverse("kundval:applications")).text
    assert "E-tjänst" in listing
    assert "Ny – att granska" in listing
    page = officer.get(
        reverse("kundval:application", kwargs={"application_id": ids["application_id"]})
    )
    assert "intyg.pdf" in page.text
    assert "sökanden intygar att uppgifterna är riktiga" in page.text
    download = officer.get(
        reverse("kundval:application_document", kwargs={"document_id": ids["document_id"]})
    )
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == PDF
    logged = AccessLog.objects.get(object_type="ansokningsbilaga")
    assert (logged.object_id, logged.action, logged.actor) == (
        str(ids["document_id"]),
        AccessAction.EXPORT,
        world.people["kundval_officer"],
    )


def test_an_application_finds_the_provider_however_the_number_was_typed(setting):
    known = f.provider("Känd Omsorg AB")
    digits = known.organisation_number.replace("-", "")
    for typed in [known.organisation_number, digits, f" {digits[:6]} {digits[6:]} "]:
        application = _submitted(setting, organisation_number=typed)
        assert application.provider == known
        assert application.organisation_number == known.organisation_number
    application.review_items.update(fulfilled=True)
    actions.approve(
        application, by=TEST_ACTOR, decided_on=TODAY, contract_from=TODAY, contract_to=None
    )
    assert Provider.objects.filter(name="Känd Omsorg AB").count() == 1
    assert known.authorisations.count() == 1


def test_a_logged_in_user_without_second_factor_reaches_the_public_pages(world, settings):
    settings.REQUIRE_SECOND_FACTOR = True
    client = world.client("kundval_officer")
    assert client.get(reverse("kundval:apply")).status_code == 200
    assert client.get(reverse("kundval:home")).url == reverse("accounts:second_factor")
