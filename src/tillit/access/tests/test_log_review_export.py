"""The log review exported for the inspectorate: CSV and Excel hold the same rows and the same
identities as the page, formulas stay text, and the export is itself logged."""

import csv
import io

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from tillit.audit.models import AccessAction, AccessLog


def _reads(world):
    world.client("reception_worker").get(f"/personer/{world.children['assigned'].pk}/")
    world.client("reception_worker").get(f"/personer/{world.children['other_unit'].pk}/")


def _query(world):
    today = timezone.localdate()
    return {
        "start": today.replace(day=1).isoformat(),
        "end": today.isoformat(),
        "actor": world.people["reception_worker"].pk,
    }


def _csv(response):
    text = response.content.decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text), delimiter=";"))


def _xlsx(response):
    sheet = load_workbook(io.BytesIO(response.content)).active
    return [
        [("" if c is None else str(c)) for c in row] for row in sheet.iter_rows(values_only=True)
    ]


@pytest.mark.parametrize(("suffix", "read"), [("csv", _csv), ("xlsx", _xlsx)])
def test_the_export_holds_the_pages_rows_and_identities_and_is_logged(world, suffix, read):
    _reads(world)
    client = world.client("unit_head")
    response = client.get(f"/loggar/export.{suffix}", _query(world))
    assert response.status_code == 200
    assert f'.{suffix}"' in response["Content-Disposition"]
    rows = read(response)
    assert rows[0][:3] == ["Löpnummer", "Tid", "Medarbetare"]
    body = rows[1:]
    assert len(body) == 2  # the read in the unit and the refused attempt elsewhere
    people = {row[3] for row in body}
    assigned, other = world.children["assigned"], world.children["other_unit"]
    assert "Tilldelad Barnsson" in people
    assert f"Person #{other.pk}" in people  # not reached: a reference, as on the page
    assert other.first_name not in "".join("".join(r) for r in body)
    exported = AccessLog.objects.filter(actor=world.people["unit_head"], action=AccessAction.EXPORT)
    assert exported.filter(individual__isnull=True, object_type="accesslog").count() == 1
    assert set(
        exported.exclude(individual__isnull=True).values_list("individual_id", flat=True)
    ) == {assigned.pk}


def test_a_person_outside_review_may_not_export(world):
    assert world.client("reception_worker").get("/loggar/export.csv").status_code == 403


def test_a_bad_period_is_refused_and_nothing_is_exported(world):
    response = world.client("unit_head").get(
        "/loggar/export.csv", {"start": "2026-13-01", "end": "x"}
    )
    assert response.status_code == 400
    assert not AccessLog.objects.filter(action=AccessAction.EXPORT).exists()
