"""Generic deadlines: register a kind, open, complete or cancel the step a record owes, and list
a user's open steps. The rows are `DueItem`s; `tillit.deadlines.reminders` reminds about them.

A domain app registers its kinds in its AppConfig.ready():

    register_kind(DueKind("lexsarah.report_ivo", _("Anmälan till IVO"),
                          url=lambda item: reverse("incidents:lexsarah", args=[item.object_id])))

and calls `open_due` when a step becomes owed and `complete_due` when it is done, inside the
action's transaction. A title is shown on start pages and in reminders: never a name or a
personnummer. Child and family's four kinds are rows of this table too, derived from its records
by `tillit.children.tracking` and registered with `own_lists` (its workbench lists them), so
`open_items_for` leaves them out; the one reminder run serves every kind.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.functional import Promise

from tillit.deadlines.due_models import DueItem
from tillit.deadlines.engine import Light, traffic_light
from tillit.deadlines.models import policy_for
from tillit.organisation.models import Group, Membership, Unit
from tillit.organisation.roles import Role

if TYPE_CHECKING:
    from tillit.access.policy import Viewer
    from tillit.accounts.models import User

DEFAULT_WARNING_DAYS = 3


@dataclass(frozen=True)
class DueKind:
    """A kind of step.

    WARNING_DAYS turn the light yellow and REMINDER_DAYS before the due date the holder is first
    reminded; with UNIT_POLICY both come from the item's unit (`UnitDeadlinePolicy`) instead.
    MISSED_TO: who is told when the date has passed and the step is still open — the heads of the
    item's unit, or (Role.GROUP_HEAD) of its group (its unit's heads when it has none).
    LINKS: the pages of these items that a viewer may open, {item id: url}, in a fixed number of
    queries; without it an item's `url` is shown to its holder and to the heads of its group or
    unit (the people its reminders and start-page rows go to). OWN_LISTS: the app lists these
    items on its own workbench, so the start page leaves them out."""

    code: str
    label: str | Promise
    url: Callable[[DueItem], str]
    warning_days: int = DEFAULT_WARNING_DAYS
    reminder_days: int = 2
    unit_policy: bool = False
    missed_to: Role = Role.UNIT_HEAD
    links: Callable[[Viewer, list[DueItem]], dict[int, str]] | None = None
    own_lists: bool = False


_KINDS: dict[str, DueKind] = {}


def register_kind(kind: DueKind) -> None:
    """Make KIND known; registering the same code twice with another definition is a bug."""
    known = _KINDS.get(kind.code)
    if known is not None and known != kind:
        raise ValueError(f"due kind {kind.code!r} is registered twice")
    _KINDS[kind.code] = kind


def kind_of(code: str) -> DueKind:
    try:
        return _KINDS[code]
    except KeyError:
        raise LookupError(f"due kind {code!r} is not registered") from None


def registered_kinds() -> list[DueKind]:
    return list(_KINDS.values())


def _subject_filter(subject: models.Model, kind: str) -> Q:
    content_type = ContentType.objects.get_for_model(subject, for_concrete_model=False)
    return Q(content_type=content_type, object_id=subject.pk, kind=kind)


def open_due(
    subject: models.Model,
    kind: str,
    due: dt.date,
    *,
    unit: Unit | None,
    title: str,
    group: Group | None = None,
    holder: User | None = None,
    started_on: dt.date | None = None,
) -> DueItem:
    """The open step KIND of SUBJECT, due on DUE: created, or its date and holder updated."""
    kind_of(kind)
    started = started_on or timezone.localdate()
    if due < started:
        raise ValueError("a due date cannot be before the step starts")
    found = (
        DueItem.objects.select_for_update()
        .filter(_subject_filter(subject, kind), completed_on__isnull=True)
        .first()
    )
    if found is None:
        return DueItem.objects.create(
            kind=kind,
            content_type=ContentType.objects.get_for_model(subject, for_concrete_model=False),
            object_id=subject.pk,
            title=title[:200],
            unit=unit,
            group=group,
            holder=holder,
            started_on=started,
            nominal_due=due,
            effective_due=due,
            due=due,
        )
    found.due, found.holder, found.unit, found.group = due, holder, unit, group
    found.nominal_due = found.effective_due = due
    found.title = title[:200]
    found.save(
        update_fields=["due", "nominal_due", "effective_due", "holder", "unit", "group", "title"]
    )
    return found


def complete_due(
    subject: models.Model, kind: str, *, on: dt.date, late_reason: str = ""
) -> DueItem | None:
    """Mark the open step done on ON; None when nothing of that kind was open."""
    found = (
        DueItem.objects.select_for_update()
        .filter(_subject_filter(subject, kind), completed_on__isnull=True)
        .first()
    )
    if found is None:
        return None
    found.completed_on = on
    found.late_reason = late_reason
    found.save(update_fields=["completed_on", "late_reason"])
    return found


def cancel_due(subject: models.Model, kind: str) -> None:
    """The step is no longer owed (e.g. the case was closed another way): remove it."""
    DueItem.objects.filter(_subject_filter(subject, kind), completed_on__isnull=True).delete()


def headed_unit_ids(user: User, today: dt.date) -> set[int]:
    return set(
        Membership.objects.active(today)
        .filter(user=user, role=Role.UNIT_HEAD, unit__isnull=False)
        .values_list("unit_id", flat=True)
    )


def open_items_for(user: User, today: dt.date) -> QuerySet[DueItem]:
    """Open steps the user holds, and those of the units they head, soonest first."""
    units = headed_unit_ids(user, today)
    mine = Q(holder=user)
    if units:
        mine |= Q(unit_id__in=units)
    return (
        DueItem.objects.filter(mine, completed_on__isnull=True)
        .exclude(kind__in=own_listed_codes())
        .select_related("holder")
        .order_by("due", "pk")
    )


def own_listed_codes() -> list[str]:
    """The kinds whose app lists them on its own workbench (`DueKind.own_lists`)."""
    return sorted(code for code, kind in _KINDS.items() if kind.own_lists)


def warning_days(item: DueItem) -> int:
    kind = _KINDS.get(item.kind)
    if kind is None:
        return DEFAULT_WARNING_DAYS
    if kind.unit_policy:
        return policy_for(item.unit_id).warning_days
    return kind.warning_days


def light_of(item: DueItem, today: dt.date) -> Light:
    return traffic_light(item.due, today, warning_days(item))


def url_of(item: DueItem) -> str | None:
    kind = _KINDS.get(item.kind)
    return kind.url(item) if kind is not None else None


def may_follow(viewer: Viewer, item: DueItem) -> bool:
    """The rule for kinds without their own `links`: the item's holder and the heads of its
    group or unit."""
    user_id = viewer.user.pk if viewer.user is not None else None
    return (
        (user_id is not None and item.holder_id == user_id)
        or item.unit_id in viewer.head_unit_ids
        or item.group_id in viewer.head_group_ids
    )


def links_for(viewer: Viewer, items: list[DueItem]) -> dict[int, str]:
    """The page of each item that VIEWER may open, {item id: url}; an item without one is shown
    without a link. Each kind's own rule (`DueKind.links`), else `may_follow`."""
    by_kind: dict[str, list[DueItem]] = {}
    for item in items:
        by_kind.setdefault(item.kind, []).append(item)
    found: dict[int, str] = {}
    for code, same in by_kind.items():
        kind = _KINDS.get(code)
        if kind is None:
            continue
        if kind.links is not None:
            found.update(kind.links(viewer, same))
            continue
        found.update({item.pk: kind.url(item) for item in same if may_follow(viewer, item)})
    return found


def label_of(item: DueItem) -> str:
    kind = _KINDS.get(item.kind)
    return str(kind.label) if kind is not None else item.kind


@dataclass(frozen=True)
class DueRow:
    """An open step as a list shows it: its light, days left and the link the reader may follow."""

    item: DueItem
    today: dt.date
    url: str | None = None

    @property
    def days_left(self) -> int:
        return (self.item.due - self.today).days

    @property
    def overdue_days(self) -> int:
        return max(0, -self.days_left)

    @property
    def light(self) -> Light:
        return light_of(self.item, self.today)

    @property
    def tag_class(self) -> str:
        if self.light == Light.RED:
            return "govuk-tag--red"
        return "govuk-tag--yellow" if self.light == Light.YELLOW else "govuk-tag--green"

    @property
    def label(self) -> str:
        return label_of(self.item)


def rows_for(viewer: Viewer, items: list[DueItem]) -> list[DueRow]:
    """ITEMS as rows for VIEWER, each with the link the viewer may follow (`links_for`)."""
    links = links_for(viewer, items)
    return [DueRow(item, viewer.today, links.get(item.pk)) for item in items]
