"""Every change to individuals and their cases."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from django.db import transaction

from tillit.changelog.log import Actor, created, record_change
from tillit.individuals.identity import IdentityNumber
from tillit.individuals.models import Case, CaseAssignment, Individual, Relation, RelationKind
from tillit.organisation.models import Group

if TYPE_CHECKING:
    from tillit.accounts.models import User


@transaction.atomic
def register_individual(
    *,
    number: IdentityNumber | None,
    first_name: str,
    last_name: str,
    date_of_birth: dt.date,
    group: Group,
    case_title: str,
    opened_on: dt.date,
    street_address: str = "",
    postal_code: str = "",
    city: str = "",
    protection: str = "none",
    by: Actor,
) -> Case:
    """Register a person together with the group's case, so the group reaches the record."""
    individual = Individual.objects.create(
        personal_number=number.digits if number else None,
        first_name=first_name,
        last_name=last_name,
        date_of_birth=number.birth_date if number else date_of_birth,
        street_address=street_address,
        postal_code=postal_code,
        city=city,
        protection=protection,
    )
    case = Case.objects.create(
        individual=individual,
        unit=group.unit,
        group=group,
        title=case_title,
        opened_on=opened_on,
    )
    changed = created(individual, ("first_name", "last_name", "date_of_birth", "protection"))
    changed["case"] = (None, case.pk)
    record_change(by, "individuals.individual.registered", individual, changed)
    return case


@transaction.atomic
def assign_case(case: Case, user: User, valid_from: dt.date, *, by: Actor) -> CaseAssignment:
    assignment = CaseAssignment.objects.create(case=case, user=user, valid_from=valid_from)
    record_change(
        by,
        "individuals.case.assigned",
        case,
        {"user": (None, user.pk), "valid_from": (None, valid_from)},
    )
    return assignment


@transaction.atomic
def add_relation(
    individual: Individual, relative: Individual, kind: RelationKind, *, by: Actor
) -> None:
    """Record a relation; siblings are recorded both ways."""
    _relation, is_new = Relation.objects.get_or_create(
        individual=individual, relative=relative, kind=kind
    )
    if kind == RelationKind.SIBLING:
        Relation.objects.get_or_create(individual=relative, relative=individual, kind=kind)
    if is_new:
        record_change(
            by,
            "individuals.individual.related",
            individual,
            {"relation": (None, [kind, relative.pk])},
        )
