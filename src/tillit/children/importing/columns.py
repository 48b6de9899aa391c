"""The columns of the import file, their limits, and the phases a job reports."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import TYPE_CHECKING, TypeVar
from zoneinfo import ZoneInfo

from django.db import models

if TYPE_CHECKING:
    pass


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
