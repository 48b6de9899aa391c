"""Deviations and complaints through their steps on the pages, in order, with Swedish refusals."""

from django.utils import timezone

from tillit.changelog.models import Change
from tillit.deadlines.due_models import DueItem
from tillit.incidents.models import Complaint, Deviation, LexSarahCase
from tillit.incidents.tests import factories as f


def test_a_deviation_is_received_analysed_acted_on_and_closed(world):
    found = f.deviation(world)
    head = world.client("unit_head")
    url = f"/avvikelser/{found.pk}/"
    assert head.post(url, {"step": "receive"}).status_code == 302
    refused = head.post(url, {"step": "analyse", "cause": "", "root_cause": ""})
    assert refused.status_code == 400
    assert "Fältet måste fyllas i." in refused.content.decode()
    head.post(url, {"step": "analyse", "cause": "Rutinen var okänd.", "root_cause": "kompetens"})
    # Out of order: closing before the measures.
    out_of_order = head.post(url, {"step": "close", "note": ""})
    assert "Steget kan inte tas nu" in out_of_order.content.decode()
    head.post(url, {"step": "act", "measures": "Utbildning i rutinen."})
    assert head.post(url, {"step": "close", "note": "Klart."}).status_code == 302
    found.refresh_from_db()
    assert (found.status, found.root_cause, found.closed_on) == (
        "avslutad",
        "kompetens",
        timezone.localdate(),
    )
    assert not DueItem.objects.filter(object_id=found.pk, completed_on__isnull=True).exists()
    assert (
        Change.objects.filter(object_id=found.pk, event__startswith="incidents.deviation").count()
        == 5
    )


def test_a_deviation_is_raised_to_lex_sarah(world):
    f.registrar(world)
    found = f.deviation(world, case=world.cases["queue"])
    response = world.client("unit_head").post(f"/avvikelser/{found.pk}/", {"step": "raise"})
    assert response.status_code == 302
    found.refresh_from_db()
    made = LexSarahCase.objects.get()
    assert (found.lex_sarah, made.case, made.report) == (made, found.case, found.description)
    again = world.client("unit_head").post(f"/avvikelser/{found.pk}/", {"step": "raise"})
    assert "redan rapporterad enligt lex Sarah" in again.content.decode()


def test_staff_register_a_phone_complaint_which_is_answered_and_closed(world):
    worker = world.client("reception_worker")
    response = worker.post(
        "/klagomal/ny/",
        {
            "kind": "klagomal",
            "channel": "telefon",
            "received_on": timezone.localdate().isoformat(),
            "unit": world.unit.pk,
            "category": "handlaggning",
            "description": "Väntat länge på besked.",
            "contact_name": "Påhittad Person",
            "contact_phone": "070-000 00 00",
            "wants_answer": "on",
        },
    )
    assert response.status_code == 302
    made = Complaint.objects.get()
    head = world.client("unit_head")
    url = f"/klagomal/{made.pk}/"
    head.post(url, {"step": "acknowledge"})
    refused = head.post(url, {"step": "close", "outcome": "Klart."})
    assert "vill ha svar: besvara det först" in refused.content.decode()
    head.post(url, {"step": "answer", "answer": "Beslut kommer i veckan.", "root_cause": ""})
    assert head.post(url, {"step": "close", "outcome": "Besked lämnat."}).status_code == 302
    made.refresh_from_db()
    assert (made.status, made.acknowledged_on, made.answered_on) == (
        "avslutad",
        timezone.localdate(),
        timezone.localdate(),
    )


def test_a_future_date_is_refused_and_nothing_saved(world):
    response = world.client("reception_worker").post(
        "/avvikelser/ny/",
        {
            "unit": world.unit.pk,
            "occurred_on": (
                timezone.localdate().replace(year=timezone.localdate().year + 1)
            ).isoformat(),
            "category": "dokumentation",
            "description": "Något.",
        },
    )
    assert response.status_code == 400
    assert "Datumet kan inte ligga i framtiden." in response.content.decode()
    assert not Deviation.objects.exists()


def test_a_page_past_any_number_shows_the_first_page(world):
    # sida=10**24 asked the database for rows at an offset it cannot hold: a server error
    # (found by fuzzing).
    f.deviation(world)
    for url in ["/avvikelser/", "/klagomal/"]:
        for sida in ["9" * 25, "²"]:
            response = world.client("unit_head").get(url, {"sida": sida})
            assert response.status_code == 200
            assert response.context["page"].number == 1


def test_the_analysis_counts_and_downloads(world):
    f.deviation(world)
    f.complaint(world)
    page = world.client("unit_head").get("/avvikelser/analys/")
    assert page.status_code == 200
    assert "Dokumentation" in page.content.decode()
    xlsx = world.client("unit_head").get(f"/avvikelser/analys.xlsx?ar={timezone.localdate().year}")
    assert xlsx.status_code == 200
    from io import BytesIO

    from openpyxl import load_workbook

    book = load_workbook(BytesIO(xlsx.content))
    assert ["Dokumentation", 1, 0, 0] in [
        list(r) for r in book["Kategori"].iter_rows(values_only=True)
    ]
