"""The person register's pages: search, the person, their history and the case's, registration."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from tillit.access.decorators import allowed, logged_in
from tillit.access.forms import ProtectedIdentityGrantForm
from tillit.access.policy import Viewer
from tillit.access.presentation import present
from tillit.access.reading import read_individual, read_list, staff_user, viewer_for
from tillit.audit.log import Read, record
from tillit.audit.models import AccessAction, AccessLog
from tillit.changelog import subjects
from tillit.directory.person_forms import IndividualForm, SearchForm
from tillit.directory.search import matching
from tillit.individuals import actions
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


@allowed(logged_in)
def history(request: HttpRequest, individual_id: int) -> HttpResponse:
    """The person's history from the change log (every action about them, paged); below it
    the edits of the person record itself kept by django-simple-history (e.g. in the admin)."""
    viewer = viewer_for(request)
    individual, reach, card = read_individual(request, individual_id)
    if not viewer.may_see_change_history(reach, card.identity_masked):
        return render(request, "403.html", status=403)
    page = page_of(subjects.about_individual(individual.pk), request)
    edits = []
    for record_ in individual.history.select_related("history_user").order_by("-history_date"):
        previous = record_.prev_record
        if record_.history_type == "~" and previous is not None:
            edits.append((record_, record_.diff_against(previous).changes))
    context = {"card": card, "page": page, "lines": subjects.lines(page.rows), "edits": edits}
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
    context = {"card": card, "case": case, "page": page, "lines": subjects.lines(page.rows)}
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
