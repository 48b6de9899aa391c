"""Reading a child's report track or investigation: reach through its case, mask, and log."""

from __future__ import annotations

from collections.abc import Iterable

from django.http import Http404, HttpRequest
from django.urls import reverse

from tillit.access.policy import Basis, Reach, Viewer
from tillit.access.presentation import PersonCard, present
from tillit.access.reading import viewer_for
from tillit.audit.log import Read, record
from tillit.audit.models import AccessAction
from tillit.children.models import Deadline, Investigation, ReportedChild
from tillit.children.models.deadlines import content_type_id
from tillit.deadlines.due_models import DueItem
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


def record_url(deadline: Deadline) -> str:
    """The page where the item is handled: the child's report, or the investigation ("" when the
    follow-up's intervention has none)."""
    if deadline.track_id is not None:
        return reverse("children:track", kwargs={"track_id": deadline.track_id})
    investigation_id = deadline.investigation_id
    if investigation_id is None and deadline.follow_up_id is not None:
        # Loaded with the row by status.with_subject_details, else read here.
        investigation_id = getattr(deadline, "follow_up_investigation_id", None)
        if investigation_id is None and deadline.follow_up is not None:
            investigation_id = deadline.follow_up.intervention.investigation_id
    if investigation_id is None:
        return ""
    return reverse("children:investigation", kwargs={"investigation_id": investigation_id})


def deadline_links(viewer: Viewer, items: Iterable[DueItem]) -> dict[int, str]:
    """Of these child-and-family items, the page of each the viewer may open, {item id: url}:
    the page's case must be one the viewer reaches (two queries for any number of items)."""
    ids = [item.pk for item in items]
    if not ids:
        return {}
    track_type, investigation_type = content_type_id(ReportedChild), content_type_id(Investigation)
    rows = Deadline.objects.filter(pk__in=ids).values_list(
        "pk",
        "content_type_id",
        "object_id",
        "follow_up__intervention__investigation_id",
        "track__case_id",
        "investigation__case_id",
        "follow_up__intervention__investigation__case_id",
    )
    found: dict[int, tuple[int, str]] = {}
    for pk, subject_type, subject_id, follow_up_investigation_id, *cases in rows:
        case_id = next((case for case in cases if case is not None), None)
        if subject_type == track_type:
            url = reverse("children:track", kwargs={"track_id": subject_id})
        elif subject_type == investigation_type or follow_up_investigation_id is not None:
            investigation_id = (
                subject_id if subject_type == investigation_type else follow_up_investigation_id
            )
            url = reverse("children:investigation", kwargs={"investigation_id": investigation_id})
        else:
            continue
        if case_id is not None:
            found[pk] = (case_id, url)
    reachable = viewer.reachable_case_ids(case_id for case_id, _url in found.values())
    return {pk: url for pk, (case_id, url) in found.items() if case_id in reachable}


def openable_deadline_ids(viewer: Viewer, deadlines: Iterable[Deadline]) -> set[int]:
    """Of these items, those whose page (the child's report, or the investigation) the viewer
    may open: the page's case must be one the viewer reaches (two queries for any number)."""
    return set(deadline_links(viewer, deadlines))
