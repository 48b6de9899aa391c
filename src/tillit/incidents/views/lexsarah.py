"""Lex Sarah pages: report, the list, one report with its next step, the report to IVO."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from tillit.access.decorators import allowed
from tillit.access.policy import Basis
from tillit.access.reading import staff_user, viewer_for
from tillit.audit.log import Read, record
from tillit.audit.models import AccessAction
from tillit.deadlines.models import LegalRule
from tillit.incidents import access, documents
from tillit.incidents.actions import lexsarah as actions
from tillit.incidents.forms import (
    AssessmentForm,
    InvestigationForm,
    IvoDecisionForm,
    LexSarahReportForm,
)
from tillit.incidents.models import LexSarahStatus
from tillit.incidents.rules import RULE_INVESTIGATE, RULE_IVO, RULE_REPORT
from tillit.incidents.views.common import Step, apply_errors, download, page_of, run_step
from tillit.organisation.models import Unit

S = LexSarahStatus
NEXT_STEP: dict[str, str] = {
    S.REPORTED: "register",
    S.REGISTERED: "investigate",
    S.INVESTIGATED: "assess",
    S.REPORTED_TO_IVO: "record_ivo_decision",
    S.IVO_DECIDED: "close",
}


@allowed(access.sees_lex_sarah)
def lexsarah_list(request: HttpRequest) -> HttpResponse:
    viewer = viewer_for(request)
    found = access.lex_sarah_for(viewer).select_related("unit")
    return render(request, "incidents/lexsarah_list.html", {"page": page_of(request, found)})


@allowed(access.municipal_staff)
def lexsarah_new(request: HttpRequest) -> HttpResponse:
    viewer = viewer_for(request)
    form = LexSarahReportForm(request.POST or None, units=Unit.objects.order_by("name"))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        case = None
        if data.get("case_number"):
            case = access.reachable_cases(viewer).filter(pk=data["case_number"]).first()
            if case is None:
                form.add_error(
                    "case_number", _("Ärendet finns inte eller ligger utanför din behörighet.")
                )
        if not form.errors:
            try:
                made = actions.report_lex_sarah(
                    unit=data["unit"],
                    case=case,
                    category=data["category"],
                    occurred_on=data["occurred_on"],
                    report=data["report"],
                    immediate_action=data["immediate_action"],
                    by=staff_user(request),
                    now=viewer.now,
                )
            except ValidationError as error:
                apply_errors(form, error)
            else:
                messages.success(
                    request,
                    _("Rapporten %(ref)s är skickad till den som nämnden har utsett.")
                    % {"ref": made.reference},
                )
                return redirect("incidents:lexsarah", case_id=made.pk)
    return render(
        request,
        "incidents/lexsarah_new.html",
        {"form": form, "rules": LegalRule.objects.filter(code=RULE_REPORT)},
        status=400 if request.method == "POST" else 200,
    )


@allowed(access.logged_in_staff)
def lexsarah(request: HttpRequest, case_id: int) -> HttpResponse:
    viewer = viewer_for(request)
    found = access.read_lex_sarah(request, case_id)
    handles = access.handles_lex_sarah(viewer, found)
    by, today = staff_user(request), viewer.today
    steps: dict[str, Step] = {
        "register": (None, lambda d: actions.register_lex_sarah(found, by=by, today=today)),
        "investigate": (
            InvestigationForm,
            lambda d: actions.investigate_lex_sarah(found, by=by, today=today, **d),
        ),
        "assess": (
            AssessmentForm,
            lambda d: actions.assess_lex_sarah(
                found,
                assessment=d["assessment"],
                serious=None if not d.get("serious") else d["serious"] == "ja",
                reasons=d["reasons"],
                by=by,
                today=today,
            ),
        ),
        "report_to_ivo": (None, lambda d: actions.report_to_ivo(found, by=by, today=today)),
        "record_ivo_decision": (
            IvoDecisionForm,
            lambda d: actions.record_ivo_decision(found, by=by, today=today, **d),
        ),
        "close": (None, lambda d: actions.close_lex_sarah(found, by=by, today=today)),
    }
    next_step = NEXT_STEP.get(found.status, "")
    if found.status == S.ASSESSED:
        next_step = "report_to_ivo" if found.serious else "close"
    form_class = steps[next_step][0] if next_step else None
    form = form_class() if form_class is not None else None
    status = 200
    if request.method == "POST":
        if not handles:
            raise PermissionDenied
        _step, done, posted = run_step(request, steps)
        if done:
            messages.success(request, _("Rapporten är uppdaterad."))
            return redirect("incidents:lexsarah", case_id=found.pk)
        form, status = posted, 400
    reachable = bool(found.case_id) and bool(viewer.reachable_case_ids([found.case_id]))
    return render(
        request,
        "incidents/lexsarah.html",
        {
            "found": found,
            "handles": handles,
            "registers": access.registers_lex_sarah(viewer, found),
            "next_step": next_step,
            "form": form,
            "case_individual_id": found.case.individual_id if reachable and found.case else None,
            "rules": LegalRule.objects.filter(code__in=[RULE_REPORT, RULE_INVESTIGATE, RULE_IVO]),
            "today": today,
        },
        status=status,
    )


@allowed(access.logged_in_staff)
def lexsarah_ivo_pdf(request: HttpRequest, case_id: int) -> HttpResponse:
    """The report to IVO with the investigation: for the handlers, once assessed serious."""
    viewer = viewer_for(request)
    found = access.read_lex_sarah(request, case_id)
    if not access.handles_lex_sarah(viewer, found) or not found.serious:
        raise Http404
    record(
        actor=viewer.user,
        action=AccessAction.EXPORT,
        reads=[
            Read(
                individual_id=found.case.individual_id if found.case else None,
                basis=Basis.OWN_ROLE,
                unit_id=found.unit_id,
                object_type="lex_sarah",
                object_id=str(found.pk),
            )
        ],
        request=request,
    )
    return download(
        documents.ivo_report(found, made_on=viewer.today),
        "application/pdf",
        f"lex-sarah-{found.reference}.pdf",
    )
