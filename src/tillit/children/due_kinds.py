"""Child and family's kinds of the generic deadlines (tillit.deadlines.due): the four legal steps.

Its rows are derived from the records (`tillit.children.tracking`), listed on its workbench and
reminded by `tillit.children.reminders`, so they are registered with `own_lists`.
"""

from __future__ import annotations

from typing import Any

from django.urls import reverse


def _record_url(item: Any) -> str:
    from tillit.children.models import Deadline
    from tillit.children.reminders import record_url

    deadline = item if isinstance(item, Deadline) else Deadline.objects.get(pk=item.pk)
    return record_url(deadline) or reverse("children:workbench")


def _warning_days(item: Any) -> int:
    from tillit.deadlines.models import policy_for

    return policy_for(item.unit_id).warning_days


def register() -> None:
    from tillit.children.models import DeadlineKind
    from tillit.deadlines.due import DueKind, register_kind

    for kind in DeadlineKind:
        register_kind(
            DueKind(
                code=kind.value,
                label=kind.label,
                url=_record_url,
                warning_days_of=_warning_days,
                own_lists=True,
            )
        )
