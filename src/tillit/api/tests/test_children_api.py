"""The child-and-family API: registering a report once, and reading tracks through the case."""

from __future__ import annotations

import base64
import datetime as dt
import uuid

import pytest
from django.test import Client
from django.utils import timezone

from tillit.api.models import ApiToken
from tillit.audit.models import AccessAction, AccessLog
from tillit.children.models import Report, ReportAttachment, ReportedChild
from tillit.children.tests.conftest import register
from tillit.conftest import World
from tillit.individuals.identity import with_check_digit
from tillit.individuals.models import Individual, Protection

REPORTS = "/api/reports"
TRACKS = "/api/tracks"


def _headers(world: World, persona: str, **extra: str) -> dict[str, str]:
    _token, raw = ApiToken.issue(
        world.people[persona], "e-tjänst", timezone.now() + dt.timedelta(days=1)
    )
    return {"Authorization": f"Bearer {raw}", **extra}


def _payload(world: World, **changes: object) -> dict[str, object]:
    body: dict[str, object] = {
        "group_id": world.reception.pk,
        "received_at": "2026-03-12T10:30:00+01:00",
        "channel": "e_tjanst",
        "reporter_category": "skola",
        "reporter_has_duty": True,
        "reporter_name": "Mentor på skolan",
        "reporter_organisation": "Testskolan",
        "concerns": ["omsorgssvikt"],
        "description": "Barnet kommer hungrigt till skolan.",
        "children": [
            {
                "personal_number": with_check_digit("20140101998"),
                "first_name": "Nyfött",
                "last_name": "Barnsson",
            }
        ],
    }
    body.update(changes)
    return body


def _b64(content: bytes) -> str:
    return base64.b64encode(content).decode()


def _post(world: World, persona: str, body: dict[str, object], key: str | None = None):
    headers = _headers(world, persona, **({"Idempotency-Key": key} if key else {}))
    return Client().post(REPORTS, body, content_type="application/json", headers=headers)


# --- Registering ----------------------------------------------------------------------------------


def test_a_report_is_registered_once_per_key(reception):
    key = str(uuid.uuid4())
    first = _post(reception, "reception_worker", _payload(reception), key)
    again = _post(reception, "reception_worker", _payload(reception), key)
    assert first.status_code == 201, first.json()
    assert again.status_code == 200
    assert first.json()["id"] == again.json()["id"]
    assert first.json()["created"] is True
    assert again.json()["created"] is False
    report = Report.objects.get()
    assert str(report.submission_key) == key
    assert report.registered_by == reception.people["reception_worker"]
    track = report.tracks.get()
    assert first.json()["track_ids"] == [track.pk]
    assert track.holder is None  # an API report lands in the group's queue
    assert track.case.group == reception.reception
    assert track.individual.personal_number == with_check_digit("20140101998")


def test_the_key_may_come_in_the_body(reception):
    key = str(uuid.uuid4())
    first = _post(reception, "reception_head", _payload(reception, submission_key=key))
    again = _post(reception, "reception_head", _payload(reception, submission_key=key), key)
    assert (first.status_code, again.status_code) == (201, 200)
    assert Report.objects.count() == 1


def test_another_users_key_is_refused_and_reveals_nothing(reception):
    key = str(uuid.uuid4())
    assert _post(reception, "reception_worker", _payload(reception), key).status_code == 201
    response = _post(reception, "reception_colleague", _payload(reception), key)
    assert response.status_code == 409
    assert "Barnsson" not in response.content.decode()
    assert Report.objects.count() == 1


def test_only_ones_own_group(reception):
    response = _post(reception, "investigation_worker", _payload(reception), str(uuid.uuid4()))
    assert response.status_code == 403
    own = _post(
        reception,
        "investigation_worker",
        _payload(reception, group_id=reception.investigation.pk),
        str(uuid.uuid4()),
    )
    assert own.status_code == 201
    assert Report.objects.get().group == reception.investigation


@pytest.mark.parametrize("persona", ["unit_head", "director", "provider_staff", "former_worker"])
def test_roles_without_a_group_may_not_register(reception, persona):
    response = _post(reception, persona, _payload(reception), str(uuid.uuid4()))
    assert response.status_code == 403
    assert not Report.objects.exists()


