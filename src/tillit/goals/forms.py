"""The goal pages' forms: input bounded (tillit.bounds), Swedish messages beside each field."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from tillit.bounds import MAX_TEXT, BoundedForm
from tillit.goals.models import Assessment, Goal, Indicator, Level, TargetKind
from tillit.organisation.models import Board, Unit

YEAR_MIN, YEAR_MAX = 2000, 2100


class GoalForm(BoundedForm):
    level = forms.ChoiceField(label=_("Nivå"), choices=Level.choices)
    title = forms.CharField(label=_("Mål"), max_length=300)
    description = forms.CharField(
        label=_("Beskrivning"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=MAX_TEXT,
    )
    parent = forms.ModelChoiceField(
        label=_("Bidrar till"), queryset=Goal.objects.none(), required=False
    )
    board = forms.ModelChoiceField(label=_("Nämnd"), queryset=Board.objects.none(), required=False)
    unit = forms.ModelChoiceField(label=_("Enhet"), queryset=Unit.objects.none(), required=False)
    adopted_by = forms.CharField(
        label=_("Antaget av"), max_length=120, help_text=_("Till exempel Socialnämnden.")
    )
    adopted_on = forms.DateField(label=_("Antaget den"), help_text=_("Till exempel 2026-02-15."))
    first_year = forms.IntegerField(
        label=_("Gäller från år"), min_value=YEAR_MIN, max_value=YEAR_MAX
    )
    last_year = forms.IntegerField(
        label=_("Gäller till och med år"), min_value=YEAR_MIN, max_value=YEAR_MAX
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["parent"].queryset = Goal.objects.exclude(level=Level.UNIT).order_by(  # type: ignore[attr-defined]
            "level", "title"
        )
        self.fields["board"].queryset = Board.objects.order_by("name")  # type: ignore[attr-defined]
        self.fields["unit"].queryset = Unit.objects.order_by("name")  # type: ignore[attr-defined]


class TargetForm(BoundedForm):
    indicator = forms.ModelChoiceField(label=_("Indikator"), queryset=Indicator.objects.all())
    kind = forms.ChoiceField(label=_("Typ av mål"), choices=TargetKind.choices)
    level = forms.DecimalField(
        label=_("Målnivå"),
        required=False,
        max_digits=18,
        decimal_places=4,
        help_text=_("För mål om nivå: värdet som ska nås."),
    )
    best_percent = forms.IntegerField(
        label=_("Bland de bästa (%)"),
        required=False,
        min_value=1,
        max_value=100,
        help_text=_("För mål om placering, till exempel 10 för bland de 10 % bästa."),
    )


class FollowUpForm(BoundedForm):
    period = forms.CharField(
        label=_("Period"),
        max_length=10,
        help_text=_("År (2026), tertial (2026-T2) eller kvartal (2026-K2)."),
    )
    assessment = forms.ChoiceField(
        label=_("Bedömning"), choices=Assessment.choices, widget=forms.RadioSelect
    )
    comment = forms.CharField(
        label=_("Kommentar"), widget=forms.Textarea(attrs={"rows": 4}), max_length=2000
    )


class GroupForm(BoundedForm):
    name = forms.CharField(label=_("Namn"), max_length=200)
    members = forms.CharField(
        label=_("Kommunkoder"),
        max_length=2000,
        help_text=_(
            "Fyrsiffriga koder åtskilda med komma eller mellanslag, till exempel 0180 0182."
        ),
    )

    def clean_members(self) -> list[str]:
        text = self.cleaned_data["members"].replace(",", " ")
        return [part for part in text.split() if part]


class NationalFileForm(BoundedForm):
    file = forms.FileField(
        label=_("Fil från Kolada (JSON)"),
        help_text=_(
            "Ett svar från api.kolada.se/v3/data eller /municipality_groups, sparat som fil."
        ),
    )
    kind = forms.ChoiceField(
        label=_("Innehåll"),
        choices=[("varden", _("Värden")), ("grupper", _("Kommungrupper"))],
        widget=forms.RadioSelect,
    )
    source_note = forms.CharField(
        label=_("Källa"),
        max_length=200,
        initial="Källa: Kolada",
        help_text=_("Visas vid varje värde, till exempel Källa: Kolada."),
    )

    MAX_BYTES = 20 * 1024 * 1024

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size > self.MAX_BYTES:
            raise forms.ValidationError(_("Filen är större än 20 MB."))
        return upload


class OwnValuesForm(BoundedForm):
    year = forms.IntegerField(label=_("År"), min_value=YEAR_MIN, max_value=YEAR_MAX)
