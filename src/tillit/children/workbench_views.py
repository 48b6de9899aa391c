"""The workbench pages: my items, the group's items, the breaches, and reassigning an item.

The queries live in `tillit.children.workbench`; here every child shown is read through
`read_list`, so it is masked where protected and logged, and a child the viewer does not
reach is left out.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

from tillit.access.decorators import allowed
from tillit.access.policy import Basis
from tillit.access.presentation import PersonCard
from tillit.access.reading import read_list, staff_user, viewer_for
from tillit.accounts.models import User
from tillit.audit.log import Read, record
from tillit.audit.models import AccessAction
from tillit.children import actions, workbench
from tillit.children.forms import FilterForm, ReassignForm
from tillit.children.models import Deadline
from tillit.children.reading import openable_deadline_ids
from tillit.children.status import DeadlineRow, deadline_rows
from tillit.form_errors import apply_errors


@dataclass(frozen=True)
class Line:
    row: DeadlineRow
    card: PersonCard
    url: str

    @property
    def deadline(self) -> Deadline:
        return self.row.deadline


def subject_url(deadline: Deadline) -> str:
    """The page where the item is handled: the child's report, or the investigation."""
    if deadline.track_id is not None:
        return reverse("children:track", kwargs={"track_id": deadline.track_id})
    investigation_id = deadline.investigation_id
    if investigation_id is None and deadline.follow_up is not None:
        investigation_id = deadline.follow_up.intervention.investigation_id
    if investigation_id is None:
        return ""
    return reverse("children:investigation", kwargs={"investigation_id": investigation_id})


def _lines(request: HttpRequest, rows: list[DeadlineRow]) -> list[Line]:
    """The rows whose child the viewer reaches, each child read (and logged) once as a list hit."""
    unique = {row.deadline.individual_id: row.deadline.individual for row in rows}
    individuals = list(unique.values())
    cards = {card.id: card for card in read_list(request, individuals)} if individuals else {}
    openable = openable_deadline_ids(viewer_for(request), [row.deadline for row in rows])
    return [
        Line(
            row,
            cards[row.deadline.individual_id],
            subject_url(row.deadline) if row.deadline.pk in openable else "",
        )
        for row in rows
        if row.deadline.individual_id in cards
    ]


def _page_number(request: HttpRequest) -> int:
    requested = request.GET.get("sida", "1")
    return int(requested) if requested.isdigit() and int(requested) > 0 else 1


def _query(request: HttpRequest) -> str:
    query = request.GET.copy()
    query.pop("sida", None)
    return query.urlencode()


def _tabs(request: HttpRequest) -> list[tuple[str, str, bool]]:
    viewer = viewer_for(request)
    tabs = [(_("Mina ärenden"), reverse("children:workbench"))]
    if workbench.leads_groups(viewer):
        tabs.append((_("Gruppens ärenden"), reverse("children:workbench_group")))
    tabs.append((_("Överskridna"), reverse("children:workbench_breaches")))
    return [(label, url, request.path == url) for label, url in tabs]


# --- Lists ----------------------------------------------------------------------------------------


@allowed(workbench.may_use_workbench)
def mine(request: HttpRequest) -> HttpResponse:
    viewer = viewer_for(request)
    page = workbench.my_items(viewer, _page_number(request))
    context = {"tabs": _tabs(request), "lines": _lines(request, page.rows), "page": page}
    return render(request, "children/workbench_mine.html", context)


@allowed(workbench.leads_groups)
def group(request: HttpRequest) -> HttpResponse:
    viewer = viewer_for(request)
    groups = list(workbench.led_groups(viewer).select_related("unit"))
    holders_by_group = workbench.eligible_holders({g.pk for g in groups}, viewer.today)
    holders = list({u.pk: u for users in holders_by_group.values() for u in users}.values())
    form = FilterForm(request.GET, holders=holders, groups=groups)
    filters = form.filters() if form.is_valid() else workbench.Filters()
    page = workbench.group_items(viewer, filters, _page_number(request))
    context = {
        "tabs": _tabs(request),
        "form": form,
        "lines": _lines(request, page.rows),
        "page": page,
        "query": _query(request),
        "holders": holders_by_group,
        "next": request.get_full_path(),
        "workload": workbench.workload(viewer),
    }
    template = (
        "children/workbench_group_items.html"
        if request.headers.get("HX-Request")
        else "children/workbench_group.html"
    )
    return render(request, template, context)


@allowed(workbench.may_use_workbench)
def breaches(request: HttpRequest) -> HttpResponse:
    viewer = viewer_for(request)
    page = workbench.breaches(viewer, _page_number(request))
    context = {
        "tabs": _tabs(request),
        "lines": _lines(request, page.rows),
        "page": page,
        "query": _query(request),
    }
    return render(request, "children/workbench_breaches.html", context)


# --- Reassigning one item -------------------------------------------------------------------------


def _reassignable(request: HttpRequest, deadline_id: int) -> Deadline:
    """The item, if the viewer heads its group or unit; else a logged 404."""
    viewer = viewer_for(request)
    deadline = (
        Deadline.objects.select_related("individual", "holder", "group", "follow_up__intervention")
        .filter(pk=deadline_id)
        .first()
    )
    if deadline is None or not workbench.may_reassign(viewer, deadline):
        record(
            actor=viewer.user,
            action=AccessAction.DENIED,
            reads=[
                Read(
                    individual_id=deadline.individual_id if deadline else None,
                    basis=Basis.DENIED,
                    object_type="deadline",
                    object_id=str(deadline_id),
                    protected=bool(deadline and deadline.individual.is_protected),
                )
            ],
            request=request,
        )
        raise Http404
    return deadline


def _holder_name(user: User | None) -> str:
    if user is None:
        return _("ej tilldelad")
    return user.get_full_name() or user.username


@allowed(workbench.leads_groups)
def reassign(request: HttpRequest, deadline_id: int) -> HttpResponse:
    viewer = viewer_for(request)
    deadline = _reassignable(request, deadline_id)
    group_id = deadline.group_id
    holders = workbench.eligible_holders({group_id}, viewer.today)[group_id] if group_id else []
    bound = request.method == "POST"
    form = ReassignForm(request.POST or None, deadline=deadline, holders=holders)
    back = request.POST.get("next") or request.GET.get("next") or ""
    if not url_has_allowed_host_and_scheme(back, {request.get_host()}, request.is_secure()):
        back = ""
    if bound and form.is_valid():
        new = form.cleaned_data["holder"]
        old = deadline.holder
        try:
            with transaction.atomic():
                actions.reassign(deadline, to=new, by=staff_user(request))
                cards = read_list(request, [deadline.individual], action=AccessAction.CHANGE)
                if not cards:
                    raise Http404
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(
                request,
                _("%(kind)s är omfördelad från %(old)s till %(new)s.")
                % {
                    "kind": deadline.get_kind_display(),
                    "old": _holder_name(old),
                    "new": _holder_name(new),
                },
            )
            return redirect(back or reverse("children:workbench_group"))
    cards = read_list(request, [deadline.individual])
    if not cards:
        raise Http404
    context = {
        "tabs": _tabs(request),
        "form": form,
        "line": Line(
            deadline_rows([deadline], viewer.today)[0],
            cards[0],
            subject_url(deadline) if openable_deadline_ids(viewer, [deadline]) else "",
        ),
        "current_holder": _holder_name(deadline.holder),
        "next": back,
    }
    status = 400 if bound else 200
    return render(request, "children/workbench_reassign.html", context, status=status)
