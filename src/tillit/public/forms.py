"""The public forms. Each carries a honeypot field (`webbplats`, hidden from people: a bot
that fills it is refused) and a submission key, so a resubmitted form stores once."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tillit.children.models import ConcernCategory, ReporterCategory
from tillit.individuals.identity import IdentityNumber, parse_identity_number

HONEYPOT = "webbplats"
# Whole request bodies above this are refused before they are read (no form here has files).
MAX_BODY_BYTES = 64 * 1024
DATE_FORMATS = ["%Y-%m-%d", "%Y%m%d"]


class PublicForm(forms.Form):
    """Keyed and guarded: the honeypot, the submission key, and length limits."""

    submission_key = forms.UUIDField(widget=forms.HiddenInput)
    webbplats = forms.CharField(required=False, label=_("Lämna detta fält tomt"), max_length=200)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial.setdefault("submission_key", uuid.uuid4())

    def is_bot(self) -> bool:
        return bool(self.data.get(HONEYPOT, "").strip())

    def visible(self) -> list[forms.BoundField]:
        return [f for f in self if f.name not in {HONEYPOT, "submission_key"}]


class AskForm(PublicForm):
    customer_name = forms.CharField(label=_("Kundens namn"), max_length=200)
    personal_number = forms.CharField(
        label=_("Kundens personnummer"),
        max_length=20,
        help_text=_("ÅÅÅÅMMDD-NNNN. Handläggaren använder det för att hitta kundens beslut."),
    )
    representative_name = forms.CharField(
        label=_("Ditt namn, om du frågar för någon annans räkning"), max_length=200, required=False
    )
    representative_relation = forms.CharField(
        label=_("Din relation till kunden"),
        max_length=100,
        required=False,
        help_text=_("Till exempel god man, förvaltare, anhörig med fullmakt."),
    )
    phone = forms.CharField(label=_("Telefon"), max_length=40, required=False)
    email = forms.EmailField(label=_("E-post"), max_length=200, required=False)
    wanted_from = forms.DateField(
        label=_("Från vilket datum vill du byta?"),
        required=False,
        input_formats=DATE_FORMATS,
        help_text=_("ÅÅÅÅ-MM-DD. Lämna tomt för så snart som möjligt."),
    )
    message = forms.CharField(
        label=_("Meddelande"), max_length=2000, required=False, widget=forms.Textarea({"rows": 4})
    )

    def clean_personal_number(self) -> IdentityNumber:
        return parse_identity_number(self.cleaned_data["personal_number"])

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("phone") and not data.get("email") and "email" not in self.errors:
            self.add_error("phone", _("Ange telefon eller e-post så att vi kan nå dig."))
        if data.get("representative_name") and not data.get("representative_relation"):
            self.add_error("representative_relation", _("Ange din relation till kunden."))
        wanted = data.get("wanted_from")
        if wanted is not None and wanted < timezone.localdate():
            self.add_error("wanted_from", _("Datumet kan inte ligga bakåt i tiden."))
        return data


PUBLIC_REPORTER_CATEGORIES = [
    (c.value, c.label) for c in ReporterCategory if c != ReporterCategory.ANONYMOUS
]
DUTY_CATEGORIES = {
    ReporterCategory.POLICE,
    ReporterCategory.HEALTH_CARE,
    ReporterCategory.CHILD_HEALTH_CENTRE,
    ReporterCategory.PRESCHOOL,
    ReporterCategory.SCHOOL,
    ReporterCategory.SOCIAL_SERVICES,
    ReporterCategory.OTHER_AUTHORITY,
}


class ConcernForm(PublicForm):
    reporter_category = forms.ChoiceField(
        label=_("Vem är du?"), choices=PUBLIC_REPORTER_CATEGORIES, widget=forms.RadioSelect
    )
    anonymous = forms.BooleanField(
        label=_("Jag vill vara anonym"),
        required=False,
        help_text=_(
            "Då sparas inget om dig, inte heller din IP-adress. Vi kan då inte kontakta dig "
            "med frågor. Den som är anmälningsskyldig i tjänsten bör uppge namn."
        ),
    )
    reporter_name = forms.CharField(label=_("Ditt namn"), max_length=200, required=False)
    reporter_organisation = forms.CharField(
        label=_("Verksamhet (om du anmäler i tjänsten)"), max_length=200, required=False
    )
    reporter_phone = forms.CharField(label=_("Din telefon"), max_length=40, required=False)
    reporter_email = forms.EmailField(label=_("Din e-post"), max_length=200, required=False)
    child_first_name = forms.CharField(label=_("Barnets förnamn"), max_length=100)
    child_last_name = forms.CharField(label=_("Barnets efternamn"), max_length=100)
    child_number = forms.CharField(
        label=_("Barnets personnummer"),
        max_length=20,
        required=False,
        help_text=_("Om du vet det. Annars: födelsedatum nedan."),
    )
    child_birth_date = forms.DateField(
        label=_("Barnets födelsedatum"),
        required=False,
        input_formats=DATE_FORMATS,
        help_text=_("ÅÅÅÅ-MM-DD. Ungefärligt datum går bra om du inte vet det exakt."),
    )
    concerns = forms.MultipleChoiceField(
        label=_("Vad gäller oron?"),
        choices=ConcernCategory.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    description = forms.CharField(
        label=_("Beskriv vad du har sett eller hört"),
        max_length=10000,
        widget=forms.Textarea({"rows": 8}),
        help_text=_(
            "Vad hände, när och var? Vet du var barnet är nu? Vet vårdnadshavarna om din oro?"
        ),
    )

    def clean_child_number(self) -> IdentityNumber | None:
        raw = self.cleaned_data["child_number"].strip()
        return parse_identity_number(raw) if raw else None

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        anonymous = data.get("anonymous")
        identity = ["reporter_name", "reporter_organisation", "reporter_phone", "reporter_email"]
        if anonymous:
            for name in identity:
                if data.get(name):
                    self.add_error(
                        name, _("Du har valt att vara anonym: lämna uppgifter om dig tomma.")
                    )
        elif not data.get("reporter_name"):
            self.add_error("reporter_name", _("Ange ditt namn, eller välj att vara anonym."))
        if (
            "child_number" not in self.errors
            and not data.get("child_number")
            and not data.get("child_birth_date")
            and "child_birth_date" not in self.errors
        ):
            self.add_error("child_birth_date", _("Ange barnets personnummer eller födelsedatum."))
        birth = data.get("child_birth_date")
        if birth is not None and not dt.date(1990, 1, 1) <= birth <= timezone.localdate():
            self.add_error("child_birth_date", _("Ange ett födelsedatum som har passerat."))
        return data

    @property
    def has_duty(self) -> bool:
        return self.cleaned_data.get("reporter_category") in DUTY_CATEGORIES


class DefectForm(PublicForm):
    page = forms.CharField(label=_("Vilken sida gäller det?"), max_length=300, required=False)
    description = forms.CharField(
        label=_("Vad fungerar inte?"), max_length=4000, widget=forms.Textarea({"rows": 5})
    )
    contact = forms.CharField(
        label=_("Hur når vi dig, om du vill ha svar?"), max_length=200, required=False
    )
