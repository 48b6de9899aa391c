"""What the incident actions share: Swedish refusals, row locks, the responsible unit."""

from __future__ import annotations

import datetime as dt
from typing import TypeVar

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext as _

from tillit.kundval.models import Authorisation
from tillit.organisation.models import Provider, Unit

M = TypeVar("M", bound=models.Model)


def refuse(errors: dict[str, list[str]]) -> None:
    if errors:
        raise ValidationError(errors)


def locked(obj: M) -> M:
    """The row again, locked for the rest of the transaction."""
    return type(obj)._default_manager.select_for_update().get(pk=obj.pk)


def required(errors: dict[str, list[str]], field: str, value: str, message: str) -> str:
    value = (value or "").strip()
    if not value:
        errors.setdefault(field, []).append(message)
    return value


def not_in_future(errors: dict[str, list[str]], field: str, day: dt.date, today: dt.date) -> None:
    if day > today:
        errors.setdefault(field, []).append(_("Datumet kan inte ligga i framtiden."))


def responsible_unit(provider: Provider) -> Unit | None:
    """The unit answering for a provider: its own unit for a municipal provider, else the unit
    that manages the kundval area of its latest authorisation."""
    if provider.unit_id is not None:
        return provider.unit
    found = (
        Authorisation.objects.filter(provider=provider)
        .select_related("area__unit")
        .order_by("-valid_from", "-pk")
        .first()
    )
    return found.area.unit if found is not None else None


def unit_for(
    errors: dict[str, list[str]], unit: Unit | None, provider: Provider | None
) -> Unit | None:
    if unit is None and provider is not None:
        unit = responsible_unit(provider)
    if unit is None:
        errors.setdefault("unit", []).append(
            _("Ange enheten (eller en anordnare som kommunen följer upp).")
        )
    return unit
