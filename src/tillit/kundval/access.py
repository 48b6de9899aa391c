"""Who may use which kundval page, and reading customers with the access log.

Rules come from tillit.access.policy (customer_reaches); this module only applies them to
kundval's objects: an officer works with the areas their unit manages, provider staff with
their own provider. Anything else is a 404, logged when it names a person.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import QuerySet
from django.http import Http404, HttpRequest

from tillit.access.policy import Basis, Reach, Viewer
from tillit.access.presentation import PersonCard, present
from tillit.access.reading import viewer_for
from tillit.audit.log import Read, record
from tillit.audit.models import AccessAction
from tillit.individuals.models import Individual
from tillit.kundval.models import (
    AuthorisationTerms,
    KundvalArea,
    PaymentLine,
    PaymentRun,
    Voucher,
)
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


def read_customers(
    request: HttpRequest,
    individuals: Iterable[Individual],
    action: AccessAction = AccessAction.LIST,
) -> list[PersonCard]:
    """Cards for the customers the viewer reaches, in order; the rest are dropped. Logged."""
    viewer = viewer_for(request)
    people = list(individuals)
    reaches = viewer.customer_reaches([p.pk for p in people])
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
        viewer.customer_reaches([voucher.individual_id]).get(voucher.individual_id)
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
    """The customers on a provider's payment basis, logged: for provider staff the basis is
    the voucher they were paid for, for officers the area they manage."""
    viewer = viewer_for(request)
    people = {line.individual_id: line.individual for line in lines}
    basis = Basis.VOUCHER if provider.pk in viewer.provider_ids else Basis.KUNDVAL_AREA
    unit_of = {line.individual_id: line.area.unit_id for line in lines}
    record(
        actor=viewer.user,
        action=action,
        reads=[
            Read(
                individual_id=pk,
                basis=basis,
                unit_id=unit_of[pk],
                protected=person.is_protected,
            )
            for pk, person in people.items()
        ],
        request=request,
    )
    return {card.id: card for card in present(list(people.values()), viewer)}


def _read(individual: Individual, reach: Reach) -> Read:
    return Read(
        individual_id=individual.pk,
        basis=reach.basis,
        unit_id=reach.unit_id,
        protected=individual.is_protected,
    )
