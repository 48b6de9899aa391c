"""The person register's forms: registering a person with a case, and the search box."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from tillit.bounds import BoundedForm
from tillit.individuals.identity import IdentityNumber, parse_identity_number
from tillit.individuals.models import Individual, Protection
from tillit.organisation.models import Group


class IndividualForm(BoundedForm):
    personal_number = forms.CharField(
        label=_("Personnummer eller samordningsnummer"),
        help_text=_("ÅÅÅÅMMDD-NNNN. Lämna tomt om personen saknar nummer; ange då födelsedatum."),
        required=False,
        max_length=15,
    )
    date_of_birth = forms.DateField(
        label=_("Födelsedatum"),
        help_text=_("ÅÅÅÅ-MM-DD. Behövs bara när nummer saknas."),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    first_name = forms.CharField(label=_("Förnamn"), max_length=100)
    last_name = forms.CharField(label=_("Efternamn"), max_length=100)
    street_address = forms.CharField(label=_("Gatuadress"), max_length=200, required=False)
    postal_code = forms.CharField(label=_("Postnummer"), max_length=6, required=False)
    city = forms.CharField(label=_("Postort"), max_length=100, required=False)
    protection = forms.ChoiceField(
        label=_("Skyddade personuppgifter"), choices=Protection.choices, initial=Protection.NONE
    )
    group = forms.ModelChoiceField(label=_("Grupp som tar ärendet"), queryset=Group.objects.none())
    case_title = forms.CharField(label=_("Ärendets rubrik"), max_length=200)

    def __init__(self, *args: Any, groups: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["group"].queryset = groups  # type: ignore[attr-defined]
        for name, field in self.fields.items():
            field.error_messages["required"] = _("Fältet måste fyllas i.")
            css = "govuk-select" if isinstance(field, forms.ChoiceField) else "govuk-input"
            field.widget.attrs.setdefault("class", css)
            if name in {"postal_code", "date_of_birth"}:
                field.widget.attrs["class"] += " govuk-input--width-10"

    def clean_personal_number(self) -> IdentityNumber | None:
        raw = self.cleaned_data.get("personal_number", "").strip()
        if not raw:
            return None
        number = parse_identity_number(raw)
        if Individual.objects.filter(personal_number=number.digits).exists():
            raise ValidationError(
                _("Det finns redan en person med det numret. Sök fram personen i stället."),
                code="duplicate",
            )
        return number

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        number = cleaned.get("personal_number")
        if (
            number is None
            and not cleaned.get("date_of_birth")
            and "personal_number" not in self.errors
        ):
            self.add_error("date_of_birth", _("Ange födelsedatum när personnummer saknas."))
        if number is not None:
            cleaned["date_of_birth"] = number.birth_date
        return cleaned


class SearchForm(BoundedForm):
    q = forms.CharField(
        label=_("Sök på namn eller personnummer"),
        min_length=2,
        max_length=100,
        error_messages={"min_length": _("Skriv minst två tecken.")},
        widget=forms.TextInput(
            attrs={"class": "govuk-input govuk-!-width-two-thirds", "type": "search"}
        ),
    )
