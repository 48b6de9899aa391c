"""The demo's database schema, built straight from the models when the database is empty.

`migrate` on an empty database replays every migration's operations on Django's in-memory
model state, and each CreateModel re-renders every model related to it: with about 200
models that is quadratic, 88 s of CPU on the 2-core demo machine (2026-12-02) before a single
demo row exists. An empty database needs none of that history. So `tillit demo` creates the
tables of the current models directly (as `migrate --run-syncdb` does for an app without
migrations), then runs each migration's data and SQL operations (RunPython, RunSQL,
RunVendorSQL: the money and access-log triggers) in
migration order (Tillit's own; see `_ours`), records every migration as applied, and sends
post_migrate (content types, permissions) as `migrate` does. Later
`tillit migrate` runs see a fully migrated database.

The result is checked against a real `migrate` in demo/tests/test_schema.py: the same tables,
columns, indexes, constraints and triggers, and the same rows the data migrations write.
A database that already has tables, and PostgreSQL, go through `migrate` as before.
"""

from __future__ import annotations

from types import SimpleNamespace
from typing import cast

from django.apps import apps
from django.core.management import call_command
from django.core.management.sql import emit_post_migrate_signal
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.migrations.executor import MigrationExecutor
from django.db.migrations.migration import Migration
from django.db.migrations.operations.special import RunPython, RunSQL
from django.db.migrations.recorder import MigrationRecorder
from django.db.migrations.state import ProjectState

from tillit.migration_sql import RunVendorSQL


def build(alias: str = DEFAULT_DB_ALIAS) -> bool:
    """Create the whole schema on an empty SQLite database; False (nothing done) otherwise."""
    connection = connections[alias]
    # Compared with `migrate` on SQLite only (the README's demo); PostgreSQL migrates.
    if connection.vendor != "sqlite" or connection.introspection.table_names():
        return False
    executor = MigrationExecutor(connection)
    plan = executor.migration_plan(executor.loader.graph.leaf_nodes(), clean_start=True)
    models = [
        model
        for model in apps.get_models()  # not auto-created: create_model makes the M2M tables
        if model._meta.managed and not model._meta.proxy
    ]
    # The data operations read and write through the current models: they ran against the
    # same fields when they were written, and the comparison test shows they still do.
    # Duck-typed ProjectState: all RunPython and RunSQL read is .apps (and the cache clear).
    current = cast(ProjectState, SimpleNamespace(apps=apps, clear_delayed_apps_cache=lambda: None))
    recorder = MigrationRecorder(connection)
    recorder.ensure_schema()
    # One transaction (the schema editor's) for the tables and the data operations.
    with connection.schema_editor() as editor:
        for model in models:
            editor.create_model(model)
        for migration, _backwards in plan:
            for operation in migration.operations:
                if isinstance(operation, RunPython | RunSQL | RunVendorSQL) and _ours(migration):
                    operation.database_forwards(migration.app_label, editor, current, current)
        # The current models keep history (django-simple-history) where the migrations'
        # historical models did not: the seeded rows get none, as after `migrate`.
        for model in models:
            if any(f.name == "history_id" for f in model._meta.fields):
                table = editor.quote_name(model._meta.db_table)
                editor.execute(f"DELETE FROM {table}")  # noqa: S608 - a model's table name
    for migration, _backwards in plan:
        recorder.record_applied(migration.app_label, migration.name)
    emit_post_migrate_signal(0, False, alias)
    return True


# Data operations that only rewrite rows an empty database does not have, and that read fields
# the current models no longer have: skipped. Every other operation of Tillit's runs (they seed
# rows such as the legal rules and the risk checklist, or install SQL); a new one that fails
# here fails the comparison test in demo/tests/test_schema.py.
REWRITES_ONLY = {
    ("organisation", "0002_provider_orgnr_canonical"),
    ("kundval", "0003_public_application"),
    ("children", "0009_deadline_proxy"),
    ("deadlines", "0006_one_reminder_table"),
    ("children", "0011_reminders_to_one_table"),
}


def _ours(migration: Migration) -> bool:
    """Tillit's own data operations, but for REWRITES_ONLY. Those of Django and the libraries
    (auth, axes, django_tasks_database) only rewrite existing rows, like REWRITES_ONLY."""
    key = (migration.app_label, migration.name)
    return type(migration).__module__.startswith("tillit.") and key not in REWRITES_ONLY


def migrate(alias: str = DEFAULT_DB_ALIAS) -> None:
    """The schema from the models on an empty database, else the migrations as usual."""
    if not build(alias):
        call_command("migrate", interactive=False, verbosity=0, database=alias)
