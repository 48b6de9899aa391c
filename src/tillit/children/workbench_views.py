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
from django.utils.html import format_html, format_html_join
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

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
from tillit.children.reading import openable_deadline_ids, record_url
from tillit.children.status import DeadlineRow, deadline_rows, with_subject_details
from tillit.deadlines.engine import Light
from tillit.form_errors import apply_errors
from tillit.paging import page_number


@dataclass(frozen=True)
class Line:
    """One row of a workbench list, every field drawn as text here rather than in the template:
    a list page renders fifty of these, and per-row includes, translations and lookups in the
    template were most of its time."""

    row: DeadlineRow
    card: PersonCard
    url: str
    pk: int = 0
    child: str = ""
    kind: str = ""
    group: str = ""
    due: str = ""
    extended: bool = False
    done: bool = False
    light: str = ""
    tag_class: str = ""
    status: str = ""
    holder: str = ""
    late_reason: str = ""
    on_call: str = ""
    reassign_url: str = ""
    reassign: str = ""

    @property
    def deadline(self) -> Deadline:
        return self.row.deadline


def _child(card: PersonCard, url: str) -> str:
    name = card.name
    if url:
        name = format_html('<a class="govuk-link" href="{}">{}</a>', url, card.name)
    tag = (
        format_html(' <strong class="govuk-tag govuk-tag--red">{}</strong>', card.protection_label)
        if card.is_protected
        else ""
    )
    return format_html(
        '{}{}<br><span class="govuk-body-s">{}</span>', name, tag, card.personal_number or "–"
    )


def _status(row: DeadlineRow) -> str:
    """The light's words, or for an item done late when and how late."""
    d = row.deadline
    if d.completed_on is not None:
        n = row.days_late
        return ngettext(
            "Klar %(date)s, %(n)s dag för sent", "Klar %(date)s, %(n)s dagar för sent", n
        ) % {"date": d.completed_on.isoformat(), "n": n}
    if row.light == Light.RED:
        n = row.overdue_days
        return ngettext("%(n)s dag försenad", "%(n)s dagar försenad", n) % {"n": n}
    if row.days_left == 0:
        return _("Sista dagen i dag")
    n = row.days_left or 0
    return ngettext("%(n)s dag kvar", "%(n)s dagar kvar", n) % {"n": n}


def _on_call(row: DeadlineRow) -> str:
    if row.on_call is None:
        return ""
    text = _("Kom in utanför kontorstid: %(name)s ansvarar för skyddsbedömningen.") % {
        "name": row.on_call.name
    }
    if row.on_call.contact:
        text = f"{text} {row.on_call.contact}"
    return format_html(
        '<br><span class="govuk-body-s tillit-on-call" data-on-call="{}">{}</span>',
        row.on_call.name,
        text,
    )


def _name(user: User | None) -> str:
    if user is None:
        return _("ej tilldelad")
    return user.get_full_name() or user.username


def _options(holders: list[User], current: int | None) -> str:
    """The reassign list's options: the group's eligible holders, the current one selected."""
    return format_html_join(
        "",
        '<option value="{}"{}>{}</option>',
        ((u.pk, mark_safe(" selected") if u.pk == current else "", _name(u)) for u in holders),
    )


def _lines(
    request: HttpRequest,
    rows: list[DeadlineRow],
    holders: dict[int, list[User]] | None = None,
) -> list[Line]:
    """The rows whose child the viewer reaches, each child read (and logged) once as a list hit.

    With HOLDERS (per group, those who may hold its items) each line carries its reassign list.
    """
    unique = {row.deadline.individual_id: row.deadline.individual for row in rows}
    individuals = list(unique.values())
    cards = {card.id: card for card in read_list(request, individuals)} if individuals else {}
    openable = openable_deadline_ids(viewer_for(request), [row.deadline for row in rows])
    lines = []
    for row in rows:
        d = row.deadline
        card = cards.get(d.individual_id or 0)
        if card is None:
            continue
        url = record_url(d) if d.pk in openable else ""
        kind = d.get_kind_display()
        reassign = ""
        if holders is not None:
            reassign = format_html(
                '<label class="govuk-label govuk-visually-hidden" for="holder-{pk}">{label}</label>'
                '<select class="govuk-select" id="holder-{pk}" name="holder">'
                '<option value="">{choose}</option>{options}</select>',
                pk=d.pk,
                label=_("Ny handläggare för %(kind)s, %(name)s")
                % {"kind": kind, "name": card.name},
                choose=_("Välj handläggare"),
                options=_options(holders.get(d.group_id or 0, []), d.holder_id),
            )
        lines.append(
            Line(
                row,
                card,
                url,
                pk=d.pk,
                child=_child(card, url),
                kind=kind,
                group=d.group.name if d.group is not None else "",
                due=d.due.isoformat(),
                extended=d.extended,
                done=d.completed_on is not None,
                light=row.light or "",
                tag_class=row.tag_class,
                status=_status(row),
                holder=_name(d.holder),
                late_reason=d.late_reason,
                on_call=_on_call(row),
                reassign_url=reverse("children:workbench_reassign", args=[d.pk])
                if holders is not None
                else "",
                reassign=reassign,
            )
        )
    return lines


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
    page = workbench.my_items(viewer, page_number(request))
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
    page = workbench.group_items(viewer, filters, page_number(request))
    context = {
        "tabs": _tabs(request),
        "form": form,
        "lines": _lines(request, page.rows, holders_by_group),
        "page": page,
        "query": _query(request),
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
    page = workbench.breaches(viewer, page_number(request))
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
        with_subject_details(Deadline.objects.select_related("individual", "holder", "group"))
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


@allowed(workbench.leads_groups)
def reassign(request: HttpRequest, deadline_id: int) -> HttpResponse:
    viewer = viewer_for(request)
    deadline = _reassignable(request, deadline_id)
    group_id = deadline.group_id
    holders = workbench.eligible_holders({group_id}, viewer.today)[group_id] if group_id else []
    bound = request.method == "POST"
    form = ReassignForm(request.POST or None, deadline=deadline, holders=holders)
    back = request.POST.get("next") or request.GET.get("next") or ""
    # A path on this site only: redirect() would take a bare word ("-0") for a view's name.
    if not back.startswith("/") or not url_has_allowed_host_and_scheme(
        back, {request.get_host()}, request.is_secure()
    ):
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
                    "old": _name(old),
                    "new": _name(new),
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
            record_url(deadline) if openable_deadline_ids(viewer, [deadline]) else "",
        ),
        "current_holder": _name(deadline.holder),
        "next": back,
    }
    status = 400 if bound else 200
    return render(request, "children/workbench_reassign.html", context, status=status)
