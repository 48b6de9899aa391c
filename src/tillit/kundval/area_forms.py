"""Forms for setting up kundval areas, their districts and authorisation terms. They check
the shape of input; the rules live in tillit.kundval.actions.areas and .authorisation."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from tillit.kundval.actions.areas import AreaInput
from tillit.kundval.forms import DATE, Form
from tillit.kundval.models import CompensationModel, District, ServiceKind
from tillit.organisation.models import Municipality, Provider, Unit
from tillit.versioning import VersionField

# What one unit of each model is; a price list's amounts are kronor per such unit.
MODEL_UNITS = {
    CompensationModel.GRANTED_HOUR: _("kronor per beviljad timme"),
    CompensationModel.PERFORMED_HOUR: _("kronor per utförd timme"),
    CompensationModel.VISIT: _("kronor per besök"),
    CompensationModel.ATTENDANCE_DAY: _("kronor per närvarodag"),
    CompensationModel.MONTHLY_LEVEL: _("kronor per månad, efter nivå och omfattning"),
    CompensationModel.SUBSCRIPTION: _("kronor per månad"),
}


def model_choices() -> list[tuple[str, str]]:
    return [
        (value, f"{label} ({MODEL_UNITS[CompensationModel(value)]})")
        for value, label in CompensationModel.choices
    ]


class AreaForm(Form):
    version = VersionField()
    unit = forms.ModelChoiceField(
        label=_("Ansvarig enhet"),
        queryset=Unit.objects.none(),
        help_text=_("Enhetens kundvalshandläggare förvaltar området."),
    )
    name = forms.CharField(label=_("Namn"), max_length=120)
    service_kind = forms.ChoiceField(label=_("Tjänst"), choices=ServiceKind.choices)
    description = forms.CharField(
        label=_("Beskrivning av tjänsten"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Vad kunden får. Krävs när tjänsten är Annan tjänst."),
    )
    goals = forms.CharField(
        label=_("Mål och ramar"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Kommunens mål för tjänsten och de ramar anordnarna arbetar inom."),
    )
    compensation_model = forms.ChoiceField(
        label=_("Ersättningsmodell"),
        choices=model_choices,
        widget=forms.RadioSelect,
        help_text=_(
            "Kan inte ändras när området har prislistor eller checkar. Prislistornas belopp "
            "anges i den enhet som står inom parentes."
        ),
    )
    cap_by_decision = forms.BooleanField(
        label=_("Tak enligt beslut: utförd tid eller närvaro ersätts högst med det beviljade"),
        required=False,
    )
    separate_rates = forms.BooleanField(
        label=_("Skilda ersättningar för kommunala och privata anordnare (enligt nämndens beslut)"),
        required=False,
    )
    default_provider = forms.ModelChoiceField(
        label=_("Ickevalsalternativ"),
        queryset=Provider.objects.none(),
        required=False,
        empty_label=_("Inget"),
        help_text=_("Anordnaren som har checken tills kunden väljer."),
    )
    notice_days = forms.IntegerField(
        label=_("Omvalsfrist (dagar)"),
        initial=0,
        help_text=_(
            "Ett omval från en vald anordnare gäller tidigast så många dagar efter att det "
            "gjordes. 0 betyder att det gäller från önskat datum."
        ),
    )

    def __init__(
        self,
        *args: Any,
        units: QuerySet[Unit] | None,
        providers: QuerySet[Provider],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["default_provider"].queryset = providers  # type: ignore[attr-defined]
        self.only_unit: Unit | None = None
        if units is None or units.count() == 1:
            # Editing, or an officer of one unit: nothing to choose.
            self.only_unit = units.first() if units is not None else None
            del self.fields["unit"]
        else:
            self.fields["unit"].queryset = units  # type: ignore[attr-defined]

    def chosen_unit(self) -> Unit:
        unit = self.cleaned_data.get("unit") or self.only_unit
        assert unit is not None  # noqa: S101 - the view gives units when creating
        return unit

    def area_input(self) -> AreaInput:
        data = self.cleaned_data
        return AreaInput(
            name=data["name"],
            service_kind=data["service_kind"],
            compensation_model=data["compensation_model"],
            description=data["description"],
            goals=data["goals"],
            cap_by_decision=data["cap_by_decision"],
            separate_rates=data["separate_rates"],
            default_provider=data["default_provider"],
            notice_days=data["notice_days"],
        )


class DistrictForm(Form):
    name = forms.CharField(label=_("Namn"), max_length=120)
    valid_from = forms.DateField(
        label=_("Första dag"),
        required=False,
        widget=DATE,
        help_text=_("Tomt: området används redan."),
    )
    valid_to = forms.DateField(
        label=_("Sista dag"),
        required=False,
        widget=DATE,
        help_text=_(
            "Stänger området efter den dagen: inga nya beslut eller ansökningar, "
            "men checkar som redan finns löper vidare."
        ),
    )

    def __init__(self, *args: Any, closing: bool = True, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not closing:
            del self.fields["valid_to"]


class DistrictLinkForm(Form):
    district = forms.ModelChoiceField(
        label=_("Geografiskt område"), queryset=District.objects.none()
    )

    def __init__(self, *args: Any, districts: QuerySet[District], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["district"].queryset = districts  # type: ignore[attr-defined]


class TermsForm(Form):
    municipality = forms.ModelChoiceField(label=_("Kommun"), queryset=Municipality.objects.none())
    title = forms.CharField(label=_("Rubrik"), max_length=200)
    valid_from = forms.DateField(
        label=_("Gäller från"),
        widget=DATE,
        help_text=_("Senare än den senaste versionens första dag."),
    )
    text = forms.CharField(
        label=_("Villkor"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 10}),
        help_text=_("Villkorstexten, eller bifoga dokumentet nedan (eller båda)."),
    )
    document = forms.FileField(label=_("Dokument (PDF)"), required=False, widget=forms.FileInput)
    checklist = forms.CharField(
        label=_("Checklista för granskning"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("En punkt per rad; varje ansökan granskas mot punkterna."),
    )

    def __init__(
        self, *args: Any, municipalities: QuerySet[Municipality] | None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.only_municipality: Municipality | None = None
        if municipalities is None or municipalities.count() == 1:
            self.only_municipality = municipalities.first() if municipalities is not None else None
            del self.fields["municipality"]
        else:
            self.fields["municipality"].queryset = municipalities  # type: ignore[attr-defined]

    def chosen_municipality(self) -> Municipality | None:
        return self.cleaned_data.get("municipality") or self.only_municipality
