"""The quality work's forms; the rules themselves are checked in actions.py."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from tillit.accounts.models import User
from tillit.bounds import BoundedMixin, IdsField
from tillit.organisation.models import Board, Group, Unit
from tillit.orgwork.actions import ANSWERS, CHECKLIST
from tillit.orgwork.models import (
    Assignment,
    AssignmentKind,
    ItemKind,
    Placement,
    ReportBack,
    Task,
    TaskArea,
)

TEXT = forms.Textarea(attrs={"rows": 4})
DATE = forms.DateInput(attrs={"type": "date"})


class Form(BoundedMixin, forms.Form):
    """GOV.UK classes, Swedish 'required' messages and the input bounds on every field."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._style()

    def _style(self) -> None:
        for field in self.fields.values():
            field.error_messages["required"] = _("Fältet måste fyllas i.")
            widget = field.widget
            if isinstance(widget, forms.CheckboxInput | forms.RadioSelect):
                continue
            if isinstance(widget, forms.Textarea):
                css = "govuk-textarea"
            elif isinstance(widget, forms.Select | forms.SelectMultiple):
                css = "govuk-select"
            else:
                css = "govuk-input"
            widget.attrs.setdefault("class", css)


def parse_hours(raw: str, *, allow_zero: bool = False) -> Decimal | None:
    raw = (raw or "").strip().replace(",", ".").replace(" ", "")
    if not raw:
        return None
    try:
        value = Decimal(raw)
    except InvalidOperation as error:
        raise ValidationError(_("Ange ett antal timmar, t.ex. 7,5.")) from error
    if not value.is_finite() or value < 0 or value > Decimal("100000"):
        raise ValidationError(_("Ange ett antal timmar, t.ex. 7,5."))
    return value.quantize(Decimal("0.01"))


class HoursField(forms.CharField):
    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("max_length", 12)
        super().__init__(**kwargs)
        self.widget.attrs.update(
            {"inputmode": "decimal", "class": "govuk-input govuk-input--width-5"}
        )

    def clean(self, value: Any) -> Decimal | None:
        return parse_hours(super().clean(value))


def people(users: QuerySet[User]) -> list[tuple[str, str]]:
    return [(str(u.pk), u.get_full_name() or u.username) for u in users]


class UserChoiceField(forms.ModelChoiceField[User]):
    def label_from_instance(self, obj: User) -> str:
        return obj.get_full_name() or obj.username


class UsersField(IdsField[User]):
    widget = forms.CheckboxSelectMultiple

    def label_from_instance(self, obj: User) -> str:
        return obj.get_full_name() or obj.username


