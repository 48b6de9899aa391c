"""Fast inserts of unsaved model instances that carry their own ids: COPY on PostgreSQL,
executemany elsewhere. For generated data only (the demo, the benchmarks): no signals, no
save(), no auto_now; each value is stored as the instance holds it.

`insert_history` writes each instance's first django-simple-history row ("+", created), as
`objects.create` would have, with the given date.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from typing import Any

from django.db import connection, models
from django.db.models.fields import AutoFieldMixin

# Fields whose Python value the database driver takes as it is; every other field's value goes
# through the field's own get_db_prep_save (dates, times, UUIDs, JSON).
_AS_IS = (
    models.CharField,
    models.TextField,
    models.IntegerField,
    models.BooleanField,
    models.ForeignKey,
    AutoFieldMixin,
)

Row = Sequence[object]


def _writer(
    fields: Sequence[models.Field[Any, Any]],
) -> Callable[[Callable[[models.Field[Any, Any]], object]], Row]:
    prepared = [not isinstance(field, _AS_IS) for field in fields]

    def row(value_of: Callable[[models.Field[Any, Any]], object]) -> Row:
        values = []
        for field, prep in zip(fields, prepared, strict=True):
            value = value_of(field)
            if prep and value is not None:
                value = field.get_db_prep_save(value, connection)
            values.append(value)
        return values

    return row


def _write(table: str, columns: Sequence[str], rows: list[Row]) -> None:
    if not rows:
        return
    quote = connection.ops.quote_name
    names = ", ".join(quote(c) for c in columns)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            raw = cursor.cursor  # psycopg's own cursor, for COPY
            with raw.copy(f"COPY {quote(table)} ({names}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
        else:
            marks = ", ".join(["%s"] * len(columns))
            # Table and column names come from the models, never from input.
            sql = f"INSERT INTO {quote(table)} ({names}) VALUES ({marks})"  # noqa: S608
            cursor.executemany(sql, rows)  # type: ignore[arg-type]


def insert(model: type[models.Model], objs: Sequence[models.Model]) -> None:
    fields = list(model._meta.concrete_fields)
    row = _writer(fields)
    rows = [row(lambda field, obj=obj: getattr(obj, field.attname)) for obj in objs]  # type: ignore[misc]
    _write(model._meta.db_table, [f.column for f in fields], rows)


def insert_history(
    model: type[models.Model], objs: Sequence[models.Model], when: dt.datetime
) -> None:
    manager = getattr(model, "history", None)
    if manager is None:
        return
    historical = manager.model
    fields = [f for f in historical._meta.concrete_fields if f.name != "history_id"]
    own = {
        "history_date": when,
        "history_change_reason": None,
        "history_type": "+",
        "history_user_id": None,
    }
    row = _writer(fields)

    def value_of(obj: models.Model) -> Callable[[models.Field[Any, Any]], object]:
        def value(field: models.Field[Any, Any]) -> object:
            if field.attname in own:
                return own[field.attname]
            return getattr(obj, field.attname)

        return value

    rows = [row(value_of(obj)) for obj in objs]
    _write(historical._meta.db_table, [f.column for f in fields], rows)
