"""Finding individuals within the viewer's reach."""

from __future__ import annotations

import re

from django.db.models import Q, QuerySet

from tillit.access.policy import Viewer
from tillit.individuals.identity import parse_identity_number
from tillit.individuals.models import Individual, Protection

MAX_HITS = 50
_NUMBER_LIKE = re.compile(r"^[\d\s+-]+$")


def search_individuals(viewer: Viewer, query: str) -> list[Individual]:
    """Hits by personnummer (exact) or by name (every word starts a first or last name).

    A protected person whose identity the viewer may not see is found by number only, so a
    name search never reveals that a protected person carries that name.
    """
    reachable: QuerySet[Individual] = viewer.individuals()
    text = query.strip()
    if _NUMBER_LIKE.match(text):
        number = parse_identity_number(text, today=viewer.today)
        return list(reachable.filter(personal_number=number.digits)[:MAX_HITS])
    condition = Q()
    for word in text.split():
        condition &= Q(first_name__istartswith=word) | Q(last_name__istartswith=word)
    hits = list(reachable.filter(condition).order_by("last_name", "first_name")[: MAX_HITS * 2])
    protected_ids = [p.pk for p in hits if p.protection != Protection.NONE]
    visible = viewer.identity_visible_ids(protected_ids) if protected_ids else set()
    return [p for p in hits if p.protection == Protection.NONE or p.pk in visible][:MAX_HITS]
