"""The incident steps as generic deadlines (tillit.deadlines.due): registered at start-up, opened
and completed by the actions. Titles name the record's number, never a person."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from django.db import models
from django.urls import reverse

from tillit.deadlines import due
from tillit.deadlines.due_models import DueItem
from tillit.incidents.rules import DATED_KINDS, STEP_LIMITS

if TYPE_CHECKING:
    from tillit.access.policy import Viewer
    from tillit.accounts.models import User
    from tillit.organisation.models import Unit


def _page(name: str) -> object:
    def url(item: DueItem) -> str:
        return reverse(name, args=[item.object_id])

    return url


_PAGES = {
    "lexsarah": "incidents:lexsarah",
    "deviation": "incidents:deviation",
    "complaint": "incidents:complaint",
}


def _follow_up_page(item: DueItem) -> str:
    from tillit.incidents.models import Correction, ProviderRequest

    model = ProviderRequest if item.kind == "followup.request" else Correction
    found = model.objects.filter(pk=item.object_id).values_list("follow_up_id", flat=True).first()
    return reverse("incidents:follow_up", args=[found or 0])


def _follow_up_links(viewer: Viewer, items: list[DueItem]) -> dict[int, str]:
    """The follow-ups of these requests and corrections, one query a kind, for the items the
    viewer may follow; none for a request or correction that is gone."""
    from tillit.incidents.models import Correction, ProviderRequest

    followed = [item for item in items if due.may_follow(viewer, item)]
    found: dict[int, str] = {}
    for kind, model in (("followup.request", ProviderRequest), ("followup.correction", Correction)):
        of_kind = [item for item in followed if item.kind == kind]
        if not of_kind:
            continue
        follow_up_of = dict(
            model.objects.filter(pk__in=[item.object_id for item in of_kind]).values_list(
                "pk", "follow_up_id"
            )
        )
        found.update(
            {
                item.pk: reverse("incidents:follow_up", args=[follow_up_of[item.object_id]])
                for item in of_kind
                if item.object_id in follow_up_of
            }
        )
    return found


def register_kinds() -> None:
    for limit in STEP_LIMITS.values():
        prefix = limit.kind.split(".", 1)[0]
        due.register_kind(
            due.DueKind(code=limit.kind, label=limit.label, url=_page(_PAGES[prefix]))  # type: ignore[arg-type]
        )
    for code, label in DATED_KINDS.items():
        due.register_kind(
            due.DueKind(code=code, label=label, url=_follow_up_page, links=_follow_up_links)
        )


def open_step(
    subject: models.Model,
    kind: str,
    start: dt.date,
    *,
    unit: Unit | None,
    title: str,
    holder: User | None = None,
) -> dt.date:
    """Open KIND on SUBJECT from START, due by its limit; returns the due date."""
    when = STEP_LIMITS[kind].due(start)
    due.open_due(subject, kind, when, unit=unit, title=title, holder=holder, started_on=start)
    return when


def open_dated(
    subject: models.Model,
    kind: str,
    start: dt.date,
    when: dt.date,
    *,
    unit: Unit | None,
    title: str,
    holder: User | None = None,
) -> None:
    due.open_due(
        subject, kind, when, unit=unit, title=title, holder=holder, started_on=min(start, when)
    )


def complete_step(subject: models.Model, kind: str, on: dt.date) -> None:
    due.complete_due(subject, kind, on=on)


def cancel_steps(subject: models.Model, prefix: str) -> None:
    for kind in list(STEP_LIMITS) + list(DATED_KINDS):
        if kind.startswith(prefix):
            due.cancel_due(subject, kind)
