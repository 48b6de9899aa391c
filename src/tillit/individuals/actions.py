"""Every change to individuals and their cases."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from django.db import transaction

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
    return Case.objects.create(
        individual=individual,
        unit=group.unit,
        group=group,
        title=case_title,
        opened_on=opened_on,
    )


@transaction.atomic
def assign_case(case: Case, user: User, valid_from: dt.date) -> CaseAssignment:
    return CaseAssignment.objects.create(case=case, user=user, valid_from=valid_from)


@transaction.atomic
def add_relation(individual: Individual, relative: Individual, kind: RelationKind) -> None:
    """Record a relation; siblings are recorded both ways."""
    Relation.objects.get_or_create(individual=individual, relative=relative, kind=kind)
    if kind == RelationKind.SIBLING:
        Relation.objects.get_or_create(individual=relative, relative=individual, kind=kind)
