"""Two gunicorn servers on different ports share one limit of failed logins per address:
the count lives in the shared cache (the database by default, Redis with CACHE_URL), not in
a process's memory."""

from __future__ import annotations

import contextlib
import http.cookiejar
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.db import connection

from tillit.conftest import disable_append_only

# Whole-product checks: CI runs them in one database pass only (.ci/run).
pytestmark = pytest.mark.once

LIMIT = 3


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _database_url(tmp_path: Path) -> str:
    """The test database as the servers will see it: on SQLite a copy in a file (the test
    database lives in memory), on PostgreSQL the test database itself."""
    settings = connection.settings_dict
    if connection.vendor == "sqlite":
        copy = tmp_path / "shared.sqlite3"
        with connection.cursor() as cursor:
            cursor.execute("VACUUM INTO %s", [str(copy)])
        return f"sqlite:///{copy}"
    user = settings["USER"] or "postgres"
    host = settings["HOST"] or "127.0.0.1"
    return f"postgres://{user}@{host}:{settings['PORT'] or 5432}/{settings['NAME']}"


def _redis_url() -> str | None:
    url = "redis://127.0.0.1:6379/11"
    try:
        import redis

        client = redis.Redis.from_url(url, socket_connect_timeout=1)
        client.flushdb()  # db 11 is this test's own
    except Exception:  # no Redis here: that variant is skipped
        return None
    return url


class Server:
    def __init__(self, port: int, env: dict[str, str]) -> None:
        self.base = f"http://127.0.0.1:{port}"
        self.process = subprocess.Popen(  # noqa: S603 - our own interpreter and module
            [
                sys.executable,
                "-m",
                "gunicorn",
                "tillit.wsgi",
                "--bind",
                f"127.0.0.1:{port}",
                "--workers",
                "1",
            ],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            start_new_session=True,  # its own process group: stop() ends the workers too
        )
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar())
        )

    def wait(self, deadline: float) -> None:
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise AssertionError(self.process.stderr.read().decode())  # type: ignore[union-attr]
            try:
                with socket.create_connection(("127.0.0.1", int(self.base.rsplit(":", 1)[1]))):
                    return
            except OSError:
                time.sleep(0.2)
        raise AssertionError("gunicorn did not start")

    def fail_login(self, username: str) -> tuple[int, str]:
        page = self.opener.open(f"{self.base}/konto/logga-in/", timeout=30).read().decode()
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
        assert token is not None
        body = urllib.parse.urlencode(
            {"csrfmiddlewaretoken": token[1], "username": username, "password": "Fel-123456"}
        ).encode()
        request = urllib.request.Request(  # noqa: S310 - our own local server
            f"{self.base}/konto/logga-in/", data=body, headers={"Referer": self.base}
        )
        try:
            with self.opener.open(request, timeout=30) as response:
                return response.status, response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode()

    def stop(self) -> None:
        """Stop the arbiter and its worker, so that no connection to the test database is
        left behind (the database is emptied after the test)."""
        self.process.terminate()
        with contextlib.suppress(subprocess.TimeoutExpired):
            self.process.wait(timeout=10)
        with contextlib.suppress(ProcessLookupError):  # a worker left without its arbiter
            os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=10)
        self.process.stderr.close()  # type: ignore[union-attr]


def _wait_for_other_connections_to_close() -> None:
    """On PostgreSQL: wait until the servers' sessions have ended, so that emptying the test
    database after the test neither waits for their locks nor leaves them behind."""
    if connection.vendor != "postgresql":
        return
    deadline = time.monotonic() + 30
    with connection.cursor() as cursor:
        while True:
            cursor.execute(
                "SELECT count(*) FROM pg_stat_activity"
                " WHERE datname = current_database() AND pid <> pg_backend_pid()"
            )
            (others,) = cursor.fetchone()
            if not others:
                return
            if time.monotonic() > deadline:
                raise AssertionError(f"{others} server connections still open")
            time.sleep(0.1)


@pytest.fixture
def servers(request, transactional_db, tmp_path) -> Iterator[tuple[Server, Server]]:
    disable_append_only()  # Django empties every table, the access log too, after the test.
    cache_url = ""
    if request.param == "redis":
        cache_url = _redis_url() or ""
        if not cache_url:
            pytest.skip("no Redis at 127.0.0.1:6379")
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("TILLIT_", "DEBUG", "SECRET_KEY", "DJANGO_", "CACHE_URL", "REDIS"))
    }
    env.update(
        DJANGO_SETTINGS_MODULE="tillit.settings",
        DEBUG="true",
        SECRET_KEY="shared-limit-test-key",
        DATABASE_URL=_database_url(tmp_path),
        CACHE_URL=cache_url,
        TILLIT_LOGIN_FAILURES_PER_ADDRESS=str(LIMIT),
        TILLIT_REQUIRE_2FA="false",
    )
    pair = (Server(_free_port(), env), Server(_free_port(), env))
    try:
        deadline = time.monotonic() + 120
        for server in pair:
            server.wait(deadline)
        yield pair
    finally:
        for server in pair:
            server.stop()
        _wait_for_other_connections_to_close()


@pytest.mark.parametrize("servers", ["database", "redis"], indirect=True)
def test_two_servers_share_one_limit_per_address(servers):
    first, second = servers
    answers = [
        first.fail_login("unit_head")[0],
        second.fail_login("director")[0],
        first.fail_login("quality_developer")[0],
    ]
    assert answers == [200, 200, 200]  # three failures, spread over both servers
    status, page = second.fail_login("board_secretary")
    assert status == 429
    assert "För många misslyckade inloggningar" in page
    assert first.fail_login("reception_worker")[0] == 429
