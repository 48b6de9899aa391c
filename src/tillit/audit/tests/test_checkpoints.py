"""The keyed chain and its signed checkpoints find a log tampered with directly in SQL.

Two attackers: one who owns the database but not the key (AUDIT_HMAC_KEY), and one who has
both. The first is caught by the key alone; the second only by checkpoints published before
the tampering — up to the last checkpoint, and never after it (docs/access.md).
"""

import datetime as dt
import json
from pathlib import Path

import pytest
from django.core.checks import run_checks
from django.core.management import CommandError, call_command
from django.db import connection
from django.test import override_settings

from tillit.access.policy import Basis
from tillit.audit import checkpoints
from tillit.audit.chain import verify_chain
from tillit.audit.log import Read, record
from tillit.audit.models import (
    GENESIS_HASH,
    KEY_VERSION,
    AccessAction,
    AccessLog,
    AccessLogKeySwitch,
    chain_hash,
    chain_key,
    sign,
)
from tillit.audit.tasks import publish_access_log_checkpoint
from tillit.conftest import append_only_off

T0 = dt.datetime(2026, 12, 1, 8, 0, tzinfo=dt.UTC)


@pytest.fixture
def checkpoint_file(tmp_path: Path, settings) -> Path:
    settings.TILLIT_AUDIT_CHECKPOINT_DIR = tmp_path
    return tmp_path / checkpoints.FILE_NAME


def _write(n: int, start: int = 0) -> None:
    for i in range(n):
        record(
            actor=None,
            action=AccessAction.VIEW,
            reads=[Read(individual_id=2000 + start + i, basis=Basis.ASSIGNMENT)],
        )


def _publish(hour: int) -> checkpoints.Checkpoint:
    return checkpoints.publish(now=T0 + dt.timedelta(hours=hour))


