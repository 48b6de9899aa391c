"""Lists of cases for a viewer's start page."""

from django.db.models import QuerySet

from tillit.access.policy import Viewer
from tillit.individuals.models import Case


def my_cases(viewer: Viewer) -> QuerySet[Case]:
    """Open cases the viewer reaches, newest first."""
    return (
        viewer.cases()
        .filter(closed_on__isnull=True)
        .select_related("individual", "group", "unit")
        .order_by("-opened_on", "-pk")
    )
