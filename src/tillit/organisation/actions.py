"""Dated changes to the organisation: new groups, memberships begun and ended.

Each change is one function in a transaction, with history (simple_history) and the explicit
change log; a membership is never deleted, it is given a last day.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from tillit.accounts.models import User
from tillit.changelog.log import Actor, record_change
from tillit.organisation.models import Group, Membership, Unit
from tillit.organisation.roles import Role


def create_group(unit: Unit, name: str, *, by: Actor) -> Group:
    """The group NAME in UNIT; an existing one of that name is returned as it is."""
    with transaction.atomic():
        found = Group.objects.filter(unit=unit, name=name).first()
        if found is not None:
            return found
        group = Group.objects.create(unit=unit, name=name)
        record_change(by, "organisation.group.created", group, {"name": ("", name)})
        return group


def start_membership(
    *,
    user: User,
    role: Role,
    valid_from: dt.date,
    unit: Unit | None = None,
    group: Group | None = None,
    by: Actor,
) -> Membership:
    with transaction.atomic():
        membership = Membership(user=user, role=role, unit=unit, group=group, valid_from=valid_from)
        membership.full_clean()
        membership.save()
        record_change(
            by,
            "organisation.membership.started",
            membership,
            {"valid_from": ("", valid_from.isoformat())},
        )
        return membership


def end_membership(membership: Membership, *, last_day: dt.date, by: Actor) -> Membership:
    with transaction.atomic():
        locked = Membership.objects.select_for_update().get(pk=membership.pk)
        if last_day < locked.valid_from:
            raise ValidationError(
                _("Uppdraget kan inte sluta innan det har börjat (%(start)s).")
                % {"start": locked.valid_from.isoformat()}
            )
        if locked.valid_to is not None and locked.valid_to <= last_day:
            return locked
        old = locked.valid_to.isoformat() if locked.valid_to else ""
        locked.valid_to = last_day
        locked.save(update_fields=["valid_to"])
        record_change(
            by, "organisation.membership.ended", locked, {"valid_to": (old, last_day.isoformat())}
        )
        return locked
