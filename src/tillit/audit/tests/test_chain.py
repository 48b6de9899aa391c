"""The access log is append-only and its hash chain finds the first tampered or missing row."""

from contextlib import contextmanager

import pytest
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, transaction

from tillit.access.policy import Basis
from tillit.audit.chain import verify_chain
from tillit.audit.log import Read, record
from tillit.audit.models import AccessAction, AccessLog, AppendOnlyError
from tillit.conftest import append_only_off, enable_append_only


def _write(n: int) -> None:
    for i in range(n):
        record(
            actor=None,
            action=AccessAction.VIEW,
            reads=[Read(individual_id=1000 + i, basis=Basis.ASSIGNMENT)],
        )


@contextmanager
def _triggers_off():
    with append_only_off(), connection.cursor() as cursor:
        yield cursor


@pytest.mark.django_db
def test_an_untouched_log_verifies():
    _write(5)
    record(
        actor=None,
        action=AccessAction.LIST,
        reads=[Read(1, Basis.GROUP_QUEUE), Read(2, Basis.GROUP_QUEUE, purpose="å ä ö – ✓")],
    )
    report = verify_chain(batch=2)
    assert report.ok
    assert report.rows == 7
    assert report.last_seq == 7
    call_command("audit", "verify")


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("column", "value"),
    [
        ("actor_label", "'Någon annan'"),
        ("individual_id", "4711"),
        ("basis", "'enhetschef'"),
        ("at", "'2020-01-01 00:00:00+00:00'"),
        ("protected", "TRUE"),
        ("purpose", "'ändrat syfte'"),
    ],
)
def test_a_changed_row_is_found(column, value):
    _write(6)
    with _triggers_off() as cursor:
        cursor.execute(f"UPDATE audit_accesslog SET {column} = {value} WHERE seq = 4")  # noqa: S608
    report = verify_chain()
    assert not report.ok
    assert report.first_break.seq == 4
    assert "ändrats" in report.first_break.problem
    with pytest.raises(CommandError, match="rad 4"):
        call_command("audit", "verify")


@pytest.mark.django_db
def test_a_removed_row_is_found():
    _write(6)
    with _triggers_off() as cursor:
        cursor.execute("DELETE FROM audit_accesslog WHERE seq = 3")
    report = verify_chain()
    assert report.first_break.seq == 3
    assert "saknas" in report.first_break.problem


@pytest.mark.django_db
def test_a_row_rehashed_after_change_breaks_the_next_link():
    _write(5)
    row = AccessLog.objects.get(seq=2)
    row.actor_label = "Förfalskad"
    forged_hash = row.compute_hash()
    with _triggers_off() as cursor:
        cursor.execute(
            "UPDATE audit_accesslog SET actor_label = %s, entry_hash = %s WHERE seq = 2",
            ["Förfalskad", forged_hash],
        )
    report = verify_chain()
    assert report.first_break.seq == 3
    assert "länken" in report.first_break.problem


@pytest.mark.django_db
def test_the_application_refuses_to_change_or_delete_rows():
    _write(2)
    row = AccessLog.objects.get(seq=1)
    row.actor_label = "x"
    with pytest.raises(AppendOnlyError):
        row.save()
    with pytest.raises(AppendOnlyError):
        row.delete()
    with pytest.raises(AppendOnlyError):
        AccessLog.objects.filter(seq=1).update(actor_label="x")
    with pytest.raises(AppendOnlyError):
        AccessLog.objects.all().delete()


@pytest.mark.django_db
@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE audit_accesslog SET actor_label = 'x' WHERE seq = 1",
        "DELETE FROM audit_accesslog WHERE seq = 1",
    ],
)
def test_the_database_refuses_to_change_or_delete_rows(statement):
    enable_append_only()
    _write(2)
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(statement)
    assert verify_chain().ok
    assert AccessLog.objects.filter(seq=1, actor_label="").exists()
