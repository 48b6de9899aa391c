"""Import of historical reports from a CSV file (docs/import.md describes the columns).

Two steps, both reading the same checks:

1. `check_file` reads and checks every row with the app's own rules (`actions.validate_report`,
   `protective_errors`, `decision_errors`, `closing_errors`, `parse_identity_number`) and lists
   every bad row with its line number and Swedish reasons. It writes nothing.
2. `import_file` checks again inside one transaction and, only when no row is bad, writes
   everything in bulk: children, cases, reports, assessments, investigations, and their
   Deadline rows through `tracking`. Any bad row, or any failure while writing, writes nothing.

A late step in the history with no reason in its column gets `LATE_REASON_UNRECORDED`: the app's
rule that a late step has a reason holds, the figures still count it as late, and the text says
plainly that no reason was recorded, instead of refusing history that cannot be corrected now.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import time
import uuid
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, TypeVar
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.validators import validate_email
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history

from tillit.children import actions, tracking
from tillit.children.models import (
    Channel,
    ConcernCategory,
    Deadline,
    DeadlineKind,
    ImportStatus,
    InitialAssessment,
    InitialDecision,
    Intervention,
    InterventionKind,
    Investigation,
    InvestigationOutcome,
    InvestigationScope,
    ProtectiveAssessment,
    Report,
    ReportedChild,
    ReporterCategory,
    ReportImport,
)
from tillit.children.rules import (
    ClosedInvestigation,
    is_about_violence,
    quick_reopening,
    reporter_identity,
)
from tillit.deadlines import engine
from tillit.deadlines.models import policy_for
from tillit.individuals.identity import IdentityNumber, parse_identity_number
from tillit.individuals.models import Case, Individual
from tillit.organisation.models import Group

if TYPE_CHECKING:
    from tillit.accounts.models import User

STOCKHOLM = ZoneInfo("Europe/Stockholm")
LATE_REASON_UNRECORDED = "Importerad historik – skäl ej registrerat"
CHANGE_REASON = "Importerad historik"
DATE_TIME_FORMAT = "%Y-%m-%d %H:%M"
DATE_FORMAT = "%Y-%m-%d"
CHUNK = 2000
_KEY_NAMESPACE = uuid.UUID("6f1f9a52-3c2e-4c1e-9d8a-5b0e2f6c7a10")

REQUIRED_COLUMNS = ("mottagen", "kanal", "anmalare", "oro", "beskrivning")
COLUMNS = (
    *REQUIRED_COLUMNS,
    "anmalningsskyldig",
    "anonym",
    "anmalare_namn",
    "anmalare_verksamhet",
    "anmalare_telefon",
    "anmalare_epost",
    "anmalare_sekretess",
    "personnummer",
    "fodelsedatum",
    "fornamn",
    "efternamn",
    "skyddsbedomning_tid",
    "skydd_behovs",
    "skyddsbedomning_motivering",
    "skyddsbedomning_atgard",
    "skyddsbedomning_forsening",
    "forhandsbedomning_datum",
    "forhandsbedomning_beslut",
    "forhandsbedomning_skal",
    "overflyttad_till",
    "forhandsbedomning_forsening",
    "grupp",
    "utredning_omfattning",
    "utredning_avslutad",
    "utredning_beslut",
    "utredning_motivering",
    "insats",
    "utredning_forsening",
)
MAX_LENGTH = {
    "anmalare_namn": 200,
    "anmalare_verksamhet": 200,
    "anmalare_telefon": 40,
    "anmalare_epost": 254,
    "fornamn": 100,
    "efternamn": 100,
    "overflyttad_till": 120,
}
INVESTIGATION_COLUMNS = (
    "grupp",
    "utredning_omfattning",
    "utredning_avslutad",
    "utredning_beslut",
    "utredning_motivering",
    "insats",
    "utredning_forsening",
)

# Where an action's field-keyed refusal belongs in the file.
REPORT_FIELDS = {
    "received_at": "mottagen",
    "concerns": "oro",
    "description": "beskrivning",
    "children": "personnummer",
    "anonymous": "anonym",
    "reporter_category": "anmalare",
    "reporter_name": "anmalare_namn",
}
PROTECTIVE_FIELDS = {
    "assessed_at": "skyddsbedomning_tid",
    "reasoning": "skyddsbedomning_motivering",
    "action_taken": "skyddsbedomning_atgard",
    "late_reason": "skyddsbedomning_forsening",
}
DECISION_FIELDS = {
    "decision": "forhandsbedomning_beslut",
    "decided_on": "forhandsbedomning_datum",
    "reasons": "forhandsbedomning_skal",
    "transferred_to": "overflyttad_till",
    "investigation_group": "grupp",
    "late_reason": "forhandsbedomning_forsening",
}
CLOSING_FIELDS = {
    "closed_on": "utredning_avslutad",
    "outcome": "utredning_beslut",
    "reasons": "utredning_motivering",
    "late_reason": "utredning_forsening",
}

# (phase, done, total): called now and then while a file is read, checked and written.
Progress = Callable[[str, int, int], None]
PHASE_READ = "Läser filen"
PHASE_CHECK = "Kontrollerar rader"
PHASE_WRITE = "Sparar"

T = TypeVar("T")
# TextChoices.values builds a new list on every call, and the import asks for it on every row.
_VALUES: dict[type[models.TextChoices], frozenset[str]] = {}


def _values(choices: type[models.TextChoices]) -> frozenset[str]:
    if choices not in _VALUES:
        _VALUES[choices] = frozenset(choices.values)
    return _VALUES[choices]


def _no_progress(phase: str, done: int, total: int) -> None:
    return None


@dataclass(frozen=True)
class BadRow:
    line: int
    reasons: list[str]

    def as_dict(self) -> dict[str, Any]:
        return {"line": self.line, "reasons": self.reasons}


@dataclass
class Protective:
    assessed_at: dt.datetime
    immediate_protection: bool
    reasoning: str
    action_taken: str
    late_reason: str = ""


@dataclass
class Opened:
    """The investigation a row's decision opened, as far as the file tells."""

    group: Group
    scope: str
    closed_on: dt.date | None
    outcome: str
    reasons: str
    intervention: str
    late_reason: str = ""


