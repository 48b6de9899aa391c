"""Reading a child's report track or investigation: reach through its case, mask, and log."""

from __future__ import annotations

from django.http import Http404, HttpRequest

from tillit.access.policy import Basis, Reach
from tillit.access.presentation import PersonCard, present
from tillit.access.reading import viewer_for
from tillit.audit.log import Read, record
from tillit.audit.models import AccessAction
from tillit.children.models import Investigation, ReportedChild
from tillit.individuals.models import Case, Individual


def _read_through_case(
    request: HttpRequest,
    *,
    object_type: str,
    object_id: int,
    case: Case | None,
    individual: Individual | None,
    action: AccessAction,
) -> tuple[Reach, PersonCard]:
    """Why the viewer reaches this record's case, and the child's card; else a logged 404."""
    viewer = viewer_for(request)
    reachable = case is not None and viewer.cases().filter(pk=case.pk).exists()
    if case is None or individual is None or not reachable:
        record(
            actor=viewer.user,
            action=AccessAction.DENIED,
            reads=[
                Read(
                    individual_id=individual.pk if individual else None,
                    basis=Basis.DENIED,
                    object_type=object_type,
                    object_id=str(object_id),
                    protected=bool(individual and individual.is_protected),
                )
            ],
            request=request,
        )
        raise Http404
    case = Case.objects.prefetch_related("assignments").get(pk=case.pk)
    reach = viewer.case_reach(case)
    record(
        actor=viewer.user,
        action=action,
        reads=[
            Read(
                individual_id=individual.pk,
                basis=reach.basis,
                unit_id=reach.unit_id,
                purpose=reach.purpose,
                protected=individual.is_protected,
                object_type=object_type,
                object_id=str(object_id),
            )
        ],
        request=request,
    )
    return reach, present([individual], viewer)[0]


def read_track(
    request: HttpRequest, track_id: int, action: AccessAction = AccessAction.VIEW
) -> tuple[ReportedChild, Reach, PersonCard]:
    track = (
        ReportedChild.objects.select_related("report", "individual", "case", "holder")
        .filter(pk=track_id)
        .first()
    )
    reach, card = _read_through_case(
        request,
        object_type="report_track",
        object_id=track_id,
        case=track.case if track else None,
        individual=track.individual if track else None,
        action=action,
    )
    assert track is not None  # noqa: S101 - _read_through_case raised 404 otherwise
    return track, reach, card


def read_investigation(
    request: HttpRequest, investigation_id: int, action: AccessAction = AccessAction.VIEW
) -> tuple[Investigation, Reach, PersonCard]:
    investigation = (
        Investigation.objects.select_related("individual", "case", "holder")
        .filter(pk=investigation_id)
        .first()
    )
    reach, card = _read_through_case(
        request,
        object_type="investigation",
        object_id=investigation_id,
        case=investigation.case if investigation else None,
        individual=investigation.individual if investigation else None,
        action=action,
    )
    assert investigation is not None  # noqa: S101 - as above
    return investigation, reach, card