class AssignmentForm(Form):
    kind = forms.ChoiceField(
        label=_("Typ av uppdrag"), choices=AssignmentKind.choices, widget=forms.RadioSelect
    )
    title = forms.CharField(label=_("Rubrik"), max_length=200)
    description = forms.CharField(label=_("Beskrivning"), widget=TEXT)
    unit = forms.ModelChoiceField(
        label=_("Till kvalitetsresursen i"), queryset=Unit.objects.none(), empty_label=None
    )
    requester_unit = forms.ModelChoiceField(
        label=_("Beställande enhet"), queryset=Unit.objects.none(), required=False
    )
    board = forms.ModelChoiceField(
        label=_("För nämnden"), queryset=Board.objects.none(), required=False
    )
    task = forms.ModelChoiceField(
        label=_("Uppgift i katalogen"), queryset=Task.objects.none(), required=False
    )
    wished_by = forms.DateField(label=_("Önskas klart"), required=False, widget=DATE)

    def __init__(
        self,
        *args: Any,
        units: QuerySet[Unit],
        requester_units: QuerySet[Unit],
        boards: QuerySet[Board],
        tasks: QuerySet[Task],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units  # type: ignore[attr-defined]
        self.fields["requester_unit"].queryset = requester_units  # type: ignore[attr-defined]
        self.fields["task"].queryset = tasks  # type: ignore[attr-defined]
        if boards.exists():
            self.fields["board"].queryset = boards  # type: ignore[attr-defined]
        else:
            del self.fields["board"]


class PlanForm(Form):
    owner = UserChoiceField(label=_("Ansvarig"), queryset=User.objects.none(), required=False)
    group = forms.ModelChoiceField(label=_("Grupp"), queryset=Group.objects.none(), required=False)
    due = forms.DateField(label=_("Klart senast"), required=False, widget=DATE)
    estimate_hours = HoursField(label=_("Uppskattad tid (timmar)"), required=False)

    def __init__(
        self, *args: Any, owners: QuerySet[User], groups: QuerySet[Group], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = owners  # type: ignore[attr-defined]
        self.fields["group"].queryset = groups  # type: ignore[attr-defined]


class DeclineForm(Form):
    reason = forms.CharField(label=_("Skäl till att uppdraget avböjs"), widget=TEXT)


class DeliverForm(Form):
    note = forms.CharField(label=_("Kommentar till leveransen"), widget=TEXT, required=False)


class CommentForm(Form):
    text = forms.CharField(label=_("Meddelande"), widget=forms.Textarea(attrs={"rows": 3}))


class TimeForm(Form):
    week = forms.DateField(label=_("Vecka"), widget=DATE, help_text=_("Välj en dag i veckan."))
    target = forms.ChoiceField(label=_("Uppdrag eller uppgift"), choices=())
    hours = HoursField(label=_("Timmar"))

    def __init__(
        self,
        *args: Any,
        assignments: QuerySet[Assignment],
        tasks: QuerySet[Task],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.assignments = {str(a.pk): a for a in assignments}
        self.tasks = {str(t.pk): t for t in tasks}
        self.fields["target"].choices = [  # type: ignore[attr-defined]
            ("", "–"),
            (
                str(_("Uppdrag")),
                [(f"a{pk}", a.title) for pk, a in self.assignments.items()],
            ),
            (str(_("Uppgifter i katalogen")), [(f"t{pk}", t.name) for pk, t in self.tasks.items()]),
        ]

    def target_objects(self) -> tuple[Assignment | None, Task | None]:
        value = self.cleaned_data["target"]
        if value.startswith("a"):
            return self.assignments[value[1:]], None
        return None, self.tasks[value[1:]]


class YearPlanForm(Form):
    unit = forms.ModelChoiceField(label=_("Enhet"), queryset=Unit.objects.none())
    year = forms.IntegerField(label=_("År"), min_value=2000, max_value=2100)
    capacity_hours = HoursField(label=_("Kapacitet (timmar)"))
    notes = forms.CharField(label=_("Kommentar"), widget=TEXT, required=False)

    def __init__(self, *args: Any, units: QuerySet[Unit], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units  # type: ignore[attr-defined]


class TaskForm(Form):
    area = forms.ChoiceField(label=_("Område"), choices=TaskArea.choices)
    name = forms.CharField(label=_("Uppgift"), max_length=200)
    description = forms.CharField(label=_("Beskrivning"), widget=TEXT, required=False)
    competence = forms.CharField(label=_("Kompetens som krävs"), max_length=300, required=False)
    owners = UsersField(label=_("Ansvariga"), queryset=User.objects.none(), required=False)
    backups = UsersField(label=_("Backup"), queryset=User.objects.none(), required=False)

    def __init__(self, *args: Any, staff: QuerySet[User], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["owners"].queryset = staff  # type: ignore[attr-defined]
        self.fields["backups"].queryset = staff  # type: ignore[attr-defined]


class PlacementForm(Form):
    """One choice per task; none may be left out (the action refuses)."""

    def __init__(self, *args: Any, tasks: list[Task], current: dict[int, str], **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.tasks = tasks
        for task in tasks:
            self.fields[f"task_{task.pk}"] = forms.ChoiceField(
                label=task.name,
                choices=Placement.choices,
                required=False,
                widget=forms.RadioSelect,
                initial=current.get(task.pk),
            )

    def places(self) -> dict[int, str]:
        return {
            t.pk: self.cleaned_data[f"task_{t.pk}"]
            for t in self.tasks
            if self.cleaned_data.get(f"task_{t.pk}")
        }


class AdoptForm(Form):
    effective_on = forms.DateField(label=_("Gäller från"), widget=DATE)


class FollowUpForm(Form):
    findings = forms.CharField(label=_("Iakttagelser"), widget=TEXT, required=False)
    actions = forms.CharField(
        label=_("Åtgärder (till handlingsplanen)"), widget=TEXT, required=False
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        questions: dict[str, forms.Field] = {}
        for code, question in CHECKLIST:
            questions[f"{code}_answer"] = forms.ChoiceField(
                label=question,
                choices=list(ANSWERS.items()),
                widget=forms.RadioSelect,
                required=False,
            )
            questions[f"{code}_comment"] = forms.CharField(
                label=_("Kommentar"), required=False, max_length=2000
            )
        self.fields = {**questions, **self.fields}
        self._style()

    def answers(self) -> dict[str, dict[str, str]]:
        return {
            code: {
                "answer": self.cleaned_data.get(f"{code}_answer") or "",
                "comment": self.cleaned_data.get(f"{code}_comment") or "",
            }
            for code, _q in CHECKLIST
        }


class MeetingForm(Form):
    date = forms.DateField(label=_("Sammanträdesdag"), widget=DATE)
    place = forms.CharField(label=_("Plats"), max_length=200, required=False)


class ItemForm(Form):
    kind = forms.ChoiceField(label=_("Typ av ärende"), choices=ItemKind.choices)
    report_back = forms.ChoiceField(
        label=_("Återrapportering av"),
        choices=[("", "–"), *ReportBack.choices],
        required=False,
    )
    title = forms.CharField(label=_("Rubrik"), max_length=200)
    answer_by = forms.DateField(label=_("Remissvar senast"), required=False, widget=DATE)
    writer = UserChoiceField(label=_("Handläggare"), queryset=User.objects.none(), required=False)
    assignment = forms.ModelChoiceField(
        label=_("Uppdrag"), queryset=Assignment.objects.none(), required=False
    )

    def __init__(
        self,
        *args: Any,
        writers: QuerySet[User],
        assignments: QuerySet[Assignment],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["writer"].queryset = writers  # type: ignore[attr-defined]
        self.fields["assignment"].queryset = assignments  # type: ignore[attr-defined]


class DecisionForm(Form):
    decision = forms.CharField(label=_("Nämndens beslut"), widget=TEXT)


class ExtractForm(Form):
    extract = forms.CharField(label=_("Protokollsutdrag"), widget=forms.Textarea(attrs={"rows": 8}))
