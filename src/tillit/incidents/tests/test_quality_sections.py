"""The quality report's incident sections: counted from the year's records, missing when none."""

import datetime as dt

import pytest
from django.utils import timezone

from tillit.incidents.models import Category
from tillit.incidents.quality_sections import deviations_section, lex_sarah_section
from tillit.incidents.tests import factories
from tillit.quality.sections import ReportScope

pytestmark = pytest.mark.django_db


def _scope(world, year):
    return ReportScope(
        year=year,
        unit_ids=[world.unit.pk],
        first=dt.date(year, 1, 1),
        last=dt.date(year, 12, 31),
        today=timezone.localdate(),
    )


def test_deviations_are_counted_per_category_and_step(world):
    year = timezone.localdate().year
    assert deviations_section(_scope(world, year)) is None
    factories.deviation(world)
    factories.deviation(world)
    factories.deviation(world, category=Category.OTHER)
    section = deviations_section(_scope(world, year))
    assert section is not None
    assert section["facts"][0][1] == 3
    per_category = {row[0]: row[1] for row in section["tables"][0]["rows"]}
    assert sum(per_category.values()) == 3
    assert per_category[str(Category.DOCUMENTATION.label)] == 2
    # Another year, another unit: nothing.
    assert deviations_section(_scope(world, year - 1)) is None
    scope = _scope(world, year)
    other_unit = ReportScope(year, [world.other_unit.pk], scope.first, scope.last, scope.today)
    assert deviations_section(other_unit) is None


def test_no_lex_sarah_section_without_reports(world):
    assert lex_sarah_section(_scope(world, timezone.localdate().year)) is None
