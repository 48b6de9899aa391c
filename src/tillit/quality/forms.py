"""The quality pages' forms. Rules are checked in the actions; these only parse input."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tillit.accounts.models import User
from tillit.bounds import BoundedForm
from tillit.organisation.models import Board, Membership, Unit
from tillit.quality import rules
from tillit.quality.models import (
    Answer,
    AuditRun,
    Check,
    Method,
    RunStatus,
    Severity,
    SourceType,
)

DATE = forms.DateInput(attrs={"type": "date", "class": "govuk-input govuk-input--width-10"})
TEXT = forms.TextInput(attrs={"class": "govuk-input"})
AREA = forms.Textarea(attrs={"class": "govuk-textarea", "rows": 3})


def staff_in(unit_ids: set[int], today: dt.date) -> Any:
    """Staff with an active membership in these units (owners are chosen here)."""
    user_ids = (
        Membership.objects.active(today)
        .filter(unit_id__in=unit_ids)
        .values_list("user_id", flat=True)
    )
    return User.objects.filter(pk__in=user_ids, is_active=True).order_by("first_name", "last_name")


class StaffChoice(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.get_full_name() or obj.get_username())


def _select() -> forms.Select:
    return forms.Select(attrs={"class": "govuk-select"})


class PlanForm(BoundedForm):
    unit = forms.ModelChoiceField(
        label=gettext_lazy("Enhet"), queryset=Unit.objects.none(), widget=_select()
    )
    title = forms.CharField(label=gettext_lazy("Vad kontrolleras"), max_length=200, widget=TEXT)
    population = forms.CharField(
        label=gettext_lazy("Population"),
        max_length=300,
        widget=TEXT,
        help_text=gettext_lazy("Till exempel: varje anmälan som kommit in under kvartalet."),
    )
    method = forms.ChoiceField(
        label=gettext_lazy("Metod"), choices=Method.choices, widget=forms.RadioSelect
    )
    check = forms.ChoiceField(
        label=gettext_lazy("Beräkning (för beräknad metod)"),
        choices=[("", "–"), *Check.choices],
        required=False,
        widget=_select(),
    )
    checklist = forms.CharField(
        label=gettext_lazy("Checklista (för manuell metod), en fråga per rad"),
        required=False,
        widget=AREA,
    )
    sample_size = forms.IntegerField(
        label=gettext_lazy("Stickprovsstorlek (för manuell metod)"),
        required=False,
        min_value=1,
        max_value=10000,
        widget=forms.NumberInput(attrs={"class": "govuk-input govuk-input--width-5"}),
    )
    interval_months = forms.TypedChoiceField(
        label=gettext_lazy("Intervall"),
        coerce=int,
        initial=3,
        choices=[(m, gettext_lazy("%(n)s månader") % {"n": m}) for m in (1, 2, 3, 4, 6, 12)],
        widget=_select(),
    )
    holder = StaffChoice(
        label=gettext_lazy("Ansvarig"), queryset=User.objects.none(), widget=_select()
    )
    target_percent = forms.DecimalField(
        label=gettext_lazy("Mål (%)"),
        min_value=0,
        max_value=100,
        decimal_places=1,
        widget=forms.NumberInput(attrs={"class": "govuk-input govuk-input--width-5"}),
    )
    legal_reference = forms.CharField(label=gettext_lazy("Lagrum"), max_length=300, widget=TEXT)

    def __init__(self, *args: Any, unit_ids: set[int], today: dt.date, **kw: Any) -> None:
        super().__init__(*args, **kw)
        self.fields["unit"].queryset = Unit.objects.filter(pk__in=unit_ids)  # type: ignore[attr-defined]
        self.fields["holder"].queryset = User.objects.filter(  # type: ignore[attr-defined]
            pk__in=rules.audit_holder_ids(unit_ids, today), is_active=True
        ).order_by("first_name", "last_name")


class PeriodForm(BoundedForm):
    period = forms.CharField(
        label=gettext_lazy("Period"),
        max_length=10,
        help_text=gettext_lazy("En månad som 2026-03 eller ett kvartal som 2026-K1."),
        widget=forms.TextInput(attrs={"class": "govuk-input govuk-input--width-10"}),
    )

    def clean_period(self) -> Any:
        from tillit.children.figures import Period

        try:
            return Period.parse(self.cleaned_data["period"])
        except ValueError:
            raise ValidationError(
                _("Ange en månad som 2026-03 eller ett kvartal som 2026-K1.")
            ) from None


class ReasonForm(BoundedForm):
    reason = forms.CharField(label=gettext_lazy("Skäl"), widget=AREA)


class NoteForm(BoundedForm):
    note = forms.CharField(label=gettext_lazy("Kommentar"), widget=AREA, required=False)


class ChecklistForm(BoundedForm):
    def __init__(self, *args: Any, questions: list[str], **kw: Any) -> None:
        super().__init__(*args, **kw)
        for index, question in enumerate(questions):
            self.fields[f"q{index}"] = forms.ChoiceField(
                label=question, choices=Answer.choices, widget=forms.RadioSelect
            )
            self.fields[f"note{index}"] = forms.CharField(
                label=_("Anteckning"), required=False, widget=TEXT
            )

    def answers(self, count: int) -> list[tuple[str, str]]:
        return [
            (self.cleaned_data[f"q{i}"], self.cleaned_data.get(f"note{i}", ""))
            for i in range(count)
        ]


class DeficiencyForm(BoundedForm):
    unit = forms.ModelChoiceField(
        label=gettext_lazy("Enhet"), queryset=Unit.objects.none(), widget=_select()
    )
    title = forms.CharField(label=gettext_lazy("Brist"), max_length=200, widget=TEXT)
    description = forms.CharField(label=gettext_lazy("Beskrivning"), required=False, widget=AREA)
    source_type = forms.ChoiceField(
        label=gettext_lazy("Källa"), choices=SourceType.choices, widget=_select()
    )
    source_reference = forms.CharField(
        label=gettext_lazy("Referens (diarienummer, beslut)"),
        required=False,
        max_length=200,
        widget=TEXT,
    )
    severity = forms.ChoiceField(
        label=gettext_lazy("Allvarlighetsgrad"), choices=Severity.choices, widget=_select()
    )

    def __init__(self, *args: Any, unit_ids: set[int], **kw: Any) -> None:
        super().__init__(*args, **kw)
        self.fields["unit"].queryset = Unit.objects.filter(pk__in=unit_ids)  # type: ignore[attr-defined]


class MeasureForm(BoundedForm):
    description = forms.CharField(label=gettext_lazy("Åtgärd"), widget=AREA)
    owner = StaffChoice(
        label=gettext_lazy("Ansvarig"),
        queryset=User.objects.none(),
        required=False,
        widget=_select(),
    )
    due_on = forms.DateField(label=gettext_lazy("Klar senast"), required=False, widget=DATE)
    expected_effect = forms.CharField(label=gettext_lazy("Förväntad effekt"), widget=AREA)
    verification_method = forms.CharField(
        label=gettext_lazy("Så kontrolleras att den genomförts"), widget=AREA
    )

    def __init__(self, *args: Any, unit_id: int, today: dt.date, **kw: Any) -> None:
        super().__init__(*args, **kw)
        self.fields["owner"].queryset = staff_in({unit_id}, today)  # type: ignore[attr-defined]
        # Required in the action, so the message is the same from every caller.
        for name in ("description", "expected_effect", "verification_method"):
            self.fields[name].required = False


class DoneForm(BoundedForm):
    note = forms.CharField(label=gettext_lazy("Vad som gjordes"), widget=AREA, required=False)


class VerifyForm(BoundedForm):
    evidence = forms.CharField(label=gettext_lazy("Belägg"), widget=AREA, required=False)
    evidence_run = forms.ModelChoiceField(
        label=gettext_lazy("Senare egenkontrollomgång som belägg"),
        queryset=AuditRun.objects.none(),
        required=False,
        widget=_select(),
    )

    def __init__(self, *args: Any, unit_id: int, **kw: Any) -> None:
        super().__init__(*args, **kw)
        self.fields["evidence_run"].queryset = AuditRun.objects.filter(  # type: ignore[attr-defined]
            plan__unit_id=unit_id, status__in=[RunStatus.DONE, RunStatus.REVIEWED]
        ).select_related("plan")


class BoardReportForm(BoundedForm):
    board = forms.ModelChoiceField(
        label=gettext_lazy("Nämnd"), queryset=Board.objects.order_by("name"), widget=_select()
    )
    meeting_on = forms.DateField(label=gettext_lazy("Sammanträde"), widget=DATE)
    period_first = forms.DateField(label=gettext_lazy("Period från"), widget=DATE)
    period_last = forms.DateField(label=gettext_lazy("Period till"), widget=DATE)


class QualityReportForm(BoundedForm):
    year = forms.IntegerField(
        label=gettext_lazy("År"),
        min_value=2000,
        max_value=2100,
        widget=forms.NumberInput(attrs={"class": "govuk-input govuk-input--width-5"}),
    )
    unit = forms.ModelChoiceField(
        label=gettext_lazy("Enhet"), queryset=Unit.objects.none(), required=False, widget=_select()
    )
    board = forms.ModelChoiceField(
        label=gettext_lazy("Nämnd"),
        queryset=Board.objects.order_by("name"),
        required=False,
        widget=_select(),
    )

    def __init__(self, *args: Any, unit_ids: set[int], **kw: Any) -> None:
        super().__init__(*args, **kw)
        self.fields["unit"].queryset = Unit.objects.filter(pk__in=unit_ids)  # type: ignore[attr-defined]


class TextsForm(BoundedForm):
    def __init__(self, *args: Any, sections: list[dict[str, Any]], **kw: Any) -> None:
        super().__init__(*args, **kw)
        for section in sections:
            self.fields[section["code"]] = forms.CharField(
                label=section["title"], required=False, widget=AREA
            )


class RoutineForm(BoundedForm):
    title = forms.CharField(label=gettext_lazy("Rubrik"), max_length=200, widget=TEXT)
    owner = StaffChoice(
        label=gettext_lazy("Ägare"), queryset=User.objects.none(), required=False, widget=_select()
    )
    who = forms.CharField(label=gettext_lazy("Vem gör vad"), widget=AREA)
    why = forms.CharField(label=gettext_lazy("Varför"), widget=AREA)
    how = forms.CharField(label=gettext_lazy("Hur"), widget=AREA)

    def __init__(self, *args: Any, users: Any, **kw: Any) -> None:
        super().__init__(*args, **kw)
        self.fields["owner"].queryset = users  # type: ignore[attr-defined]


class VersionTextForm(BoundedForm):
    who = forms.CharField(label=gettext_lazy("Vem gör vad"), widget=AREA)
    why = forms.CharField(label=gettext_lazy("Varför"), widget=AREA)
    how = forms.CharField(label=gettext_lazy("Hur"), widget=AREA)


class AdoptForm(BoundedForm):
    valid_from = forms.DateField(label=gettext_lazy("Gäller från"), required=False, widget=DATE)
    review_on = forms.DateField(label=gettext_lazy("Ses över senast"), required=False, widget=DATE)