# change to the valid payload, key, the fields with a message, one of the messages
BAD = [
    ("no key", {}, None, {"submission_key"}, "Ange en nyckel (Idempotency-Key)"),
    ("key not a uuid", {}, "abc", {"submission_key"}, "Nyckeln ska vara ett UUID."),
    (
        "two different keys",
        {"submission_key": str(uuid.uuid4())},
        str(uuid.uuid4()),
        {"submission_key"},
        "skiljer sig åt",
    ),
    ("no group", {"group_id": None}, "k", {"group_id"}, "Välj vilken grupp"),
    ("unknown group", {"group_id": 999999}, "k", {"group_id"}, "Gruppen finns inte."),
    ("group not a number", {"group_id": "abc"}, "k", {"group_id"}, "Ogiltigt värde."),
    ("no time", {"received_at": ""}, "k", {"received_at"}, "Ange när anmälan togs emot."),
    ("bad time", {"received_at": "igår"}, "k", {"received_at"}, "Ange tiden som"),
    (
        "future time",
        {"received_at": "2026-03-13T10:00:00+01:00"},
        "k",
        {"received_at"},
        "Mottagningstiden kan inte ligga i framtiden.",
    ),
    ("bad channel", {"channel": "brevduva"}, "k", {"channel"}, "Välj hur anmälan kom in."),
    ("bad category", {"reporter_category": "x"}, "k", {"reporter_category"}, "Välj vem"),
    ("no concern", {"concerns": []}, "k", {"concerns"}, "Välj minst ett område"),
    ("odd concern", {"concerns": ["x"]}, "k", {"concerns"}, "Okänt område för oro."),
    ("no description", {"description": "  "}, "k", {"description"}, "Beskriv vad"),
    ("no child", {"children": []}, "k", {"children"}, "Ange minst ett barn"),
    (
        "bad personnummer",
        {"children": [{"personal_number": "20140101-0000", "first_name": "A", "last_name": "B"}]},
        "k",
        {"children.0.personal_number"},
        "",
    ),
    (
        "child without name",
        {"children": [{"personal_number": with_check_digit("20140101998")}]},
        "k",
        {"children"},
        "Ange för- och efternamn för varje barn.",
    ),
    (
        "bad birth date",
        {"children": [{"date_of_birth": "2014-13-01", "first_name": "A", "last_name": "B"}]},
        "k",
        {"children.0.date_of_birth"},
        "Ange datum som ÅÅÅÅ-MM-DD.",
    ),
    (
        "anonymous with a name",
        {"anonymous": True, "reporter_category": "anonym"},
        "k",
        {"anonymous"},
        "En anonym anmälan får inte innehålla uppgifter om anmälaren.",
    ),
    ("no reporter", {"reporter_name": ""}, "k", {"reporter_name"}, "Ange anmälarens namn"),
    ("bad e-mail", {"reporter_email": "nej"}, "k", {"reporter_email"}, "giltig e-postadress"),
    ("empty body", None, "k", {"group_id", "received_at", "channel", "children"}, ""),
    (
        "attachment not base64",
        {"attachments": [{"name": "brev.pdf", "content_base64": "inte base64!"}]},
        "k",
        {"attachments.0.content_base64"},
        "Innehållet ska vara base64-kodat.",
    ),
    (
        "attachment of a forbidden type",
        {"attachments": [{"name": "brev.pdf", "content_base64": _b64(b"MZ\x90\x00\x03")}]},
        "k",
        {"attachments.0.content_base64"},
        "brev.pdf är inte en tillåten filtyp.",
    ),
    (
        "empty attachment",
        {"attachments": [{"name": "tom.pdf", "content_base64": ""}]},
        "k",
        {"attachments.0.content_base64"},
        "tom.pdf är tom.",
    ),
    (
        "attachment name with a path",
        {"attachments": [{"name": "../etc/passwd", "content_base64": _b64(b"%PDF-1.7")}]},
        "k",
        {"attachments.0.name"},
        "Ange ett filnamn utan sökväg",
    ),
]


@pytest.mark.parametrize(
    ("changes", "key", "fields", "message"), [b[1:] for b in BAD], ids=[b[0] for b in BAD]
)
def test_bad_input_is_refused_per_field_in_swedish(reception, changes, key, fields, message):
    body = {} if changes is None else _payload(reception, **changes)
    real_key = str(uuid.uuid4()) if key == "k" else key
    response = _post(reception, "reception_worker", body, real_key)
    assert response.status_code == 422, response.content
    errors = response.json()["errors"]
    assert fields <= set(errors), errors
    assert message in " ".join(" ".join(m) for m in errors.values())
    assert response.json()["detail"] == "Uppgifterna behöver rättas."
    assert not Report.objects.exists()
    assert not Individual.objects.filter(first_name="Nyfött").exists()


