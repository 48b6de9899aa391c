"""The demo's schema built from the models (tillit.demo.schema) is the one `migrate` builds."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

BUILD = """
import django
django.setup()
from tillit.demo import schema
assert schema.build()
assert not schema.build()  # a database with tables is left to migrate
"""


def _run(database: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{database}",
        "DJANGO_SETTINGS_MODULE": "tillit.settings_test",
    }
    return subprocess.run(  # noqa: S603 - our own interpreter and arguments
        [sys.executable, *args], env=env, capture_output=True, text=True, check=False
    )


def _built(tmp_path: Path) -> Path:
    database = tmp_path / "built.sqlite3"
    result = _run(database, "-c", BUILD)
    assert result.returncode == 0, result.stderr
    return database


def _count(database: Path, table: str) -> int:
    with sqlite3.connect(database) as db:
        return int(db.execute(f'SELECT count(*) FROM "{table}"').fetchone()[0])  # noqa: S608


def test_the_built_schema_needs_no_migration_and_holds_the_seeded_rules(tmp_path: Path) -> None:
    database = _built(tmp_path)
    check = _run(database, "-m", "tillit", "migrate", "--check")
    assert check.returncode == 0, check.stdout + check.stderr  # every migration recorded
    assert _count(database, "deadlines_legalrule") > 0
    assert _count(database, "children_riskquestion") > 0
    assert _count(database, "deadlines_historicallegalrule") == 0  # as after migrate
    assert _count(database, "auth_permission") > 0  # post_migrate ran


def _describe(database: Path) -> dict[tuple[str, str], object]:
    """Every table's columns and foreign keys, every index and trigger, and every row (content
    types and permissions by natural key, not id)."""
    found: dict[tuple[str, str], object] = {}
    with sqlite3.connect(database) as db:
        entries = db.execute(
            "SELECT type, name, tbl_name FROM sqlite_master WHERE name NOT LIKE 'sqlite_%'"
        ).fetchall()
        for kind, name, table in entries:
            if kind == "table":
                columns = {r[1:6] for r in db.execute(f'PRAGMA table_info("{name}")')}
                keys = {r[2:5] for r in db.execute(f'PRAGMA foreign_key_list("{name}")')}
                found[(kind, name)] = (columns, keys)
                found[("rows", name)] = _rows(db, name)
            elif kind == "index":
                columns = tuple(r[2] for r in db.execute(f'PRAGMA index_info("{name}")'))
                unique = [r[2] for r in db.execute(f'PRAGMA index_list("{table}")') if r[1] == name]
                found[(kind, name)] = (table, columns, unique)
            else:
                found[(kind, name)] = table
    return found


def _rows(db: sqlite3.Connection, table: str) -> set[object]:
    if table == "django_migrations":
        return set(db.execute("SELECT app, name FROM django_migrations"))
    if table == "django_content_type":
        return set(db.execute("SELECT app_label, model FROM django_content_type"))
    if table == "auth_permission":
        return set(
            db.execute(
                "SELECT p.codename, p.name, t.app_label, t.model FROM auth_permission p "
                "JOIN django_content_type t ON t.id = p.content_type_id"
            )
        )
    cursor = db.execute(f'SELECT * FROM "{table}"')  # noqa: S608 - a name from sqlite_master
    names = [d[0] for d in cursor.description]
    return {tuple(sorted(zip(names, row, strict=True))) for row in cursor}


@pytest.mark.once
def test_the_built_schema_equals_what_migrate_builds(tmp_path: Path) -> None:
    built = _describe(_built(tmp_path))
    migrated_path = tmp_path / "migrated.sqlite3"
    result = _run(migrated_path, "-m", "tillit", "migrate", "-v0")
    assert result.returncode == 0, result.stderr
    migrated = _describe(migrated_path)
    assert set(built) == set(migrated)
    differing = [key for key in built if built[key] != migrated[key]]
    assert differing == []


@pytest.mark.once
def test_the_demo_command_builds_and_seeds_a_new_database(tmp_path: Path) -> None:
    database = tmp_path / "demo.sqlite3"
    result = _run(database, "-m", "tillit", "demo", "--no-serve")
    assert result.returncode == 0, result.stderr
    assert "Demoinloggningar" in result.stdout
    assert _run(database, "-m", "tillit", "migrate", "--check").returncode == 0
    assert _count(database, "deadlines_dueitem") > 1000
