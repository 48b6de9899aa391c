"""What a board's dashboard, the director's view and their PDF and Excel hold: goal →
indicator → value per year, target, place among the municipalities, trend, source and date.

A handful of queries whatever the number of goals: the values, standings and lines of every
indicator on the page are read at once."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Max, Prefetch
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from tillit.charts import Rule, Series, line_chart
from tillit.goals import ranking, standings, survey
from tillit.goals.kolada.municipalities import RIKET
from tillit.goals.models import (
    FollowUp,
    Goal,
    Indicator,
    KoladaLoad,
    Level,
    NationalValue,
    OwnValue,
    SourceKind,
    Standing,
    Target,
    TargetKind,
)
from tillit.goals.ranking import Place
from tillit.organisation.models import Board, Municipality

YEARS_SHOWN = 5
DEFAULT_LINE = 10


@dataclass
class YearFigure:
    year: int
    value: Decimal | None = None
    place: Place | None = None
    riket: Decimal | None = None
    lines: dict[int, Decimal | None] = field(default_factory=dict)


@dataclass
class IndicatorRow:
    indicator: Indicator
    target: Target | None
    years: list[YearFigure]
    source: str
    as_of: dt.date | None

    @property
    def latest(self) -> YearFigure | None:
        with_value = [y for y in self.years if y.value is not None]
        return with_value[-1] if with_value else None

    @property
    def trend(self) -> ranking.Trend | None:
        series = [y.value for y in self.years if y.value is not None]
        return ranking.trend(series, higher_is_better=self.indicator.higher_is_better)

    @property
    def line_percent(self) -> int:
        if self.target and self.target.kind == TargetKind.RANK and self.target.best_percent:
            return self.target.best_percent
        return DEFAULT_LINE

    @property
    def target_text(self) -> str:
        if self.target is None:
            return ""
        if self.target.kind == TargetKind.RANK:
            return _("Bland de %(p)s %% bästa") % {"p": self.target.best_percent}
        sign = "≥" if self.indicator.higher_is_better else "≤"
        return f"{sign} {number(self.target.level)} {self.indicator.unit}".strip()

    @property
    def met(self) -> bool | None:
        latest = self.latest
        if self.target is None or latest is None or latest.value is None:
            return None
        if self.target.kind == TargetKind.RANK:
            if latest.place is None or self.target.best_percent is None:
                return None
            return latest.place.among_best(self.target.best_percent)
        if self.target.level is None:
            return None
        return ranking.reaches_level(
            latest.value, self.target.level, higher_is_better=self.indicator.higher_is_better
        )

    def chart(self, municipality: str) -> SafeString:
        labels = [str(y.year) for y in self.years]
        series = [Series(municipality, [y.value for y in self.years])]
        rules: list[Rule] = []
        if any(y.riket is not None for y in self.years):
            series.append(Series(_("Riket"), [y.riket for y in self.years]))
        if self.indicator.source == SourceKind.KOLADA:
            p = self.line_percent
            series.append(
                Series(
                    _("Gräns för de %(p)s %% bästa") % {"p": p},
                    [y.lines.get(p) for y in self.years],
                )
            )
        if self.target and self.target.kind == TargetKind.LEVEL and self.target.level is not None:
            rules.append(Rule(self.target.level, _("Mål")))
        return line_chart(
            series,
            x_labels=labels,
            rules=rules,
            title=self.indicator.title,
            unit=self.indicator.unit,
        )


@dataclass
class GoalBlock:
    goal: Goal
    rows: list[IndicatorRow]
    follow_ups: list[FollowUp]
    children: list[GoalBlock]


@dataclass
class CostRow:
    own: IndicatorRow
    national: IndicatorRow | None

    @property
    def rows(self) -> list[IndicatorRow]:
        return [self.own, *([self.national] if self.national else [])]


@dataclass
class Dashboard:
    title: str
    municipality: Municipality
    board: Board | None
    years: list[int]
    council: list[Goal]
    blocks: list[GoalBlock]
    costs: list[CostRow]
    made_on: dt.date

    def all_rows(self) -> list[tuple[GoalBlock, IndicatorRow]]:
        found: list[tuple[GoalBlock, IndicatorRow]] = []

        def walk(block: GoalBlock) -> None:
            found.extend((block, row) for row in block.rows)
            for child in block.children:
                walk(child)

        for block in self.blocks:
            walk(block)
        return found


def number(value: Decimal | None) -> str:
    """12 345,6: one decimal where there is one, Swedish separators."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        value = Decimal(str(value))
    if not isinstance(value, Decimal):
        return "–"
    rounded = value.quantize(Decimal("0.1"))
    text = f"{int(rounded):,}" if rounded == rounded.to_integral() else f"{rounded:,.1f}"
    return text.replace(",", " ").replace(".", ",")


def latest_year(indicators: Iterable[Indicator], today: dt.date) -> int:
    indicators = list(indicators)
    ids = [i.pk for i in indicators]
    national = NationalValue.objects.filter(indicator_id__in=ids).aggregate(y=Max("year"))["y"]
    owned = OwnValue.objects.filter(indicator_id__in=ids).aggregate(y=Max("year"))["y"]
    surveyed = survey.latest_year([i.survey_measure for i in indicators if i.survey_measure])
    found = [y for y in (national, owned, surveyed) if y]
    return max(found) if found else today.year - 1


