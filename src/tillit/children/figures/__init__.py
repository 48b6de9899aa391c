"""Compliance figures (nyckeltal): how often the legal time limits were kept, per unit or group.

Read from the stored Deadline rows with a handful of grouped ORM aggregates, so one quarter of a
whole municipality is a few index range scans. The definitions below are the ones printed on the
page and in every download; change them together.

- *I tid* (on time): completed on or before the legal due date (`effective_due`, i.e. after the
  shift of lag (1930:173)). An extension does not make an item on time: extended items that
  missed the legal date are counted in their own column.
- Protective and initial assessments count in the period in which the report was received
  (`started_on`, the local Stockholm date of receipt). Investigations count in the period in which
  they were closed; open investigations already past their legal due date at the end of the
  period are counted separately.
- Items still open and not yet past their legal due date are *pågående*: shown, but outside the
  share. Open items past their legal due date count as late (or extended).
- Median days: receipt to decision (initial assessments decided so far), opened to closed
  (investigations); exact median, the mean of the two middle values for an even count.
- Extensions are counted by the date they were decided.

The package's modules: `periods` (month, quarter, year), `scope` (who sees what),
`definitions` (the printed definitions), `outcomes` (the Q conditions and grouped counts),
`report` (one period's figures, `compute`), `trend` (several periods in one grouped query, and
the SVG chart) and `tables` (the rows every download holds). Import from the package.
"""

from tillit.children.figures.definitions import DEFINITIONS
from tillit.children.figures.outcomes import (
    DAYS,
    Compliance,
    DaysBetween,
    Median,
    compliance,
    missed_q,
    on_time_q,
    ongoing_q,
    outcome_counts,
)
from tillit.children.figures.periods import MONTH_NAMES, Period
from tillit.children.figures.report import Figures, ReasonCount, ReasonSource, Row, compute
from tillit.children.figures.scope import GROUP, LEVELS, UNIT, Scope, reason_basis
from tillit.children.figures.tables import COLUMNS, Cell, reason_table, row_cells, table

__all__ = [
    "COLUMNS",
    "DAYS",
    "DEFINITIONS",
    "GROUP",
    "LEVELS",
    "MONTH_NAMES",
    "UNIT",
    "Cell",
    "Compliance",
    "DaysBetween",
    "Figures",
    "Median",
    "Period",
    "ReasonCount",
    "ReasonSource",
    "Row",
    "Scope",
    "compliance",
    "compute",
    "missed_q",
    "on_time_q",
    "ongoing_q",
    "outcome_counts",
    "reason_basis",
    "reason_table",
    "row_cells",
    "table",
]
