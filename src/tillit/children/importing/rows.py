"""What checking a file produces: parsed rows, bad rows with their reasons, the summary."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError

from tillit.children import actions
from tillit.individuals.identity import IdentityNumber
from tillit.organisation.models import Group

if TYPE_CHECKING:
    pass


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
