"""`tillit kolada load`: a file in Kolada's shape, whole or not at all."""

import json

import pytest
from django.core.management import CommandError, call_command

from tillit.goals.kolada import sample
from tillit.goals.models import ComparisonGroup, NationalValue
from tillit.goals.tests.factories import kolada_indicator, row

pytestmark = pytest.mark.django_db


def test_it_loads_a_file_and_refuses_a_bad_one_whole(tmp_path):
    kolada_indicator(sample.KPIS[0])
    good = tmp_path / "bra.json"
    good.write_text(json.dumps({"values": [row("U21468", "0180", 2024, 85)]}))
    call_command("kolada", "load", str(good))
    bad = tmp_path / "fel.json"
    bad.write_text(
        json.dumps({"values": [row("U21468", "0182", 2024, 90), row("U21468", "0", 2024, 1)]})
    )
    with pytest.raises(CommandError, match="kommunkoden 0 är okänd"):
        call_command("kolada", "load", str(bad))
    assert list(NationalValue.objects.values_list("municipality", flat=True)) == ["0180"]


def test_it_loads_koladas_municipality_groups(tmp_path):
    from pathlib import Path

    source = Path(__file__).parent / "answers" / "groups.json"
    call_command("kolada", "load", "--groups", str(source))
    group = ComparisonGroup.objects.get()
    assert group.kind == "kolada"
    assert group.members == ["0180", "0162", "0186"]


def test_it_writes_the_synthetic_sample(tmp_path):
    out = tmp_path / "urval.json"
    call_command("kolada", "sample", str(out), "--years", "2024")
    answer = json.loads(out.read_text())
    assert {r["kpi"] for r in answer["values"]} == {k.id for k in sample.KPIS}
