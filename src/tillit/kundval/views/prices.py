"""Retroactive price corrections and the history of an area's price list versions."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from tillit.access.decorators import allowed
from tillit.access.reading import staff_user, viewer_for
from tillit.form_errors import apply_errors
from tillit.kundval.access import area_for, officers
from tillit.kundval.actions.price_corrections import correct_prices, versions
from tillit.kundval.price_forms import PriceCorrectionForm


@allowed(officers)
def price_correction(request: HttpRequest, area_id: int) -> HttpResponse:
    found = area_for(viewer_for(request), area_id)
    form = PriceCorrectionForm(request.POST or None, area=found)
    if request.method == "POST" and form.is_valid():
        try:
            correct_prices(
                area=found,
                date_from=form.cleaned_data["date_from"],
                date_to=form.cleaned_data["date_to"],
                rates=form.rates(),
                decision=form.cleaned_data["decision"],
                reason=form.cleaned_data["reason"],
                by=staff_user(request),
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(
                request,
                _(
                    "Rättelsen är sparad. Stängda månader justeras i nästa körning; "
                    "de tidigare versionerna finns kvar."
                ),
            )
            return redirect("kundval:price_versions", area_id=found.pk)
    return render(
        request,
        "kundval/form.html",
        {"form": form, "title": _("Rätta ersättningar i efterhand"), "area": found},
    )


@allowed(officers)
def price_versions(request: HttpRequest, area_id: int) -> HttpResponse:
    found = area_for(viewer_for(request), area_id)
    return render(
        request,
        "kundval/price_versions.html",
        {
            "area": found,
            "versions": versions(found),
            "corrections": found.price_corrections.select_related("created_by"),
        },
    )
