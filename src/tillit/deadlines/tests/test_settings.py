"""The deadline settings: parsed from the environment, refused loudly when wrong."""

import datetime as dt
import os
import subprocess
import sys

import pytest

from tillit.env import SettingError, env_int, env_time, env_time_range

T = dt.time


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        pytest.param(None, T(16, 0), id="unset-gives-default"),
        pytest.param("", T(16, 0), id="empty-gives-default"),
        pytest.param("15:30", T(15, 30), id="hh-mm"),
        pytest.param(" 9:05 ", T(9, 5), id="single-digit-hour-and-spaces"),
    ],
)
def test_env_time(monkeypatch: pytest.MonkeyPatch, raw: str | None, expected: dt.time) -> None:
    if raw is None:
        monkeypatch.delenv("TEST_CUTOFF", raising=False)
    else:
        monkeypatch.setenv("TEST_CUTOFF", raw)
    assert env_time("TEST_CUTOFF", "16:00") == expected


@pytest.mark.parametrize("raw", ["16", "25:00", "4 pm", "16.00", "16:00:00"])
def test_env_time_refuses(monkeypatch: pytest.MonkeyPatch, raw: str) -> None:
    monkeypatch.setenv("TEST_CUTOFF", raw)
    with pytest.raises(SettingError, match="TEST_CUTOFF must be a time like 16:00"):
        env_time("TEST_CUTOFF", "16:00")


def test_env_time_range(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("TEST_HOURS", raising=False)
    assert env_time_range("TEST_HOURS", "08:00-16:30") == (T(8, 0), T(16, 30))
    monkeypatch.setenv("TEST_HOURS", "07:45 - 17:15")
    assert env_time_range("TEST_HOURS", "08:00-16:30") == (T(7, 45), T(17, 15))


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        pytest.param("08:00", "two times", id="one-time"),
        pytest.param("16:30-08:00", "start before it ends", id="reversed"),
        pytest.param("08:00-08:00", "start before it ends", id="empty-range"),
        pytest.param("08:00-late", "a time like", id="not-a-time"),
    ],
)
def test_env_time_range_refuses(monkeypatch: pytest.MonkeyPatch, raw: str, message: str) -> None:
    monkeypatch.setenv("TEST_HOURS", raw)
    with pytest.raises(SettingError, match=message):
        env_time_range("TEST_HOURS", "08:00-16:30")


@pytest.mark.parametrize(
    ("raw", "expected"),
    [pytest.param("0", 0, id="lowest"), pytest.param("60", 60, id="highest")],
)
def test_env_int_bounds_accept(monkeypatch: pytest.MonkeyPatch, raw: str, expected: int) -> None:
    monkeypatch.setenv("TEST_DAYS", raw)
    assert env_int("TEST_DAYS", 3, minimum=0, maximum=60) == expected


@pytest.mark.parametrize("raw", ["-1", "61"])
def test_env_int_bounds_refuse(monkeypatch: pytest.MonkeyPatch, raw: str) -> None:
    monkeypatch.setenv("TEST_DAYS", raw)
    with pytest.raises(SettingError, match="TEST_DAYS must be between 0 and 60"):
        env_int("TEST_DAYS", 3, minimum=0, maximum=60)


def test_a_bad_deadline_setting_stops_start_up() -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("TILLIT_")}
    env |= {"DJANGO_SETTINGS_MODULE": "tillit.settings_test", "TILLIT_OFFICE_HOURS": "17-08"}
    result = subprocess.run(
        [sys.executable, "-m", "tillit", "check"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode != 0
    assert "TILLIT_OFFICE_HOURS must be a time like 16:00" in result.stderr
