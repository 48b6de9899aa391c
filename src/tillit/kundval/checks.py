"""System checks: every column the pay may read is watched by the money triggers, and the
triggers the migrations install are the ones `money_triggers` defines.

- kundval.E001: a column of a watched table is neither watched nor listed as ignored.
- kundval.E002: a watched or ignored column the table does not have.
- kundval.E003: a kundval table neither watched nor in `money_triggers.NOT_WATCHED`.
- kundval.E004: the definitions differ from the latest migration installing them.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from django.apps import AppConfig, apps
from django.core import checks
from django.db import models

from tillit.kundval import money_triggers
from tillit.migration_sql import RunVendorSQL

_FIX = "Classify it in tillit/kundval/money_triggers.py and write a migration (see its docstring)."


def _tables() -> dict[str, type[models.Model]]:
    """Every table of a model (many-to-many tables too), history tables left out."""
    return {
        model._meta.db_table: model
        for model in apps.get_models(include_auto_created=True)
        if not hasattr(model, "instance_type")  # django-simple-history's copies
    }


def money_columns(
    tables: Mapping[str, type[models.Model]],
    watched: Sequence[money_triggers.Watched],
    not_watched: Iterable[str],
    app_label: str = "kundval",
) -> list[checks.CheckMessage]:
    errors: list[checks.CheckMessage] = []
    classified = set(not_watched)
    for watch in watched:
        classified.add(watch.table)
        model = tables.get(watch.table)
        if model is None:
            errors.append(
                checks.Error(
                    f"{watch.table} is watched but no model has it.", hint=_FIX, id="kundval.E002"
                )
            )
            continue
        columns = {field.column for field in model._meta.local_concrete_fields}
        for column in sorted(columns - watch.columns - watch.ignored):
            errors.append(
                checks.Error(
                    f"{watch.table}.{column} is neither watched by the money triggers nor "
                    "listed as not changing the pay.",
                    hint=_FIX,
                    obj=model,
                    id="kundval.E001",
                )
            )
        for column in sorted((watch.columns | watch.ignored) - columns):
            errors.append(
                checks.Error(
                    f"{watch.table}.{column} is classified for the money triggers but the "
                    "table has no such column.",
                    hint=_FIX,
                    obj=model,
                    id="kundval.E002",
                )
            )
    for table, model in sorted(tables.items()):
        if model._meta.app_label == app_label and table not in classified:
            errors.append(
                checks.Error(
                    f"{table} is neither watched by the money triggers nor listed in "
                    "NOT_WATCHED with the reason the pay does not need it.",
                    hint=_FIX,
                    obj=model,
                    id="kundval.E003",
                )
            )
    return errors


def latest_installed(package: str = "tillit.kundval.migrations") -> tuple[str, RunVendorSQL] | None:
    """The latest migration of `package` that installs the money triggers, and its operation."""
    found = None
    names = sorted(m.name for m in pkgutil.iter_modules(importlib.import_module(package).__path__))
    for name in names:
        migration = importlib.import_module(f"{package}.{name}").Migration
        for operation in migration.operations:
            if isinstance(operation, RunVendorSQL) and operation.label == money_triggers.LABEL:
                found = (name, operation)
    return found


def migrated_definitions(latest: tuple[str, RunVendorSQL] | None) -> list[checks.CheckMessage]:
    hint = "Write a migration: python -m tillit.kundval.money_triggers 00NN_money_triggers"
    if latest is None:
        return [
            checks.Error("No migration installs the money triggers.", hint=hint, id="kundval.E004")
        ]
    name, operation = latest
    for vendor in money_triggers.VENDORS:
        if operation.forwards.get(vendor) != money_triggers.statements(
            vendor
        ) or operation.backwards.get(vendor) != money_triggers.reverse_statements(vendor):
            return [
                checks.Error(
                    f"The money triggers for {vendor} differ from those migration {name} installs.",
                    hint=hint,
                    id="kundval.E004",
                )
            ]
    return []


@checks.register(checks.Tags.models)
def check_money_triggers(
    app_configs: Sequence[AppConfig] | None = None, **_kwargs: Any
) -> list[checks.CheckMessage]:
    if app_configs is not None and not any(c.label == "kundval" for c in app_configs):
        return []
    return money_columns(
        _tables(), money_triggers.watched(), money_triggers.NOT_WATCHED
    ) + migrated_definitions(latest_installed())
