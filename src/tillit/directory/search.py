"""Finding individuals within the viewer's reach."""

from __future__ import annotations

import re

from django.db.models import Exists, OuterRef, Q, QuerySet

from tillit.access.models import ProtectedIdentityGrant
from tillit.access.policy import Viewer
from tillit.individuals.identity import parse_identity_number
from tillit.individuals.models import Individual, Protection
from tillit.periods import active_on

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


def person_filter(viewer: Viewer, query: str, path: str = "") -> Q:
    """A filter on the person at `path` (e.g. "individual__" on a voucher) by personnummer
    (exact) or name (every word starts a first or last name); a name search leaves out the
    protected people whose identity the viewer may not see. A malformed number raises
    ValidationError (Swedish)."""
    text = query.strip()
    if _NUMBER_LIKE.match(text):
        number = parse_identity_number(text, today=viewer.today)
        return Q(**{f"{path}personal_number": number.digits})
    condition = Q()
    for word in text.split():
        condition &= Q(**{f"{path}first_name__istartswith": word}) | Q(
            **{f"{path}last_name__istartswith": word}
        )
    granted = ProtectedIdentityGrant.objects.filter(
        active_on(viewer.today), user=viewer.user, individual_id=OuterRef(f"{path}pk")
    )
    return condition & (Q(**{f"{path}protection": Protection.NONE}) | Q(Exists(granted)))


def matching(viewer: Viewer, query: str) -> QuerySet[Individual]:
    """The same hits as `search_individuals`, as an ordered queryset to page through (no cap),
    so every page is one query whatever the number of hits."""
    return (
        viewer.individuals()
        .filter(person_filter(viewer, query))
        .order_by("last_name", "first_name", "pk")
    )
