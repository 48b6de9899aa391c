"""Lists of cases for a viewer's start page."""

from django.db.models import Exists, OuterRef, QuerySet

from tillit.access.policy import Viewer
from tillit.individuals.models import Case, CaseAssignment
from tillit.periods import active_on


def my_cases(viewer: Viewer) -> QuerySet[Case]:
    """Open cases the viewer reaches, newest first."""
    return (
        viewer.cases()
        .filter(closed_on__isnull=True)
        .select_related("individual", "group", "unit")
        .order_by("-opened_on", "-pk")
    )


def own_cases(viewer: Viewer) -> QuerySet[Case]:
    """The viewer's own work: open cases the viewer is assigned to today, newest first.

    The start page lists only these; a colleague's case is read on the group's pages, where
    reading it is the point (and the log says so), not every time someone opens the start page.
    """
    if viewer.user is None:
        return Case.objects.none()
    assigned = CaseAssignment.objects.filter(
        active_on(viewer.today), user=viewer.user, case=OuterRef("pk")
    )
    return my_cases(viewer).filter(Exists(assigned))
