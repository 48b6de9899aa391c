"""Signed checkpoints of the access log, published outside the database.

A checkpoint says "at time T the log had N rows and row N's hash was H", signed with the
chain's key. Kept somewhere the database's owner cannot rewrite (an append-only file on
another mount or host, syslog, e-mail), it lets `tillit audit verify --checkpoints FILE` find
a log rewritten, lengthened in the middle or cut short up to N — the tail included.
"""

from __future__ import annotations

import datetime as dt
import hmac
import json
import logging
import logging.handlers
import os
from dataclasses import asdict, dataclass
from pathlib import Path

from django.conf import settings
from django.core.mail import send_mail
from django.utils import timezone

from tillit.audit.models import KEY_VERSION, chain_key, sign

logger = logging.getLogger(__name__)

FILE_NAME = "checkpoints.jsonl"


class CheckpointError(ValueError):
    """A checkpoint file that cannot be trusted: unreadable, or a line whose signature fails."""


@dataclass(frozen=True)
class Checkpoint:
    seq: int
    entry_hash: str
    at: str
    key_version: int
    mac: str

    @classmethod
    def signed(cls, seq: int, entry_hash: str, at: dt.datetime) -> Checkpoint:
        stamp = at.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
        mac = sign(chain_key(), "checkpoint", seq, entry_hash, stamp, KEY_VERSION)
        return cls(seq, entry_hash, stamp, KEY_VERSION, mac)

    def genuine(self) -> bool:
        expected = sign(
            chain_key(), "checkpoint", self.seq, self.entry_hash, self.at, self.key_version
        )
        return self.key_version == KEY_VERSION and hmac.compare_digest(expected, self.mac)

    def line(self) -> str:
        return json.dumps(asdict(self), separators=(",", ":"))


def default_file() -> Path:
    return Path(settings.TILLIT_AUDIT_CHECKPOINT_DIR) / FILE_NAME


def load(path: Path) -> list[Checkpoint]:
    """Every checkpoint in a JSON-lines file, each checked against the key."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise CheckpointError(f"kan inte läsa {path}: {exc.strerror}") from exc
    checkpoints = []
    for number, raw in enumerate(text.splitlines(), start=1):
        if not raw.strip():
            continue
        try:
            data = json.loads(raw)
            checkpoint = Checkpoint(
                seq=int(data["seq"]),
                entry_hash=str(data["entry_hash"]),
                at=str(data["at"]),
                key_version=int(data["key_version"]),
                mac=str(data["mac"]),
            )
        except (ValueError, KeyError, TypeError) as exc:
            raise CheckpointError(f"{path} rad {number} är ingen kontrollpunkt") from exc
        if not checkpoint.genuine():
            raise CheckpointError(
                f"{path} rad {number}: kontrollpunkten är inte äkta (signaturen stämmer inte)"
            )
        checkpoints.append(checkpoint)
    return checkpoints


class ChainBrokenError(RuntimeError):
    pass


def publish(now: dt.datetime | None = None, path: Path | None = None) -> Checkpoint:
    """Check the log since the last checkpoint, then sign and publish its head.

    A broken chain is never signed: the error names the first break instead.
    """
    from tillit.audit.chain import verify_chain

    path = path or default_file()
    previous = load(path)[-1:] if path.exists() else []
    report = verify_chain(start=previous[0] if previous else None)
    if report.first_break is not None:
        logger.error("Access log chain broken, no checkpoint signed: %s", report.first_break)
        raise ChainBrokenError(str(report.first_break))
    checkpoint = Checkpoint.signed(report.last_seq, report.last_hash, now or timezone.now())
    _append(path, checkpoint.line())
    _send_elsewhere(checkpoint)
    return checkpoint


def _append(path: Path, line: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o640)
    try:
        os.write(fd, f"{line}\n".encode())
        os.fsync(fd)
    finally:
        os.close(fd)


def _send_elsewhere(checkpoint: Checkpoint) -> None:
    text = f"tillit access-log checkpoint {checkpoint.line()}"
    address = settings.TILLIT_AUDIT_CHECKPOINT_SYSLOG
    if address:
        host, _, port = address.rpartition(":")
        target: str | tuple[str, int] = (host, int(port)) if host and port.isdigit() else address
        handler = logging.handlers.SysLogHandler(address=target)
        try:
            handler.emit(logging.makeLogRecord({"msg": text, "levelno": logging.INFO}))
        finally:
            handler.close()
    recipients = settings.TILLIT_AUDIT_CHECKPOINT_EMAIL
    if recipients:
        send_mail(
            f"Tillit: kontrollpunkt för åtkomstloggen, rad {checkpoint.seq}",
            f"{text}\n\nSpara meddelandet oförändrat; det behövs för att kontrollera loggen.",
            None,
            recipients,
        )
