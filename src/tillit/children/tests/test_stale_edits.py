"""Two people save the same risk assessment from pages loaded before each other's save: the
later save is refused (409) with a Swedish message and the page shows the newer values."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from tillit.children.models import RiskAssessment
from tillit.children.tests.conftest import register

ANSWERS = {
    f"q_{code}": "nej" for code in ["vald_mot_barnet", "bevittnat_vald", "hedersrelaterat", "hot"]
}


def _version_on(page: str) -> str:
    found = re.search(r'name="version"(?: value="(\d*)")?', page)
    assert found is not None, "the page carries no version"
    return found[1] or ""


def _load(client, track) -> str:
    return _version_on(client.get(reverse("children:track", args=[track.pk])).content.decode())


def _save(client, track, version: str, level: str, notes: str):
    return client.post(
        reverse("children:risk", args=[track.pk]),
        {**ANSWERS, "level": level, "notes": notes, "version": version},
    )


@pytest.mark.parametrize("existing", [False, True], ids=["new", "revised"])
def test_the_later_of_two_stale_saves_is_refused_and_sees_the_newer_values(reception, existing):
    track = register(reception).tracks.get()
    worker = reception.client("reception_worker")
    head = reception.client("reception_head")
    if existing:
        assert _save(worker, track, "", "mattlig", "Första").status_code == 302
    shown_to_worker = _load(worker, track)
    shown_to_head = _load(head, track)
    assert shown_to_worker == shown_to_head == ("1" if existing else "")

    assert _save(worker, track, shown_to_worker, "lag", "Skolan bekräftar").status_code == 302
    response = _save(head, track, shown_to_head, "akut", "Gruppchefens ändring")

    assert response.status_code == 409
    page = response.content.decode()
    assert "Någon annan har sparat ändringar sedan du öppnade sidan" in page
    assert "Skolan bekräftar" in page  # the newer values are shown
    assert "Gruppchefens ändring" not in page
    saved = RiskAssessment.objects.get(track=track)
    assert (saved.level, saved.notes) == ("lag", "Skolan bekräftar")
    assert _version_on(page) == str(saved.version)

    # Reloaded, the page carries the newer version and the head's save goes through.
    assert _save(head, track, _load(head, track), "akut", "Gruppchefens ändring").status_code == 302
    saved.refresh_from_db()
    assert (saved.level, saved.version) == ("akut", 3 if existing else 2)


def test_a_version_of_an_assessment_not_made_is_refused_as_stale(reception):
    # The page names version 1 of a risk assessment nobody has made (a tampered form): the
    # newer values were read with .get() and the answer was a server error (found by fuzzing).
    track = register(reception).tracks.get()
    response = _save(reception.client("reception_worker"), track, "1", "lag", "Påhittat")

    assert response.status_code == 409
    page = response.content.decode()
    assert "Någon annan har sparat ändringar sedan du öppnade sidan" in page
    assert "Påhittat" not in page
    assert _version_on(page) == ""
    assert not RiskAssessment.objects.filter(track=track).exists()
