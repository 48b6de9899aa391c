"""Write and read the change log. Every action calls `record_change` once per state change."""

from __future__ import annotations

import datetime as dt
import decimal
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypeAlias

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import QuerySet

from tillit.changelog.models import Change

if TYPE_CHECKING:
    from tillit.accounts.models import User


@dataclass(frozen=True)
class SystemActor:
    """A job or command acting without a user, named so the log says which one."""

    name: str

    def __post_init__(self) -> None:
        if not self.name.strip():
            raise ValueError("a system actor needs a name")


Actor: TypeAlias = "User | SystemActor"

COMMAND_LINE = SystemActor("kommandorad")
DEMO = SystemActor("demo")
# The public e-services (no login): an orosanmälan, an application for authorisation.
E_SERVICE = SystemActor("e-tjanst")
IMPORT = SystemActor("import")


def user_of(by: Actor) -> User | None:
    """The user behind BY, for a record's own "by" column (None for a job)."""
    return None if isinstance(by, SystemActor) else by


def as_stored(value: Any) -> Any:
    """A JSON-safe form of a field value: ids for records, ISO text for dates, text for money."""
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return str(value)
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, list | tuple):
        return [as_stored(item) for item in value]
    if isinstance(value, dict):
        return {str(key): as_stored(item) for key, item in value.items()}
    return str(value)


def snapshot(obj: models.Model, fields: Iterable[str]) -> dict[str, Any]:
    """The values of FIELDS of OBJ (for foreign keys, the id), to diff after a change."""
    found: dict[str, Any] = {}
    for name in fields:
        field = obj._meta.get_field(name)
        attname = getattr(field, "attname", name)
        found[name] = getattr(obj, attname)
    return found


def diff(before: Mapping[str, Any], after: Mapping[str, Any]) -> dict[str, tuple[Any, Any]]:
    """The fields whose value differs, as {field: (old, new)}; 10.50 and 10.5 are equal."""
    return {
        name: (before.get(name), after[name]) for name in after if before.get(name) != after[name]
    }


def created(obj: models.Model, fields: Iterable[str]) -> dict[str, tuple[Any, Any]]:
    """A new record's values of FIELDS as changes from nothing (empty values left out)."""
    return diff({}, snapshot(obj, fields))


def _row(
    by: Actor,
    event: str,
    obj: models.Model,
    changed: Mapping[str, tuple[Any, Any]] | None,
    at: dt.datetime | None,
) -> Change:
    if by is None:
        raise TypeError("record_change needs an actor: a user or a SystemActor")
    if obj.pk is None:
        raise ValueError("record_change needs a saved record")
    values = {
        name: [as_stored(old), as_stored(new)] for name, (old, new) in (changed or {}).items()
    }
    row = Change(
        event=event,
        content_type=ContentType.objects.get_for_model(obj, for_concrete_model=False),
        object_id=obj.pk,
        changed=values,
    )
    if isinstance(by, SystemActor):
        row.system_actor = by.name
    else:
        row.actor = by
    if at is not None:
        row.at = at
    return row


def record_change(
    by: Actor,
    event: str,
    obj: models.Model,
    changed: Mapping[str, tuple[Any, Any]] | None = None,
    *,
    at: dt.datetime | None = None,
) -> Change:
    """Store one change of OBJ by BY. Call it inside the action's transaction."""
    row = _row(by, event, obj, changed, at)
    row.save()
    return row


def record_many(
    by: Actor,
    event: str,
    changes: Iterable[tuple[models.Model, Mapping[str, tuple[Any, Any]] | None]],
    *,
    at: dt.datetime | None = None,
    batch_size: int = 2000,
) -> list[Change]:
    """`record_change` for many records at once, in one bulk insert: for writers that build
    their own rows in bulk (the CSV import), one change-log row per record all the same."""
    rows = [_row(by, event, obj, changed, at) for obj, changed in changes]
    return Change.objects.bulk_create(rows, batch_size=batch_size)


def changes_for(obj: models.Model) -> QuerySet[Change]:
    """OBJ's changes, newest first, with their actors."""
    content_type = ContentType.objects.get_for_model(obj, for_concrete_model=False)
    return (
        Change.objects.filter(content_type=content_type, object_id=obj.pk)
        .select_related("actor")
        .order_by("-at", "-pk")
    )
