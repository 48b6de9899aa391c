"""The log review's filter form (tillit.access.log_review_views)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from tillit.accounts.models import User
from tillit.bounds import BoundedForm
from tillit.individuals.identity import parse_identity_number

MAX_PERIOD_DAYS = 366


class ReviewForm(BoundedForm):
    actor = forms.ModelChoiceField(
        label=_("Medarbetare"), queryset=User.objects.none(), required=False, empty_label=_("Alla")
    )
    personal_number = forms.CharField(label=_("Personnummer"), required=False, max_length=15)
    start = forms.DateField(label=_("Från och med"), widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(label=_("Till och med"), widget=forms.DateInput(attrs={"type": "date"}))
    only_flagged = forms.BooleanField(
        label=_(
            "Visa bara flaggade läsningar (skyddade personer, utanför egen ärendelista, nekade)"
        ),
        required=False,
    )

    def __init__(self, *args: Any, staff: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["actor"].queryset = staff  # type: ignore[attr-defined]
        for name in ("actor", "personal_number"):
            # Filters: every one is optional, so none is labelled "(frivilligt)".
            self.fields[name].show_optional = False  # type: ignore[attr-defined]
        self.fields["actor"].widget.attrs["class"] = "govuk-select"
        self.fields["personal_number"].widget.attrs["class"] = "govuk-input govuk-input--width-20"
        for name in ("start", "end"):
            self.fields[name].widget.attrs["class"] = "govuk-input govuk-input--width-10"
            self.fields[name].error_messages["required"] = _("Ange ett datum.")
            self.fields[name].error_messages["invalid"] = _("Ange datumet som ÅÅÅÅ-MM-DD.")

    def clean_personal_number(self) -> str:
        raw: str = self.cleaned_data.get("personal_number", "").strip()
        return parse_identity_number(raw).digits if raw else ""

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        start: dt.date | None = cleaned.get("start")
        end: dt.date | None = cleaned.get("end")
        if start and end:
            if end < start:
                self.add_error("end", _("Slutdatumet ligger före startdatumet."))
            elif (end - start).days > MAX_PERIOD_DAYS:
                self.add_error("end", _("Välj en period på högst ett år."))
        return cleaned
