"""The lead's foundation (change log, generic deadlines), imported in one place.

Until the foundation is merged into this branch, the fallbacks below keep the app working
without it (no change rows, no due items); they go away at the merge.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import Any


def _noop(*args: Any, **kwargs: Any) -> Any:
    return None


def _load(module: str, name: str) -> Callable[..., Any]:
    try:
        found: Callable[..., Any] = getattr(importlib.import_module(module), name)
    except ImportError:
        return _noop
    return found


record_change = _load("tillit.changelog.log", "record_change")
open_due = _load("tillit.deadlines.due", "open_due")
complete_due = _load("tillit.deadlines.due", "complete_due")
cancel_due = _load("tillit.deadlines.due", "cancel_due")

__all__ = ["cancel_due", "complete_due", "open_due", "record_change"]
