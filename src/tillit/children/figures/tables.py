"""One table for the page and the downloads."""

from __future__ import annotations

from decimal import Decimal

from django.utils.translation import gettext_lazy as _

from tillit.children.figures.report import Figures, Row
from tillit.children.figures.scope import LEVELS

COLUMNS = [
    _("Skyddsbedömning i tid"),
    _("Skyddsbedömning förlängda"),
    _("Skyddsbedömning sena"),
    _("Skyddsbedömning pågående"),
    _("Skyddsbedömning andel i tid (%)"),
    _("Förhandsbedömning i tid"),
    _("Förhandsbedömning förlängda"),
    _("Förhandsbedömning sena"),
    _("Förhandsbedömning pågående"),
    _("Förhandsbedömning andel i tid (%)"),
    _("Förhandsbedömning mediandagar"),
    _("Utredning i tid"),
    _("Utredning förlängda"),
    _("Utredning sena"),
    _("Utredning andel i tid (%)"),
    _("Utredning mediandagar"),
    _("Öppna utredningar över tidsgränsen vid periodens slut"),
    _("Förlängningar förhandsbedömning"),
    _("Förlängningar utredning"),
]

Cell = str | int | Decimal | None


def row_cells(row: Row) -> list[Cell]:
    p, i, u = row.protective, row.initial, row.investigation
    return [
        row.name,
        p.on_time,
        p.extended,
        p.late,
        p.ongoing,
        p.share_percent,
        i.on_time,
        i.extended,
        i.late,
        i.ongoing,
        i.share_percent,
        i.median_days,
        u.on_time,
        u.extended,
        u.late,
        u.share_percent,
        u.median_days,
        row.open_overdue_investigations,
        row.initial_extensions,
        row.investigation_extensions,
    ]


def table(figures: Figures) -> list[list[Cell]]:
    """Header and one line per unit or group, then the total: what every download holds."""
    header: list[Cell] = [str(LEVELS[figures.level]), *(str(c) for c in COLUMNS)]
    return [header, *(row_cells(r) for r in figures.rows), row_cells(figures.total)]


def reason_table(figures: Figures) -> list[list[Cell]]:
    header: list[Cell] = [
        str(LEVELS[figures.level]),
        str(_("Moment")),
        str(_("Skäl")),
        str(_("Antal")),
    ]
    lines: list[list[Cell]] = [header]
    for row in figures.rows:
        for reason in row.reasons or []:
            lines.append([row.name, reason.kind, reason.text, reason.count])
    return lines
