"""The survey import: a dry run lists every bad row; a file with any bad row stores nothing."""

from __future__ import annotations

from decimal import Decimal
from io import StringIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse

from tillit.organisation.models import Provider
from tillit.surveys.importing import parse
from tillit.surveys.models import SurveyReference, SurveyResult

HEADER = "år;nivå;organisation;mått;fråga;andel;svar;källa\n"


def _good(world) -> str:
    return HEADER + (
        "2025;anordnare;556000-0001;helhet;Sammantaget nöjd;87,5;42;Påhittad källa\n"
        "2025;enhet;Barn och familj;helhet;Sammantaget nöjd;80;120;Påhittad källa\n"
        "2025;kommunen;;helhet;Sammantaget nöjd;84,1;900;Påhittad källa\n"
        "2025;riket;;helhet;Sammantaget nöjd;86,0;;Påhittad källa\n"
    )


def test_a_good_file_stores_every_row(world):
    parsed = parse(_good(world).encode())
    assert parsed.errors == []
    from tillit.surveys.actions import import_results

    assert import_results(parsed, by=None) == 4
    provider = Provider.objects.get(name="Testomsorg AB")
    stored = SurveyResult.objects.get(provider=provider)
    assert (stored.share_percent, stored.answers, stored.unit) == (Decimal("87.5"), 42, None)
    assert SurveyResult.objects.get(unit=world.unit).provider is None
    assert SurveyReference.objects.count() == 2
    # The same file again replaces, not duplicates.
    import_results(parse(_good(world).encode()), by=None)
    assert SurveyResult.objects.count() == 2


@pytest.mark.parametrize(
    ("row", "message"),
    [
        ("20x5;anordnare;556000-0001;helhet;Nöjd;87;42;K", "Året ska vara ett tal"),
        ("2025;anordnare;556000-0002;helhet;Nöjd;87;42;K", "Ingen anordnare"),
        ("2025;enhet;Finns inte;helhet;Nöjd;87;42;K", "Ingen enhet"),
        ("2025;landsting;;helhet;Nöjd;87;42;K", "Nivån ska vara"),
        ("2025;anordnare;556000-0001;helhet;Nöjd;101;42;K", "mellan 0 och 100"),
        ("2025;anordnare;556000-0001;helhet;Nöjd;mycket;42;K", "ett tal"),
        ("2025;anordnare;556000-0001;helhet;Nöjd;87;;K", "Ange antal svar"),
        ("2025;anordnare;556000-0001;;Nöjd;87;42;K", "måttets kod"),
        ("2025;anordnare;556000-0001;helhet;Nöjd;87;42", "ska ha 8 fält"),
        ("2025;riket;556000-0001;helhet;Nöjd;87;42;K", "Lämna organisation tom"),
    ],
)
def test_each_bad_row_is_named_and_nothing_is_stored(world, row, message):
    text = _good(world) + row + "\n"
    parsed = parse(text.encode())
    assert [line for line, _m in parsed.errors] == [6]
    assert message in parsed.errors[0][1]
    from django.core.exceptions import ValidationError

    from tillit.surveys.actions import import_results

    with pytest.raises(ValidationError):
        import_results(parsed, by=None)
    assert SurveyResult.objects.count() == 0


def test_every_bad_row_is_listed_not_only_the_first(world):
    text = HEADER + "x;y;z;;;;;\n" * 3
    assert [line for line, _m in parse(text.encode()).errors][:3] == [2, 2, 2]
    assert {line for line, _m in parse(text.encode()).errors} == {2, 3, 4}


def test_the_quality_developer_dry_runs_then_imports_on_the_page(world):
    client = world.client("quality_developer")
    url = reverse("surveys:import")
    start = client.get("/start/").content.decode()
    assert f'href="{url}"' in start
    bad = SimpleUploadedFile("r.csv", (_good(world) + "2025;x;;;;;;\n").encode())
    page = client.post(url, {"file": bad, "dry_run": "on"})
    assert page.status_code == 400
    assert "Rad 6" in page.content.decode()
    dry = client.post(
        url, {"file": SimpleUploadedFile("r.csv", _good(world).encode()), "dry_run": "on"}
    )
    assert dry.status_code == 200
    assert SurveyResult.objects.count() == 0
    done = client.post(url, {"file": SimpleUploadedFile("r.csv", _good(world).encode())})
    assert done.status_code == 302
    assert SurveyResult.objects.count() == 2


def test_the_command_imports_all_or_nothing(world, tmp_path):
    path = tmp_path / "r.csv"
    path.write_text(_good(world) + "2025;x;;;;;;\n", encoding="utf-8")
    with pytest.raises(CommandError):
        call_command("import_survey_results", str(path), stderr=StringIO())
    assert SurveyResult.objects.count() == 0
    path.write_text(_good(world), encoding="utf-8")
    out = StringIO()
    call_command("import_survey_results", str(path), "--dry-run", stdout=out)
    assert SurveyResult.objects.count() == 0
    call_command("import_survey_results", str(path), stdout=out)
    assert SurveyResult.objects.count() == 2
