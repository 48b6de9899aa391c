"""Reading personal data from a request: check reach, mask, and write the access log, together."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest

from tillit.access.policy import Basis, Reach, Viewer
from tillit.access.presentation import PersonCard, present
from tillit.accounts.models import User
from tillit.audit.log import Read, record
from tillit.audit.models import AccessAction
from tillit.individuals.models import Individual


def viewer_for(request: HttpRequest) -> Viewer:
    viewer: Viewer | None = getattr(request, "_tillit_viewer", None)
    if viewer is None:
        viewer = Viewer.of(request.user)
        request._tillit_viewer = viewer  # type: ignore[attr-defined]
    return viewer


def staff_user(request: HttpRequest) -> User:
    """The logged-in user of a view already guarded by tillit.access.decorators.allowed."""
    user = viewer_for(request).user
    if user is None:
        raise PermissionDenied
    return user


def read_individual(
    request: HttpRequest, individual_id: int, action: AccessAction = AccessAction.VIEW
) -> tuple[Individual, Reach, PersonCard]:
    """The individual, why the viewer may read it, and how to show it; else a logged 404.

    A missing and a forbidden record give the same 404, so a request never confirms
    that a person exists.
    """
    viewer = viewer_for(request)
    individual = Individual.objects.filter(pk=individual_id).first()
    reach = viewer.reach(individual) if individual is not None else None
    if individual is None or reach is None:
        record(
            actor=viewer.user,
            action=AccessAction.DENIED,
            reads=[
                Read(
                    individual_id=individual.pk if individual else None,
                    basis=Basis.DENIED,
                    object_id=str(individual_id),
                    protected=bool(individual and individual.is_protected),
                )
            ],
            request=request,
        )
        raise Http404
    card = present([individual], viewer)[0]
    record(actor=viewer.user, action=action, reads=[_read(individual, reach)], request=request)
    return individual, reach, card


def read_list(
    request: HttpRequest,
    individuals: list[Individual],
    action: AccessAction = AccessAction.LIST,
) -> list[PersonCard]:
    """Cards for the individuals the viewer reaches, in the given order; the rest are dropped."""
    viewer = viewer_for(request)
    reaches = viewer.reaches([i.pk for i in individuals])
    shown = [i for i in individuals if i.pk in reaches]
    record(
        actor=viewer.user,
        action=action,
        reads=[_read(i, reaches[i.pk]) for i in shown],
        request=request,
    )
    return present(shown, viewer)


def _read(individual: Individual, reach: Reach) -> Read:
    return Read(
        individual_id=individual.pk,
        basis=reach.basis,
        unit_id=reach.unit_id,
        purpose=reach.purpose,
        protected=individual.is_protected,
    )