@dataclass
class Row:
    """One checked row: one report about one child, and how far its chain got."""

    line: int
    key: uuid.UUID
    report: actions.ReportInput
    number: IdentityNumber | None
    first_name: str
    last_name: str
    birth: dt.date | None
    existing_id: int | None = None
    protective: Protective | None = None
    decision: actions.Decision | None = None
    opened: Opened | None = None
    # The ongoing investigation a "pagaende_utredning" decision joins: ("db", pk) or ("row", line).
    joins: tuple[str, int] | None = None
    problems: list[tuple[str, str]] = field(default_factory=list)
    unreadable: bool = False

    @property
    def child_key(self) -> str:
        return self.number.digits if self.number else f"rad-{self.line}"

    def refuse(self, column: str, message: str) -> None:
        self.problems.append((column, message))

    def refuse_all(
        self,
        error: ValidationError | Mapping[str, str | list[str]] | list[tuple[str, str]],
        fields: dict[str, str],
    ) -> None:
        """Add an action's refusals, except for columns already refused while reading them."""
        if isinstance(error, ValidationError):
            items = _flat(error)
        elif isinstance(error, Mapping):
            items = [
                (name, message)
                for name, value in error.items()
                for message in ([value] if isinstance(value, str) else value)
            ]
        else:
            items = error
        taken = {column for column, _message in self.problems}
        for name, message in items:
            column = fields.get(name, name)
            if column not in taken:
                self.refuse(column, message)


def _flat(error: ValidationError) -> list[tuple[str, str]]:
    if hasattr(error, "error_dict"):
        return [(k, m) for k, msgs in error.message_dict.items() for m in msgs]
    return [("__all__", m) for m in error.messages]


@dataclass
class Check:
    """What a dry run found: the rows ready to import, and every bad row."""

    rows: list[Row]
    bad: list[BadRow]
    total: int
    late_without_reason: int = 0

    @property
    def ok(self) -> bool:
        return not self.bad and self.total > 0


@dataclass
class Summary:
    rows: int
    reports: int
    individuals: int
    investigations: int
    deadlines: int
    late_without_reason: int
    seconds: float

    @property
    def rows_per_second(self) -> float:
        return self.rows / self.seconds if self.seconds > 0 else float(self.rows)


class ImportRefusedError(Exception):
    """The file has bad rows; nothing was written."""

    def __init__(self, check: Check) -> None:
        super().__init__(f"{len(check.bad)} bad rows")
        self.check = check


# --- Reading the file -----------------------------------------------------------------------------


def _decode(data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise _FileError(
            line,
            _("Filen är inte sparad som UTF-8. Spara den som CSV UTF-8 och försök igen."),
        ) from exc


class _FileError(Exception):
    def __init__(self, line: int, message: str) -> None:
        super().__init__(message)
        self.line, self.message = line, message


def _delimiter(header: str) -> str:
    return ";" if header.count(";") >= header.count(",") and ";" in header else ","


def read_rows(data: bytes) -> tuple[list[str], list[tuple[int, list[str]]]]:
    """The header and every non-blank record with the line it starts on."""
    text = _decode(data)
    if not text.strip():
        raise _FileError(1, _("Filen är tom."))
    first_line = text.splitlines()[0]
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(first_line))
    header = [name.strip().lower() for name in next(reader)]
    records: list[tuple[int, list[str]]] = []
    start = reader.line_num + 1
    try:
        for record in reader:
            if any(cell.strip() for cell in record):
                records.append((start, record))
            start = reader.line_num + 1
    except csv.Error as exc:
        raise _FileError(
            start, _("Raden kan inte läsas som CSV: %(error)s") % {"error": exc}
        ) from exc
    return header, records


def _header_problems(header: list[str]) -> list[str]:
    problems = []
    unknown = [name for name in header if name not in COLUMNS]
    if unknown:
        problems.append(_("Okända kolumner: %(names)s.") % {"names": ", ".join(unknown)})
    twice = sorted({name for name in header if header.count(name) > 1})
    if twice:
        problems.append(
            _("Kolumner som förekommer två gånger: %(names)s.") % {"names": ", ".join(twice)}
        )
    missing = [name for name in REQUIRED_COLUMNS if name not in header]
    if missing:
        problems.append(
            _("Obligatoriska kolumner saknas: %(names)s.") % {"names": ", ".join(missing)}
        )
    return problems


