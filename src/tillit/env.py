"""Tiny helpers that read settings from the environment and fail loudly on bad values."""

import datetime as dt
import os
from pathlib import Path


class SettingError(ValueError):
    pass


def _raw(name: str) -> str | None:
    """A value from NAME, or from the file named by NAME_FILE (for container secrets)."""
    file_name = os.environ.get(f"{name}_FILE")
    if file_name:
        return Path(file_name).read_text(encoding="utf-8").strip()
    return os.environ.get(name)


def env_str(name: str, default: str = "") -> str:
    value = _raw(name)
    return default if value is None else value


def env_bool(name: str, default: bool) -> bool:
    value = _raw(name)
    if value is None or value == "":
        return default
    lowered = value.strip().lower()
    if lowered in {"1", "true", "yes", "on"}:
        return True
    if lowered in {"0", "false", "no", "off"}:
        return False
    raise SettingError(f"{name} must be true or false, not {value!r}")


def env_int(
    name: str, default: int, *, minimum: int | None = None, maximum: int | None = None
) -> int:
    value = _raw(name)
    if value is None or value == "":
        return default
    try:
        number = int(value)
    except ValueError as exc:
        raise SettingError(f"{name} must be a whole number, not {value!r}") from exc
    if (minimum is not None and number < minimum) or (maximum is not None and number > maximum):
        raise SettingError(f"{name} must be between {minimum} and {maximum}, not {number}")
    return number


def _clock(name: str, text: str) -> dt.time:
    try:
        return dt.datetime.strptime(text.strip(), "%H:%M").time()  # noqa: DTZ007 - a clock time
    except ValueError as exc:
        raise SettingError(f"{name} must be a time like 16:00, not {text!r}") from exc


def env_time(name: str, default: str) -> dt.time:
    """A clock time written HH:MM, e.g. 16:00."""
    value = _raw(name)
    return _clock(name, default if value is None or value == "" else value)


def env_time_range(name: str, default: str) -> tuple[dt.time, dt.time]:
    """Two clock times written HH:MM-HH:MM, the first before the second, e.g. 08:00-16:30."""
    value = _raw(name)
    text = default if value is None or value == "" else value
    start, dash, end = text.partition("-")
    if not dash:
        raise SettingError(f"{name} must be two times like 08:00-16:30, not {text!r}")
    first, second = _clock(name, start), _clock(name, end)
    if first >= second:
        raise SettingError(f"{name} must start before it ends, not {text!r}")
    return first, second


def env_list(name: str, default: list[str]) -> list[str]:
    value = _raw(name)
    if value is None or value == "":
        return default
    return [item.strip() for item in value.split(",") if item.strip()]
