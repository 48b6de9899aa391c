"""Deviation pages: report, the list, one deviation with its next step."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from tillit.access.decorators import allowed
from tillit.access.reading import staff_user, viewer_for
from tillit.incidents import access
from tillit.incidents.actions import deviations as actions
from tillit.incidents.forms import CauseForm, DeviationForm, MeasuresForm, NoteForm
from tillit.incidents.models import DeviationStatus
from tillit.incidents.views.common import Step, apply_errors, page_of, run_step
from tillit.organisation.models import Provider, Unit

NEXT_STEP: dict[str, str] = {
    DeviationStatus.REPORTED: "receive",
    DeviationStatus.RECEIVED: "analyse",
    DeviationStatus.ANALYSED: "act",
    DeviationStatus.ACTED: "close",
}


@allowed(access.any_staff)
def deviations(request: HttpRequest) -> HttpResponse:
    viewer = viewer_for(request)
    status = request.GET.get("status", "")
    found = access.deviations_for(viewer).select_related("unit", "provider")
    if status in DeviationStatus.values:
        found = found.filter(status=status)
    return render(
        request,
        "incidents/deviations.html",
        {
            "page": page_of(request, found, f"status={status}" if status else ""),
            "statuses": DeviationStatus.choices,
            "status": status,
            "may_analyse": access.analyses(viewer),
        },
    )


@allowed(access.any_staff)
def deviation_new(request: HttpRequest) -> HttpResponse:
    viewer = viewer_for(request)
    own_provider = Provider.objects.filter(pk__in=viewer.provider_ids).first()
    if own_provider is not None and not viewer.is_municipal_staff:
        units, providers = Unit.objects.none(), Provider.objects.filter(pk=own_provider.pk)
    else:
        units, providers = Unit.objects.order_by("name"), Provider.objects.order_by("name")
    case_allowed = viewer.is_municipal_staff
    form = DeviationForm(
        request.POST or None, units=units, providers=providers, case_allowed=case_allowed
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        case = None
        number = data.get("case_number")
        if number:
            case = access.reachable_cases(viewer).filter(pk=number).first()
            if case is None:
                form.add_error(
                    "case_number", _("Ärendet finns inte eller ligger utanför din behörighet.")
                )
        provider = data["provider"]
        if own_provider is not None and not viewer.is_municipal_staff:
            provider = own_provider
        if not form.errors:
            try:
                made = actions.report_deviation(
                    unit=data["unit"],
                    provider=provider,
                    case=case,
                    occurred_on=data["occurred_on"],
                    category=data["category"],
                    description=data["description"],
                    immediate_action=data["immediate_action"],
                    by=staff_user(request),
                    today=viewer.today,
                )
            except ValidationError as error:
                apply_errors(form, error)
            else:
                messages.success(
                    request, _("Avvikelsen %(ref)s är rapporterad.") % {"ref": made.reference}
                )
                return redirect("incidents:deviation", deviation_id=made.pk)
    return render(
        request,
        "incidents/deviation_new.html",
        {"form": form, "own_provider": own_provider if not viewer.is_municipal_staff else None},
        status=400 if request.method == "POST" else 200,
    )


@allowed(access.any_staff)
def deviation(request: HttpRequest, deviation_id: int) -> HttpResponse:
    viewer = viewer_for(request)
    found = access.read_deviation(request, deviation_id)
    handles = access.handles_deviation(viewer, found)
    by, today = staff_user(request), viewer.today
    step_forms: dict[str, Step] = {
        "receive": (None, lambda d: actions.receive_deviation(found, by=by, today=today)),
        "analyse": (
            CauseForm,
            lambda d: actions.analyse_deviation(
                found, cause=d["cause"], root_cause=d["root_cause"], by=by, today=today
            ),
        ),
        "act": (
            MeasuresForm,
            lambda d: actions.act_on_deviation(found, measures=d["measures"], by=by, today=today),
        ),
        "close": (
            NoteForm,
            lambda d: actions.close_deviation(found, note=d["note"], by=by, today=today),
        ),
        "raise": (None, lambda d: actions.raise_to_lex_sarah(found, by=by, now=viewer.now)),
    }
    next_step = NEXT_STEP.get(found.status, "")
    step_class = step_forms[next_step][0] if next_step else None
    form = step_class() if step_class is not None else None
    status = 200
    if request.method == "POST":
        if not handles:
            raise PermissionDenied
        step, done, posted = run_step(request, step_forms)
        if done:
            messages.success(request, _("Avvikelsen är uppdaterad."))
            return redirect("incidents:deviation", deviation_id=found.pk)
        status = 400
        if posted is not None and step == next_step:
            form = posted
        elif posted is not None:
            form, status = posted, 400
    reachable = bool(found.case_id) and bool(viewer.reachable_case_ids([found.case_id]))
    return render(
        request,
        "incidents/deviation.html",
        {
            "deviation": found,
            "handles": handles,
            "next_step": next_step,
            "form": form,
            "case_individual_id": found.case.individual_id if reachable and found.case else None,
            "lex_sarah_reachable": found.lex_sarah_id is not None
            and access.lex_sarah_for(viewer).filter(pk=found.lex_sarah_id).exists(),
        },
        status=status,
    )
