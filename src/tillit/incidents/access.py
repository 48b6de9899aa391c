"""Who reaches which deviation, complaint, Lex Sarah report and provider follow-up.

The rules build on tillit.access.policy.Viewer (the viewer's units, groups, providers and reach
of cases); this module only applies them to the incident records, as kundval/access.py does:

- a **deviation** is read by its reporter, the heads and quality developers of its unit, the
  kundval officers of the unit that manages its provider's area, and the provider's own staff —
  and, when it points to a case, only by those of them who reach the case today;
- a **complaint** by its registrar, the unit's heads and quality developers, and for a provider
  complaint the kundval officers of that unit; provider staff do not read complaints;
- a **Lex Sarah report** by its reporter, the unit's heads and quality developers and the one
  the board named (LexSarahRegistrar);
- a **follow-up** by the municipality's kundval officers and quality developers, and the
  provider's staff once it has started.

Anything else is a 404, with a refused row in the access log when the record names a case.
"""

from __future__ import annotations

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404, HttpRequest

from tillit.access.policy import Basis, Viewer
from tillit.access.reading import viewer_for
from tillit.audit.log import Read, record
from tillit.audit.models import AccessAction
from tillit.incidents.models import (
    Complaint,
    Deviation,
    FollowUp,
    FollowUpStatus,
    LexSarahCase,
    LexSarahRegistrar,
)
from tillit.individuals.models import Case
from tillit.organisation.models import Municipality, Unit
from tillit.periods import active_on

# --- Predicates for the guards and the menu --------------------------------------------------


def any_staff(viewer: Viewer) -> bool:
    """Anyone with a role today may report a deviation or a Lex Sarah matter."""
    return viewer.user is not None and bool(viewer.roles)


def municipal_staff(viewer: Viewer) -> bool:
    return viewer.is_municipal_staff


def registrar_unit_ids(viewer: Viewer) -> set[int]:
    """Units whose Lex Sarah reports this viewer registers, as named by a board."""
    if viewer.user is None:
        return set()
    return set(
        Unit.objects.filter(
            process__boards__lex_sarah_registrars__in=LexSarahRegistrar.objects.filter(
                active_on(viewer.today), user=viewer.user
            )
        ).values_list("pk", flat=True)
    )


def handles_complaints(viewer: Viewer) -> bool:
    return bool(viewer.head_unit_ids or viewer.quality_unit_ids or viewer.kundval_unit_ids)


def sees_lex_sarah(viewer: Viewer) -> bool:
    return bool(viewer.head_unit_ids or viewer.quality_unit_ids or registrar_unit_ids(viewer))


def analyses(viewer: Viewer) -> bool:
    """The analysis across cases (counts only): unit heads, quality developers, leadership."""
    return bool(viewer.head_unit_ids or viewer.quality_unit_ids or viewer.sees_municipal_figures)


def follows_up_providers(viewer: Viewer) -> bool:
    return viewer.is_kundval_officer or bool(viewer.quality_unit_ids)


# --- Querysets ---------------------------------------------------------------------------------


def _case_rule(viewer: Viewer) -> Q:
    # EXISTS per row, not IN: the database checks each listed record's one case instead of
    # first collecting every case the viewer reaches (all the unit's, for a unit head).
    reached = viewer.cases().filter(pk=OuterRef("case_id"))
    return Q(case__isnull=True) | Q(Exists(reached))


def deviations_for(viewer: Viewer) -> QuerySet[Deviation]:
    if viewer.user is None:
        return Deviation.objects.none()
    q = Q(reported_by=viewer.user)
    units = viewer.head_unit_ids | viewer.quality_unit_ids
    if units:
        q |= Q(unit_id__in=units)
    if viewer.kundval_unit_ids:
        q |= Q(provider__isnull=False, unit_id__in=viewer.kundval_unit_ids)
    if viewer.provider_ids:
        q |= Q(provider_id__in=viewer.provider_ids)
    return Deviation.objects.filter(q).filter(_case_rule(viewer))


def handles_deviation(viewer: Viewer, deviation: Deviation) -> bool:
    """Takes the deviation through its steps: the unit's heads; for a provider's deviation the
    kundval officers of the unit too."""
    return deviation.unit_id in viewer.head_unit_ids or (
        deviation.provider_id is not None and deviation.unit_id in viewer.kundval_unit_ids
    )


def complaints_for(viewer: Viewer) -> QuerySet[Complaint]:
    if viewer.user is None:
        return Complaint.objects.none()
    q = Q(registered_by=viewer.user)
    units = viewer.head_unit_ids | viewer.quality_unit_ids
    if units:
        q |= Q(unit_id__in=units)
    if viewer.kundval_unit_ids:
        q |= Q(provider__isnull=False, unit_id__in=viewer.kundval_unit_ids)
    return Complaint.objects.filter(q)


def handles_complaint(viewer: Viewer, complaint: Complaint) -> bool:
    return complaint.unit_id in viewer.head_unit_ids or (
        complaint.provider_id is not None and complaint.unit_id in viewer.kundval_unit_ids
    )