def test_attachments_come_with_the_report_once(reception):
    key = str(uuid.uuid4())
    files = [
        {"name": "brev.pdf", "content_base64": _b64(b"%PDF-1.7\nbrevet")},
        {"name": "anteckning.txt", "content_base64": _b64("Hämtad sent".encode())},
    ]
    for _ in range(2):
        response = _post(reception, "reception_worker", _payload(reception, attachments=files), key)
        assert response.status_code in (200, 201), response.content
    stored = {(a.original_name, a.content_type, a.size) for a in ReportAttachment.objects.all()}
    assert stored == {
        ("brev.pdf", "application/pdf", 15),
        ("anteckning.txt", "text/plain", len("Hämtad sent".encode())),
    }
    assert ReportAttachment.objects.get(original_name="brev.pdf").file.read() == b"%PDF-1.7\nbrevet"


@pytest.mark.parametrize(("sizes_kb", "accepted"), [((600, 400), True), ((600, 500), False)])
def test_attachments_together_stay_within_the_limit(reception, settings, sizes_kb, accepted):
    settings.TILLIT_ATTACHMENT_MAX_MB = 1
    files = [
        {"name": f"bilaga{i}.pdf", "content_base64": _b64(b"%PDF-" + b"0" * (kb * 1000 - 5))}
        for i, kb in enumerate(sizes_kb)
    ]
    response = _post(
        reception, "reception_worker", _payload(reception, attachments=files), str(uuid.uuid4())
    )
    assert response.status_code == (201 if accepted else 422), response.content
    assert ReportAttachment.objects.count() == (2 if accepted else 0)
    assert Report.objects.count() == (1 if accepted else 0)


# --- Reading --------------------------------------------------------------------------------------


def _get(world: World, persona: str, url: str, **query: object):
    return Client().get(url, query, headers=_headers(world, persona))


@pytest.mark.parametrize(
    ("persona", "count"),
    [
        ("reception_worker", 3),
        ("reception_colleague", 3),
        ("reception_head", 3),
        ("unit_head", 3),
        ("investigation_worker", 0),
        ("other_unit_head", 0),
    ],
)
def test_the_list_holds_what_the_user_reaches(reception, persona, count):
    for _ in range(3):
        register(reception)
    response = _get(reception, persona, TRACKS)
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == count
    assert len(body["items"]) == count
    logged = AccessLog.objects.filter(action=AccessAction.API, object_type="report_track")
    assert logged.count() == count
    assert set(logged.values_list("object_id", flat=True)) == {
        str(item["id"]) for item in body["items"]
    }


def test_the_list_is_paginated_and_logs_only_the_page(reception):
    for _ in range(5):
        register(reception)
    newest_first = list(
        ReportedChild.objects.order_by("-received_at", "-pk").values_list("pk", flat=True)
    )
    pages = [
        _get(reception, "reception_worker", TRACKS, page=p, page_size=2).json() for p in (1, 2, 3)
    ]
    assert [[i["id"] for i in page["items"]] for page in pages] == [
        newest_first[:2],
        newest_first[2:4],
        newest_first[4:],
    ]
    assert {page["count"] for page in pages} == {5}
    assert AccessLog.objects.filter(action=AccessAction.API).count() == 5
    too_big = _get(reception, "reception_worker", TRACKS, page_size=101)
    assert too_big.status_code == 422
    assert _get(reception, "reception_worker", TRACKS, page=9).json()["items"] == []


def test_a_track_with_its_deadlines_is_logged_as_an_api_read(reception):
    track = register(reception).tracks.get()
    response = _get(reception, "reception_colleague", f"{TRACKS}/{track.pk}")
    assert response.status_code == 200
    body = response.json()
    assert body["child"]["name"] == "Kö Barnsson"
    assert [d["kind"] for d in body["deadlines"]] == ["skyddsbedomning", "forhandsbedomning"]
    assert body["deadlines"][0]["legal_reference"]
    assert body["deadlines"][1]["days_left"] == 14
    assert body["report"]["reporter"]["name"] == "Mentor på skolan"
    assert body["report"]["reporter"]["withhold"] is False
    log = AccessLog.objects.get(action=AccessAction.API)
    assert (log.object_type, log.object_id, log.individual_id) == (
        "report_track",
        str(track.pk),
        track.individual_id,
    )
    assert log.actor == reception.people["reception_colleague"]


def test_an_unreached_track_is_a_logged_404(reception):
    track = register(reception).tracks.get()
    response = _get(reception, "investigation_worker", f"{TRACKS}/{track.pk}")
    assert response.status_code == 404
    assert "Barnsson" not in response.content.decode()
    assert AccessLog.objects.filter(action=AccessAction.DENIED, object_id=str(track.pk)).exists()
    assert not AccessLog.objects.filter(action=AccessAction.API).exists()


