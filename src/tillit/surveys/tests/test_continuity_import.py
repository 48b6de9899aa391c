"""The staff-continuity import: a dry run lists every bad row; a file with any bad row stores
nothing; a row for the same organisation and period replaces the stored one, in the change
log with its old value."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from io import StringIO

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse

from tillit.changelog.log import IMPORT, changes_for
from tillit.organisation.models import Provider
from tillit.surveys.actions import import_continuity
from tillit.surveys.continuity import parse_continuity
from tillit.surveys.models import ContinuityLevel, StaffContinuity

HEADER = "nivå;organisation;från;till;personal;kunder;källa\n"
GOOD = HEADER + (
    "anordnare;556000-0001;2025-10-06;2025-10-19;11,5;34;Påhittad mätning\n"
    "kommunen;;2025-10-06;2025-10-19;12,0;880;Påhittad mätning\n"
    "riket;;2025-10-06;2025-10-19;15,3;;Påhittad mätning\n"
)


def test_a_good_file_stores_every_row(world):
    parsed = parse_continuity(GOOD.encode())
    assert parsed.errors == []
    assert import_continuity(parsed, by=IMPORT) == 3
    stored = StaffContinuity.objects.get(provider=Provider.objects.get(name="Testomsorg AB"))
    assert (stored.period_from, stored.period_to) == (dt.date(2025, 10, 6), dt.date(2025, 10, 19))
    assert (stored.staff_mean, stored.customers, stored.level) == (
        Decimal("11.5"),
        34,
        ContinuityLevel.PROVIDER,
    )
    country = StaffContinuity.objects.get(level=ContinuityLevel.COUNTRY)
    assert (country.provider, country.customers) == (None, None)


def test_the_same_file_again_replaces_and_logs_the_old_value(world):
    import_continuity(parse_continuity(GOOD.encode()), by=IMPORT)
    import_continuity(parse_continuity(GOOD.replace("11,5;34", "10,0;34").encode()), by=IMPORT)
    assert StaffContinuity.objects.count() == 3
    stored = StaffContinuity.objects.get(level=ContinuityLevel.PROVIDER)
    assert stored.staff_mean == Decimal("10.0")
    last = changes_for(stored)[0]
    assert last.event == "surveys.continuity.replaced"
    assert last.changed == {"staff_mean": ["11.5", "10.0"]}


@pytest.mark.parametrize(
    ("row", "message"),
    [
        ("anordnare;556000-0002;2025-10-06;2025-10-19;11;34;K", "Ingen anordnare"),
        ("enhet;Hemtjänst;2025-10-06;2025-10-19;11;34;K", "Nivån ska vara"),
        ("riket;556000-0001;2025-10-06;2025-10-19;11;;K", "Lämna organisation tom"),
        ("anordnare;556000-0001;6/10/2025;2025-10-19;11;34;K", "ÅÅÅÅ-MM-DD"),
        ("anordnare;556000-0001;2025-10-06;2025-10-31;11;34;K", "ska vara 14 dagar"),
        ("anordnare;556000-0001;2025-10-19;2025-10-06;11;34;K", "ska vara 14 dagar"),
        ("anordnare;556000-0001;2025-10-06;2025-10-19;många;34;K", "ett tal, t.ex. 11,5"),
        ("anordnare;556000-0001;2025-10-06;2025-10-19;-1;34;K", "mellan 0 och 999,9"),
        ("anordnare;556000-0001;2025-10-06;2025-10-19;1000;34;K", "mellan 0 och 999,9"),
        ("anordnare;556000-0001;2025-10-06;2025-10-19;11;;K", "Ange antal kunder"),
        ("anordnare;556000-0001;2025-10-06;2025-10-19;11;3,5;K", "heltal"),
        ("anordnare;556000-0001;2025-10-06;2025-10-19;11;34;", "Ange källan"),
        ("anordnare;556000-0001;2025-10-06;2025-10-19;11;34", "ska ha 7 fält"),
        ("anordnare;5560000001;2025-10-06;2025-10-19;11;34;K", "Samma mätperiod"),
    ],
)
def test_each_bad_row_is_named_and_nothing_is_stored(world, row, message):
    parsed = parse_continuity((GOOD + row + "\n").encode())
    assert [line for line, _m in parsed.errors] == [5]
    assert message in parsed.errors[0][1]
    with pytest.raises(ValidationError):
        import_continuity(parsed, by=IMPORT)
    assert StaffContinuity.objects.count() == 0


def test_every_bad_row_is_listed_and_a_wrong_header_stops_at_once(world):
    bad = HEADER + "x;;;;;;\n" * 3
    assert {line for line, _m in parse_continuity(bad.encode()).errors} == {2, 3, 4}
    survey_file = "år;nivå;organisation;mått;fråga;andel;svar;källa\n"
    assert parse_continuity(survey_file.encode()).errors[0][0] == 1


def test_the_page_dry_runs_then_imports_for_the_quality_developer_only(world):
    url = reverse("surveys:import_continuity")
    assert world.client("unit_head").get(url).status_code == 403
    client = world.client("quality_developer")
    assert reverse("surveys:import_continuity") in client.get(reverse("surveys:import")).text

    def send(text: str, dry_run: bool):
        upload = SimpleUploadedFile("k.csv", text.encode("cp1252"), content_type="text/csv")
        data = {"file": upload, **({"dry_run": "on"} if dry_run else {})}
        return client.post(url, data)

    tried = send(GOOD, dry_run=True)
    assert tried.status_code == 200
    assert "Provkörning: 3 rader är utan fel" in tried.text
    assert StaffContinuity.objects.count() == 0
    refused = send(GOOD + "enhet;X;2025-10-06;2025-10-19;1;1;K\n", dry_run=False)
    assert refused.status_code == 400
    assert "Rad 5:" in refused.text
    assert StaffContinuity.objects.count() == 0
    done = send(GOOD, dry_run=False)
    assert done.status_code == 302
    assert StaffContinuity.objects.count() == 3


def test_the_command_checks_then_imports(world, tmp_path):
    path = tmp_path / "kontinuitet.csv"
    path.write_text(GOOD + "riket;;2025-10-06;2025-10-20;1;;K\n", encoding="utf-8")
    with pytest.raises(CommandError):
        call_command("import_staff_continuity", str(path), stderr=StringIO())
    path.write_text(GOOD, encoding="utf-8")
    out = StringIO()
    call_command("import_staff_continuity", str(path), "--dry-run", stdout=out)
    assert StaffContinuity.objects.count() == 0
    call_command("import_staff_continuity", str(path), stdout=out)
    assert StaffContinuity.objects.count() == 3
