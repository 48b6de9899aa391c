"""Who may use which kundval page, and reading customers with the access log.

Rules come from tillit.access.policy (customer_reaches); this module only applies them to
kundval's objects: an officer works with the areas their unit manages, provider staff with
their own provider. Anything else is a 404, logged when it names a person.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.db.models import Exists, OuterRef, QuerySet
from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _

from tillit.access.policy import Basis, Reach, Viewer
from tillit.access.presentation import PersonCard, present
from tillit.access.reading import viewer_for
from tillit.audit.log import Read, record
from tillit.audit.models import AccessAction
from tillit.individuals.identity import IdentityNumber
from tillit.individuals.models import Individual
from tillit.kundval.models import (
    AuthorisationTerms,
    KundvalArea,
    PaymentLine,
    PaymentRun,
    Voucher,
)
from tillit.kundval.reach import customer_reaches, decision_subjects
from tillit.organisation.models import Municipality, Provider


def officers(viewer: Viewer) -> bool:
    return viewer.is_kundval_officer


def provider_staff(viewer: Viewer) -> bool:
    return viewer.is_provider_staff


def officers_or_provider_staff(viewer: Viewer) -> bool:
    return viewer.is_kundval_officer or viewer.is_provider_staff


def officer_areas(viewer: Viewer) -> QuerySet[KundvalArea]:
    return KundvalArea.objects.filter(unit_id__in=viewer.kundval_unit_ids)


def officer_municipalities(viewer: Viewer) -> QuerySet[Municipality]:
    return Municipality.objects.filter(processes__units__pk__in=viewer.kundval_unit_ids).distinct()


def own_providers(viewer: Viewer) -> QuerySet[Provider]:
    return Provider.objects.filter(pk__in=viewer.provider_ids)


def area_for(viewer: Viewer, area_id: int) -> KundvalArea:
    area = officer_areas(viewer).filter(pk=area_id).first()
    if area is None:
        raise Http404
    return area


def terms_for(viewer: Viewer, terms_id: int) -> AuthorisationTerms:
    """A version of the terms: an area's for the officers of the area, the general terms for
    the officers of the municipality."""
    terms = AuthorisationTerms.objects.filter(pk=terms_id).select_related("area").first()
    if terms is None:
        raise Http404
    if terms.area_id is not None:
        allowed = officer_areas(viewer).filter(pk=terms.area_id).exists()
    else:
        allowed = officer_municipalities(viewer).filter(pk=terms.municipality_id).exists()
    if not allowed:
        raise Http404
    return terms


def run_for(viewer: Viewer, run_id: int) -> PaymentRun:
    run = PaymentRun.objects.filter(pk=run_id).select_related("municipality").first()
    if run is None:
        raise Http404
    if (
        viewer.is_kundval_officer
        and officer_municipalities(viewer).filter(pk=run.municipality_id).exists()
    ):
        return run
    if viewer.provider_ids and run.lines.filter(provider_id__in=viewer.provider_ids).exists():
        return run
    raise Http404


def may_see_basis(viewer: Viewer, run: PaymentRun, provider: Provider) -> bool:
    if provider.pk in viewer.provider_ids:
        return True
    return (
        viewer.is_kundval_officer
        and officer_municipalities(viewer).filter(pk=run.municipality_id).exists()
    )


def decision_subject(request: HttpRequest, individual_id: int) -> Individual:
    """The person a new decision is for, named by id: one the viewer may decide for
    (Viewer.decision_subjects), else a 404 with a refused row in the access log.

    A missing and an unreachable id take the same path — one query, one log row, the same
    404 — so the answer never tells whether the id exists.
    """
    viewer = viewer_for(request)
    found = (
        Individual.objects.filter(pk=individual_id)
        .annotate(reachable=Exists(decision_subjects(viewer).filter(pk=OuterRef("pk"))))
        .first()
    )
    if found is None or not found.reachable:
        _refuse(request, viewer, found, object_id=str(individual_id))
        raise Http404
    return found


def decision_customer(request: HttpRequest, number: IdentityNumber) -> Individual | None:
    """The viewer's own customer with this personnummer, or None when the decision is for a
    person new to the viewer's areas.

    A number that belongs to someone the viewer does not reach gives the same answer as an
    unknown number (the person is new to kundval and the form asks for their identity), so
    the form never tells whether the number exists elsewhere in Tillit.
    """
    viewer = viewer_for(request)
    return decision_subjects(viewer).filter(personal_number=number.digits).first()


def refuse_number(request: HttpRequest, number: IdentityNumber) -> None:
    """Log a refused attempt to decide for a number the viewer does not reach (the form
    lacked the new person's identity): the same row whether or not the number is known."""
    viewer = viewer_for(request)
    found = Individual.objects.filter(personal_number=number.digits).first()
    _refuse(request, viewer, found, object_id="")


def _refuse(
    request: HttpRequest, viewer: Viewer, found: Individual | None, *, object_id: str
) -> None:
    record(
        actor=viewer.user,
        action=AccessAction.DENIED,
        reads=[
            Read(
                individual_id=found.pk if found else None,
                basis=Basis.DENIED,
                protected=bool(found and found.is_protected),
                object_type="decision",
                object_id=object_id,
            )
        ],
        request=request,
    )


def basis_for(request: HttpRequest, run_id: int, provider_id: int) -> tuple[PaymentRun, Provider]:
    """A payment basis (run and provider) the viewer may see, else a 404 with a refused row:
    a basis lists customers, so an attempt on one is logged like an attempt on a person."""
    viewer = viewer_for(request)
    try:
        run = run_for(viewer, run_id)
    except Http404:
        run = None
    provider = Provider.objects.filter(pk=provider_id).first()
    if run is None or provider is None or not may_see_basis(viewer, run, provider):
        record(
            actor=viewer.user,
            action=AccessAction.DENIED,
            reads=[
                Read(
                    individual_id=None,
                    basis=Basis.DENIED,
                    object_type="payment_basis",
                    object_id=f"{run_id}/{provider_id}"[:40],
                )
            ],
            request=request,
        )
        raise Http404
    return run, provider


def read_customers(
    request: HttpRequest,
    individuals: Iterable[Individual],
    action: AccessAction = AccessAction.LIST,
) -> list[PersonCard]:
    """Cards for the customers the viewer reaches, in order; the rest are dropped. Logged."""
    viewer = viewer_for(request)
    people = list(individuals)
    reaches = customer_reaches(viewer, [p.pk for p in people])
    shown = [p for p in people if p.pk in reaches]
    record(
        actor=viewer.user,
        action=action,
        reads=[_read(p, reaches[p.pk]) for p in shown],
        request=request,
    )
    return present(shown, viewer)


def read_voucher(request: HttpRequest, voucher_id: int) -> tuple[Voucher, PersonCard]:
    """A voucher whose customer the viewer reaches, else a logged 404 (missing and forbidden
    look the same)."""
    viewer = viewer_for(request)
    voucher = (
        Voucher.objects.filter(pk=voucher_id)
        .select_related("individual", "area", "decision__district")
        .first()
    )
    reach = (
        customer_reaches(viewer, [voucher.individual_id]).get(voucher.individual_id)
        if voucher
        else None
    )
    if voucher is None or reach is None:
        record(
            actor=viewer.user,
            action=AccessAction.DENIED,
            reads=[
                Read(
                    individual_id=voucher.individual_id if voucher else None,
                    basis=Basis.DENIED,
                    object_type="voucher",
                    object_id=str(voucher_id),
                )
            ],
            request=request,
        )
        raise Http404
    record(
        actor=viewer.user,
        action=AccessAction.VIEW,
        reads=[_read(voucher.individual, reach)],
        request=request,
    )
    return voucher, present([voucher.individual], viewer)[0]


def read_basis(
    request: HttpRequest, lines: list[PaymentLine], provider: Provider, action: AccessAction
) -> dict[int, PersonCard]:
    """The customers on a provider's payment basis, as the viewer may see them, logged.

    A basis shows only the customers the viewer reaches today (customer_reaches: provider
    staff their provider's customers within TILLIT_VOUCHER_ACCESS_DAYS, an officer the
    customers of their unit's areas). Every other line keeps its voucher number, dates and
    amount, so the basis still adds up, but shows no identity and is not a read.
    """
    viewer = viewer_for(request)
    people = {line.individual_id: line.individual for line in lines}
    reaches = customer_reaches(viewer, list(people))
    shown = [person for pk, person in people.items() if pk in reaches]
    record(
        actor=viewer.user,
        action=action,
        reads=[_read(person, reaches[person.pk]) for person in shown],
        request=request,
    )
    cards = {card.id: card for card in present(shown, viewer)}
    for pk, person in people.items():
        if pk not in cards:
            cards[pk] = _outside_reach(person)
    return cards


def _outside_reach(person: Individual) -> PersonCard:
    return PersonCard(
        id=person.pk,
        name=_("Kund utanför behörigheten"),
        personal_number="",
        date_of_birth=dt.date.min,  # nothing of the person leaves with the line
        address="",
        protection="",
        protection_label="",
        is_protected=False,
        identity_masked=True,
    )


def _read(individual: Individual, reach: Reach) -> Read:
    return Read(
        individual_id=individual.pk,
        basis=reach.basis,
        unit_id=reach.unit_id,
        protected=individual.is_protected,
    )
