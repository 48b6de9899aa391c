"""The kundvalshandläggare's set-up pages: new areas and their goals and frames, the districts
of an area, and the versions of the authorisation terms. Every change goes through
tillit.kundval.actions; no page shows personal data."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count, Model, Q, QuerySet
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from tillit.access.decorators import allowed
from tillit.access.reading import staff_user, viewer_for
from tillit.form_errors import apply_errors
from tillit.kundval import area_forms
from tillit.kundval.access import (
    area_for,
    officer_areas,
    officer_municipalities,
    officers,
    terms_for,
)
from tillit.kundval.actions import areas as area_actions
from tillit.kundval.actions import authorisation as authorisation_actions
from tillit.kundval.models import District, KundvalArea
from tillit.organisation.models import Municipality, Unit
from tillit.versioning import is_stale

HISTORY_ROWS = 20
# django-simple-history's own labels are English only.
HISTORY_KINDS = {
    "+": gettext_lazy("Skapad"),
    "~": gettext_lazy("Ändrad"),
    "-": gettext_lazy("Borttagen"),
}


# --- Areas ----------------------------------------------------------------------------------


@allowed(officers)
def area_new(request: HttpRequest) -> HttpResponse:
    viewer = viewer_for(request)
    units = Unit.objects.filter(pk__in=viewer.kundval_unit_ids).order_by("name")
    municipality_ids = list(officer_municipalities(viewer).values_list("pk", flat=True))
    form = area_forms.AreaForm(
        request.POST or None,
        units=units,
        providers=area_actions.default_provider_candidates(municipality_ids),
        initial={"notice_days": 0},
    )
    if request.method == "POST" and form.is_valid():
        try:
            made = area_actions.create_area(
                unit=form.chosen_unit(), data=form.area_input(), by=staff_user(request)
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Kundvalsområdet är skapat."))
            return redirect("kundval:area", area_id=made.pk)
    return render(
        request, "kundval/setup_form.html", {"form": form, "title": _("Nytt kundvalsområde")}
    )


@allowed(officers)
def area_edit(request: HttpRequest, area_id: int) -> HttpResponse:
    found = area_for(viewer_for(request), area_id)
    form = _area_edit_form(found, request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            area_actions.change_area(
                found,
                form.area_input(),
                version=form.cleaned_data["version"],
                by=staff_user(request),
            )
        except ValidationError as error:
            if is_stale(error):
                # Show what is saved now, with the reason the save was refused.
                found = area_for(viewer_for(request), area_id)
                form = _area_edit_form(found, None)
                form.full_clean()
                form.cleaned_data = {}
                status = 409
            apply_errors(form, error)
        else:
            messages.success(request, _("Kundvalsområdet är ändrat."))
            return redirect("kundval:area", area_id=found.pk)
    return render(
        request,
        "kundval/setup_form.html",
        {
            "form": form,
            "title": _("Ändra kundvalsområdet"),
            "area": found,
            "locked": [m for ms in area_actions.locked_fields(found).values() for m in ms],
            "history": _history(found),
        },
        status=status,
    )


def _area_edit_form(found: KundvalArea, data: Any) -> area_forms.AreaForm:
    return area_forms.AreaForm(
        data,
        units=None,
        providers=area_actions.default_provider_candidates(
            [found.municipality_id], keep=found.default_provider_id
        ),
        initial={
            "name": found.name,
            "service_kind": found.service_kind,
            "description": found.description,
            "goals": found.goals,
            "compensation_model": found.compensation_model,
            "cap_by_decision": found.cap_by_decision,
            "separate_rates": found.separate_rates,
            "default_provider": found.default_provider_id,
            "notice_days": found.notice_days,
            "version": found.version,
        },
    )


@dataclass(frozen=True)
class Change:
    when: Any
    who: str
    kind: str
    fields: list[str]


def _history(instance: Model) -> list[Change]:
    """The latest changes of a record with django-simple-history: when, by whom, which fields."""
    records = list(
        instance.history.select_related("history_user").order_by("-history_date", "-history_id")[  # type: ignore[attr-defined]
            : HISTORY_ROWS + 1
        ]
    )
    meta = type(instance)._meta
    changes: list[Change] = []
    for record, older in zip(records, [*records[1:], None], strict=False):
        if len(changes) == HISTORY_ROWS:
            break
        if older is None or record.history_type == "+":
            fields = []
        else:
            fields = [_label(meta, c.field) for c in record.diff_against(older).changes]
        user = record.history_user
        changes.append(
            Change(
                when=record.history_date,
                who=(user.get_full_name() or user.get_username()) if user else _("systemet"),
                kind=str(HISTORY_KINDS.get(record.history_type, record.history_type)),
                fields=fields,
            )
        )
    return changes


def _label(meta: Any, name: str) -> str:
    field = meta.get_field(name)
    return str(getattr(field, "verbose_name", name))


# --- Districts ------------------------------------------------------------------------------


def _linkable(area: KundvalArea, today: Any) -> QuerySet[District]:
    return (
        District.objects.filter(municipality=area.municipality_id)
        .exclude(areas=area)
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=today))
        .order_by("name")
    )


def _districts_page(
    request: HttpRequest,
    area: KundvalArea,
    *,
    add_form: area_forms.DistrictForm | None = None,
    link_form: area_forms.DistrictLinkForm | None = None,
    status: int = 200,
) -> HttpResponse:
    today = viewer_for(request).today
    districts = (
        area.districts.annotate(
            decisions_here=Count("decisions", filter=Q(decisions__area=area), distinct=True),
            authorisations_here=Count(
                "authorisations", filter=Q(authorisations__area=area), distinct=True
            ),
        )
        .prefetch_related("areas")
        .order_by("name")
    )
    rows = [
        {
            "district": d,
            "open": d.is_open(today),
            "others": [a.name for a in d.areas.all() if a.pk != area.pk],
        }
        for d in districts
    ]
    return render(
        request,
        "kundval/districts.html",
        {
            "area": area,
            "rows": rows,
            "add_form": add_form or area_forms.DistrictForm(closing=False),
            "link_form": link_form or area_forms.DistrictLinkForm(districts=_linkable(area, today)),
        },
        status=status,
    )


@allowed(officers)
def districts(request: HttpRequest, area_id: int) -> HttpResponse:
    return _districts_page(request, area_for(viewer_for(request), area_id))


@require_POST
@allowed(officers)
def district_new(request: HttpRequest, area_id: int) -> HttpResponse:
    found = area_for(viewer_for(request), area_id)
    form = area_forms.DistrictForm(request.POST, closing=False)
    if form.is_valid():
        try:
            area_actions.add_district(
                found,
                by=staff_user(request),
                name=form.cleaned_data["name"],
                valid_from=form.cleaned_data["valid_from"],
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Det geografiska området är tillagt."))
            return redirect("kundval:districts", area_id=found.pk)
    return _districts_page(request, found, add_form=form, status=400)


@require_POST
@allowed(officers)
def district_link(request: HttpRequest, area_id: int) -> HttpResponse:
    viewer = viewer_for(request)
    found = area_for(viewer, area_id)
    form = area_forms.DistrictLinkForm(request.POST, districts=_linkable(found, viewer.today))
    if form.is_valid():
        try:
            area_actions.link_district(
                found, form.cleaned_data["district"], today=viewer.today, by=staff_user(request)
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Det geografiska området används nu i kundvalsområdet."))
            return redirect("kundval:districts", area_id=found.pk)
    return _districts_page(request, found, link_form=form, status=400)


def _district_of(area: KundvalArea, district_id: int) -> District:
    found = area.districts.filter(pk=district_id).first()
    if found is None:
        raise Http404
    return found


def _district_page(
    request: HttpRequest,
    area: KundvalArea,
    district: District,
    form: area_forms.DistrictForm,
    *,
    remove_errors: list[str] | None = None,
    status: int = 200,
) -> HttpResponse:
    return render(
        request,
        "kundval/district.html",
        {
            "area": area,
            "district": district,
            "form": form,
            "others": district.areas.exclude(pk=area.pk).order_by("name"),
            "uses": area_actions.district_uses(area, district),
            "remove_errors": remove_errors or [],
            "history": _history(district),
        },
        status=status,
    )


@allowed(officers)
def district(request: HttpRequest, area_id: int, district_id: int) -> HttpResponse:
    found = area_for(viewer_for(request), area_id)
    item = _district_of(found, district_id)
    form = area_forms.DistrictForm(
        request.POST or None,
        initial={"name": item.name, "valid_from": item.valid_from, "valid_to": item.valid_to},
    )
    if request.method == "POST" and form.is_valid():
        try:
            area_actions.change_district(
                item,
                by=staff_user(request),
                name=form.cleaned_data["name"],
                valid_from=form.cleaned_data["valid_from"],
                valid_to=form.cleaned_data["valid_to"],
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Det geografiska området är ändrat."))
            return redirect("kundval:districts", area_id=found.pk)
    return _district_page(request, found, item, form)


@require_POST
@allowed(officers)
def district_remove(request: HttpRequest, area_id: int, district_id: int) -> HttpResponse:
    found = area_for(viewer_for(request), area_id)
    item = _district_of(found, district_id)
    try:
        deleted = area_actions.remove_district(found, item, by=staff_user(request))
    except ValidationError as error:
        form = area_forms.DistrictForm(
            initial={"name": item.name, "valid_from": item.valid_from, "valid_to": item.valid_to}
        )
        return _district_page(request, found, item, form, remove_errors=error.messages, status=400)
    if deleted:
        messages.success(request, _("Det geografiska området är borttaget."))
    else:
        messages.success(
            request,
            _("Det geografiska området används inte längre i kundvalsområdet."),
        )
    return redirect("kundval:districts", area_id=found.pk)


# --- Authorisation terms --------------------------------------------------------------------


@allowed(officers)
def terms(request: HttpRequest) -> HttpResponse:
    viewer = viewer_for(request)
    general = [
        (m, authorisation_actions.terms_versions(m, None))
        for m in officer_municipalities(viewer).order_by("name")
    ]
    return render(
        request,
        "kundval/terms.html",
        {
            "general": general,
            "areas": officer_areas(viewer).order_by("name"),
            "today": viewer.today,
        },
    )


@allowed(officers)
def area_terms(request: HttpRequest, area_id: int) -> HttpResponse:
    viewer = viewer_for(request)
    found = area_for(viewer, area_id)
    return render(
        request,
        "kundval/terms.html",
        {
            "area": found,
            "versions": authorisation_actions.terms_versions(found.municipality, found),
            "today": viewer.today,
        },
    )


def _publish(
    request: HttpRequest,
    area: KundvalArea | None,
    municipalities: QuerySet[Municipality] | None,
) -> HttpResponse:
    form = area_forms.TermsForm(
        request.POST or None, request.FILES or None, municipalities=municipalities
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        municipality = area.municipality if area is not None else form.chosen_municipality()
        if municipality is None:
            raise Http404
        try:
            published = authorisation_actions.publish_terms(
                by=staff_user(request),
                municipality=municipality,
                area=area,
                title=data["title"],
                valid_from=data["valid_from"],
                text=data["text"],
                checklist=data["checklist"],
                document=data["document"],
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(
                request,
                _("Version %(version)d av villkoren är publicerad.")
                % {"version": published.version},
            )
            return redirect("kundval:terms_version", terms_id=published.pk)
    title = (
        _("Nya villkor för %(area)s") % {"area": area.name}
        if area is not None
        else _("Nya allmänna auktorisationsvillkor")
    )
    return render(
        request,
        "kundval/setup_form.html",
        {"form": form, "title": title, "area": area, "upload": True},
    )


@allowed(officers)
def terms_new(request: HttpRequest) -> HttpResponse:
    return _publish(request, None, officer_municipalities(viewer_for(request)).order_by("name"))


@allowed(officers)
def area_terms_new(request: HttpRequest, area_id: int) -> HttpResponse:
    return _publish(request, area_for(viewer_for(request), area_id), None)


@allowed(officers)
def terms_version(request: HttpRequest, terms_id: int) -> HttpResponse:
    viewer = viewer_for(request)
    found = terms_for(viewer, terms_id)
    versions = authorisation_actions.terms_versions(found.municipality, found.area)
    shown = next(v for v in versions if v.terms.pk == found.pk)
    return render(
        request,
        "kundval/terms_version.html",
        {
            "version": shown,
            "terms": found,
            "area": found.area,
            "today": viewer.today,
        },
    )


@allowed(officers)
def terms_document(request: HttpRequest, terms_id: int) -> HttpResponse:
    found = terms_for(viewer_for(request), terms_id)
    if not found.document:
        raise Http404
    response: HttpResponse = FileResponse(  # type: ignore[assignment]
        found.document.open("rb"),
        as_attachment=True,
        filename=f"auktorisationsvillkor-v{found.version}.pdf",
        content_type="application/pdf",
    )
    return response
