"""The money triggers are installed by a migration, and the system check refuses a column or a
table the pay may read that nobody decided about (tillit.kundval.money_triggers, checks.py).

The triggers' behaviour (what each write journals) is tests/test_money_changes.py; here: that
the migrated database has every trigger, that the migration is reversible and shows its SQL,
and that the check fails for each kind of gap. Runs on SQLite and PostgreSQL."""

import re
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection, models
from django.test.utils import isolate_apps

from tillit.kundval import checks, money_triggers
from tillit.kundval.models import Choice, PaymentRun
from tillit.migration_sql import RunVendorSQL


def _trigger_names(statements):
    return {
        match.group(1)
        for statement in statements
        if (match := re.match(r"CREATE TRIGGER (\w+)", statement))
    }


def _installed():
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT tgname FROM pg_trigger WHERE NOT tgisinternal")
        else:
            cursor.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")
        return {name for (name,) in cursor.fetchall()}


class _Editor:
    """The part of a schema editor the operation uses; SQLite's real one refuses to open
    inside the test's transaction."""

    connection = connection

    def execute(self, sql, params=None):
        with connection.cursor() as cursor:
            cursor.execute(sql)


@pytest.mark.django_db
def test_the_migrated_database_has_every_money_trigger():
    expected = _trigger_names(money_triggers.statements(connection.vendor))
    assert len(expected) >= 8  # every watched table
    assert expected <= _installed()


@pytest.mark.django_db
def test_the_migration_removes_the_triggers_backwards_and_puts_them_back():
    _name, operation = checks.latest_installed()
    expected = _trigger_names(money_triggers.statements(connection.vendor))

    operation.database_backwards("kundval", _Editor(), None, None)
    assert not expected & _installed()

    operation.database_forwards("kundval", _Editor(), None, None)
    assert expected <= _installed()


def test_sqlmigrate_shows_the_triggers(django_db_setup, django_db_blocker):
    # Outside the test's transaction: SQLite's schema editor refuses to open inside one.
    out = StringIO()
    name, _operation = checks.latest_installed()
    with django_db_blocker.unblock():
        call_command("sqlmigrate", "kundval", name, stdout=out)
    shown = out.getvalue()
    for trigger in _trigger_names(money_triggers.statements(connection.vendor)):
        assert f"CREATE TRIGGER {trigger} " in shown


def test_the_check_passes_for_the_models_as_they_are():
    assert checks.check_money_triggers() == []


def _tables(**replaced):
    return {**checks._tables(), **replaced}


@isolate_apps("tillit.kundval")
def test_a_new_money_column_on_a_watched_table_is_an_error():
    class ChoiceWithFee(models.Model):  # noqa: DJ008
        voucher_id = models.IntegerField()
        provider_id = models.IntegerField()
        valid_from = models.DateField()
        valid_to = models.DateField()
        kind = models.CharField(max_length=10)
        chosen_on = models.DateField()
        registered_by_id = models.IntegerField()
        fee = models.DecimalField(max_digits=10, decimal_places=2)

        class Meta:
            app_label = "kundval"
            db_table = "kundval_choice"

    errors = checks.money_columns(
        _tables(kundval_choice=ChoiceWithFee),
        money_triggers.watched(),
        money_triggers.NOT_WATCHED,
    )

    assert [(e.id, e.msg.split()[0]) for e in errors] == [("kundval.E001", "kundval_choice.fee")]


def test_a_watched_column_the_table_lacks_is_an_error():
    watched = [
        w
        if w.table != "kundval_choice"
        else money_triggers.Watched(w.table, w.columns | {"price"}, w.ignored)
        for w in money_triggers.watched()
    ]

    errors = checks.money_columns(_tables(), watched, money_triggers.NOT_WATCHED)

    assert [(e.id, e.msg.split()[0]) for e in errors] == [("kundval.E002", "kundval_choice.price")]


def test_a_column_dropped_from_the_watch_is_an_error():
    watched = [
        w
        if w.table != "kundval_choice"
        else money_triggers.Watched(w.table, w.columns - {"valid_to"}, w.ignored)
        for w in money_triggers.watched()
    ]

    errors = checks.money_columns(_tables(), watched, money_triggers.NOT_WATCHED)

    assert [(e.id, e.obj) for e in errors] == [("kundval.E001", Choice)]


@isolate_apps("tillit.kundval")
def test_a_new_kundval_table_nobody_classified_is_an_error():
    class TravelAllowance(models.Model):  # noqa: DJ008
        amount = models.DecimalField(max_digits=10, decimal_places=2)

        class Meta:
            app_label = "kundval"

    errors = checks.money_columns(
        _tables(kundval_travelallowance=TravelAllowance),
        money_triggers.watched(),
        money_triggers.NOT_WATCHED,
    )

    assert [(e.id, e.msg.split()[0]) for e in errors] == [
        ("kundval.E003", "kundval_travelallowance")
    ]


def test_a_table_said_not_to_matter_is_no_error():
    not_watched = dict(money_triggers.NOT_WATCHED)
    del not_watched["kundval_paymentrun"]

    errors = checks.money_columns(_tables(), money_triggers.watched(), not_watched)

    assert [(e.id, e.obj) for e in errors] == [("kundval.E003", PaymentRun)]


def test_definitions_changed_without_a_migration_are_an_error():
    name, operation = checks.latest_installed()
    assert checks.migrated_definitions((name, operation)) == []

    forwards = {**operation.forwards, "sqlite": operation.forwards["sqlite"][:-2]}
    stale = RunVendorSQL(forwards, operation.backwards, label=money_triggers.LABEL)
    errors = checks.migrated_definitions((name, stale))

    assert [e.id for e in errors] == ["kundval.E004"]
    assert name in errors[0].msg
    assert [e.id for e in checks.migrated_definitions(None)] == ["kundval.E004"]
