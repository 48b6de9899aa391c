"""Production settings: `check --deploy` is clean and a missing SECRET_KEY stops start-up."""

import json
import os
import re
import subprocess
import sys

import pytest
from django.db import connection

PRODUCTION = {
    "DJANGO_SETTINGS_MODULE": "tillit.settings",
    "SECRET_KEY": "x" * 60 + "production-like-test-key-not-used-anywhere",
    "ALLOWED_HOSTS": "tillit.kommun.example",
    "DEBUG": "false",
    "AUDIT_HMAC_KEY": "k" * 40 + "production-like-audit-key",
}


def _manage(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    clean = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("TILLIT_", "DEBUG", "SECRET_KEY", "AUDIT_HMAC_KEY"))
    }
    clean.pop("DJANGO_SETTINGS_MODULE", None)
    clean.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    return subprocess.run(  # noqa: S603 - our own interpreter and module
        [sys.executable, "-m", "tillit", *args],
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_check_deploy_is_clean_under_production_settings():
    result = _manage("check", "--deploy", "--fail-level", "WARNING", **PRODUCTION)
    assert result.returncode == 0, result.stderr + result.stdout
    assert "no issues" in result.stdout


def test_production_refuses_to_start_without_a_secret_key():
    env = {k: v for k, v in PRODUCTION.items() if k != "SECRET_KEY"}
    result = _manage("check", **env)
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_check_deploy_fails_without_the_audit_key():
    env = {k: v for k, v in PRODUCTION.items() if k != "AUDIT_HMAC_KEY"}
    result = _manage("check", "--deploy", **env)
    assert result.returncode != 0
    assert "tillit.E001" in result.stderr + result.stdout


def test_collectstatic_builds_the_manifest_production_serves(tmp_path):
    """Without the manifest every page answers 500 under DEBUG=false, so the README's
    `collectstatic --noinput` must succeed: each url(...) in a CSS file names a collected file."""
    result = _manage("collectstatic", "--noinput", **PRODUCTION, STATIC_ROOT=str(tmp_path))
    assert result.returncode == 0, result.stderr + result.stdout

    manifest = json.loads((tmp_path / "staticfiles.json").read_text())["paths"]
    for name in (
        "vendor/govuk-frontend/govuk-frontend.min.css",
        "vendor/htmx/htmx.min.js",
        "tillit/tillit.css",
    ):
        hashed = manifest[name]
        assert hashed != name
        assert (tmp_path / hashed).is_file()
    for css in tmp_path.rglob("*.css"):
        for url in re.findall(r"url\(\s*['\"]?([^'\")]+)", css.read_text()):
            if url.startswith(("data:", "#")):
                continue
            path = url.split("?")[0].split("#")[0]
            if path.startswith("/static/"):
                target = tmp_path / path.removeprefix("/static/")
            else:
                target = css.parent / path
            assert target.is_file(), f"{css.name} names {url}, which was not collected"


def test_postgresql_connections_run_without_jit(db):
    """JIT compiling a short query with a high estimated cost took 230 of its 284 ms at ten
    times Nacka (benchmarks/README.md): the app's connections turn it off."""
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL only")
    with connection.cursor() as cursor:
        cursor.execute("SHOW jit")
        assert cursor.fetchone()[0] == "off"
