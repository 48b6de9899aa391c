"""The child-and-family pages through the Django client: forms, messages, logging, masking."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tillit.audit.models import AccessAction, AccessLog
from tillit.children import actions
from tillit.children.models import (
    Deadline,
    DeadlineKind,
    InitialAssessment,
    Investigation,
    ProtectiveAssessment,
    Report,
    ReportAttachment,
    ReportedChild,
    RiskAssessment,
)
from tillit.children.tests.conftest import STOCKHOLM, register
from tillit.deadlines.models import UnitDeadlinePolicy
from tillit.individuals.identity import with_check_digit


def _form(world, **changes) -> dict[str, object]:
    data: dict[str, object] = {
        "group": world.reception.pk,
        "received_on": "2026-03-11",
        "received_time": "16:05",
        "channel": "brev",
        "reporter_category": "forskola",
        "reporter_has_duty": "on",
        "reporter_name": "Förskollärare",
        "concerns": ["omsorgssvikt"],
        "description": "Barnet hämtas ofta sent och är hungrigt.",
        "barn-0-personal_number": with_check_digit("20210304998"),
        "barn-0-first_name": "Ella",
        "barn-0-last_name": "Testsson",
        "submission_key": str(uuid.uuid4()),
    }
    data.update(changes)
    return data


def test_registering_through_the_form_sets_the_next_day_after_the_cut_off(reception):
    client = reception.client("reception_worker")
    response = client.post(reverse("children:register"), _form(reception))
    track = ReportedChild.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("children:track", args=[track.pk])
    protective = Deadline.objects.get(track=track, kind=DeadlineKind.PROTECTIVE)
    # Received Wednesday 16:05, after the 16:00 cut-off: due Thursday.
    assert protective.due == dt.date(2026, 3, 12)
    assert track.individual.first_name == "Ella"
    assert track.holder == reception.people["reception_worker"]


def test_a_double_submission_stores_one_report(reception):
    client = reception.client("reception_worker")
    data = _form(reception)
    first = client.post(reverse("children:register"), data)
    second = client.post(reverse("children:register"), data)
    assert first["Location"] == second["Location"]
    assert Report.objects.count() == 1


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"received_on": "2026-03-20"}, "Mottagningstiden kan inte ligga i framtiden."),
        ({"concerns": []}, "Fältet måste fyllas i."),
        ({"anonymous": "on"}, "En anonym anmälan får inte innehålla uppgifter om anmälaren."),
        ({"barn-0-personal_number": "20210304-9981"}, "Kontrollsiffran stämmer inte."),
        (
            {"barn-0-personal_number": "", "barn-0-first_name": "", "barn-0-last_name": ""},
            "Ange minst ett barn som anmälan gäller.",
        ),
    ],
    ids=["future", "no concern", "anonymous with name", "bad checksum", "no child"],
)
def test_bad_input_is_shown_in_swedish_and_nothing_is_saved(reception, changes, message):
    client = reception.client("reception_worker")
    response = client.post(reverse("children:register"), _form(reception, **changes))
    assert response.status_code == 400
    assert message in response.content.decode()
    assert Report.objects.count() == 0


@pytest.mark.parametrize(
    ("name", "content", "accepted"),
    [
        ("brev.pdf", b"%PDF-1.7\n...", True),
        ("foto.jpg", b"\xff\xd8\xff\xe0JFIF", True),
        ("anteckning.txt", "Hämtad sent".encode(), True),
        ("program.pdf", b"MZ\x90\x00\x03\x00\x00\x00", False),
        ("tom.pdf", b"", False),
    ],
)
def test_attachments_are_checked_by_their_content(reception, name, content, accepted):
    client = reception.client("reception_worker")
    upload = SimpleUploadedFile(name, content, content_type="application/pdf")
    response = client.post(
        reverse("children:register"), {**_form(reception), "attachments": upload}
    )
    assert (response.status_code == 302) is accepted
    assert ReportAttachment.objects.count() == (1 if accepted else 0)
    assert Report.objects.count() == (1 if accepted else 0)


def test_a_double_submission_with_an_attachment_stores_the_file_once(reception):
    client = reception.client("reception_worker")
    data = _form(reception)
    for _ in range(2):
        upload = SimpleUploadedFile("brev.pdf", b"%PDF-1.7\n...", content_type="application/pdf")
        assert (
            client.post(reverse("children:register"), {**data, "attachments": upload}).status_code
            == 302
        )
    assert ReportAttachment.objects.count() == 1


def test_registering_a_report_costs_a_fixed_number_of_queries(
    reception, django_assert_max_num_queries
):
    """Registration is the page under the heaviest concurrent load: every extra round trip
    shows in its p95 (benchmarks/child_reports.py). A new child: the session, the user and the
    reach, the form's group, 20 reads and writes with their history rows, and the change-log
    row (one for the report and the child it registers), in one transaction."""
    client = reception.client("reception_worker")
    client.get(reverse("children:register"))
    ContentType.objects.get_for_model(Report)  # read once per process, then cached
    with django_assert_max_num_queries(25):
        response = client.post(reverse("children:register"), _form(reception))
    assert response.status_code == 302


def test_an_attachment_too_large_is_refused(reception, settings):
    settings.TILLIT_ATTACHMENT_MAX_MB = 1
    upload = SimpleUploadedFile("stor.pdf", b"%PDF-" + b"0" * (1024 * 1024))
    response = reception.client("reception_worker").post(
        reverse("children:register"), {**_form(reception), "attachments": upload}
    )
    assert response.status_code == 400
    assert "är större än 1 MB" in response.content.decode()
    assert Report.objects.count() == 0


def test_the_chain_through_the_pages(reception):
    client = reception.client("reception_worker")
    track = register(reception).tracks.get()
    url = reverse("children:track", args=[track.pk])
    page = client.get(url).content.decode()
    assert "Skyddsbedömning" in page
    assert "SoL" in page  # the legal reference of each deadline

    response = client.post(
        reverse("children:protective", args=[track.pk]),
        {
            "assessed_on": "2026-03-12",
            "assessed_time": "11:00",
            "immediate_protection": "nej",
            "reasoning": "Ingen akut fara enligt skolan.",
        },
    )
    assert response.status_code == 302
    assert ProtectiveAssessment.objects.filter(track=track).exists()

    answers = {
        f"q_{code}": "nej"
        for code in ["vald_mot_barnet", "bevittnat_vald", "hedersrelaterat", "hot"]
    }
    response = client.post(
        reverse("children:risk", args=[track.pk]), {**answers, "level": "lag", "notes": ""}
    )
    assert response.status_code == 302
    assert RiskAssessment.objects.get(track=track).answers["hot"] == "nej"

    response = client.post(
        reverse("children:initial", args=[track.pk]),
        {
            "decision": "inled_utredning",
            "decided_on": "2026-03-12",
            "investigation_group": reception.investigation.pk,
            "scope": "begransad",
        },
    )
    assert response.status_code == 302
    assert InitialAssessment.objects.filter(track=track).exists()
    investigation = Investigation.objects.get(origin=track)
    assert investigation.case.group == reception.investigation

    views = AccessLog.objects.filter(object_type="report_track", object_id=str(track.pk))
    assert set(views.values_list("action", flat=True)) == {AccessAction.VIEW, AccessAction.CHANGE}


def test_an_initial_decision_without_reasons_is_shown_beside_the_field(reception):
    client = reception.client("reception_worker")
    track = register(reception).tracks.get()
    response = client.post(
        reverse("children:initial", args=[track.pk]),
        {"decision": "inleds_ej", "decided_on": "2026-03-12", "scope": "begransad"},
    )
    assert response.status_code == 400
    assert "Skyddsbedömningen måste vara gjord innan beslut fattas." in response.content.decode()
    assert not InitialAssessment.objects.exists()


def test_an_anonymous_report_shows_no_reporter_fields_filled(reception):
    report = register(
        reception,
        anonymous=True,
        reporter_name="",
        reporter_organisation="",
        reporter_category="anonym",
    )
    page = reception.client("reception_worker").get(
        reverse("children:track", args=[report.tracks.get().pk])
    )
    assert "Anonym anmälan – inga uppgifter om anmälaren finns." in page.content.decode()


def test_a_protected_child_is_masked_on_the_track_page(reception):
    report = register(
        reception,
        children=[actions.ChildRef(individual=reception.children["protected"])],
    )
    page = (
        reception.client("reception_worker")
        .get(reverse("children:track", args=[report.tracks.get().pk]))
        .content.decode()
    )
    assert "Hemlig" not in page
    assert reception.children["protected"].personal_number not in page


def test_someone_outside_the_group_gets_404_and_the_attempt_is_logged(reception):
    track = register(reception).tracks.get()
    response = reception.client("investigation_worker").get(
        reverse("children:track", args=[track.pk])
    )
    assert response.status_code == 404
    denied = AccessLog.objects.get(action=AccessAction.DENIED, object_id=str(track.pk))
    assert denied.individual_id == track.individual_id


# --- Who makes the protective assessment out of office hours --------------------------------------
# NOW is Thursday 2026-03-12 15:00. The unit's office: Monday-Friday 08:00-16:30, cut-off 16:00.
def se(*args: int) -> dt.datetime:
    return dt.datetime(*args, tzinfo=STOCKHOLM)  # type: ignore[misc]


ON_CALL = "Kom in utanför kontorstid: Socialjour Sydost ansvarar för skyddsbedömningen."
OUT_OF_HOURS = [
    pytest.param(se(2026, 3, 12, 10, 30), False, id="thursday-in-hours"),
    pytest.param(se(2026, 3, 11, 16, 10), False, id="wed-after-cutoff-thu-open"),
    pytest.param(se(2026, 3, 11, 20, 0), True, id="wednesday-evening"),
    pytest.param(se(2026, 3, 12, 7, 45), True, id="thursday-before-opening"),
    pytest.param(se(2026, 3, 7, 11, 0), True, id="saturday"),
    pytest.param(se(2026, 3, 6, 16, 10), True, id="friday-after-cutoff"),
    pytest.param(se(2026, 1, 6, 10, 0), True, id="epiphany-tuesday"),
    pytest.param(se(2025, 12, 24, 10, 0), True, id="julafton"),
    pytest.param(se(2025, 12, 31, 10, 0), True, id="nyarsafton"),
    pytest.param(se(2025, 6, 20, 10, 0), True, id="midsommarafton"),
]


@pytest.mark.parametrize(("received", "on_call"), OUT_OF_HOURS)
def test_the_track_and_report_pages_name_the_on_call_service_out_of_hours(
    reception, received, on_call
):
    UnitDeadlinePolicy.objects.create(
        unit=reception.unit, on_call_name="Socialjour Sydost", on_call_contact="08-123 45 67"
    )
    report = register(reception, received_at=received)
    client = reception.client("reception_worker")
    track_page = client.get(reverse("children:track", args=[report.tracks.get().pk]))
    report_page = client.get(reverse("children:report", args=[report.pk]))
    for page in (track_page.content.decode(), report_page.content.decode()):
        assert (ON_CALL in page) is on_call
        assert ("08-123 45 67" in page) is on_call
        assert "(kontrollera)" not in page


def test_without_its_own_settings_the_unit_shows_the_default_on_call_name(reception):
    report = register(reception, received_at=se(2026, 3, 7, 11, 0))
    page = reception.client("reception_worker").get(
        reverse("children:track", args=[report.tracks.get().pk])
    )
    assert "Socialjouren ansvarar för skyddsbedömningen" in page.content.decode()
