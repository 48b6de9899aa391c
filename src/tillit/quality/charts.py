"""Server-rendered SVG charts: a self-audit's result over time with its target line.

One picture for the page (inline SVG) and the PDFs (fpdf2 draws the same SVG as vectors). Plain
SVG elements and attributes only, no CSS or script, so the Content-Security-Policy and fpdf2's
SVG reader both take it. (Written here because `tillit/charts.py` was not on main yet.)
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from decimal import Decimal
from xml.sax.saxutils import escape, quoteattr

WIDTH = 640
HEIGHT = 260
LEFT, RIGHT, TOP, BOTTOM = 48, 16, 28, 44
LINE = "#1d70b8"
TARGET = "#d4351c"
GRID = "#b1b4b6"
TEXT = "#0b0c0c"
# fpdf2 finds the document's font by this name; a browser falls back to sans-serif.
FONT = 'font-family="DejaVuSans, sans-serif"'


def _y(value: float) -> float:
    return TOP + (HEIGHT - TOP - BOTTOM) * (1 - value / 100)


def result_chart(
    title: str,
    points: Sequence[tuple[str, Decimal | float | None]],
    target: Decimal | float,
    *,
    target_label: str,
    empty_label: str,
) -> str:
    """Shares (0–100 %) per period, oldest first, with a dashed horizontal target line. A
    period without counted records leaves a gap in the line."""
    plot_w = WIDTH - LEFT - RIGHT
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{HEIGHT}" '
        f'viewBox="0 0 {WIDTH} {HEIGHT}" role="img" aria-label={quoteattr(title)}>',
        f"<title>{escape(title)}</title>",
        f'<rect x="0" y="0" width="{WIDTH}" height="{HEIGHT}" fill="#ffffff"/>',
        f'<text x="{LEFT}" y="16" font-size="13" fill="{TEXT}" {FONT}>{escape(title)}</text>',
    ]
    for tick in (0, 25, 50, 75, 100):
        y = _y(tick)
        parts.append(
            f'<line x1="{LEFT}" y1="{y:.1f}" x2="{WIDTH - RIGHT}" y2="{y:.1f}" '
            f'stroke="{GRID}" stroke-width="0.5"/>'
        )
        parts.append(
            f'<text x="{LEFT - 6}" y="{y + 4:.1f}" font-size="10" text-anchor="end" '
            f'fill="{TEXT}" {FONT}>{tick} %</text>'
        )
    ty = _y(float(target))
    parts.append(
        f'<line x1="{LEFT}" y1="{ty:.1f}" x2="{WIDTH - RIGHT}" y2="{ty:.1f}" stroke="{TARGET}" '
        f'stroke-width="1.5" stroke-dasharray="6,4"/>'
    )
    parts.append(
        f'<text x="{WIDTH - RIGHT}" y="{ty - 4:.1f}" font-size="10" text-anchor="end" '
        f'fill="{TARGET}" {FONT}>{escape(target_label)}</text>'
    )
    if not points:
        parts.append(
            f'<text x="{LEFT + plot_w / 2:.1f}" y="{HEIGHT / 2:.1f}" font-size="12" '
            f'text-anchor="middle" fill="{TEXT}" {FONT}>'
            f"{escape(empty_label)}</text>"
        )
    step = plot_w / max(1, len(points))
    segment: list[str] = []
    segments: list[list[str]] = []
    for index, (label, value) in enumerate(points):
        x = LEFT + step * (index + 0.5)
        if value is None:
            if segment:
                segments.append(segment)
            segment = []
        else:
            y = _y(float(value))
            segment.append(f"{x:.1f},{y:.1f}")
            parts.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3" fill="{LINE}"/>')
        if len(points) <= 12 or index % max(1, len(points) // 12) == 0:
            parts.append(
                f'<text x="{x:.1f}" y="{HEIGHT - BOTTOM + 16}" font-size="9" '
                f'text-anchor="middle" fill="{TEXT}" {FONT}>'
                f"{escape(label)}</text>"
            )
    if segment:
        segments.append(segment)
    for found in segments:
        if len(found) > 1:
            parts.append(
                f'<polyline points="{" ".join(found)}" fill="none" stroke="{LINE}" '
                f'stroke-width="2"/>'
            )
    parts.append(
        f'<line x1="{LEFT}" y1="{TOP}" x2="{LEFT}" y2="{HEIGHT - BOTTOM}" stroke="{TEXT}" '
        f'stroke-width="1"/>'
    )
    parts.append("</svg>")
    return "".join(parts)


def pdf_chart(doc: object, svg: str, *, width_mm: float = 170) -> None:
    """Draw an SVG chart into a tillit.pdf.Document at the current position."""
    import io

    from fpdf import FPDF

    if not isinstance(doc, FPDF):
        raise TypeError(doc)
    height_mm = width_mm * HEIGHT / WIDTH
    if doc.will_page_break(height_mm + 4):
        doc.add_page()
    # fpdf2 ignores <title> (with a warning); the heading above the chart says the same.
    svg = re.sub(r"<title>.*?</title>", "", svg)
    doc.image(io.BytesIO(svg.encode("utf-8")), x=doc.l_margin, w=width_mm, h=height_mm)
    doc.ln(2)
