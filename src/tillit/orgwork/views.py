"""The quality work's pages: thin, every change through tillit.orgwork.actions, every reach
through tillit.orgwork.access. No page shows personal data about individuals."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Sum
from django.forms import Form
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from openpyxl import Workbook

from tillit.access.decorators import allowed
from tillit.access.policy import Viewer
from tillit.access.reading import viewer_for
from tillit.accounts.models import User
from tillit.changelog.log import changes_for
from tillit.form_errors import apply_errors
from tillit.organisation.models import Board, Group, Membership, Process, Unit
from tillit.organisation.roles import Role
from tillit.orgwork import access, actions, figures, rules
from tillit.orgwork import forms as f
from tillit.orgwork.models import (
    OPEN_ASSIGNMENT,
    Alternative,
    Assignment,
    AssignmentStatus,
    FollowUp,
    ItemKind,
    ItemStatus,
    Placement,
    Task,
    TaskArea,
    TimeEntry,
)
from tillit.pdf import Document
from tillit.spreadsheet import safe_append

LIST_SIZE = 50
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _me(viewer: Viewer) -> User:
    """The signed-in user (the views' guards let no one else in)."""
    if viewer.user is None:
        raise Http404
    return viewer.user


def _form_page(request: HttpRequest, form: Form, title: str, **extra: Any) -> HttpResponse:
    return render(
        request,
        "orgwork/form.html",
        {"form": form, "title": title, **extra},
        status=400 if request.method == "POST" else 200,
    )


def _process(viewer: Viewer) -> Process:
    """The process the viewer works in (the quality staff's, a head's, or the director's)."""
    found = (
        Process.objects.filter(units__memberships__user=viewer.user).order_by("pk").first()
        or Process.objects.filter(owner=viewer.user).first()
        or Process.objects.order_by("pk").first()
    )
    if found is None:
        raise Http404
    return found


def _quality_staff(unit_ids: set[int] | None = None) -> Any:
    memberships = Membership.objects.active(timezone.localdate()).filter(
        role=Role.QUALITY_DEVELOPER
    )
    if unit_ids is not None:
        memberships = memberships.filter(unit_id__in=unit_ids)
    return User.objects.filter(pk__in=memberships.values("user")).order_by(
        "first_name", "last_name"
    )


def _quality_units() -> Any:
    staffed = Membership.objects.active(timezone.localdate()).filter(role=Role.QUALITY_DEVELOPER)
    return Unit.objects.filter(pk__in=staffed.values("unit")).order_by("name")


def _year(request: HttpRequest, today: dt.date) -> int:
    try:
        year = int(request.GET.get("ar", today.year))
    except ValueError:
        return today.year
    return year if 2000 <= year <= 2100 else today.year


# --- Home ----------


def may_enter_orgwork(viewer: Viewer) -> bool:
    return bool(
        access.may_use_assignments(viewer)
        or access.may_see_organising(viewer)
        or access.may_see_boards(viewer)
    )


@allowed(may_enter_orgwork)
def home(request: HttpRequest) -> HttpResponse:
    viewer = viewer_for(request)
    return render(
        request,
        "orgwork/home.html",
        {
            "assignments": access.may_use_assignments(viewer),
            "may_request": access.may_request(viewer),
            "quality": access.is_quality_staff(viewer),
            "organising": access.may_see_organising(viewer),
            "boards": access.may_see_boards(viewer),
        },
    )


# --- Assignments ----------


@allowed(access.may_use_assignments)
def assignments(request: HttpRequest) -> HttpResponse:
    viewer = viewer_for(request)
    reachable = access.assignments(viewer)
    show = request.GET.get("visa", "oppna")
    listed = reachable if show == "alla" else reachable.filter(status__in=OPEN_ASSIGNMENT)
    rows = list(
        listed.select_related("requester", "owner", "unit", "requester_unit").order_by(
            "acknowledge_by" if show != "alla" else "-received_on", "pk"
        )[:LIST_SIZE]
    )
    return render(
        request,
        "orgwork/assignments.html",
        {
            "rows": rows,
            "show": show,
            "total": listed.count(),
            "list_size": LIST_SIZE,
            "today": viewer.today,
            "figures": figures.black_hole(reachable, viewer.today),
            "may_request": access.may_request(viewer),
            "mine": reachable.filter(
                requester=_me(viewer), status=AssignmentStatus.DELIVERED
            ).count(),
        },
    )


@allowed(access.may_request)
def assignment_new(request: HttpRequest) -> HttpResponse:
    viewer = viewer_for(request)
    process = _process(viewer)
    own_units = Unit.objects.filter(pk__in=access.requester_unit_ids(viewer)).order_by("name")
    boards = (
        process.boards.all()
        if viewer.has_role(Role.BOARD_SECRETARY, Role.DIRECTOR)
        else Board.objects.none()
    )
    form = f.AssignmentForm(
        request.POST or None,
        units=_quality_units(),
        requester_units=own_units,
        boards=boards,
        tasks=Task.objects.filter(process=process),
        initial={"requester_unit": own_units.first()},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            made = actions.file_assignment(
                requester=_me(viewer),
                kind=data["kind"],
                title=data["title"],
                description=data["description"],
                unit=data["unit"],
                requester_unit=data["requester_unit"],
                board=data.get("board"),
                task=data["task"],
                wished_by=data["wished_by"],
                by=_me(viewer),
                today=viewer.today,
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(
                request,
                _("Uppdraget är mottaget och kvitteras senast %(day)s.")
                % {"day": made.acknowledge_by.isoformat()},
            )
            return redirect("orgwork:assignment", assignment_id=made.pk)
    return _form_page(request, form, _("Beställ ett uppdrag av kvalitetsresursen"))


@allowed(access.may_use_assignments)
def assignment(request: HttpRequest, assignment_id: int) -> HttpResponse:
    viewer = viewer_for(request)
    found = access.assignment_for(viewer, assignment_id)
    works = access.may_work_on(viewer, found)
    return render(
        request,
        "orgwork/assignment.html",
        {
            "a": found,
            "entries": found.entries.select_related("author"),
            "changes": changes_for(found)[:20],
            "works": works,
            "may_accept": access.may_accept(viewer, found)
            and found.status == AssignmentStatus.DELIVERED,
            "comment_form": f.CommentForm(),
            "deliver_form": f.DeliverForm(),
            "today": viewer.today,
            "hours": found.time.aggregate(h=Sum("hours"))["h"],
        },
    )


STEP_MESSAGES = {
    "acknowledge": gettext_lazy("Uppdraget är kvitterat."),
    "start": gettext_lazy("Uppdraget är påbörjat."),
    "deliver": gettext_lazy("Uppdraget är levererat."),
    "accept": gettext_lazy("Du har godkänt leveransen."),
}


@require_POST
@allowed(access.may_use_assignments)
def assignment_step(request: HttpRequest, assignment_id: int) -> HttpResponse:
    viewer = viewer_for(request)
    found = access.assignment_for(viewer, assignment_id)
    step = request.POST.get("step", "")
    if step == "accept":
        if not access.may_accept(viewer, found):
            raise Http404
    elif step in {"acknowledge", "start", "deliver"}:
        if not access.may_work_on(viewer, found):
            raise Http404
    else:
        return HttpResponse(status=400)
    try:
        if step == "acknowledge":
            actions.acknowledge(found, by=_me(viewer), today=viewer.today)
        elif step == "start":
            actions.start(found, by=_me(viewer), today=viewer.today)
        elif step == "deliver":
            note = request.POST.get("note", "")[:2000]
            actions.deliver(found, note=note, by=_me(viewer), today=viewer.today)
        else:
            actions.accept(found, by=_me(viewer), today=viewer.today)
    except ValidationError as error:
        for problem in error.messages:
            messages.error(request, problem)
    else:
        messages.success(request, STEP_MESSAGES[step])
    return redirect("orgwork:assignment", assignment_id=found.pk)


@allowed(access.may_use_assignments)
def assignment_plan(request: HttpRequest, assignment_id: int) -> HttpResponse:
    viewer = viewer_for(request)
    found = access.assignment_for(viewer, assignment_id)
    if not access.may_work_on(viewer, found):
        raise Http404
    form = f.PlanForm(
        request.POST or None,
        owners=_quality_staff({found.unit_id}),
        groups=Group.objects.filter(unit=found.unit),
        initial={
            "owner": found.owner_id or viewer.user.pk,  # type: ignore[union-attr]
            "due": found.due or found.wished_by,
            "group": found.group_id,
            "estimate_hours": found.estimate_hours,
        },
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            actions.plan(
                found,
                owner=data["owner"],
                due=data["due"],
                estimate_hours=data["estimate_hours"],
                group=data["group"],
                by=_me(viewer),
                today=viewer.today,
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Uppdraget är planerat."))
            return redirect("orgwork:assignment", assignment_id=found.pk)
    return _form_page(request, form, _("Planera uppdraget"), caption=found.title)


@allowed(access.may_use_assignments)
def assignment_decline(request: HttpRequest, assignment_id: int) -> HttpResponse:
    viewer = viewer_for(request)
    found = access.assignment_for(viewer, assignment_id)
    if not access.may_work_on(viewer, found):
        raise Http404
    form = f.DeclineForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            actions.decline(
                found, reason=form.cleaned_data["reason"], by=_me(viewer), today=viewer.today
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Uppdraget är avböjt."))
            return redirect("orgwork:assignment", assignment_id=found.pk)
    return _form_page(request, form, _("Avböj uppdraget"), caption=found.title)


@require_POST
@allowed(access.may_use_assignments)
def assignment_comment(request: HttpRequest, assignment_id: int) -> HttpResponse:
    viewer = viewer_for(request)
    found = access.assignment_for(viewer, assignment_id)
    form = f.CommentForm(request.POST)
    if form.is_valid():
        actions.comment(found, text=form.cleaned_data["text"], by=_me(viewer))
        messages.success(request, _("Meddelandet är skickat."))
    else:
        messages.error(request, _("Skriv ett meddelande."))
    return redirect("orgwork:assignment", assignment_id=found.pk)


# --- Time ----------


def _time_form(viewer: Viewer, data: Any = None) -> f.TimeForm:
    process = _process(viewer)
    return f.TimeForm(
        data,
        assignments=access.assignments(viewer)
        .filter(
            status__in=[
                AssignmentStatus.PLANNED,
                AssignmentStatus.IN_PROGRESS,
                AssignmentStatus.DELIVERED,
            ]
        )
        .order_by("title"),
        tasks=Task.objects.filter(process=process).order_by("name"),
        initial={"week": rules.monday_of(viewer.today)},
    )


@allowed(access.is_quality_staff)
def time(request: HttpRequest) -> HttpResponse:
    viewer = viewer_for(request)
    form = _time_form(viewer, request.POST or None)
    if request.method == "POST" and form.is_valid():
        assignment_, task = form.target_objects()
        try:
            actions.report_time(
                user=_me(viewer),
                week=form.cleaned_data["week"],
                hours=form.cleaned_data["hours"],
                assignment=assignment_,
                task=task,
                by=_me(viewer),
                today=viewer.today,
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Tiden är rapporterad."))
            return redirect("orgwork:time")
    entries = TimeEntry.objects.filter(user=viewer.user).select_related("assignment", "task")
    return render(
        request,
        "orgwork/time.html",
        {
            "form": form,
            "entries": [(e, rules.week_locked(e.week, viewer.today)) for e in entries[:LIST_SIZE]],
            "total": entries.count(),
            "list_size": LIST_SIZE,
        },
        status=400 if request.method == "POST" else 200,
    )


@require_POST
@allowed(access.is_quality_staff)
def time_remove(request: HttpRequest, entry_id: int) -> HttpResponse:
    viewer = viewer_for(request)
    entry = TimeEntry.objects.filter(pk=entry_id, user=viewer.user).first()
    if entry is None:
        raise Http404
    try:
        actions.remove_time(entry, by=_me(viewer), today=viewer.today)
    except ValidationError as error:
        for problem in error.messages:
            messages.error(request, problem)
    else:
        messages.success(request, _("Raden är borttagen."))
    return redirect("orgwork:time")


BY_LABELS = {
    "uppgift": gettext_lazy("Uppgift"),
    "enhet": gettext_lazy("Enhet"),
    "bestallare": gettext_lazy("Beställare"),
}


def _report_by(request: HttpRequest) -> str:
    by = request.GET.get("per", "uppgift")
    return by if by in figures.REPORT_BY else "uppgift"


@allowed(access.may_see_organising)
def time_report(request: HttpRequest) -> HttpResponse:
    viewer = viewer_for(request)
    year, by = _year(request, viewer.today), _report_by(request)
    rows = figures.time_rows(year, by)
    return render(
        request,
        "orgwork/time_report.html",
        {
            "year": year,
            "by": by,
            "choices": list(BY_LABELS.items()),
            "rows": rows,
            "sum": sum((h for _label, h in rows), start=0),
            "label": BY_LABELS[by],
        },
    )


@allowed(access.may_see_organising)
def time_report_xlsx(request: HttpRequest) -> HttpResponse:
    viewer = viewer_for(request)
    year = _year(request, viewer.today)
    book = Workbook()
    book.remove(book.worksheets[0])
    for by, label in BY_LABELS.items():
        sheet = book.create_sheet(_("Per %(what)s") % {"what": str(label).lower()})
        safe_append(sheet, [str(label), _("Timmar %(year)s") % {"year": year}])
        for name, hours in figures.time_rows(year, by):
            safe_append(sheet, [name, float(hours)])
    out = io.BytesIO()
    book.save(out)
    response = HttpResponse(out.getvalue(), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="tidrapport-{year}.xlsx"'
    return response


@allowed(access.may_see_organising)
def plans(request: HttpRequest) -> HttpResponse:
    viewer = viewer_for(request)
    year = _year(request, viewer.today)
    units = Unit.objects.filter(process=_process(viewer)).order_by("name")
    may_edit = access.is_director(viewer) or bool(viewer.head_unit_ids)
    editable = units if access.is_director(viewer) else units.filter(pk__in=viewer.head_unit_ids)
    form = f.YearPlanForm(request.POST or None, units=editable, initial={"year": year})
    if request.method == "POST":
        if not may_edit:
            raise Http404
        if form.is_valid():
            data = form.cleaned_data
            try:
                actions.set_year_plan(
                    unit=data["unit"],
                    year=data["year"],
                    capacity_hours=data["capacity_hours"],
                    notes=data["notes"],
                    by=_me(viewer),
                )
            except ValidationError as error:
                apply_errors(form, error)
            else:
                messages.success(request, _("Årsplanen är sparad."))
                return redirect(reverse("orgwork:plans") + f"?ar={data['year']}")
    return render(
        request,
        "orgwork/plans.html",
        {
            "year": year,
            "rows": figures.plan_rows(year, units),
            "form": form if may_edit else None,
        },
        status=400 if request.method == "POST" else 200,
    )


# --- The task catalogue ----------


@allowed(access.may_see_organising)
def catalogue(request: HttpRequest) -> HttpResponse:
    viewer = viewer_for(request)
    year = _year(request, viewer.today)
    rows = figures.catalogue(_process(viewer), year)
    areas = [(label, [r for r in rows if r.task.area == code]) for code, label in TaskArea.choices]
    return render(
        request,
        "orgwork/catalogue.html",
        {
            "areas": areas,
            "year": year,
            "flagged": sum(1 for r in rows if r.flags),
            "may_edit": access.may_edit_catalogue(viewer),
        },
    )


def _task_page(request: HttpRequest, task: Task | None) -> HttpResponse:
    viewer = viewer_for(request)
    process = _process(viewer)
    staff = _quality_staff(set(process.units.values_list("pk", flat=True)))
    initial = (
        {
            "area": task.area,
            "name": task.name,
            "description": task.description,
            "competence": task.competence,
            "owners": list(task.owners.all()),
            "backups": list(task.backups.all()),
        }
        if task
        else {}
    )
    form = f.TaskForm(request.POST or None, staff=staff, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            actions.save_task(
                task,
                process=task.process if task else process,
                area=data["area"],
                name=data["name"],
                description=data["description"],
                competence=data["competence"],
                owners=data["owners"],
                backups=data["backups"],
                by=_me(viewer),
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Uppgiften är sparad."))
            return redirect("orgwork:catalogue")
    title = _("Ändra uppgift") if task else _("Ny uppgift")
    return _form_page(request, form, title, back=reverse("orgwork:catalogue"))


@allowed(access.may_edit_catalogue)
def task_new(request: HttpRequest) -> HttpResponse:
    return _task_page(request, None)


@allowed(access.may_edit_catalogue)
def task_edit(request: HttpRequest, task_id: int) -> HttpResponse:
    viewer = viewer_for(request)
    task = Task.objects.filter(pk=task_id, process=_process(viewer)).first()
    if task is None:
        raise Http404
    return _task_page(request, task)


# --- Alternatives ----------


@allowed(access.may_see_organising)
def alternatives(request: HttpRequest) -> HttpResponse:
    viewer = viewer_for(request)
    process = _process(viewer)
    side = figures.side_by_side(process)
    columns = [
        {
            "alternative": a,
            "groups": side.groups[a.pk],
            "ratio": side.ratios[a.pk],
            "sizes": side.sizes[a.pk],
            "unplaced": side.unplaced[a.pk],
            "staff": sum(g.staff for g in side.groups[a.pk]),
            "managers": sum(g.managers for g in side.groups[a.pk]),
        }
        for a in side.alternatives
    ]
    return render(
        request,
        "orgwork/alternatives.html",
        {
            "side": side,
            "columns": columns,
            "adopted": next((a for a in side.alternatives if a.adopted_on), None),
            "may_edit": access.may_edit_catalogue(viewer),
            "may_adopt": access.may_adopt(viewer),
            "follow_ups": FollowUp.objects.filter(alternative__process=process),
        },
    )


def _alternative(viewer: Viewer, alternative_id: int) -> Alternative:
    found = Alternative.objects.filter(pk=alternative_id, process=_process(viewer)).first()
    if found is None:
        raise Http404
    return found


@allowed(access.may_edit_catalogue)
def alternative_places(request: HttpRequest, alternative_id: int) -> HttpResponse:
    viewer = viewer_for(request)
    found = _alternative(viewer, alternative_id)
    tasks = list(Task.objects.filter(process=found.process))
    current = dict(found.placements.values_list("task_id", "place"))
    form = f.PlacementForm(request.POST or None, tasks=tasks, current=current)
    if request.method == "POST" and form.is_valid():
        try:
            actions.set_placements(found, form.places(), by=_me(viewer))
        except ValidationError as error:
            apply_errors(form, error)
            for task in tasks:
                if not form.cleaned_data.get(f"task_{task.pk}"):
                    form.add_error(f"task_{task.pk}", _("Välj var uppgiften ska ligga."))
        else:
            messages.success(request, _("Placeringarna är sparade."))
            return redirect("orgwork:alternatives")
    return _form_page(
        request,
        form,
        _("Placera uppgifterna"),
        caption=found.name,
        back=reverse("orgwork:alternatives"),
    )


@allowed(access.may_adopt)
def alternative_adopt(request: HttpRequest, alternative_id: int) -> HttpResponse:
    viewer = viewer_for(request)
    found = _alternative(viewer, alternative_id)
    form = f.AdoptForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            actions.adopt_alternative(
                found,
                effective_on=form.cleaned_data["effective_on"],
                by=_me(viewer),
                today=viewer.today,
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(
                request,
                _("Alternativet är beslutat; uppföljning sker efter 6 och 12 månader."),
            )
            return redirect("orgwork:alternatives")
    return _form_page(
        request,
        form,
        _("Besluta alternativet"),
        caption=found.name,
        back=reverse("orgwork:alternatives"),
        lead=_("Grupperna skapas i organisationen och medarbetarnas uppdrag ändras från dagen."),
    )


SHORT = {
    Placement.LOCAL: gettext_lazy("Enheten"),
    Placement.DIRECTOR: gettext_lazy("Direktörens stöd"),
    Placement.COORDINATED: gettext_lazy("Samordnat/stödprocess"),
}


def _alternative_table(process: Process) -> tuple[list[str], list[list[str]], figures.Side]:
    side = figures.side_by_side(process)
    headers = [_("Uppgift"), *[a.name for a in side.alternatives]]
    rows = [
        [task.name, *[(c.label + (" *" if c.differs else "")) for c in cells]]
        for task, cells in side.rows
    ]
    return headers, rows, side


@allowed(access.may_see_organising)
def alternatives_pdf(request: HttpRequest) -> HttpResponse:
    viewer = viewer_for(request)
    process = _process(viewer)
    headers, rows, side = _alternative_table(process)
    document = Document(
        title=_("Organisationsalternativ för kvalitetsarbetet"),
        municipality=process.municipality.name,
        made_on=viewer.today,
        landscape=True,
    )
    document.start_page()
    document.paragraph(_("* = avviker från det föreslagna alternativet."), size=8)
    rows = [
        [
            task.name,
            *[
                str(SHORT.get(Placement(c.place), "–") if c.place else "–")
                + (" *" if c.differs else "")
                for c in cells
            ],
        ]
        for task, cells in side.rows
    ]
    width = (267 - 90) / max(1, len(side.alternatives))
    document.data_table(headers, rows, widths=[90, *[width] * len(side.alternatives)])
    for a in side.alternatives:
        document.heading(a.name + (f" ({_('föreslaget')})" if a.is_proposed else ""))
        groups = side.groups[a.pk]
        document.facts(
            [
                (_("Grupper"), ", ".join(f"{g} ({g.staff})" for g in groups) or "–"),
                (_("Chef per medarbetare"), side.ratios[a.pk]),
            ]
        )
        for label, text in (
            (_("Fördelar"), a.pros),
            (_("Nackdelar"), a.cons),
            (_("Varför valts bort"), a.rejection_reason),
        ):
            if text:
                document.paragraph(f"{label}: {text}", size=9)
    response = HttpResponse(document.render(), content_type="application/pdf")
    response["Content-Disposition"] = 'attachment; filename="organisationsalternativ.pdf"'
    return response


@allowed(access.may_see_organising)
def alternatives_xlsx(request: HttpRequest) -> HttpResponse:
    viewer = viewer_for(request)
    headers, rows, side = _alternative_table(_process(viewer))
    book = Workbook()
    book.remove(book.worksheets[0])
    sheet = book.create_sheet(_("Placering"))
    safe_append(sheet, headers)
    for row in rows:
        safe_append(sheet, row)
    groups = book.create_sheet(_("Grupper"))
    safe_append(groups, [_("Alternativ"), _("Grupp"), _("Medarbetare"), _("Chefer")])
    for a in side.alternatives:
        for g in side.groups[a.pk]:
            safe_append(groups, [a.name, str(g), g.staff, g.managers])
    summary = book.create_sheet(_("Bedömning"))
    safe_append(
        summary,
        [
            _("Alternativ"),
            _("Chef per medarbetare"),
            _("Fördelar"),
            _("Nackdelar"),
            _("Varför valts bort"),
        ],
    )
    for a in side.alternatives:
        safe_append(summary, [a.name, side.ratios[a.pk], a.pros, a.cons, a.rejection_reason])
    out = io.BytesIO()
    book.save(out)
    response = HttpResponse(out.getvalue(), content_type=XLSX)
    response["Content-Disposition"] = 'attachment; filename="organisationsalternativ.xlsx"'
    return response


# --- Follow-up ----------


@allowed(access.may_see_organising)
def follow_up(request: HttpRequest, follow_up_id: int) -> HttpResponse:
    viewer = viewer_for(request)
    found = access.follow_up_for(viewer, follow_up_id)
    may_do = access.may_edit_catalogue(viewer) and found.done_on is None
    form = f.FollowUpForm(request.POST or None) if may_do else None
    if request.method == "POST":
        if form is None:
            raise Http404
        if form.is_valid():
            try:
                actions.complete_follow_up(
                    found,
                    answers=form.answers(),
                    findings=form.cleaned_data["findings"],
                    actions=form.cleaned_data["actions"],
                    by=_me(viewer),
                    today=viewer.today,
                )
            except ValidationError as error:
                apply_errors(form, error)
            else:
                messages.success(request, _("Uppföljningen är genomförd."))
                return redirect("orgwork:follow_up", follow_up_id=found.pk)
    process = found.alternative.process
    rows = figures.catalogue(process, viewer.today.year)
    answers = [
        (
            question,
            actions.ANSWERS.get(found.answers.get(code, {}).get("answer", ""), "–"),
            found.answers.get(code, {}).get("comment", ""),
        )
        for code, question in actions.CHECKLIST
    ]
    return render(
        request,
        "orgwork/follow_up.html",
        {
            "fu": found,
            "form": form,
            "answers": answers,
            "flagged": [r for r in rows if r.flags],
            "today": viewer.today,
        },
        status=400 if request.method == "POST" else 200,
    )


# --- Boards ----------


@allowed(access.may_see_boards)
def boards(request: HttpRequest) -> HttpResponse:
    viewer = viewer_for(request)
    process = _process(viewer)
    since = viewer.today - dt.timedelta(days=92)
    calendar = [
        (
            board,
            actions.board_calendar(board),
            board.meetings.filter(date__gte=since).prefetch_related("items").order_by("date"),
        )
        for board in process.boards.order_by("name")
    ]
    return render(
        request,
        "orgwork/boards.html",
        {"calendar": calendar, "manage": access.may_manage_boards(viewer), "today": viewer.today},
    )


@allowed(access.may_manage_boards)
def meeting_new(request: HttpRequest, board_id: int) -> HttpResponse:
    viewer = viewer_for(request)
    board = _process(viewer).boards.filter(pk=board_id).first()
    if board is None:
        raise Http404
    form = f.MeetingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            made = actions.plan_meeting(
                board=board,
                date=form.cleaned_data["date"],
                place=form.cleaned_data["place"],
                by=_me(viewer),
                today=viewer.today,
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Sammanträdet är planerat."))
            return redirect("orgwork:meeting", meeting_id=made.pk)
    return _form_page(
        request, form, _("Nytt sammanträde"), caption=board.name, back=reverse("orgwork:boards")
    )


@allowed(access.may_see_boards)
def meeting(request: HttpRequest, meeting_id: int) -> HttpResponse:
    viewer = viewer_for(request)
    found = access.meeting_for(viewer, meeting_id)
    return render(
        request,
        "orgwork/meeting.html",
        {
            "meeting": found,
            "items": found.items.select_related("writer").order_by("number"),
            "manage": access.may_manage_boards(viewer),
            "today": viewer.today,
        },
    )


@allowed(access.may_manage_boards)
def item_new(request: HttpRequest, meeting_id: int) -> HttpResponse:
    viewer = viewer_for(request)
    found = access.meeting_for(viewer, meeting_id)
    process = _process(viewer)
    form = f.ItemForm(
        request.POST or None,
        writers=_quality_staff(set(process.units.values_list("pk", flat=True))),
        assignments=Assignment.objects.filter(status__in=OPEN_ASSIGNMENT).order_by("title"),
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            actions.add_item(
                meeting=found,
                kind=data["kind"],
                title=data["title"],
                report_back=data["report_back"],
                answer_by=data["answer_by"],
                writer=data["writer"],
                assignment=data["assignment"],
                by=_me(viewer),
                today=viewer.today,
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Ärendet är lagt på dagordningen."))
            return redirect("orgwork:meeting", meeting_id=found.pk)
    return _form_page(
        request,
        form,
        _("Nytt ärende på dagordningen"),
        caption=str(found),
        back=reverse("orgwork:meeting", args=[found.pk]),
    )


@allowed(access.may_see_boards)
def agenda_pdf(request: HttpRequest, meeting_id: int) -> HttpResponse:
    viewer = viewer_for(request)
    found = access.meeting_for(viewer, meeting_id)
    document = Document(
        title=_("Dagordning – %(board)s %(date)s")
        % {"board": found.board.name, "date": found.date.isoformat()},
        municipality=found.board.municipality.name,
        made_on=viewer.today,
    )
    document.start_page()
    if found.place:
        document.facts([(_("Plats"), found.place)])
    rows = []
    for item in found.items.order_by("number"):
        kind = item.get_kind_display()
        if item.report_back:
            kind = f"{kind}: {item.get_report_back_display()}"
        rows.append([str(item.number), item.title, kind, item.decision_reference or ""])
    document.data_table(
        [_("Nr"), _("Ärende"), _("Typ"), _("Beslut")], rows, widths=[12, 90, 50, 28]
    )
    response = HttpResponse(document.render(), content_type="application/pdf")
    response["Content-Disposition"] = (
        f'attachment; filename="dagordning-{found.date.isoformat()}.pdf"'
    )
    return response


@allowed(access.may_see_boards)
def item(request: HttpRequest, item_id: int) -> HttpResponse:
    viewer = viewer_for(request)
    found = access.item_for(viewer, item_id)
    following = actions.NEXT_STATUS.get(ItemStatus(found.status))
    return render(
        request,
        "orgwork/item.html",
        {
            "item": found,
            "next": following,
            "next_label": ItemStatus(following).label if following else "",
            "may_move": following is not None and access.may_move_item(viewer, found, following),
            "may_decide": access.may_manage_boards(viewer) and found.status == ItemStatus.SENT,
            "may_extract": access.may_manage_boards(viewer) and found.status == ItemStatus.DECIDED,
            "changes": changes_for(found)[:20],
            "is_consultation": found.kind == ItemKind.CONSULTATION,
            "today": viewer.today,
        },
    )


@require_POST
@allowed(access.may_see_boards)
def item_step(request: HttpRequest, item_id: int) -> HttpResponse:
    viewer = viewer_for(request)
    found = access.item_for(viewer, item_id)
    to = request.POST.get("to", "")
    if to not in ItemStatus.values:
        return HttpResponse(status=400)
    if not access.may_move_item(viewer, found, to):
        raise Http404
    try:
        actions.advance_item(found, to=to, by=_me(viewer), today=viewer.today)
    except ValidationError as error:
        for problem in error.messages:
            messages.error(request, problem)
    else:
        messages.success(
            request, _("Ärendet är %(status)s.") % {"status": ItemStatus(to).label.lower()}
        )
    return redirect("orgwork:item", item_id=found.pk)


@allowed(access.may_manage_boards)
def item_decide(request: HttpRequest, item_id: int) -> HttpResponse:
    viewer = viewer_for(request)
    found = access.item_for(viewer, item_id)
    form = f.DecisionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            actions.decide_item(
                found, decision=form.cleaned_data["decision"], by=_me(viewer), today=viewer.today
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Beslutet är registrerat."))
            return redirect("orgwork:item", item_id=found.pk)
    return _form_page(
        request,
        form,
        _("Registrera beslut"),
        caption=str(found),
        back=reverse("orgwork:item", args=[found.pk]),
    )


@allowed(access.may_manage_boards)
def item_extract(request: HttpRequest, item_id: int) -> HttpResponse:
    viewer = viewer_for(request)
    found = access.item_for(viewer, item_id)
    form = f.ExtractForm(request.POST or None, initial={"extract": found.decision})
    if request.method == "POST" and form.is_valid():
        try:
            actions.record_extract(found, extract=form.cleaned_data["extract"], by=_me(viewer))
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Protokollsutdraget är sparat."))
            return redirect("orgwork:item", item_id=found.pk)
    return _form_page(
        request,
        form,
        _("Protokollsutdrag"),
        caption=str(found),
        back=reverse("orgwork:item", args=[found.pk]),
    )
