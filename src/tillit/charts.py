"""Small server-rendered SVG charts: no JavaScript, the same picture in every browser.

`line_chart` draws one or more series over labelled x positions (years, months), with optional
horizontal reference lines (a target, the 10 % line). The SVG is an image with a title and a
description that reads the values out, for screen readers; pages show the numbers in a table
beside it too. Missing values (None) break the line.

    from tillit.charts import Rule, Series, line_chart
    svg = line_chart(
        [Series("Demokommunen", [Decimal("88"), None, Decimal("91")])],
        x_labels=["2023", "2024", "2025"],
        rules=[Rule(Decimal("90"), "Mål")],
        title="Nöjdhet med hemtjänsten",
        unit="%",
    )
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

Number = Decimal | float | int

# Colours with at least 3:1 contrast against white (WCAG 1.4.11), told apart by dash too.
COLOURS = ["#1f4e9c", "#a23b00", "#2e6b30", "#6b2e8a", "#444444"]
DASHES = ["", "6 3", "2 3", "8 3 2 3", "1 2"]
RULE_COLOUR = "#555555"


@dataclass(frozen=True)
class Series:
    label: str
    values: Sequence[Number | None]


@dataclass(frozen=True)
class Rule:
    value: Number
    label: str


def _number(value: Number) -> str:
    text = f"{float(value):,.1f}".replace(",", " ").replace(".", ",")
    return text[:-2] if text.endswith(",0") else text


def _bounds(series: Sequence[Series], rules: Sequence[Rule]) -> tuple[float, float]:
    found = [float(v) for s in series for v in s.values if v is not None]
    found += [float(r.value) for r in rules]
    if not found:
        return 0.0, 1.0
    low, high = min(found), max(found)
    if low == high:
        low, high = low - 1, high + 1
    margin = (high - low) * 0.08
    return low - margin, high + margin


def line_chart(
    series: Sequence[Series],
    *,
    x_labels: Sequence[str],
    title: str,
    rules: Sequence[Rule] = (),
    unit: str = "",
    width: int = 480,
    height: int = 200,
) -> SafeString:
    left, right, top, bottom = 56, 12, 12, 40 + 16 * ((len(series) + len(rules) + 1) // 2)
    plot_w, plot_h = width - left - right, height - top - bottom
    low, high = _bounds(series, rules)
    count = max(len(x_labels), 1)

    def x(index: int) -> float:
        return left + (plot_w * (index + 0.5) / count)

    def y(value: Number) -> float:
        return top + plot_h * (1 - (float(value) - low) / (high - low))

    parts: list[str] = []
    # Axes and three gridlines with their values.
    for step in range(3):
        grid = low + (high - low) * (0.1 + 0.4 * step)
        parts.append(
            f'<line x1="{left}" x2="{width - right}" y1="{y(grid):.1f}" y2="{y(grid):.1f}" '
            f'stroke="#dddddd"/><text x="{left - 6}" y="{y(grid) + 4:.1f}" text-anchor="end" '
            f'font-size="11">{escape(_number(grid))}</text>'
        )
    parts.append(
        f'<line x1="{left}" x2="{left}" y1="{top}" y2="{top + plot_h}" stroke="#767676"/>'
        f'<line x1="{left}" x2="{width - right}" y1="{top + plot_h}" y2="{top + plot_h}" '
        f'stroke="#767676"/>'
    )
    for index, label in enumerate(x_labels):
        parts.append(
            f'<text x="{x(index):.1f}" y="{top + plot_h + 15}" text-anchor="middle" '
            f'font-size="11">{escape(label)}</text>'
        )
    for rule in rules:
        parts.append(
            f'<line x1="{left}" x2="{width - right}" y1="{y(rule.value):.1f}" '
            f'y2="{y(rule.value):.1f}" stroke="{RULE_COLOUR}" stroke-dasharray="4 4"/>'
        )
    for number, line in enumerate(series):
        colour, dash = COLOURS[number % len(COLOURS)], DASHES[number % len(DASHES)]
        dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
        run: list[str] = []
        for index, value in enumerate(line.values):
            if value is None:
                if len(run) > 1:
                    parts.append(_polyline(run, colour, dash_attr))
                run = []
                continue
            run.append(f"{x(index):.1f},{y(value):.1f}")
            parts.append(f'<circle cx="{x(index):.1f}" cy="{y(value):.1f}" r="3" fill="{colour}"/>')
        if len(run) > 1:
            parts.append(_polyline(run, colour, dash_attr))
    # The legend under the plot, two entries a row.
    legend = [
        (s.label, COLOURS[i % len(COLOURS)], DASHES[i % len(DASHES)]) for i, s in enumerate(series)
    ]
    legend += [(f"{r.label} ({_number(r.value)})", RULE_COLOUR, "4 4") for r in rules]
    for index, (label, colour, dash) in enumerate(legend):
        lx = left + (index % 2) * (plot_w / 2)
        ly = top + plot_h + 32 + 16 * (index // 2)
        dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
        parts.append(
            f'<line x1="{lx:.1f}" x2="{lx + 18:.1f}" y1="{ly - 4}" y2="{ly - 4}" '
            f'stroke="{colour}" stroke-width="2"{dash_attr}/>'
            f'<text x="{lx + 24:.1f}" y="{ly}" font-size="11">{escape(label)}</text>'
        )
    description = "; ".join(
        f"{s.label}: "
        + ", ".join(
            f"{x_label} {_number(v) + (' ' + unit if unit else '') if v is not None else '–'}"
            for x_label, v in zip(x_labels, s.values, strict=False)
        )
        for s in series
    )
    if rules:
        description += "; " + "; ".join(f"{r.label}: {_number(r.value)}" for r in rules)
    svg = (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="tillit-chart" role="img" '
        f'viewBox="0 0 {width} {height}" width="{width}" height="{height}" '
        f'font-family="sans-serif"><title>{escape(title)}</title>'
        f"<desc>{escape(description)}</desc>{''.join(parts)}</svg>"
    )
    return mark_safe(svg)  # noqa: S308 - every text above is escaped


def _polyline(points: list[str], colour: str, dash_attr: str) -> str:
    return (
        f'<polyline points="{" ".join(points)}" fill="none" stroke="{colour}" '
        f'stroke-width="2"{dash_attr}/>'
    )
