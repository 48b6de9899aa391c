"""Verifying the access log's hash chain."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from tillit.audit.models import GENESIS_HASH, AccessLog


@dataclass(frozen=True)
class ChainBreak:
    seq: int
    problem: str

    def __str__(self) -> str:
        return f"rad {self.seq}: {self.problem}"


@dataclass(frozen=True)
class ChainReport:
    rows: int
    last_seq: int
    last_hash: str
    first_break: ChainBreak | None

    @property
    def ok(self) -> bool:
        return self.first_break is None


def _rows(batch: int) -> Iterator[AccessLog]:
    after = 0
    while True:
        chunk = list(AccessLog.objects.filter(seq__gt=after).order_by("seq")[:batch])
        if not chunk:
            return
        yield from chunk
        after = chunk[-1].seq


def verify_chain(batch: int = 5000) -> ChainReport:
    """Walk the log in order and report the first changed, missing or inserted row."""
    expected_seq = 1
    prev_hash = GENESIS_HASH
    count = 0
    for row in _rows(batch):
        count += 1
        if row.seq != expected_seq:
            missing = (
                f"{expected_seq}"
                if row.seq == expected_seq + 1
                else f"{expected_seq}–{row.seq - 1}"
            )
            return ChainReport(
                count,
                row.seq,
                row.entry_hash,
                ChainBreak(expected_seq, f"saknas (rad {missing} finns inte)"),
            )
        if row.prev_hash != prev_hash:
            return ChainReport(
                count,
                row.seq,
                row.entry_hash,
                ChainBreak(row.seq, "länken till föregående rad är bruten"),
            )
        if row.compute_hash() != row.entry_hash:
            return ChainReport(
                count, row.seq, row.entry_hash, ChainBreak(row.seq, "innehållet har ändrats")
            )
        prev_hash = row.entry_hash
        expected_seq += 1
    return ChainReport(count, expected_seq - 1, prev_hash, None)
