"""Verifying the access log's keyed hash chain, against published checkpoints when given."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from tillit.audit.checkpoints import Checkpoint
from tillit.audit.models import (
    GENESIS_HASH,
    KEY_VERSION,
    AccessLog,
    AccessLogKeySwitch,
    chain_key,
)


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
    # The highest sequence number a checkpoint vouched for (0: no checkpoint given).
    checkpointed_seq: int = 0

    @property
    def ok(self) -> bool:
        return self.first_break is None

    @property
    def rows_after_last_checkpoint(self) -> int:
        return max(self.last_seq - self.checkpointed_seq, 0)


def _rows(batch: int, after: int) -> Iterator[AccessLog]:
    while True:
        chunk = list(AccessLog.objects.filter(seq__gt=after).order_by("seq")[:batch])
        if not chunk:
            return
        yield from chunk
        after = chunk[-1].seq


def _first_keyed_seq(key: bytes) -> tuple[int, ChainBreak | None]:
    """Rows from this number on must be keyed; a switch whose signature fails is a break."""
    switch = AccessLogKeySwitch.objects.order_by("first_keyed_seq").first()
    if switch is None:
        return 1, None
    if switch.mac != switch.expected_mac(key):
        return switch.first_keyed_seq, ChainBreak(
            switch.first_keyed_seq, "övergången till nyckeln har ändrats (signaturen stämmer inte)"
        )
    return switch.first_keyed_seq, None


def _row_problem(row: AccessLog, prev_hash: str | None, first_keyed: int, key: bytes) -> str:
    if prev_hash is not None and row.prev_hash != prev_hash:
        return "länken till föregående rad är bruten"
    expected_version = KEY_VERSION if row.seq >= first_keyed else None
    if row.key_version != expected_version:
        return "raden är inte skriven med loggens nyckel (fel nyckelversion)"
    if row.compute_hash(key) != row.entry_hash:
        return "innehållet har ändrats eller raden är förfalskad"
    return ""


def verify_chain(
    batch: int = 5000,
    checkpoints: Sequence[Checkpoint] = (),
    start: Checkpoint | None = None,
) -> ChainReport:
    """Walk the log in order and report the first changed, missing or inserted row.

    `checkpoints` (already checked to be genuine) pin the hash of the row they name and the
    length of the log at their time: a row that differs, or a log that ends before a
    checkpoint, is a break. `start` begins the walk at that checkpoint's row instead of the
    first one (the rows before it are taken as vouched for by it).
    """
    key = chain_key()
    first_keyed, switch_break = _first_keyed_seq(key)
    pinned = {cp.seq: cp for cp in checkpoints}
    if start is not None and start.seq > 0:
        pinned.setdefault(start.seq, start)
    checkpointed = max(pinned, default=0)
    after = start.seq - 1 if start is not None and start.seq > 0 else 0
    expected_seq = after + 1
    prev_hash: str | None = GENESIS_HASH if after == 0 else None
    count = 0
    vouched = after  # the last row a checkpoint has confirmed

    def report(problem: ChainBreak | None) -> ChainReport:
        return ChainReport(count, expected_seq - 1, prev_hash or "", problem, checkpointed)

    if switch_break is not None:
        return report(switch_break)
    for row in _rows(batch, after):
        count += 1
        if row.seq != expected_seq:
            missing = (
                f"{expected_seq}"
                if row.seq == expected_seq + 1
                else f"{expected_seq}–{row.seq - 1}"
            )
            return report(ChainBreak(expected_seq, f"saknas (rad {missing} finns inte)"))
        problem = _row_problem(row, prev_hash, first_keyed, key)
        if problem:
            return report(ChainBreak(row.seq, problem))
        checkpoint = pinned.get(row.seq)
        if checkpoint is not None:
            if checkpoint.entry_hash != row.entry_hash:
                return report(
                    ChainBreak(
                        row.seq,
                        f"stämmer inte med kontrollpunkten från {checkpoint.at}: någon rad "
                        f"från rad {vouched + 1} till och med rad {row.seq} har skrivits om, "
                        "lagts till eller tagits bort och kedjan har räknats om",
                    )
                )
            vouched = row.seq
        prev_hash = row.entry_hash
        expected_seq += 1
    if checkpointed > expected_seq - 1:
        checkpoint = pinned[checkpointed]
        last = expected_seq - 1
        return report(
            ChainBreak(
                expected_seq,
                f"saknas: kontrollpunkten från {checkpoint.at} omfattar rad {checkpointed} men "
                f"loggen slutar vid rad {last} (rad {expected_seq}–{checkpointed} har tagits bort)",
            )
        )
    return report(None)
