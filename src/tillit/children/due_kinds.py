"""Child and family's kinds of the generic deadlines (tillit.deadlines.due): the four legal steps.

Its rows are derived from the records (`tillit.children.tracking`) and listed on its workbench
(`own_lists`); the one reminder run (`tillit.deadlines.reminders`) reminds about them with the
unit's policy's days, and tells the group heads when one is missed.
"""

from __future__ import annotations

from typing import Any

from django.urls import reverse


def _record_url(item: Any) -> str:
    from tillit.children.models import Deadline
    from tillit.children.reading import record_url

    deadline = item if isinstance(item, Deadline) else Deadline.objects.get(pk=item.pk)
    return record_url(deadline) or reverse("children:workbench")


def _links(viewer: Any, items: list[Any]) -> dict[int, str]:
    from tillit.children.reading import deadline_links

    return deadline_links(viewer, items)


def register() -> None:
    from tillit.children.models import DeadlineKind
    from tillit.deadlines.due import DueKind, register_kind
    from tillit.organisation.roles import Role

    for kind in DeadlineKind:
        register_kind(
            DueKind(
                code=kind.value,
                label=kind.label,
                url=_record_url,
                unit_policy=True,
                missed_to=Role.GROUP_HEAD,
                links=_links,
                own_lists=True,
            )
        )
