"""The trend over periods: the share on time of each kind of item, for the chosen period and
the ones before it, drawn as an SVG line chart on the server (no JavaScript, no image files)
with the same numbers in a table beside it.

All the periods come from one grouped query: each Deadline row is put in the bucket of the
period it counts in (assessments by receipt, investigations by closing, as `compute` counts
them) and classified with the same conditions (`outcomes.outcome_counts`), so every point equals
the total of `compute` for that period (tested period by period)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Case, IntegerField, Q, Value, When
from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from tillit.children.figures.outcomes import Compliance, outcome_counts
from tillit.children.figures.periods import Period
from tillit.children.figures.scope import Scope
from tillit.children.models import Deadline, DeadlineKind

TREND_PERIODS = 6
WIDTH, HEIGHT = 640, 260
LEFT, RIGHT, TOP, BOTTOM = 48, 16, 16, 56
# GOV.UK Frontend palette, with a dash pattern each so the lines differ without colour too.
SERIES_STYLE = [("#1d70b8", ""), ("#d4351c", "6 4"), ("#00703c", "2 3")]
ASSESSMENTS = (DeadlineKind.PROTECTIVE, DeadlineKind.INITIAL)


@dataclass(frozen=True)
class TrendPoint:
    period: Period
    protective: Decimal | None
    initial: Decimal | None
    investigation: Decimal | None


def _counted_in(periods: list[Period], index: int) -> Q:
    """The rows period `index` counts: assessments received in it, investigations closed in it."""
    period = periods[index]
    return Q(kind__in=ASSESSMENTS, started_on__gte=period.first, started_on__lte=period.last) | Q(
        kind=DeadlineKind.INVESTIGATION,
        completed_on__gte=period.first,
        completed_on__lte=period.last,
    )


def trend_counts(
    scope: Scope, periods: list[Period], level: str, today: dt.date
) -> dict[tuple[int, str], Compliance]:
    """On time, extended, late and ongoing per (index of the period, kind) over the whole scope
    at `level`, in one query grouped by the period's bucket and the kind."""
    if not periods:
        return {}
    bucket = Case(
        *(When(_counted_in(periods, i), then=Value(i)) for i in range(len(periods))),
        default=None,
        output_field=IntegerField(),
    )
    first, last = periods[0].first, periods[-1].last
    # The WHERE narrows to the whole span by index; the CASE then places each row.
    span = Q(kind__in=ASSESSMENTS, started_on__gte=first, started_on__lte=last) | Q(
        kind=DeadlineKind.INVESTIGATION, completed_on__gte=first, completed_on__lte=last
    )
    rows = (
        Deadline.objects.filter(scope.condition(level))
        .filter(span)
        .annotate(bucket=bucket)
        .values("bucket", "kind")
        .annotate(**outcome_counts(today))
        .order_by()
    )
    return {
        (row["bucket"], row["kind"]): Compliance(
            on_time=row["n_on_time"],
            extended=row["n_extended"],
            late=row["n_late"],
            ongoing=row["n_ongoing"],
        )
        for row in rows
        if row["bucket"] is not None
    }


def trend(
    scope: Scope, period: Period, level: str, today: dt.date, count: int = TREND_PERIODS
) -> list[TrendPoint]:
    """The whole scope's share on time per period, oldest first: `count` periods of the chosen
    one's kind ending with it, in one query."""
    periods = period.series(count)
    counts = trend_counts(scope, periods, level, today)

    def share(index: int, kind: str) -> Decimal | None:
        return counts.get((index, kind), Compliance()).share_percent

    return [
        TrendPoint(
            each,
            share(i, DeadlineKind.PROTECTIVE),
            share(i, DeadlineKind.INITIAL),
            share(i, DeadlineKind.INVESTIGATION),
        )
        for i, each in enumerate(periods)
    ]


def series_names() -> list[str]:
    return [_("Skyddsbedömning"), _("Förhandsbedömning"), _("Utredning")]


def trend_svg(points: list[TrendPoint], title_id: str = "trend-rubrik") -> SafeString:
    """A line per kind (0–100 % on time), a point per period; a missing value breaks the line."""
    if not points:
        return mark_safe("")
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    step = plot_w / max(1, len(points) - 1)

    def x(i: int) -> float:
        return LEFT + (i * step if len(points) > 1 else plot_w / 2)

    def y(value: Decimal) -> float:
        return TOP + plot_h * (1 - float(value) / 100)

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" '
        f'class="tillit-chart" role="img" aria-labelledby="{escape(title_id)}">'
    ]
    for tick in (0, 25, 50, 75, 100):
        ty = y(Decimal(tick))
        parts.append(
            f'<line x1="{LEFT}" y1="{ty:.1f}" x2="{WIDTH - RIGHT}" y2="{ty:.1f}" '
            'stroke="#b1b4b6" stroke-width="1"/>'
            f'<text x="{LEFT - 6}" y="{ty + 4:.1f}" text-anchor="end" font-size="12" '
            f'fill="#0b0c0c">{tick} %</text>'
        )
    for i, point in enumerate(points):
        parts.append(
            f'<text x="{x(i):.1f}" y="{HEIGHT - BOTTOM + 18}" text-anchor="middle" '
            f'font-size="12" fill="#0b0c0c">{escape(point.period.short_label)}</text>'
        )
    kinds = ("protective", "initial", "investigation")
    for (colour, dash), kind, name in zip(SERIES_STYLE, kinds, series_names(), strict=True):
        segments: list[list[tuple[float, float]]] = [[]]
        for i, point in enumerate(points):
            value = getattr(point, kind)
            if value is None:
                segments.append([])
                continue
            segments[-1].append((x(i), y(value)))
            parts.append(
                f'<circle cx="{x(i):.1f}" cy="{y(value):.1f}" r="3.5" fill="{colour}">'
                f"<title>{escape(name)} {escape(point.period.short_label)}: "
                f"{escape(str(value).replace('.', ','))} %</title></circle>"
            )
        dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
        for segment in segments:
            if len(segment) > 1:
                coords = " ".join(f"{px:.1f},{py:.1f}" for px, py in segment)
                parts.append(
                    f'<polyline points="{coords}" fill="none" stroke="{colour}" '
                    f'stroke-width="2.5"{dash_attr}/>'
                )
    parts.extend(_legend())
    parts.append("</svg>")
    return format_html("{}", mark_safe("".join(parts)))  # noqa: S308 - every text escaped above


def _legend() -> list[str]:
    """A line sample and the name of each series, below the axis labels."""
    parts = []
    legend_y = HEIGHT - 12
    for index, ((colour, dash), name) in enumerate(zip(SERIES_STYLE, series_names(), strict=True)):
        lx = LEFT + index * 190
        dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
        parts.append(
            f'<line x1="{lx}" y1="{legend_y - 4}" x2="{lx + 24}" y2="{legend_y - 4}" '
            f'stroke="{colour}" stroke-width="2.5"{dash_attr}/>'
            f'<text x="{lx + 30}" y="{legend_y}" font-size="12" fill="#0b0c0c">'
            f"{escape(name)}</text>"
        )
    return parts