def _replace_from(first_seq: int, rows: list[AccessLog], key: bytes | None) -> None:
    """The attacker: delete rows from `first_seq` on and write `rows` in their place,
    renumbered and re-chained — with the log's key, or (key None) with plain SHA-256."""
    prev_hash = AccessLog.objects.get(seq=first_seq - 1).entry_hash if first_seq > 1 else ""
    prev_hash = prev_hash or GENESIS_HASH
    with append_only_off(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM audit_accesslog WHERE seq >= %s", [first_seq])
    for seq, row in enumerate(rows, start=first_seq):
        row.pk = None
        row.seq = seq
        row.prev_hash = prev_hash
        if key is None:
            row.key_version = None
            row.entry_hash = chain_hash(prev_hash, row.canonical())
        else:
            row.key_version = KEY_VERSION
            row.entry_hash = row.compute_hash(key)
        prev_hash = row.entry_hash
    AccessLog.objects.bulk_create(rows)


def _rows_from(seq: int) -> list[AccessLog]:
    return list(AccessLog.objects.filter(seq__gte=seq).order_by("seq"))


def _verify(file: Path | None) -> str:
    args = ["audit", "verify"] + (["--checkpoints", str(file)] if file else [])
    with pytest.raises(CommandError) as caught:
        call_command(*args)
    return str(caught.value)


@pytest.mark.django_db
def test_checkpoints_are_signed_appended_and_verified(checkpoint_file, capsys):
    _write(3)
    first = _publish(0)
    _write(2, start=3)
    second = _publish(1)
    lines = [json.loads(line) for line in checkpoint_file.read_text().splitlines()]
    assert [line["seq"] for line in lines] == [3, 5]
    assert lines[1]["entry_hash"] == AccessLog.objects.get(seq=5).entry_hash
    assert (first.at, second.at) == ("2026-12-01T08:00:00Z", "2026-12-01T09:00:00Z")
    assert all(cp.genuine() for cp in checkpoints.load(checkpoint_file))
    _write(1, start=5)
    call_command("audit", "verify", "--checkpoints", str(checkpoint_file))
    out = capsys.readouterr().out
    assert "6 rader" in out
    assert "1 rader efter den skyddas bara av nyckeln" in out


@pytest.mark.django_db
def test_without_the_key_a_rewritten_and_rechained_row_is_named(checkpoint_file):
    _write(6)
    rows = _rows_from(4)
    rows[0].actor_label = "Förfalskad"
    _replace_from(4, rows, key=b"the attacker's guess")
    assert verify_chain().first_break.seq == 4
    assert "rad 4: innehållet har ändrats" in _verify(None)


@pytest.mark.django_db
def test_without_the_key_rows_passed_off_as_unkeyed_are_named(checkpoint_file):
    _write(6)
    rows = _rows_from(1)
    rows[2].purpose = "ändrat"
    _replace_from(1, rows, key=None)
    assert "rad 1: raden är inte skriven med loggens nyckel" in _verify(None)


@pytest.mark.django_db
def test_without_the_key_a_forged_row_appended_is_named(checkpoint_file):
    _write(4)
    forged = AccessLog.objects.get(seq=4)
    forged.individual_id = 4711
    _replace_from(5, [forged], key=b"not the key")
    assert "rad 5: innehållet har ändrats" in _verify(None)


@pytest.mark.django_db
def test_with_the_key_a_rewritten_row_is_named_against_the_checkpoints(checkpoint_file):
    _write(3)
    _publish(0)
    _write(3, start=3)
    _publish(1)
    rows = _rows_from(5)
    rows[0].actor_label = "Förfalskad"
    _replace_from(5, rows, key=chain_key())
    assert verify_chain().ok  # the key alone cannot tell
    message = _verify(checkpoint_file)
    assert "rad 6: stämmer inte med kontrollpunkten från 2026-12-01T09:00:00Z" in message
    assert "från rad 4 till och med rad 6" in message


@pytest.mark.django_db
def test_with_the_key_a_row_inserted_in_the_middle_is_named(checkpoint_file):
    _write(5)
    _publish(0)
    forged = AccessLog.objects.get(seq=2)
    forged.individual_id = 4711
    _replace_from(3, [forged, *_rows_from(3)], key=chain_key())
    assert verify_chain().ok
    assert AccessLog.objects.count() == 6
    message = _verify(checkpoint_file)
    assert "rad 5: stämmer inte med kontrollpunkten" in message
    assert "från rad 1 till och med rad 5" in message


@pytest.mark.django_db
def test_a_removed_tail_is_named_against_the_checkpoints(checkpoint_file):
    _write(8)
    _publish(0)
    with append_only_off(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM audit_accesslog WHERE seq >= 7")
    assert verify_chain().ok  # without the checkpoint nothing shows
    message = _verify(checkpoint_file)
    assert "rad 7: saknas: kontrollpunkten från 2026-12-01T08:00:00Z omfattar rad 8" in message
    assert "loggen slutar vid rad 6" in message


@pytest.mark.django_db
def test_with_the_key_rows_after_the_last_checkpoint_are_not_protected(checkpoint_file):
    """The stated limit: a forger holding the key can append after the last checkpoint."""
    _write(3)
    _publish(0)
    forged = AccessLog.objects.get(seq=3)
    forged.individual_id = 4711
    _replace_from(4, [forged], key=chain_key())
    report = verify_chain(checkpoints=checkpoints.load(checkpoint_file))
    assert report.ok
    assert report.rows_after_last_checkpoint == 1


@pytest.mark.django_db
def test_a_forged_checkpoint_line_is_refused(checkpoint_file):
    _write(2)
    _publish(0)
    line = json.loads(checkpoint_file.read_text())
    line["seq"] = 1
    checkpoint_file.write_text(json.dumps(line) + "\n")
    assert "kontrollpunkten är inte äkta" in _verify(checkpoint_file)


@pytest.mark.django_db
def test_a_broken_chain_is_never_signed(checkpoint_file):
    _write(4)
    _publish(0)
    _write(2, start=4)
    with append_only_off(), connection.cursor() as cursor:
        cursor.execute("UPDATE audit_accesslog SET purpose = 'x' WHERE seq = 5")
    with pytest.raises(CommandError, match="Ingen kontrollpunkt skrevs: rad 5"):
        call_command("audit", "checkpoint")
    assert len(checkpoint_file.read_text().splitlines()) == 1
    result = publish_access_log_checkpoint.call()
    assert result == {"ok": False, "first_break": str(verify_chain().first_break)}


@pytest.mark.django_db
def test_the_task_publishes_a_checkpoint(checkpoint_file):
    _write(2)
    result = publish_access_log_checkpoint.call()
    assert result["ok"] is True
    assert result["seq"] == 2
    assert checkpoints.load(checkpoint_file)[0].entry_hash == result["hash"]


def _legacy_log(n: int) -> None:
    """Rows as written before the key: plain SHA-256, key_version NULL, then the switch."""
    _write(n)
    _replace_from(1, _rows_from(1), key=None)
    key = chain_key()
    AccessLogKeySwitch.objects.create(
        first_keyed_seq=n + 1, at=T0, mac=sign(key, "switch", n + 1, KEY_VERSION)
    )


@pytest.mark.django_db
def test_rows_from_before_the_key_verify_up_to_the_signed_switch(checkpoint_file):
    _legacy_log(3)
    _write(2, start=3)
    assert list(AccessLog.objects.order_by("seq").values_list("key_version", flat=True)) == [
        None,
        None,
        None,
        KEY_VERSION,
        KEY_VERSION,
    ]
    assert verify_chain().ok


@pytest.mark.django_db
def test_a_moved_switch_is_named(checkpoint_file):
    _legacy_log(3)
    _write(2, start=3)
    # Moving the switch to pass rewritten keyed rows off as old unkeyed ones.
    AccessLogKeySwitch.objects.update(first_keyed_seq=5)
    assert "rad 5: övergången till nyckeln har ändrats" in _verify(None)


@pytest.mark.django_db
def test_a_removed_switch_is_named(checkpoint_file):
    _legacy_log(3)
    AccessLogKeySwitch.objects.all().delete()
    assert "rad 1: raden är inte skriven med loggens nyckel" in _verify(None)


@pytest.mark.parametrize(
    ("debug", "key", "ids"),
    [
        (False, "", ["tillit.E001"]),
        (False, "short", ["tillit.W001"]),
        (False, "k" * 40, []),
        (True, "", []),
    ],
)
def test_check_deploy_requires_a_key_of_its_own(debug, key, ids):
    with override_settings(DEBUG=debug, DEMO=False, AUDIT_HMAC_KEY=key):
        found = [m.id for m in run_checks(include_deployment_checks=True)]
    assert [i for i in found if i and i.startswith("tillit.")] == ids


@pytest.mark.django_db
def test_the_key_comes_from_the_setting_when_set(checkpoint_file):
    with override_settings(AUDIT_HMAC_KEY="a" * 40):
        _write(2)
        assert verify_chain().ok
    # Read with another key, the same rows fail.
    assert verify_chain().first_break.seq == 1
