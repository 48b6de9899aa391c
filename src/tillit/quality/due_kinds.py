"""The generic deadlines this app owes (tillit.deadlines.due)."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

ROUTINE_REVIEW = "quality.routine_review"
AUDIT_RUN = "quality.audit_run"
MEASURE = "quality.measure"


def _routine_url(item: Any) -> str:
    from tillit.quality.models import RoutineVersion

    version = RoutineVersion.objects.filter(pk=item.object_id).only("routine_id").first()
    return reverse("quality:routine", args=[version.routine_id]) if version else ""


def _routine_links(viewer: Any, items: list[Any]) -> dict[int, str]:
    """The routines of these review steps in one query, for those the viewer may follow."""
    from tillit.deadlines.due import may_follow
    from tillit.quality.models import RoutineVersion

    followed = [item for item in items if may_follow(viewer, item)]
    routine_of = dict(
        RoutineVersion.objects.filter(pk__in=[item.object_id for item in followed]).values_list(
            "pk", "routine_id"
        )
    )
    return {
        item.pk: reverse("quality:routine", args=[routine_of[item.object_id]])
        for item in followed
        if item.object_id in routine_of
    }


def register() -> None:
    from tillit.deadlines.due import DueKind, register_kind

    register_kind(
        DueKind(
            code=ROUTINE_REVIEW,
            label=_("Översyn av rutin"),
            url=_routine_url,
            links=_routine_links,
        )
    )
    register_kind(
        DueKind(
            code=AUDIT_RUN,
            label=_("Egenkontroll"),
            url=lambda item: reverse("quality:run", args=[item.object_id]),
        )
    )
    register_kind(
        DueKind(
            code=MEASURE,
            label=_("Åtgärd i åtgärdsplanen"),
            url=lambda item: reverse("quality:measure", args=[item.object_id]),
        )
    )
