"""Reading a CSV file of staff-continuity figures: every row checked, every bad row listed.

The national measure of staff continuity in home care (personalkontinuitet) is the mean number
of different staff a customer met during 14 days, measured per provider by Socialstyrelsen and
the municipalities. Tillit cannot compute it: a provider's reported visits (kundval's
`PerformanceReport`) do not say who made them. So it is imported, like the survey results:

    nivå;organisation;från;till;personal;kunder;källa
    anordnare;556000-0001;2025-10-06;2025-10-19;11,5;34;Socialstyrelsen, Äldreguiden 2025
    kommunen;;2025-10-06;2025-10-19;12,0;880;Socialstyrelsen, Äldreguiden 2025
    riket;;2025-10-06;2025-10-19;15,0;;Socialstyrelsen, Äldreguiden 2025

`nivå` is `anordnare` (organisation = the provider's organisation number), `kommunen` or
`riket` (organisation empty); `från` and `till` are the measured period's first and last day,
14 days; `personal` the mean number of different staff; `kunder` how many customers were
measured (required for a provider: a figure from too few is not shown).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _

from tillit.organisation.models import Provider
from tillit.surveys.importing import csv_reader, provider_by_number
from tillit.surveys.models import ContinuityLevel

COLUMNS = ["nivå", "organisation", "från", "till", "personal", "kunder", "källa"]
PERIOD_DAYS = 14
MAX_ROWS = 20000
MAX_STAFF = Decimal("999.9")
YEARS = (2000, 2100)


@dataclass
class ContinuityRow:
    line: int
    level: str
    provider: Provider | None
    period_from: dt.date
    period_to: dt.date
    staff_mean: Decimal
    customers: int | None
    source: str


@dataclass
class ParsedContinuity:
    rows: list[ContinuityRow] = field(default_factory=list)
    errors: list[tuple[int, str]] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors and bool(self.rows)


def parse_continuity(data: bytes) -> ParsedContinuity:
    """Every row read and checked; nothing written."""
    found = ParsedContinuity()
    reader = csv_reader(data)
    header = [h.strip().lower() for h in next(reader, [])]
    if header != COLUMNS:
        found.errors.append(
            (1, _("Första raden ska vara rubrikerna: %(cols)s.") % {"cols": ";".join(COLUMNS)})
        )
        return found
    providers = {p.organisation_number: p for p in Provider.objects.all()}
    seen: set[tuple[object, ...]] = set()
    for line, cells in enumerate(reader, start=2):
        if not any(c.strip() for c in cells):
            continue
        if line > MAX_ROWS + 1:
            found.errors.append(
                (line, _("Filen har för många rader (högst %(n)s).") % {"n": MAX_ROWS})
            )
            break
        problems, row = _row(line, cells, providers)
        if row is not None:
            key = (row.level, row.provider, row.period_from)
            if key in seen:
                problems.append(_("Samma mätperiod för samma organisation finns redan i filen."))
            seen.add(key)
        for problem in problems:
            found.errors.append((line, problem))
        if not problems and row is not None:
            found.rows.append(row)
    if not found.rows and not found.errors:
        found.errors.append((1, _("Filen innehåller inga rader med resultat.")))
    return found


def _date(text: str) -> dt.date | None:
    try:
        found = dt.date.fromisoformat(text)
    except ValueError:
        return None
    return found if YEARS[0] <= found.year <= YEARS[1] else None


def _row(
    line: int, cells: list[str], providers: dict[str, Provider]
) -> tuple[list[str], ContinuityRow | None]:
    problems: list[str] = []
    if len(cells) != len(COLUMNS):
        return [_("Raden ska ha %(n)s fält.") % {"n": len(COLUMNS)}], None
    level, org, from_s, to_s, staff_s, customers_s, source = (c.strip() for c in cells)
    level = level.lower()
    provider = None
    if level not in ContinuityLevel.values:
        problems.append(_("Nivån ska vara anordnare, kommunen eller riket."))
    elif level == ContinuityLevel.PROVIDER:
        provider = provider_by_number(org, providers)
        if provider is None:
            problems.append(_("Ingen anordnare har organisationsnumret %(org)s.") % {"org": org})
    elif org:
        problems.append(_("Lämna organisation tom för kommunen och riket."))
    period_from, period_to = _date(from_s), _date(to_s)
    if period_from is None or period_to is None:
        problems.append(
            _("Ange mätperiodens första och sista dag som ÅÅÅÅ-MM-DD, t.ex. 2025-10-06.")
        )
    elif (period_to - period_from).days + 1 != PERIOD_DAYS:
        problems.append(
            _("Mätperioden ska vara %(n)s dagar, som i den nationella mätningen.")
            % {"n": PERIOD_DAYS}
        )
    staff = Decimal(0)
    try:
        staff = Decimal(staff_s.replace(",", ".").strip())
        if not staff.is_finite() or not Decimal(0) <= staff <= MAX_STAFF:
            problems.append(_("Antal personal ska vara ett tal mellan 0 och 999,9."))
        else:
            staff = staff.quantize(Decimal("0.1"))
    except InvalidOperation:
        problems.append(_("Antal personal ska vara ett tal, t.ex. 11,5."))
    customers: int | None = None
    if customers_s:
        try:
            customers = int(customers_s)
            if not 0 <= customers <= 10_000_000:
                problems.append(_("Antal kunder ska vara mellan 0 och 10 000 000."))
        except ValueError:
            problems.append(_("Antal kunder ska vara ett heltal."))
    elif level == ContinuityLevel.PROVIDER:
        problems.append(_("Ange antal kunder i mätningen."))
    if not source or len(source) > 200:
        problems.append(_("Ange källan (högst 200 tecken)."))
    if problems or period_from is None or period_to is None:
        return problems, None
    row = ContinuityRow(line, level, provider, period_from, period_to, staff, customers, source)
    return [], row