def figures(
    indicators: Sequence[Indicator], code: str, years: list[int]
) -> dict[int, tuple[list[YearFigure], str, dt.date | None]]:
    """indicator id → (a figure per year, the source, the date of the newest figure)."""
    ids = [i.pk for i in indicators]
    kolada_ids = [i.pk for i in indicators if i.source == SourceKind.KOLADA]
    own_ids = [i.pk for i in indicators if i.source == SourceKind.OWN]
    by_key: dict[tuple[int, int], YearFigure] = {
        (pk, year): YearFigure(year) for pk in ids for year in years
    }
    loads: dict[int, set[int]] = defaultdict(set)
    for pk, year, municipality, value, load_id in NationalValue.objects.filter(
        indicator_id__in=kolada_ids, year__in=years, municipality__in=[code, RIKET]
    ).values_list("indicator_id", "year", "municipality", "value", "load_id"):
        figure = by_key[(pk, year)]
        if municipality == RIKET:
            figure.riket = value
        else:
            figure.value = value
        loads[pk].add(load_id)
    for pk, year, rank, count in Standing.objects.filter(
        indicator_id__in=kolada_ids, year__in=years, municipality=code
    ).values_list("indicator_id", "year", "rank", "count"):
        by_key[(pk, year)].place = Place(rank, count)
    for (pk, year), found in standings.lines(kolada_ids, (10, 25, 50), years).items():
        if (pk, year) in by_key:
            by_key[(pk, year)].lines = found
    computed: dict[int, dt.datetime] = {}
    for pk, year, own_value, at in OwnValue.objects.filter(
        indicator_id__in=own_ids, year__in=years, unit__isnull=True
    ).values_list("indicator_id", "year", "value", "computed_at"):
        by_key[(pk, year)].value = own_value
        computed[pk] = max(at, computed.get(pk, at))
    surveyed = survey.figures([i for i in indicators if i.source == SourceKind.SURVEY], years)
    for pk, (per_year_survey, _note, _on) in surveyed.items():
        for year, found_value in per_year_survey.items():
            by_key[(pk, year)].value = found_value.value
            by_key[(pk, year)].riket = found_value.riket
    load_info = {
        load.pk: load
        for load in KoladaLoad.objects.filter(pk__in={i for s in loads.values() for i in s})
    }
    result: dict[int, tuple[list[YearFigure], str, dt.date | None]] = {}
    for indicator in indicators:
        per_year = [by_key[(indicator.pk, year)] for year in years]
        if indicator.source == SourceKind.KOLADA:
            used = [load_info[i] for i in loads.get(indicator.pk, set())]
            notes = sorted({load.source_note for load in used}) or [_("Källa: Kolada")]
            newest = max((load.loaded_at for load in used), default=None)
            # Kolada's terms: what we derive from its values is not Kolada's figure.
            notes.append(_("rang och percentil: egen bearbetning"))
            result[indicator.pk] = (per_year, "; ".join(notes), newest.date() if newest else None)
        elif indicator.source == SourceKind.SURVEY:
            _values, note, imported_on = surveyed[indicator.pk]
            result[indicator.pk] = (per_year, note, imported_on)
        else:
            when = computed.get(indicator.pk)
            result[indicator.pk] = (
                per_year,
                _("Källa: Tillit (egna uppgifter)"),
                when.date() if when else None,
            )
    return result


def _goals(board: Board | None) -> list[Goal]:
    targets = Prefetch(
        "targets", queryset=Target.objects.select_related("indicator").order_by("indicator__code")
    )
    follow_ups = Prefetch("follow_ups", queryset=FollowUp.objects.order_by("-period"))
    goals = Goal.objects.select_related("board", "unit", "parent").prefetch_related(
        targets, follow_ups
    )
    if board is not None:
        goals = goals.filter(board=board) | goals.filter(level=Level.COUNCIL, children__board=board)
    return list(goals.distinct().order_by("level", "title"))


def build(
    *,
    municipality: Municipality,
    board: Board | None,
    today: dt.date,
    last_year: int | None = None,
) -> Dashboard:
    goals = _goals(board)
    indicators = {t.indicator.pk: t.indicator for g in goals for t in g.targets.all()}
    cost_own = list(
        Indicator.objects.filter(is_cost=True, source=SourceKind.OWN).select_related(
            "national_counterpart"
        )
    )
    for indicator in cost_own:
        indicators[indicator.pk] = indicator
        if indicator.national_counterpart is not None:
            counterpart = indicator.national_counterpart
            indicators[counterpart.pk] = counterpart
    last = last_year or latest_year(indicators.values(), today)
    years = list(range(last - YEARS_SHOWN + 1, last + 1))
    found = figures(list(indicators.values()), municipality.code, years)

    def row(indicator: Indicator, target: Target | None) -> IndicatorRow:
        per_year, source, as_of = found[indicator.pk]
        return IndicatorRow(indicator, target, per_year, source, as_of)

    by_parent: dict[int | None, list[Goal]] = defaultdict(list)
    for goal in goals:
        by_parent[goal.parent_id].append(goal)

    def block(goal: Goal) -> GoalBlock:
        return GoalBlock(
            goal=goal,
            rows=[row(t.indicator, t) for t in goal.targets.all()],
            follow_ups=list(goal.follow_ups.all()),
            children=[block(child) for child in by_parent.get(goal.pk, [])],
        )

    shown = {g.pk for g in goals}
    council = [g for g in goals if g.level == Level.COUNCIL]
    if board is not None:
        tops = [
            g
            for g in goals
            if g.level == Level.BOARD or (g.level == Level.UNIT and g.parent_id not in shown)
        ]
        title = _("Mål och resultat – %(board)s") % {"board": board.name}
    else:
        tops = [g for g in goals if g.parent_id is None or g.parent_id not in shown]
        title = _("Mål och resultat – %(municipality)s") % {"municipality": municipality.name}
    blocks = [block(g) for g in tops]
    costs = [
        CostRow(
            own=row(i, None),
            national=row(i.national_counterpart, None) if i.national_counterpart else None,
        )
        for i in cost_own
    ]
    return Dashboard(title, municipality, board, years, council, blocks, costs, today)