def lex_sarah_for(viewer: Viewer) -> QuerySet[LexSarahCase]:
    if viewer.user is None:
        return LexSarahCase.objects.none()
    q = Q(reported_by=viewer.user)
    units = viewer.head_unit_ids | viewer.quality_unit_ids | registrar_unit_ids(viewer)
    if units:
        q |= Q(unit_id__in=units)
    return LexSarahCase.objects.filter(q)


def registers_lex_sarah(viewer: Viewer, found: LexSarahCase) -> bool:
    return found.unit_id in registrar_unit_ids(viewer)


def handles_lex_sarah(viewer: Viewer, found: LexSarahCase) -> bool:
    """Investigates, assesses and reports: the one the board named, and the unit's heads."""
    return found.unit_id in viewer.head_unit_ids or registers_lex_sarah(viewer, found)


def follow_up_municipalities(viewer: Viewer) -> QuerySet[Municipality]:
    units = viewer.kundval_unit_ids | viewer.quality_unit_ids
    return Municipality.objects.filter(processes__units__pk__in=units).distinct()


def follow_ups_for(viewer: Viewer) -> QuerySet[FollowUp]:
    if viewer.user is None:
        return FollowUp.objects.none()
    q = Q(pk__in=[])
    if follows_up_providers(viewer):
        q |= Q(plan__municipality__in=follow_up_municipalities(viewer))
    if viewer.provider_ids:
        q |= Q(provider_id__in=viewer.provider_ids) & ~Q(status=FollowUpStatus.PLANNED)
    return FollowUp.objects.filter(q)


def reachable_cases(viewer: Viewer) -> QuerySet[Case]:
    return viewer.cases()


# --- Reading one record ------------------------------------------------------------------------


def _refuse(request: HttpRequest, viewer: Viewer, object_type: str, object_id: int) -> None:
    record(
        actor=viewer.user,
        action=AccessAction.DENIED,
        reads=[
            Read(
                individual_id=None,
                basis=Basis.DENIED,
                object_type=object_type,
                object_id=str(object_id),
            )
        ],
        request=request,
    )


def _log_read(
    request: HttpRequest,
    viewer: Viewer,
    object_type: str,
    pk: int,
    unit_id: int,
    case: Case | None,
) -> None:
    """One row per read of an incident record; for one that names a case, the case's person
    with the basis the viewer reaches the case on."""
    basis, individual_id, purpose = Basis.OWN_ROLE, None, ""
    if case is not None:
        reached = viewer.cases().filter(pk=case.pk).prefetch_related("assignments").first()
        if reached is not None:
            reach = viewer.case_reach(reached)
            basis, purpose = reach.basis, reach.purpose
            individual_id = case.individual_id
    record(
        actor=viewer.user,
        action=AccessAction.VIEW,
        reads=[
            Read(
                individual_id=individual_id,
                basis=basis,
                unit_id=unit_id,
                purpose=purpose,
                object_type=object_type,
                object_id=str(pk),
            )
        ],
        request=request,
    )


def read_deviation(request: HttpRequest, deviation_id: int) -> Deviation:
    viewer = viewer_for(request)
    found = (
        deviations_for(viewer)
        .filter(pk=deviation_id)
        .select_related("unit", "provider", "case", "reported_by", "lex_sarah")
        .first()
    )
    if found is None:
        _refuse(request, viewer, "avvikelse", deviation_id)
        raise Http404
    _log_read(request, viewer, "avvikelse", found.pk, found.unit_id, found.case)
    return found


def read_complaint(request: HttpRequest, complaint_id: int) -> Complaint:
    viewer = viewer_for(request)
    found = (
        complaints_for(viewer)
        .filter(pk=complaint_id)
        .select_related("unit", "provider", "registered_by")
        .first()
    )
    if found is None:
        _refuse(request, viewer, "klagomal", complaint_id)
        raise Http404
    _log_read(request, viewer, "klagomal", found.pk, found.unit_id, None)
    return found


def read_lex_sarah(request: HttpRequest, case_id: int) -> LexSarahCase:
    viewer = viewer_for(request)
    found = (
        lex_sarah_for(viewer)
        .filter(pk=case_id)
        .select_related("unit", "case", "reported_by", "registered_by")
        .first()
    )
    if found is None:
        _refuse(request, viewer, "lex_sarah", case_id)
        raise Http404
    _log_read(request, viewer, "lex_sarah", found.pk, found.unit_id, found.case)
    return found


def follow_up_for(viewer: Viewer, follow_up_id: int) -> FollowUp:
    found = (
        follow_ups_for(viewer)
        .filter(pk=follow_up_id)
        .select_related("plan__municipality", "provider", "responsible")
        .first()
    )
    if found is None:
        raise Http404
    return found


def logged_in_staff(viewer: Viewer) -> bool:
    """For record pages: the record itself decides, through a logged 404."""
    return viewer.user is not None