# --- Reading one row's values ---------------------------------------------------------------------


class _Cells:
    """One record's values by column, reading each into a typed value or a refusal."""

    def __init__(self, row: Row, values: dict[str, str]) -> None:
        self.row, self.values = row, values

    def text(self, column: str) -> str:
        value = self.values.get(column, "").strip()
        limit = MAX_LENGTH.get(column)
        if limit is not None and len(value) > limit:
            self.row.refuse(column, _("Högst %(n)s tecken.") % {"n": limit})
        return value

    def given(self, *columns: str) -> bool:
        return any(self.values.get(c, "").strip() for c in columns)

    def required(self, column: str, message: str) -> str:
        value = self.text(column)
        if not value:
            self.row.refuse(column, message)
        return value

    def moment(self, column: str) -> dt.datetime | None:
        value = self.text(column)
        if not value:
            return None
        try:
            naive = dt.datetime.strptime(value, DATE_TIME_FORMAT)  # noqa: DTZ007 - zone set below
        except ValueError:
            self.row.refuse(column, _("Ange datum och tid som ÅÅÅÅ-MM-DD TT:MM."))
            return None
        return naive.replace(tzinfo=STOCKHOLM)

    def day(self, column: str) -> dt.date | None:
        value = self.text(column)
        if not value:
            return None
        try:
            return dt.datetime.strptime(value, DATE_FORMAT).date()  # noqa: DTZ007 - a calendar date
        except ValueError:
            self.row.refuse(column, _("Ange datum som ÅÅÅÅ-MM-DD."))
            return None

    def yes_no(self, column: str) -> bool | None:
        value = self.text(column).lower()
        if not value:
            return None
        if value in ("ja", "nej"):
            return value == "ja"
        self.row.refuse(column, _("Ange ja eller nej."))
        return None

    def choice(self, column: str, choices: type[models.TextChoices]) -> str:
        value = self.text(column).lower()
        if value and value not in _values(choices):
            self.row.refuse(
                column,
                _("Okänt värde %(value)s; tillåtna värden: %(allowed)s.")
                % {"value": f"”{value[:40]}”", "allowed": ", ".join(choices.values)},
            )
            return ""
        return value