def test_protected_identity_is_masked_in_list_and_detail(reception):
    track = register(reception).tracks.get()
    Individual.objects.filter(pk=track.individual_id).update(
        protection=Protection.PROTECTED_REGISTRATION
    )
    child = Individual.objects.get(pk=track.individual_id)
    listed = _get(reception, "reception_worker", TRACKS)
    detail = _get(reception, "reception_worker", f"{TRACKS}/{track.pk}")
    for response in (listed, detail):
        text = response.content.decode()
        assert child.first_name not in text
        assert child.personal_number not in text
    assert detail.json()["child"]["name"] == "Skyddad identitet"
    assert detail.json()["child"]["identity_masked"] is True
    assert listed.json()["items"][0]["child"]["identity_masked"] is True
    assert set(
        AccessLog.objects.filter(action=AccessAction.API).values_list("protected", flat=True)
    ) == {True}


def test_an_anonymous_report_exposes_no_reporter(reception):
    track = register(
        reception,
        anonymous=True,
        reporter_category="anonym",
        reporter_name="",
        reporter_organisation="",
    ).tracks.get()
    body = _get(reception, "reception_worker", f"{TRACKS}/{track.pk}").json()
    assert body["report"]["anonymous"] is True
    assert body["report"]["reporter"] is None


def test_a_withheld_reporter_is_shown_to_staff_and_flagged(reception):
    track = register(reception, withhold_reporter=True).tracks.get()
    body = _get(reception, "reception_worker", f"{TRACKS}/{track.pk}").json()
    assert body["report"]["reporter"]["name"] == "Mentor på skolan"
    assert body["report"]["reporter"]["withhold"] is True


def test_a_revoked_token_reads_nothing(reception):
    track = register(reception).tracks.get()
    headers = _headers(reception, "reception_worker")
    ApiToken.objects.update(revoked=True)
    assert Client().get(f"{TRACKS}/{track.pk}", headers=headers).status_code == 401
    assert Client().get(TRACKS, headers=headers).status_code == 401


def test_a_body_larger_than_the_limit_is_refused_in_swedish(reception, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 10_000
    files = [{"name": "stor.pdf", "content_base64": _b64(b"%PDF-" + b"0" * 20_000)}]
    response = _post(
        reception, "reception_worker", _payload(reception, attachments=files), str(uuid.uuid4())
    )
    assert response.status_code == 413
    assert "Anropet är för stort" in response.json()["detail"]
    assert not Report.objects.exists()


# --- Bounds: what the database or the domain cannot hold is refused with a Swedish message -----


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        (
            {"children": [{"personal_number": "", "first_name": "x" * 10_000, "last_name": "B"}]},
            "children.0.first_name",
            "Högst 100 tecken.",
        ),
        ({"reporter_name": "x" * 201}, "reporter_name", "Högst 200 tecken."),
        ({"description": "x" * 20_001}, "description", "Högst 20000 tecken."),
        ({"received_at": "0001-01-01T00:00:00"}, "received_at", "mellan år 1900 och år 2100"),
        ({"received_at": "9999-12-31T23:59:00"}, "received_at", "mellan år 1900 och år 2100"),
        (
            {"children": [{"date_of_birth": "0001-01-01", "first_name": "A", "last_name": "B"}]},
            "children.0.date_of_birth",
            "mellan 1900-01-01 och 2100-12-31",
        ),
        (
            {"children": [{"date_of_birth": "9999-12-31", "first_name": "A", "last_name": "B"}]},
            "children.0.date_of_birth",
            "mellan 1900-01-01 och 2100-12-31",
        ),
        (
            {
                "children": [
                    {"date_of_birth": "2015-01-01", "first_name": f"Barn{i}", "last_name": "B"}
                    for i in range(200)
                ]
            },
            "children",
            "Högst 20 stycken.",
        ),
        ({"group_id": 10**30}, "group_id", "Värdet får vara högst 2147483647."),
    ],
)
def test_values_past_the_bounds_are_refused_in_swedish(reception, change, field, message):
    answer = _post(reception, "reception_worker", _payload(reception, **change), str(uuid.uuid4()))
    assert answer.status_code == 422, answer.content
    assert any(message in text for text in answer.json()["errors"][field]), answer.json()
    assert not Report.objects.exists()


def test_twenty_children_in_one_report_are_accepted(reception):
    children = [
        {"date_of_birth": "2015-01-01", "first_name": f"Barn{i}", "last_name": "Barnsson"}
        for i in range(20)
    ]
    answer = _post(
        reception, "reception_worker", _payload(reception, children=children), str(uuid.uuid4())
    )
    assert answer.status_code == 201, answer.json()
    assert Report.objects.get().tracks.count() == 20
