"""Who may do what in the quality work's organisation (asked by the views, never roles there).

Requesters: the director, the board secretary (for the boards), unit and group heads. Quality
staff: the quality developers. An assignment outside the viewer's reach is a 404.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.http import Http404

from tillit.access.policy import Viewer
from tillit.organisation.models import Group
from tillit.organisation.roles import Role
from tillit.orgwork.models import Assignment, BoardItem, FollowUp, Meeting


def is_quality_staff(viewer: Viewer) -> bool:
    return viewer.has_role(Role.QUALITY_DEVELOPER)


def is_director(viewer: Viewer) -> bool:
    return viewer.has_role(Role.DIRECTOR)


def is_board_secretary(viewer: Viewer) -> bool:
    return viewer.has_role(Role.BOARD_SECRETARY)


def may_request(viewer: Viewer) -> bool:
    return bool(
        viewer.has_role(Role.DIRECTOR, Role.BOARD_SECRETARY)
        or viewer.head_unit_ids
        or viewer.head_group_ids
    )


def may_use_assignments(viewer: Viewer) -> bool:
    return may_request(viewer) or is_quality_staff(viewer)


def may_see_organising(viewer: Viewer) -> bool:
    """The catalogue, the alternatives, time reports, plans and follow-ups."""
    return bool(is_director(viewer) or is_quality_staff(viewer) or viewer.head_unit_ids)


def may_edit_catalogue(viewer: Viewer) -> bool:
    return is_director(viewer) or is_quality_staff(viewer)


def may_adopt(viewer: Viewer) -> bool:
    return is_director(viewer)


def may_see_boards(viewer: Viewer) -> bool:
    return bool(is_board_secretary(viewer) or is_director(viewer) or is_quality_staff(viewer))


def may_manage_boards(viewer: Viewer) -> bool:
    return is_board_secretary(viewer)


def requester_unit_ids(viewer: Viewer) -> set[int]:
    heads = Group.objects.filter(pk__in=viewer.head_group_ids).values_list("unit_id", flat=True)
    return viewer.head_unit_ids | set(heads)


def assignments(viewer: Viewer) -> QuerySet[Assignment]:
    """Assignments the viewer reaches: their own requests; the quality staff's and the
    director's, every one in the process; a unit head's, those from or to their unit (the
    receiving unit's head sees its acknowledgement deadlines on the start page)."""
    if viewer.user is None:
        return Assignment.objects.none()
    q = Q(requester=viewer.user) | Q(owner=viewer.user)
    if is_quality_staff(viewer):
        q |= Q(unit_id__in=viewer.quality_unit_ids)
    if is_director(viewer):
        q |= Q(pk__isnull=False)
    if viewer.head_unit_ids:
        # Those from the units they head, and those to the quality staff they head.
        q |= Q(requester_unit_id__in=viewer.head_unit_ids) | Q(unit_id__in=viewer.head_unit_ids)
    return Assignment.objects.filter(q)


def assignment_for(viewer: Viewer, assignment_id: int) -> Assignment:
    found = (
        assignments(viewer)
        .select_related("requester", "owner", "unit", "requester_unit", "group", "board", "task")
        .filter(pk=assignment_id)
        .first()
    )
    if found is None:
        raise Http404
    return found


def may_work_on(viewer: Viewer, assignment: Assignment) -> bool:
    """Acknowledge, plan, start, deliver, decline: the receiving unit's quality staff."""
    return is_quality_staff(viewer) and assignment.unit_id in viewer.quality_unit_ids


def may_accept(viewer: Viewer, assignment: Assignment) -> bool:
    return viewer.user is not None and assignment.requester_id == viewer.user.pk


def meeting_for(viewer: Viewer, meeting_id: int) -> Meeting:
    if not may_see_boards(viewer):
        raise Http404
    found = Meeting.objects.select_related("board").filter(pk=meeting_id).first()
    if found is None:
        raise Http404
    return found


def item_for(viewer: Viewer, item_id: int) -> BoardItem:
    if not may_see_boards(viewer):
        raise Http404
    found = (
        BoardItem.objects.select_related("meeting__board", "writer", "assignment")
        .filter(pk=item_id)
        .first()
    )
    if found is None:
        raise Http404
    return found


def may_move_item(viewer: Viewer, item: BoardItem, to: str) -> bool:
    """The director reviews; the secretary and the writer move the other steps."""
    from tillit.orgwork.models import ItemStatus

    if to == ItemStatus.REVIEWED:
        return is_director(viewer)
    return is_board_secretary(viewer) or (
        viewer.user is not None and item.writer_id == viewer.user.pk
    )


def follow_up_for(viewer: Viewer, follow_up_id: int) -> FollowUp:
    if not may_see_organising(viewer):
        raise Http404
    found = FollowUp.objects.select_related("alternative").filter(pk=follow_up_id).first()
    if found is None:
        raise Http404
    return found
