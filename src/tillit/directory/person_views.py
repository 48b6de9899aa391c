"""The person register's pages: search, the person, their history and the case's, registration."""

from __future__ import annotations

from itertools import pairwise

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Model
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from tillit.access.decorators import allowed, logged_in
from tillit.access.forms import ProtectedIdentityGrantForm
from tillit.access.policy import Reach, Viewer
from tillit.access.presentation import present
from tillit.access.reading import read_individual, read_list, staff_user, viewer_for
from tillit.audit.log import Read, record
from tillit.audit.models import AccessAction, AccessLog
from tillit.changelog import subjects
from tillit.directory.person_forms import IndividualForm, SearchForm
from tillit.directory.search import matching
from tillit.individuals import actions
from tillit.individuals.models import Individual
from tillit.organisation.models import Group
from tillit.paging import page_of

INDIVIDUAL_LOG_ROWS = 50


def _searchers(viewer: Viewer) -> bool:
    return viewer.may_search_individuals


def _registrars(viewer: Viewer) -> bool:
    return viewer.may_register_individuals


@allowed(_searchers)
def search(request: HttpRequest) -> HttpResponse:
    form = SearchForm(request.GET or None)
    cards = None
    page = None
    if form.is_valid():
        try:
            page = page_of(matching(viewer_for(request), form.cleaned_data["q"]), request)
        except ValidationError as error:
            form.add_error("q", error)
        else:
            cards = read_list(request, page.rows)
    template = (
        "individuals/_results.html"
        if request.headers.get("HX-Request")
        else "individuals/search.html"
    )
    context = {
        "form": form,
        "cards": cards,
        "page": page,
        "may_register": viewer_for(request).may_register_individuals,
    }
    return render(request, template, context)


@allowed(logged_in)
def detail(request: HttpRequest, individual_id: int) -> HttpResponse:
    viewer = viewer_for(request)
    individual, reach, card = read_individual(request, individual_id)
    relations = list(individual.relations.select_related("relative"))
    relative_cards = present([r.relative for r in relations], viewer)
    record(
        actor=viewer.user,
        action=AccessAction.LIST,
        reads=[
            Read(r.relative_id, reach.basis, reach.unit_id, reach.purpose, r.relative.is_protected)
            for r in relations
        ],
        request=request,
    )
    context: dict[str, object] = {
        "card": card,
        "reach": reach,
        "relations": list(zip(relations, relative_cards, strict=True)),
        "cases": viewer.cases().filter(individual=individual).select_related("unit", "group"),
        "may_see_history": viewer.may_see_change_history(reach, card.identity_masked),
    }
    if viewer.may_see_individual_log(reach):
        context["log_rows"] = AccessLog.objects.filter(individual=individual).order_by("-seq")[
            :INDIVIDUAL_LOG_ROWS
        ]
    if individual.is_protected and viewer.may_grant_protected_identity(reach):
        context["grant_form"] = ProtectedIdentityGrantForm(unit_id=reach.unit_id)
    return render(request, "individuals/detail.html", context)


def _namers(
    request: HttpRequest, viewer: Viewer, reach: Reach, shown: Individual
) -> dict[type[Model], subjects.Namer]:
    """Names of the people a history names (the children of a report, a relative): masked where
    the viewer may not see who they are, and read through the person, as their relatives are on
    the person's page; one query and one log write for the whole page."""

    def named(ids: set[int]) -> dict[int, str]:
        people = list(Individual.objects.filter(pk__in=ids))
        others = [p for p in people if p.pk != shown.pk]
        if others:
            record(
                actor=viewer.user,
                action=AccessAction.LIST,
                reads=[
                    Read(p.pk, reach.basis, reach.unit_id, reach.purpose, p.is_protected)
                    for p in others
                ],
                request=request,
            )
        return {card.id: card.name for card in present(people, viewer)}

    return {Individual: named}


@allowed(logged_in)
def history(request: HttpRequest, individual_id: int) -> HttpResponse:
    """The person's history from the change log (every action about them, paged); below it
    the edits of the person record itself kept by django-simple-history (e.g. in the admin)."""
    viewer = viewer_for(request)
    individual, reach, card = read_individual(request, individual_id)
    if not viewer.may_see_change_history(reach, card.identity_masked):
        return render(request, "403.html", status=403)
    names = _namers(request, viewer, reach, individual)
    page = page_of(subjects.about_individual(individual.pk), request)
    records = list(
        individual.history.select_related("history_user").order_by("history_date", "history_id")
    )
    changed = [
        (record_, record_.diff_against(previous).changes)
        for previous, record_ in pairwise(records)
        if record_.history_type == "~"
    ]
    shown = subjects.edits(
        Individual,
        [{change.field: (change.old, change.new) for change in diff} for _r, diff in changed],
        names,
    )
    edits = [(record_, values) for (record_, _diff), values in zip(changed, shown, strict=True)]
    edits.reverse()
    context = {
        "card": card,
        "page": page,
        "lines": subjects.lines(page.rows, names),
        "edits": edits,
    }
    return render(request, "individuals/history.html", context)


@allowed(logged_in)
def case_history(request: HttpRequest, individual_id: int, case_id: int) -> HttpResponse:
    """One case's history from the change log, paged."""
    viewer = viewer_for(request)
    individual, reach, card = read_individual(request, individual_id)
    if not viewer.may_see_change_history(reach, card.identity_masked):
        return render(request, "403.html", status=403)
    case = viewer.cases().filter(individual=individual, pk=case_id).first()
    if case is None:
        raise Http404
    page = page_of(subjects.about_case(case.pk), request)
    names = _namers(request, viewer, reach, individual)
    context = {
        "card": card,
        "case": case,
        "page": page,
        "lines": subjects.lines(page.rows, names),
    }
    return render(request, "individuals/history.html", context)


@allowed(_registrars)
def register(request: HttpRequest) -> HttpResponse:
    viewer = viewer_for(request)
    groups = Group.objects.filter(pk__in=viewer.worker_group_ids | viewer.head_group_ids)
    form = IndividualForm(request.POST or None, groups=groups)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        case = actions.register_individual(
            number=data["personal_number"],
            first_name=data["first_name"],
            last_name=data["last_name"],
            date_of_birth=data["date_of_birth"],
            group=data["group"],
            case_title=data["case_title"],
            opened_on=viewer.today,
            street_address=data["street_address"],
            postal_code=data["postal_code"],
            city=data["city"],
            protection=data["protection"],
            by=staff_user(request),
        )
        messages.success(request, _("Personen är registrerad och ärendet öppnat."))
        return redirect("individuals:detail", individual_id=case.individual_id)
    return render(request, "individuals/register.html", {"form": form})
