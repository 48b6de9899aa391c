"""Parsing one row's cells into the app's values, with a Swedish reason for each bad cell."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext as _

from tillit.children import actions
from tillit.children.models import (
    Channel,
    ConcernCategory,
    InitialDecision,
    InterventionKind,
    InvestigationOutcome,
    InvestigationScope,
    ReporterCategory,
)
from tillit.individuals.identity import parse_identity_number
from tillit.organisation.models import Group

if TYPE_CHECKING:
    pass

from tillit.children.importing.columns import (
    _KEY_NAMESPACE,
    DATE_FORMAT,
    DATE_TIME_FORMAT,
    INVESTIGATION_COLUMNS,
    MAX_LENGTH,
    STOCKHOLM,
    _values,
)
from tillit.children.importing.rows import Opened, Protective, Row


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
