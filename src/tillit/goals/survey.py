"""Indicators from the imported user surveys (tillit.surveys): a question's results per provider
and unit and year, the municipality's figure beside the country's.

- A result with fewer answers than TILLIT_SURVEY_MIN_ANSWERS (the public pages' minimum) is
  hidden: it is neither shown nor counted, and the page says why.
- The municipality's figure for a year is the municipality's own reference value when the
  survey file gave one (nivå "kommunen"); otherwise the mean of the shown results weighted by
  their answers, to one decimal. Riket is the file's "riket" value.
- Shares outside 0–100 never get here: the surveys' import refuses the whole file
  (tillit.surveys.importing), and the database refuses them too.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.db.models import Max
from django.utils.translation import gettext as _

from tillit.goals.models import Indicator
from tillit.surveys.models import Scope, SurveyReference, SurveyResult


def min_answers() -> int:
    return int(settings.TILLIT_SURVEY_MIN_ANSWERS)


@dataclass(frozen=True)
class YearValue:
    value: Decimal | None
    riket: Decimal | None
    answers: int


@dataclass(frozen=True)
class Cell:
    """One provider's or unit's result for a year: hidden when too few answered."""

    share: Decimal | None
    answers: int
    hidden: bool


@dataclass(frozen=True)
class BreakdownRow:
    name: str
    kind: str
    cells: list[Cell | None]

    @property
    def any_hidden(self) -> bool:
        return any(c is not None and c.hidden for c in self.cells)


def _weighted(results: Iterable[tuple[Decimal, int]]) -> tuple[Decimal | None, int]:
    shown = [(share, answers) for share, answers in results]
    total = sum(answers for _share, answers in shown)
    if not total:
        return None, 0
    mean = sum(share * answers for share, answers in shown) / Decimal(total)
    return mean.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP), total


def figures(
    indicators: Sequence[Indicator], years: list[int]
) -> dict[int, tuple[dict[int, YearValue], str, dt.date | None]]:
    """indicator id → ({year: the municipality's value, Riket's, the answers behind it}, the
    source, the date the newest result was imported)."""
    measures = {i.survey_measure: i.pk for i in indicators if i.survey_measure}
    enough = min_answers()
    shown: dict[tuple[str, int], list[tuple[Decimal, int]]] = defaultdict(list)
    sources: dict[str, set[str]] = defaultdict(set)
    for measure, year, share, answers, source in SurveyResult.objects.filter(
        measure__in=list(measures), year__in=years, answers__gte=enough
    ).values_list("measure", "year", "share_percent", "answers", "source"):
        shown[(measure, year)].append((share, answers))
        sources[measure].add(source)
    references: dict[tuple[str, int, str], tuple[Decimal, int | None]] = {}
    reference_rows = SurveyReference.objects.filter(
        measure__in=list(measures), year__in=years
    ).values_list("measure", "year", "scope", "share_percent", "answers", "source")
    for measure, year, scope, share, reference_answers, source in reference_rows:
        references[(measure, year, scope)] = (share, reference_answers)
        sources[measure].add(source)
    imported = _imported_on(list(measures), years)
    found: dict[int, tuple[dict[int, YearValue], str, dt.date | None]] = {}
    for measure, pk in measures.items():
        per_year: dict[int, YearValue] = {}
        for year in years:
            mean, answers = _weighted(shown.get((measure, year), []))
            own = references.get((measure, year, Scope.MUNICIPALITY))
            riket = references.get((measure, year, Scope.COUNTRY))
            per_year[year] = YearValue(
                value=own[0] if own else mean,
                riket=riket[0] if riket else None,
                answers=(own[1] or answers) if own else answers,
            )
        note = "; ".join(sorted(sources.get(measure, set())))
        source = _("Källa: %(source)s") % {"source": note} if note else _("Brukarundersökning")
        found[pk] = (per_year, source, imported.get(measure))
    return found


def latest_year(measures: list[str]) -> int | None:
    """The newest year any of these questions has a result or reference value for."""
    if not measures:
        return None
    years = [
        model.objects.filter(measure__in=measures).aggregate(y=Max("year"))["y"]
        for model in (SurveyResult, SurveyReference)
    ]
    return max((y for y in years if y), default=None)


def _imported_on(measures: list[str], years: list[int]) -> dict[str, dt.date]:
    newest: dict[str, dt.date] = {}
    for model in (SurveyResult, SurveyReference):
        rows = (
            model.history.filter(measure__in=measures, year__in=years)
            .values("measure")
            .annotate(at=Max("history_date"))
            .order_by()
        )
        for row in rows:
            day = row["at"].date()
            newest[row["measure"]] = max(day, newest.get(row["measure"], day))
    return newest


def breakdown(indicator: Indicator, years: list[int]) -> list[BreakdownRow]:
    """Each provider's and unit's result per year (the drill-down), hidden cells marked."""
    enough = min_answers()
    cells: dict[tuple[str, str], dict[int, Cell]] = defaultdict(dict)
    for year, share, answers, provider, unit in SurveyResult.objects.filter(
        measure=indicator.survey_measure, year__in=years
    ).values_list("year", "share_percent", "answers", "provider__name", "unit__name"):
        key = (provider, str(_("Anordnare"))) if provider else (unit or "?", str(_("Enhet")))
        hidden = answers < enough
        cells[key][year] = Cell(None if hidden else share, answers, hidden)
    rows = [
        BreakdownRow(name, kind, [per_year.get(y) for y in years])
        for (name, kind), per_year in cells.items()
    ]
    return sorted(rows, key=lambda row: (row.kind, row.name))
