"""Reading a CSV file of survey results: every row checked, every bad row listed.

The file has a header row and one row per figure, separated by semicolons (as Excel writes
CSV in Swedish) or commas:

    år;nivå;organisation;mått;fråga;andel;svar;källa
    2025;anordnare;556000-0001;helhet;Sammantaget nöjd;87,5;42;Socialstyrelsen ...
    2025;enhet;Hemtjänst Öst;helhet;Sammantaget nöjd;84,0;130;Socialstyrelsen ...
    2025;kommunen;;helhet;Sammantaget nöjd;85,1;900;Socialstyrelsen ...
    2025;riket;;helhet;Sammantaget nöjd;88,0;;Socialstyrelsen ...

`nivå` is `anordnare` (organisation = the provider's organisation number), `enhet` (the
municipal unit's name), `kommunen` or `riket` (organisation empty).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _

from tillit.organisation.models import Provider, Unit
from tillit.surveys.models import Scope

COLUMNS = ["år", "nivå", "organisation", "mått", "fråga", "andel", "svar", "källa"]
LEVELS = {"anordnare", "enhet", Scope.MUNICIPALITY.value, Scope.COUNTRY.value}
MAX_ROWS = 20000
YEARS = (2000, 2100)


@dataclass
class Row:
    line: int
    year: int
    level: str
    provider: Provider | None
    unit: Unit | None
    measure: str
    label: str
    share: Decimal
    answers: int | None
    source: str


@dataclass
class Parsed:
    rows: list[Row] = field(default_factory=list)
    errors: list[tuple[int, str]] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors and bool(self.rows)


def _decode(data: bytes) -> str:
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    return data.decode("latin-1")


def csv_reader(data: bytes) -> Iterator[list[str]]:
    """The file's rows, separated by semicolons or commas (whichever the first row has more
    of), decoded as UTF-8 or else Windows-1252."""
    text = _decode(data)
    first = text.split("\n", 1)[0]
    delimiter = ";" if first.count(";") >= first.count(",") else ","
    return csv.reader(io.StringIO(text), delimiter=delimiter)


def provider_by_number(org: str, providers: dict[str, Provider]) -> Provider | None:
    """The provider with the organisation number `org`, written with or without a hyphen."""
    from stdnum.se import orgnr

    from tillit.organisation.models import canonical_organisation_number

    number = canonical_organisation_number(org) if orgnr.is_valid(org) else org
    return providers.get(number)


def parse(data: bytes) -> Parsed:
    """Every row read and checked; nothing written."""
    found = Parsed()
    reader = csv_reader(data)
    header = [h.strip().lower() for h in next(reader, [])]
    if header != COLUMNS:
        found.errors.append(
            (1, _("Första raden ska vara rubrikerna: %(cols)s.") % {"cols": ";".join(COLUMNS)})
        )
        return found
    providers = {p.organisation_number: p for p in Provider.objects.all()}
    units = {u.name.lower(): u for u in Unit.objects.all()}
    seen: set[tuple[object, ...]] = set()
    for line, cells in enumerate(reader, start=2):
        if not any(c.strip() for c in cells):
            continue
        if line > MAX_ROWS + 1:
            found.errors.append(
                (line, _("Filen har för många rader (högst %(n)s).") % {"n": MAX_ROWS})
            )
            break
        problems, row = _row(line, cells, providers, units)
        if row is not None:
            key = (row.year, row.level, row.provider, row.unit, row.measure)
            if key in seen:
                problems.append(_("Samma mått för samma år och organisation finns redan i filen."))
            seen.add(key)
        for problem in problems:
            found.errors.append((line, problem))
        if not problems and row is not None:
            found.rows.append(row)
    if not found.rows and not found.errors:
        found.errors.append((1, _("Filen innehåller inga rader med resultat.")))
    return found


def _row(
    line: int, cells: list[str], providers: dict[str, Provider], units: dict[str, Unit]
) -> tuple[list[str], Row | None]:
    problems: list[str] = []
    if len(cells) != len(COLUMNS):
        return [_("Raden ska ha %(n)s fält.") % {"n": len(COLUMNS)}], None
    year_s, level, org, measure, label, share_s, answers_s, source = (c.strip() for c in cells)
    level = level.lower()
    year = 0
    try:
        year = int(year_s)
        if not YEARS[0] <= year <= YEARS[1]:
            problems.append(_("Året ska vara mellan 2000 och 2100."))
    except ValueError:
        problems.append(_("Året ska vara ett tal, t.ex. 2025."))
    provider = unit = None
    if level not in LEVELS:
        problems.append(_("Nivån ska vara anordnare, enhet, kommunen eller riket."))
    elif level == "anordnare":
        provider = provider_by_number(org, providers)
        if provider is None:
            problems.append(_("Ingen anordnare har organisationsnumret %(org)s.") % {"org": org})
    elif level == "enhet":
        unit = units.get(org.lower())
        if unit is None:
            problems.append(_("Ingen enhet heter %(name)s.") % {"name": org})
    elif org:
        problems.append(_("Lämna organisation tom för kommunen och riket."))
    if not measure or len(measure) > 40:
        problems.append(_("Ange måttets kod (högst 40 tecken)."))
    if not label or len(label) > 200:
        problems.append(_("Ange frågan (högst 200 tecken)."))
    if not source or len(source) > 200:
        problems.append(_("Ange källan (högst 200 tecken)."))
    share = Decimal(0)
    try:
        share = Decimal(share_s.replace(",", ".").replace("%", "").strip())
        if not share.is_finite() or not Decimal(0) <= share <= Decimal(100):
            problems.append(_("Andelen ska vara mellan 0 och 100."))
        else:
            share = share.quantize(Decimal("0.1"))
    except InvalidOperation:
        problems.append(_("Andelen ska vara ett tal, t.ex. 87,5."))
    answers: int | None = None
    if answers_s:
        try:
            answers = int(answers_s)
            if not 0 <= answers <= 10_000_000:
                problems.append(_("Antal svar ska vara mellan 0 och 10 000 000."))
        except ValueError:
            problems.append(_("Antal svar ska vara ett heltal."))
    elif level in {"anordnare", "enhet"}:
        problems.append(_("Ange antal svar."))
    if problems:
        return problems, None
    return [], Row(line, year, level, provider, unit, measure, label, share, answers, source)
