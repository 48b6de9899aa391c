"""SQL that differs between the databases Tillit runs on, as a migration operation.

`RunVendorSQL({"postgresql": [...], "sqlite": [...]}, {...backwards...})` runs the statements
for the migrating database's vendor. Unlike `RunPython`, its SQL goes through the schema
editor, so `tillit sqlmigrate` prints it; unlike `RunSQL`, one migration serves both
databases. A vendor without statements gets none (nothing to do there).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from django.db.backends.base.schema import BaseDatabaseSchemaEditor
from django.db.migrations.operations.base import Operation
from django.db.migrations.state import ProjectState


class RunVendorSQL(Operation):
    reduces_to_sql = True
    reversible = True

    def __init__(
        self,
        forwards: Mapping[str, Sequence[str]],
        backwards: Mapping[str, Sequence[str]],
        *,
        label: str = "",
    ) -> None:
        self.forwards = {vendor: list(sqls) for vendor, sqls in forwards.items()}
        self.backwards = {vendor: list(sqls) for vendor, sqls in backwards.items()}
        self.label = label

    def deconstruct(self) -> tuple[str, list[Any], dict[str, Any]]:
        kwargs = {"label": self.label} if self.label else {}
        return (self.__class__.__qualname__, [self.forwards, self.backwards], kwargs)

    def state_forwards(self, app_label: str, state: ProjectState) -> None:
        pass

    def database_forwards(
        self,
        app_label: str,
        schema_editor: BaseDatabaseSchemaEditor,
        from_state: ProjectState,
        to_state: ProjectState,
    ) -> None:
        self._run(schema_editor, self.forwards)

    def database_backwards(
        self,
        app_label: str,
        schema_editor: BaseDatabaseSchemaEditor,
        from_state: ProjectState,
        to_state: ProjectState,
    ) -> None:
        self._run(schema_editor, self.backwards)

    def describe(self) -> str:
        return f"SQL per database: {self.label}" if self.label else "SQL per database"

    @staticmethod
    def _run(schema_editor: BaseDatabaseSchemaEditor, by_vendor: dict[str, list[str]]) -> None:
        for statement in by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement, params=None)