def _parse(
    line: int, values: dict[str, str], group: Group, groups: dict[str, list[Group]], today: dt.date
) -> Row:
    row = Row(
        line=line,
        key=uuid.uuid5(
            _KEY_NAMESPACE,
            # Empty cells left out: the same row in a file with more columns is the same row.
            "\x1f".join(
                [
                    str(group.pk),
                    *(f"{k}={v.strip()}" for k, v in sorted(values.items()) if v.strip()),
                ]
            ),
        ),
        report=actions.ReportInput(
            group=group,
            received_at=timezone.now(),
            channel="",
            reporter_category="",
            description="",
            concerns=[],
            children=[],
        ),
        number=None,
        first_name="",
        last_name="",
        birth=None,
    )
    cells = _Cells(row, values)
    report = row.report
    received = cells.moment("mottagen")
    if received is None and not cells.given("mottagen"):
        row.refuse("mottagen", _("Ange när anmälan togs emot."))
    # Unknown receipt: a time long past, so no rule measured from it adds a second refusal.
    report.received_at = received or dt.datetime(1900, 1, 1, tzinfo=STOCKHOLM)
    report.channel = cells.choice("kanal", Channel) or ""
    if not report.channel and not cells.given("kanal"):
        row.refuse("kanal", _("Ange hur anmälan kom in."))
    report.reporter_category = cells.choice("anmalare", ReporterCategory)
    if not report.reporter_category and not cells.given("anmalare"):
        row.refuse("anmalare", _("Ange vem som anmälde."))
    report.reporter_has_duty = bool(cells.yes_no("anmalningsskyldig"))
    report.anonymous = bool(cells.yes_no("anonym"))
    report.reporter_name = cells.text("anmalare_namn")
    report.reporter_organisation = cells.text("anmalare_verksamhet")
    report.reporter_phone = cells.text("anmalare_telefon")
    report.reporter_email = cells.text("anmalare_epost")
    if report.reporter_email:
        try:
            validate_email(report.reporter_email)
        except ValidationError:
            row.refuse("anmalare_epost", _("Ange en giltig e-postadress."))
    report.withhold_reporter = bool(cells.yes_no("anmalare_sekretess"))
    codes = [c.strip().lower() for c in cells.text("oro").split("|") if c.strip()]
    unknown = [c for c in codes if c not in _values(ConcernCategory)]
    if unknown:
        row.refuse(
            "oro",
            _("Okända koder %(codes)s; tillåtna: %(allowed)s.")
            % {
                "codes": ", ".join(f"”{c[:40]}”" for c in unknown),
                "allowed": ", ".join(ConcernCategory.values),
            },
        )
    report.concerns = [c for c in codes if c in _values(ConcernCategory)]
    report.description = cells.text("beskrivning")

    raw_number = cells.text("personnummer")
    if raw_number:
        try:
            row.number = parse_identity_number(raw_number, today=today)
        except ValidationError as error:
            row.refuse("personnummer", error.messages[0])
    birth = cells.day("fodelsedatum")
    if row.number and birth and birth != row.number.birth_date:
        row.refuse("fodelsedatum", _("Födelsedatumet stämmer inte med personnumret."))
    row.birth = row.number.birth_date if row.number else birth
    if row.birth and row.birth > today:
        row.refuse("fodelsedatum", _("Födelsedatumet ligger i framtiden."))
    row.first_name, row.last_name = cells.text("fornamn"), cells.text("efternamn")

    assessed_at = cells.moment("skyddsbedomning_tid")
    needs = cells.yes_no("skydd_behovs")
    protective_text = (
        cells.text("skyddsbedomning_motivering"),
        cells.text("skyddsbedomning_atgard"),
        cells.text("skyddsbedomning_forsening"),
    )
    if assessed_at is not None:
        if needs is None and not cells.given("skydd_behovs"):
            row.refuse("skydd_behovs", _("Ange ja eller nej."))
        row.protective = Protective(assessed_at, bool(needs), *protective_text)
    elif not cells.given("skyddsbedomning_tid") and (
        cells.given("skydd_behovs") or any(protective_text)
    ):
        row.refuse("skyddsbedomning_tid", _("Ange när skyddsbedömningen gjordes."))

    decided_on = cells.day("forhandsbedomning_datum")
    decision = cells.choice("forhandsbedomning_beslut", InitialDecision)
    decision_text = (
        cells.text("forhandsbedomning_skal"),
        cells.text("overflyttad_till"),
        cells.text("forhandsbedomning_forsening"),
    )
    group_name = cells.text("grupp")
    investigating: Group | None = None
    if group_name:
        found = groups.get(group_name.casefold(), [])
        if len(found) != 1:
            row.refuse(
                "grupp",
                _("Det finns ingen grupp med det namnet i enheten.")
                if not found
                else _("Flera grupper i enheten har det namnet."),
            )
        else:
            investigating = found[0]
    if decided_on is not None:
        if not decision and not cells.given("forhandsbedomning_beslut"):
            row.refuse("forhandsbedomning_beslut", _("Välj ett beslut."))
        row.decision = actions.Decision(
            decision=decision,
            decided_on=decided_on,
            reasons=decision_text[0],
            transferred_to=decision_text[1],
            late_reason=decision_text[2],
            investigation_group=investigating,
        )
    elif not cells.given("forhandsbedomning_datum") and (
        cells.given("forhandsbedomning_beslut") or any(decision_text)
    ):
        row.refuse("forhandsbedomning_datum", _("Ange beslutsdatum."))

    closed_on = cells.day("utredning_avslutad")
    scope = cells.choice("utredning_omfattning", InvestigationScope) or InvestigationScope.LIMITED
    outcome = cells.choice("utredning_beslut", InvestigationOutcome)
    closing_reasons = cells.text("utredning_motivering")
    intervention = cells.choice("insats", InterventionKind)
    late = cells.text("utredning_forsening")
    if decision == InitialDecision.OPEN and investigating is not None:
        row.opened = Opened(
            investigating, scope, closed_on, outcome, closing_reasons, intervention, late
        )
        if (
            closed_on is None
            and cells.given("utredning_beslut", "utredning_motivering", "insats")
            and not cells.given("utredning_avslutad")
        ):
            row.refuse("utredning_avslutad", _("Ange när utredningen avslutades."))
        if intervention and outcome and outcome != InvestigationOutcome.INTERVENTION:
            row.refuse("insats", _("En insats anges bara när utredningens beslut är insats."))
    elif decision and decision != InitialDecision.OPEN:
        for column in INVESTIGATION_COLUMNS:
            if cells.given(column):
                row.refuse(
                    column,
                    _("Uppgifter om utredning kräver beslutet %(code)s.")
                    % {"code": InitialDecision.OPEN.value},
                )
                break
    return row


# --- Checking every row ---------------------------------------------------------------------------


@dataclass
class _Timeline:
    """Investigations per child (personnummer): those already stored and those in the file."""

    spans: dict[str, list[tuple[dt.date, dt.date | None, tuple[str, int]]]] = field(
        default_factory=lambda: defaultdict(list)
    )

    def add(
        self, child: str, opened: dt.date, closed: dt.date | None, ref: tuple[str, int]
    ) -> None:
        self.spans[child].append((opened, closed, ref))

    def ongoing(self, child: str, on: dt.date, besides: tuple[str, int]) -> tuple[str, int] | None:
        """The investigation of CHILD in progress on ON (opened by then, not closed by then)."""
        for opened, closed, ref in sorted(self.spans.get(child, []), key=lambda s: s[0]):
            if ref != besides and opened <= on and (closed is None or closed > on):
                return ref
        return None


