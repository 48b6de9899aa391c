"""Kundval's kinds of reach: customers through their vouchers, for the kundval pages only.

The access policy (`tillit.access.policy.Viewer`) knows who the viewer is (their kundval units
and providers); the rules for whom that lets them reach live here, with kundval's models, so
the core never imports kundval. Nobody reaches a case page this way.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db.models import Exists, OuterRef, Q, QuerySet

from tillit.access.policy import Basis, Reach, Viewer
from tillit.individuals.models import Individual
from tillit.kundval.models import Choice, Voucher


def customer_reaches(viewer: Viewer, individual_ids: list[int]) -> dict[int, Reach]:
    """Kundval customers among these this viewer reaches, and why.

    Provider staff reach a customer whose voucher their provider holds today or held within
    the last TILLIT_VOUCHER_ACCESS_DAYS (to report and correct late); a choice that starts
    later gives nothing yet. A kundvalshandläggare reaches the customers of the areas their
    unit manages. Nobody else reaches anyone this way.
    """
    if viewer.user is None or not individual_ids:
        return {}

    best: dict[int, Reach] = {}
    if viewer.kundval_unit_ids:
        for individual_id, unit_id in Voucher.objects.filter(
            individual_id__in=individual_ids, area__unit_id__in=viewer.kundval_unit_ids
        ).values_list("individual_id", "area__unit_id"):
            best.setdefault(individual_id, Reach(Basis.KUNDVAL_AREA, unit_id))
    if viewer.provider_ids:
        for individual_id, unit_id in (
            _held_choices(viewer, Choice.objects.all())
            .filter(voucher__individual_id__in=individual_ids)
            .values_list("voucher__individual_id", "voucher__area__unit_id")
        ):
            best.setdefault(individual_id, Reach(Basis.VOUCHER, unit_id))
    return best


def decision_subjects(viewer: Viewer) -> QuerySet[Individual]:
    """Individuals this viewer may register a new kundval decision (biståndsbeslut) for.

    A kundvalshandläggare: the customers of the areas their unit manages (a voucher there,
    ended ones included). Nobody else, and nobody through a case: a person known only to
    other parts of social services is not reachable by id. A person new to the officer's
    areas is registered through the decision itself by personnummer and identity
    (kundval.actions.vouchers.NewCustomer), which never tells whether the number exists
    elsewhere in Tillit.
    """
    if viewer.user is None or not viewer.kundval_unit_ids:
        return Individual.objects.none()

    return Individual.objects.filter(
        Exists(
            Voucher.objects.filter(
                individual=OuterRef("pk"), area__unit_id__in=viewer.kundval_unit_ids
            )
        )
    )


def customers(viewer: Viewer) -> QuerySet[Individual]:
    """Every kundval customer this viewer reaches (see customer_reaches)."""
    if viewer.user is None or not (viewer.provider_ids or viewer.kundval_unit_ids):
        return Individual.objects.none()

    q = Q(pk__in=[])
    if viewer.kundval_unit_ids:
        q |= Q(
            Exists(
                Voucher.objects.filter(
                    individual=OuterRef("pk"), area__unit_id__in=viewer.kundval_unit_ids
                )
            )
        )
    if viewer.provider_ids:
        q |= Q(
            Exists(
                _held_choices(viewer, Choice.objects.all()).filter(
                    voucher__individual=OuterRef("pk")
                )
            )
        )
    return Individual.objects.filter(q)


def held_choices(viewer: Viewer) -> QuerySet[Choice]:
    """Choices that give this provider staff member reach (empty for anyone else)."""

    if viewer.user is None or not viewer.provider_ids:
        return Choice.objects.none()
    return _held_choices(viewer, Choice.objects.all())


def _held_choices(viewer: Viewer, choices: QuerySet[Choice]) -> QuerySet[Choice]:
    today = viewer.today
    since = today - dt.timedelta(days=settings.TILLIT_VOUCHER_ACCESS_DAYS)
    return choices.filter(
        Q(valid_to__isnull=True) | Q(valid_to__gte=since),
        provider_id__in=viewer.provider_ids,
        valid_from__lte=today,
    )
