"""How an individual is shown to a viewer: the one place where protected identities are masked."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from django.utils.translation import gettext as _

from tillit.access.policy import Viewer
from tillit.individuals.models import Individual


@dataclass(frozen=True)
class PersonCard:
    id: int
    name: str
    personal_number: str
    date_of_birth: dt.date
    address: str
    protection: str
    protection_label: str
    is_protected: bool
    identity_masked: bool


def present(individuals: Iterable[Individual], viewer: Viewer) -> list[PersonCard]:
    people = list(individuals)
    protected_ids = [p.pk for p in people if p.is_protected]
    visible = viewer.identity_visible_ids(protected_ids) if protected_ids else set()
    return [_card(p, masked=p.is_protected and p.pk not in visible) for p in people]


def present_one(individual: Individual, viewer: Viewer) -> PersonCard:
    return present([individual], viewer)[0]


def _card(person: Individual, *, masked: bool) -> PersonCard:
    number = person.identity_number
    if masked:
        name = _("Skyddad identitet")
        personal_number = number.masked() if number else ""
        address = _("Skyddad adress")
    else:
        name = str(person)
        personal_number = number.formatted() if number else ""
        address = ", ".join(
            part
            for part in [person.street_address, f"{person.postal_code} {person.city}".strip()]
            if part
        )
    return PersonCard(
        id=person.pk,
        name=name,
        personal_number=personal_number,
        date_of_birth=person.date_of_birth,
        address=address,
        protection=person.protection,
        protection_label=person.get_protection_display(),
        is_protected=person.is_protected,
        identity_masked=masked,
    )