def _chunks(items: Sequence[T], size: int = 1000) -> Iterator[Sequence[T]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _groups_by_name(group: Group) -> dict[str, list[Group]]:
    found: dict[str, list[Group]] = defaultdict(list)
    for candidate in Group.objects.filter(unit_id=group.unit_id).select_related("unit"):
        found[candidate.name.strip().casefold()].append(candidate)
    return found


def check_file(
    data: bytes, group: Group, *, now: dt.datetime | None = None, progress: Progress | None = None
) -> Check:
    """Read and check every row; write nothing. The dry run, and the first half of an import."""
    now = now or timezone.now()
    progress = progress or _no_progress
    today = timezone.localdate(now)
    try:
        header, records = read_rows(data)
    except _FileError as error:
        return Check(rows=[], bad=[BadRow(error.line, [error.message])], total=0)
    problems = _header_problems(header)
    if problems:
        return Check(rows=[], bad=[BadRow(1, problems)], total=len(records))
    if not records:
        return Check(
            rows=[], bad=[BadRow(1, [_("Filen innehåller inga rader under rubrikraden.")])], total=0
        )
    total = len(records)
    groups = _groups_by_name(group)
    rows: list[Row] = []
    for done, (line, record) in enumerate(records, start=1):
        if len(record) != len(header):
            placeholder = actions.ReportInput(group, now, "", "", "", [], [])
            row = Row(line, uuid.uuid4(), placeholder, None, "", "", None, unreadable=True)
            row.refuse(
                _("raden"),
                _("Raden har %(got)s fält men rubrikraden har %(want)s.")
                % {"got": len(record), "want": len(header)},
            )
        else:
            row = _parse(line, dict(zip(header, record, strict=True)), group, groups, today)
        rows.append(row)
        if done % 1000 == 0:
            progress(PHASE_READ, done, total)
    progress(PHASE_READ, total, total)
    late = _check_rules(rows, group, now, progress)
    bad = [
        BadRow(row.line, [f"{column}: {message}" for column, message in row.problems])
        for row in rows
        if row.problems
    ]
    return Check(rows=rows, bad=bad, total=total, late_without_reason=late)


def _check_rules(rows: list[Row], group: Group, now: dt.datetime, progress: Progress) -> int:
    """The app's rules on every parsed row; returns how many late steps got no stated reason."""
    numbers = sorted({row.number.digits for row in rows if row.number})
    existing: dict[str, int] = {}
    for chunk in _chunks(numbers):
        pairs = Individual.objects.filter(personal_number__in=chunk).values_list(
            "personal_number", "pk"
        )
        existing.update((number, pk) for number, pk in pairs if number)
    timeline = _Timeline()
    by_id = {pk: number for number, pk in existing.items()}
    for id_chunk in _chunks(sorted(by_id)):
        stored = Investigation.objects.filter(individual_id__in=id_chunk).values_list(
            "pk", "individual_id", "opened_on", "closed_on"
        )
        for pk, individual_id, opened, closed in stored:
            timeline.add(by_id[individual_id], opened, closed, ("db", pk))
    for row in rows:
        if row.opened is not None and row.decision is not None:
            timeline.add(
                row.child_key, row.decision.decided_on, row.opened.closed_on, ("row", row.line)
            )
    imported: set[uuid.UUID] = set()
    keys = [row.key for row in rows]
    for key_chunk in _chunks(keys):
        imported.update(
            Report.objects.filter(submission_key__in=key_chunk).values_list(
                "submission_key", flat=True
            )
        )

    policy = policy_for(group.unit_id)
    seen: dict[uuid.UUID, int] = {}
    late = 0
    for done, row in enumerate(rows, start=1):
        if done % 1000 == 0:
            progress(PHASE_CHECK, done, len(rows))
        if row.key in imported:
            row.refuse(_("raden"), _("Raden är redan importerad."))
        elif row.key in seen:
            row.refuse(
                _("raden"), _("Raden är en dubblett av rad %(line)s.") % {"line": seen[row.key]}
            )
        seen.setdefault(row.key, row.line)
        late += _check_row(row, existing, timeline, policy, now)
    progress(PHASE_CHECK, len(rows), len(rows))
    return late


def _child_columns(error: ValidationError, row: Row) -> list[tuple[str, str]]:
    """validate_report names the child's problems "children"; point them at the right column."""
    names = _("Ange för- och efternamn för varje barn.")
    birth = _("Ange personnummer eller födelsedatum för varje barn.")
    items = []
    for name, message in _flat(error):
        if name == "children" and message == names:
            name = "fornamn" if not row.first_name else "efternamn"
        items.append((name, message))
    if (
        not row.existing_id
        and row.number is None
        and row.birth is None
        and not any(column == "personnummer" for column, _m in row.problems)
        and ("children", birth) not in items
    ):
        items.append(("personnummer", birth))
    return items


def _check_row(
    row: Row,
    existing: dict[str, int],
    timeline: _Timeline,
    policy: engine.DeadlinePolicy,
    now: dt.datetime,
) -> int:
    late = 0
    if row.unreadable:
        return late
    report = row.report
    row.existing_id = existing.get(row.number.digits) if row.number else None
    number_refused = any(column == "personnummer" for column, _m in row.problems)
    if row.existing_id:
        child = actions.ChildRef(individual=Individual(pk=row.existing_id))
    else:
        child = actions.ChildRef(
            number=row.number,
            first_name=row.first_name,
            last_name=row.last_name,
            # A refused number has said enough; do not also ask for a birth date.
            date_of_birth=row.birth or (dt.date.min if number_refused else None),
        )
    report.children = [child]
    try:
        actions.validate_report(report, now)
    except ValidationError as error:
        row.refuse_all(_child_columns(error, row), REPORT_FIELDS)

    received = report.received_at
    protective = row.protective
    if protective is not None:
        due = engine.protective_due(received, policy).effective
        if timezone.localdate(protective.assessed_at) > due and not protective.late_reason:
            protective.late_reason = LATE_REASON_UNRECORDED
            late += 1
        row.refuse_all(
            actions.protective_errors(
                received_at=received,
                assessed_at=protective.assessed_at,
                immediate_protection=protective.immediate_protection,
                reasoning=protective.reasoning,
                action_taken=protective.action_taken,
                late_reason=protective.late_reason,
                due=due,
                now=now,
            ),
            PROTECTIVE_FIELDS,
        )

    decision = row.decision
    if decision is None:
        return late
    if protective is None:
        row.refuse(
            "skyddsbedomning_tid", _("Skyddsbedömningen måste vara gjord innan beslut fattas.")
        )
    due = engine.initial_due(received, policy).effective
    if decision.decided_on > due and not decision.late_reason:
        decision.late_reason = LATE_REASON_UNRECORDED
        late += 1
    ongoing = timeline.ongoing(row.child_key, decision.decided_on, besides=("row", row.line))
    if decision.decision == InitialDecision.ALREADY:
        row.joins = ongoing
    errors = actions.decision_errors(
        decision,
        received_at=received,
        unit_id=report.group.unit_id,
        under_investigation=ongoing is not None,
        due=due,
        now=now,
    )
    row.refuse_all(errors, DECISION_FIELDS)
    opened = row.opened
    if opened is None or opened.closed_on is None:
        return late
    due = engine.investigation_due(decision.decided_on, policy).effective
    if opened.closed_on > due and not opened.late_reason:
        opened.late_reason = LATE_REASON_UNRECORDED
        late += 1
    errors = actions.closing_errors(
        opened_on=decision.decided_on,
        closed_on=opened.closed_on,
        outcome=opened.outcome,
        reasons=opened.reasons,
        late_reason=opened.late_reason,
        has_intervention=bool(opened.intervention),
        due=due,
        now=now,
    )
    if opened.outcome == InvestigationOutcome.INTERVENTION and not opened.intervention:
        errors.pop("outcome", None)
        row.refuse("insats", _("Ange vilken insats som beslutades."))
    row.refuse_all(errors, CLOSING_FIELDS)
    return late


# --- Writing --------------------------------------------------------------------------------------


def import_file(
    data: bytes,
    group: Group,
    *,
    by: User,
    now: dt.datetime | None = None,
    progress: Progress | None = None,
) -> Summary:
    """Check every row and write them all in one transaction, or raise ImportRefusedError."""
    started = time.monotonic()
    progress = progress or _no_progress
    with transaction.atomic():
        check = check_file(data, group, now=now, progress=progress)
        if not check.ok:
            raise ImportRefusedError(check)
        summary = _write(check, group, by, progress)
    summary.seconds = time.monotonic() - started
    return summary


def _bulk(objs: list[Any], model: type[models.Model], by: User) -> list[Any]:
    if not objs:
        return objs
    created: list[Any] = bulk_create_with_history(
        objs, model, batch_size=CHUNK, default_user=by, default_change_reason=CHANGE_REASON
    )
    return created


def _write(check: Check, group: Group, by: User, progress: Progress) -> Summary:
    rows = check.rows
    total = len(rows)
    progress(PHASE_WRITE, 0, total)
    individuals = _individuals(rows, by)
    cases = _cases(rows, group, individuals, by)
    policy = policy_for(group.unit_id)
    investigations: dict[int, Investigation] = {}
    reports = deadlines = 0
    for done, chunk in enumerate(_chunks(rows, CHUNK), start=1):
        made = _write_chunk(chunk, group, individuals, cases, policy, investigations, by)
        reports += len(chunk)
        deadlines += made
        progress(PHASE_WRITE, min(done * CHUNK, total), total)
    _join_ongoing(rows, investigations)
    _flag_quick_reopening(list(investigations.values()))
    return Summary(
        rows=total,
        reports=reports,
        individuals=len({i.pk for i in individuals.values()}),
        investigations=len(investigations),
        deadlines=deadlines,
        late_without_reason=check.late_without_reason,
        seconds=0.0,
    )


def _individuals(rows: list[Row], by: User) -> dict[str, Individual]:
    """Each row's child by child key: found by personnummer, or registered once."""
    found: dict[str, Individual] = {}
    stored_ids = [row.existing_id for row in rows if row.existing_id]
    for chunk in _chunks(sorted(set(stored_ids))):
        for individual in Individual.objects.filter(pk__in=chunk):
            assert individual.personal_number is not None  # noqa: S101 - matched by its number
            found[individual.personal_number] = individual
    new: dict[str, Individual] = {}
    for row in rows:
        if row.child_key in found or row.child_key in new:
            continue
        assert row.birth is not None  # noqa: S101 - validate_report required number or birth date
        new[row.child_key] = Individual(
            personal_number=row.number.digits if row.number else None,
            first_name=row.first_name,
            last_name=row.last_name,
            date_of_birth=row.birth,
        )
    created = _bulk(list(new.values()), Individual, by)
    found.update(zip(new.keys(), created, strict=True))
    return found


def _cases(
    rows: list[Row], group: Group, individuals: dict[str, Individual], by: User
) -> dict[tuple[int, int], Case]:
    """The group's open case with each child, or a new one: reach follows the case, as in the app.

    A case the import opens is closed again on its last step's date when the history in it is
    finished (every report decided, every investigation closed without an intervention), so old
    history does not stay in the group's queue and in every group member's reach.
    """
    starts: dict[tuple[int, int], dt.date] = {}
    ends: dict[tuple[int, int], dt.date | None] = {}
    titles: dict[tuple[int, int], str] = {}

    def need(key: tuple[int, int], start: dt.date, end: dt.date | None, title: str) -> None:
        starts[key] = min(starts.get(key, start), start)
        previous = ends.get(key, start)
        ends[key] = None if end is None or previous is None else max(previous, end)
        titles.setdefault(key, title)

    for row in rows:
        individual = individuals[row.child_key]
        decision = row.decision
        need(
            (individual.pk, group.pk),
            timezone.localdate(row.report.received_at),
            decision.decided_on if decision else None,
            _("Barnavård"),
        )
        if row.opened is not None and decision is not None:
            finished = row.opened.outcome != InvestigationOutcome.INTERVENTION
            need(
                (individual.pk, row.opened.group.pk),
                decision.decided_on,
                row.opened.closed_on if finished else None,
                _("Utredning"),
            )
    cases: dict[tuple[int, int], Case] = {}
    individual_ids = sorted({key[0] for key in starts})
    group_ids = sorted({key[1] for key in starts})
    for chunk in _chunks(individual_ids):
        stored = Case.objects.filter(
            individual_id__in=chunk, group_id__in=group_ids, closed_on__isnull=True
        ).order_by("-opened_on")
        for case in stored:
            assert case.group_id is not None  # noqa: S101 - filtered by group
            cases[(case.individual_id, case.group_id)] = case
    new = [
        (
            key,
            Case(
                individual_id=key[0],
                unit_id=group.unit_id,
                group_id=key[1],
                title=titles[key],
                opened_on=starts[key],
                closed_on=ends[key],
            ),
        )
        for key in starts
        if key not in cases
    ]
    created = _bulk([case for _key, case in new], Case, by)
    cases.update(zip([key for key, _case in new], created, strict=True))
    return cases


def _write_chunk(
    rows: Sequence[Row],
    group: Group,
    individuals: dict[str, Individual],
    cases: dict[tuple[int, int], Case],
    policy: engine.DeadlinePolicy,
    investigations: dict[int, Investigation],
    by: User,
) -> int:
    reports = []
    for row in rows:
        data = row.report
        reports.append(
            Report(
                unit_id=group.unit_id,
                group=group,
                received_at=data.received_at,
                channel=data.channel,
                reporter_category=data.reporter_category,
                reporter_has_duty=data.reporter_has_duty,
                **reporter_identity(
                    anonymous=data.anonymous,
                    name=data.reporter_name,
                    organisation=data.reporter_organisation,
                    phone=data.reporter_phone,
                    email=data.reporter_email,
                    withhold=data.withhold_reporter,
                ),
                concerns=sorted(set(data.concerns)),
                about_violence=is_about_violence(data.concerns),
                description=data.description,
                submission_key=row.key,
                registered_by=by,
            )
        )
    reports = _bulk(reports, Report, by)
    tracks = [
        ReportedChild(
            report=report,
            individual=individuals[row.child_key],
            case=cases[(individuals[row.child_key].pk, group.pk)],
            received_at=row.report.received_at,
        )
        for row, report in zip(rows, reports, strict=True)
    ]
    tracks = _bulk(tracks, ReportedChild, by)
    protectives: dict[int, ProtectiveAssessment] = {}
    initials: dict[int, InitialAssessment] = {}
    opened: list[tuple[Row, Investigation]] = []
    for row, track in zip(rows, tracks, strict=True):
        if row.protective is not None:
            p = row.protective
            protectives[track.pk] = ProtectiveAssessment(
                track=track,
                assessed_at=p.assessed_at,
                assessed_by=by,
                immediate_protection=p.immediate_protection,
                action_taken=p.action_taken,
                reasoning=p.reasoning,
                late_reason=p.late_reason,
            )
        if row.decision is not None:
            d = row.decision
            initials[track.pk] = InitialAssessment(
                track=track,
                decision=d.decision,
                decided_on=d.decided_on,
                decided_by=by,
                reasons=d.reasons,
                transferred_to=d.transferred_to,
                late_reason=d.late_reason,
            )
        if row.opened is not None and row.decision is not None:
            o = row.opened
            individual = individuals[row.child_key]
            opened.append(
                (
                    row,
                    Investigation(
                        individual=individual,
                        case=cases[(individual.pk, o.group.pk)],
                        opened_on=row.decision.decided_on,
                        origin=track,
                        scope=o.scope,
                        closed_on=o.closed_on,
                        outcome=o.outcome if o.closed_on else "",
                        closing_reasons=o.reasons if o.closed_on else "",
                        late_reason=o.late_reason,
                    ),
                )
            )
    _bulk(list(protectives.values()), ProtectiveAssessment, by)
    _bulk(list(initials.values()), InitialAssessment, by)
    created = _bulk([inv for _row, inv in opened], Investigation, by)
    interventions = []
    for (row, _inv), investigation in zip(opened, created, strict=True):
        investigations[row.line] = investigation
        done = row.opened
        assert done is not None  # noqa: S101 - only rows that opened one
        if done.intervention and done.closed_on:
            interventions.append(
                Intervention(
                    individual=investigation.individual,
                    case=investigation.case,
                    investigation=investigation,
                    kind=done.intervention,
                    decided_on=done.closed_on,
                    decided_by=by,
                    starts_on=done.closed_on,
                )
            )
    _bulk(interventions, Intervention, by)
    return tracking.bulk_create_new(
        (
            (
                track,
                tracking.track_fields(
                    track,
                    unit_id=group.unit_id,
                    group_id=group.pk,
                    policy=policy,
                    protective=protectives.get(track.pk),
                    initial=initials.get(track.pk),
                    extension=None,
                ),
            )
            for track in tracks
        ),
        (
            (
                investigation,
                tracking.investigation_fields(
                    investigation,
                    unit_id=group.unit_id,
                    group_id=investigation.case.group_id,
                    policy=policy,
                    extension=None,
                ),
            )
            for investigation in created
        ),
    )


def _join_ongoing(rows: list[Row], investigations: dict[int, Investigation]) -> None:
    """A "pagaende_utredning" decision joins the investigation in progress, stored or imported."""
    joined = []
    for row in rows:
        if row.joins is None:
            continue
        source, ref = row.joins
        investigation_id = investigations[ref].pk if source == "row" else ref
        joined.append((row.key, investigation_id))
    by_key = dict(joined)
    for chunk in _chunks(list(by_key)):
        tracks = list(
            ReportedChild.objects.filter(report__submission_key__in=chunk).select_related("report")
        )
        for track in tracks:
            track.attached_to_id = by_key[track.report.submission_key]
        ReportedChild.objects.bulk_update(tracks, ["attached_to"], batch_size=CHUNK)


def _flag_quick_reopening(created: list[Investigation]) -> None:
    """The JO flag, as `open_investigation` sets it (rules.quick_reopening), in bulk."""
    if not created:
        return
    individual_ids = sorted({inv.individual_id for inv in created})
    closed: dict[int, list[ClosedInvestigation]] = defaultdict(list)
    for chunk in _chunks(individual_ids):
        for individual_id, completed, effective, investigation_id in Deadline.objects.filter(
            kind=DeadlineKind.INVESTIGATION, individual_id__in=chunk, completed_on__isnull=False
        ).values_list("individual_id", "completed_on", "effective_due", "investigation_id"):
            if completed is not None and investigation_id is not None:
                closed[individual_id].append(
                    ClosedInvestigation(investigation_id, completed, effective)
                )
    flagged = []
    for investigation in created:
        others = [
            c
            for c in closed.get(investigation.individual_id, [])
            if c.investigation_id != investigation.pk
        ]
        follows = quick_reopening(
            investigation.opened_on, others, margin_days=settings.TILLIT_JO_NEAR_LIMIT_DAYS
        )
        if follows is not None:
            investigation.follows_id = follows
            flagged.append(investigation)
    Investigation.objects.bulk_update(flagged, ["follows"], batch_size=CHUNK)


def bad_rows_as_dicts(bad: Iterable[BadRow]) -> list[dict[str, Any]]:
    return [row.as_dict() for row in bad]


# --- The page's two steps -------------------------------------------------------------------------


def receive(data: bytes, name: str, group: Group, *, by: User) -> ReportImport:
    """Keep an uploaded file and queue its dry run for the worker (a large file takes a while)."""
    from tillit.children.tasks import check_report_import  # the tasks module imports this one

    with transaction.atomic():
        job = ReportImport(
            group=group,
            created_by=by,
            original_name=name[:200],
            size=len(data),
            status=ImportStatus.CHECKING,
            phase=PHASE_READ,
        )
        job.file.save(f"{uuid.uuid4()}.csv", ContentFile(data), save=False)
        job.save()
        transaction.on_commit(lambda: check_report_import.enqueue(job.pk))
    return job


def record_check(job: ReportImport, result: Check) -> None:
    """Keep a dry run's outcome on the import; the file itself only when every row is good."""
    job.total_rows = result.total
    job.done_rows = 0
    job.errors = bad_rows_as_dicts(result.bad)
    job.late_without_reason = result.late_without_reason
    job.status = ImportStatus.CHECKED if result.ok else ImportStatus.REFUSED
    job.phase = ""
    if not result.ok:
        job.file.delete(save=False)
    job.save()


def confirm(job: ReportImport, *, by: User) -> bool:
    """Queue a checked import for the worker; False when it is not waiting for confirmation."""
    from tillit.children.tasks import run_report_import  # the tasks module imports this one

    with transaction.atomic():
        queued = ReportImport.objects.filter(pk=job.pk, status=ImportStatus.CHECKED).update(
            status=ImportStatus.QUEUED, phase="", done_rows=0
        )
        if queued:
            transaction.on_commit(lambda: run_report_import.enqueue(job.pk))
    return bool(queued)
