"""Forms for the incident pages. They check the shape of input; the rules live in actions."""

from __future__ import annotations

import uuid
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from tillit.incidents.models import (
    Category,
    ComplaintChannel,
    ComplaintKind,
    FollowUpResult,
    IvoOutcome,
    LexSarahKind,
    PointResult,
    RootCause,
    SanctionStep,
)
from tillit.kundval.forms import DATE, Form, MultipleFileField
from tillit.kundval.models import Authorisation, StopDecidedBy, StopKind
from tillit.organisation.models import Provider, Unit

TEXT = forms.Textarea(attrs={"rows": 4})
SHORT_TEXT = forms.Textarea(attrs={"rows": 2})
RADIO = forms.RadioSelect


def _blank(choices: Any) -> list[tuple[str, Any]]:
    return [("", _("Välj…")), *choices]


class DeviationForm(Form):
    unit = forms.ModelChoiceField(
        label=_("Enhet"),
        queryset=Unit.objects.none(),
        required=False,
        help_text=_("Den enhet avvikelsen gäller. Tom när den gäller en anordnare."),
    )
    provider = forms.ModelChoiceField(
        label=_("Anordnare"), queryset=Provider.objects.none(), required=False
    )
    case_number = forms.IntegerField(
        label=_("Ärendenummer"),
        required=False,
        min_value=1,
        help_text=_("Om avvikelsen gäller ett ärende. Då läser bara de som når ärendet den."),
    )
    occurred_on = forms.DateField(label=_("Datum för händelsen"), widget=DATE)
    category = forms.ChoiceField(label=_("Kategori"), choices=_blank(Category.choices))
    description = forms.CharField(label=_("Vad hände?"), widget=TEXT, max_length=5000)
    immediate_action = forms.CharField(
        label=_("Omedelbar åtgärd"), widget=SHORT_TEXT, required=False, max_length=2000
    )

    def __init__(
        self, *args: Any, units: Any, providers: Any, case_allowed: bool, **kw: Any
    ) -> None:
        super().__init__(*args, **kw)
        self.fields["unit"].queryset = units  # type: ignore[attr-defined]
        self.fields["provider"].queryset = providers  # type: ignore[attr-defined]
        if not case_allowed:
            del self.fields["case_number"]


class CauseForm(Form):
    cause = forms.CharField(label=_("Orsak"), widget=TEXT, max_length=5000)
    root_cause = forms.ChoiceField(label=_("Grundorsak"), choices=_blank(RootCause.choices))


class MeasuresForm(Form):
    measures = forms.CharField(label=_("Åtgärder"), widget=TEXT, max_length=5000)


class NoteForm(Form):
    note = forms.CharField(
        label=_("Kommentar vid avslut"), widget=SHORT_TEXT, required=False, max_length=2000
    )


class ComplaintForm(Form):
    kind = forms.ChoiceField(label=_("Slag"), choices=ComplaintKind.choices, widget=RADIO)
    channel = forms.ChoiceField(
        label=_("Inkom via"),
        choices=[c for c in ComplaintChannel.choices if c[0] != ComplaintChannel.E_SERVICE],
        widget=RADIO,
    )
    received_on = forms.DateField(label=_("Inkom"), widget=DATE)
    unit = forms.ModelChoiceField(label=_("Enhet"), queryset=Unit.objects.none(), required=False)
    provider = forms.ModelChoiceField(
        label=_("Anordnare"), queryset=Provider.objects.none(), required=False
    )
    category = forms.ChoiceField(label=_("Kategori"), choices=_blank(Category.choices))
    description = forms.CharField(label=_("Vad gäller det?"), widget=TEXT, max_length=5000)
    anonymous = forms.BooleanField(label=_("Anonym"), required=False)
    contact_name = forms.CharField(label=_("Namn"), required=False, max_length=120)
    contact_email = forms.EmailField(label=_("E-post"), required=False)
    contact_phone = forms.CharField(label=_("Telefon"), required=False, max_length=40)
    wants_answer = forms.BooleanField(label=_("Vill ha svar"), required=False)

    def __init__(self, *args: Any, units: Any, providers: Any, **kw: Any) -> None:
        super().__init__(*args, **kw)
        self.fields["unit"].queryset = units  # type: ignore[attr-defined]
        self.fields["provider"].queryset = providers  # type: ignore[attr-defined]


class PublicComplaintForm(Form):
    """The e-service. `website` is a trap for robots: hidden from people and screen readers,
    a form that fills it in is not stored."""

    kind = forms.ChoiceField(
        label=_("Vad vill du lämna?"), choices=ComplaintKind.choices, widget=RADIO
    )
    unit = forms.ModelChoiceField(
        label=_("Vilken verksamhet gäller det?"),
        queryset=Unit.objects.none(),
        empty_label=_("Välj…"),
    )
    provider = forms.ModelChoiceField(
        label=_("Gäller det en anordnare (utförare)?"),
        queryset=Provider.objects.none(),
        required=False,
        empty_label=_("Nej, eller vet inte"),
    )
    category = forms.ChoiceField(label=_("Vad handlar det om?"), choices=_blank(Category.choices))
    description = forms.CharField(
        label=_("Beskriv vad det gäller"),
        widget=TEXT,
        max_length=5000,
        help_text=_(
            "Skriv inte personnummer eller känsliga uppgifter om andra. Du kan vara anonym."
        ),
    )
    anonymous = forms.BooleanField(label=_("Jag vill vara anonym"), required=False)
    contact_name = forms.CharField(label=_("Ditt namn"), required=False, max_length=120)
    contact_email = forms.EmailField(label=_("Din e-post"), required=False)
    contact_phone = forms.CharField(label=_("Ditt telefonnummer"), required=False, max_length=40)
    wants_answer = forms.BooleanField(label=_("Jag vill ha svar"), required=False)
    website = forms.CharField(label=_("Lämna detta fält tomt"), required=False, max_length=200)
    submission_key = forms.UUIDField(widget=forms.HiddenInput)

    def __init__(self, *args: Any, units: Any, providers: Any, **kw: Any) -> None:
        super().__init__(*args, **kw)
        self.fields["unit"].queryset = units  # type: ignore[attr-defined]
        self.fields["provider"].queryset = providers  # type: ignore[attr-defined]
        self.fields["website"].widget.attrs.update({"tabindex": "-1", "autocomplete": "off"})
        if not self.is_bound:
            self.initial.setdefault("submission_key", uuid.uuid4())

    @property
    def is_robot(self) -> bool:
        return bool(self.data.get("website"))


class AnswerForm(Form):
    answer = forms.CharField(label=_("Svar"), widget=TEXT, max_length=5000)
    root_cause = forms.ChoiceField(
        label=_("Grundorsak"), choices=_blank(RootCause.choices), required=False
    )


class OutcomeForm(Form):
    outcome = forms.CharField(label=_("Utfall"), widget=SHORT_TEXT, max_length=2000)


class LexSarahReportForm(Form):
    unit = forms.ModelChoiceField(label=_("Enhet"), queryset=Unit.objects.none())
    case_number = forms.IntegerField(
        label=_("Ärendenummer"),
        required=False,
        min_value=1,
        help_text=_("Om det gäller en enskild i ett ärende du når."),
    )
    occurred_on = forms.DateField(label=_("Datum för händelsen"), widget=DATE)
    category = forms.ChoiceField(label=_("Kategori"), choices=_blank(Category.choices))
    report = forms.CharField(label=_("Vad har hänt?"), widget=TEXT, max_length=5000)
    immediate_action = forms.CharField(
        label=_("Vad gjorde du direkt?"), widget=SHORT_TEXT, required=False, max_length=2000
    )

    def __init__(self, *args: Any, units: Any, **kw: Any) -> None:
        super().__init__(*args, **kw)
        self.fields["unit"].queryset = units  # type: ignore[attr-defined]


class InvestigationForm(Form):
    what_happened = forms.CharField(label=_("Vad som har hänt"), widget=TEXT, max_length=5000)
    consequences = forms.CharField(
        label=_("Konsekvenser för den enskilde"), widget=TEXT, max_length=5000
    )
    causes = forms.CharField(label=_("Orsaker"), widget=TEXT, max_length=5000)
    root_cause = forms.ChoiceField(label=_("Grundorsak"), choices=_blank(RootCause.choices))
    measures = forms.CharField(label=_("Åtgärder"), widget=TEXT, max_length=5000)
    affected_view = forms.CharField(
        label=_("Den enskildes synpunkter"), widget=TEXT, max_length=5000
    )


YES_NO = [("ja", _("Ja")), ("nej", _("Nej"))]


class AssessmentForm(Form):
    assessment = forms.ChoiceField(label=_("Bedömning"), choices=LexSarahKind.choices, widget=RADIO)
    serious = forms.ChoiceField(
        label=_("Är det allvarligt?"), choices=YES_NO, widget=RADIO, required=False
    )
    reasons = forms.CharField(label=_("Skäl för bedömningen"), widget=TEXT, max_length=5000)

    def serious_value(self) -> bool | None:
        value = self.cleaned_data.get("serious")
        return None if not value else value == "ja"


class IvoDecisionForm(Form):
    decided_on = forms.DateField(label=_("IVO:s beslutsdatum"), widget=DATE)
    outcome = forms.ChoiceField(label=_("Beslut"), choices=_blank(IvoOutcome.choices))
    reference = forms.CharField(label=_("IVO:s diarienummer"), required=False, max_length=40)
    decision = forms.CharField(
        label=_("Beslutet i korthet"), widget=SHORT_TEXT, required=False, max_length=2000
    )


class PlanForm(Form):
    year = forms.IntegerField(label=_("År"), min_value=2000, max_value=2100)


class PointForm(Form):
    result = forms.ChoiceField(label=_("Bedömning"), choices=PointResult.choices, widget=RADIO)
    note = forms.CharField(label=_("Kommentar"), widget=SHORT_TEXT, required=False, max_length=2000)
    documents = MultipleFileField(label=_("Underlag"), required=False)


class RequestForm(Form):
    question = forms.CharField(
        label=_("Begäran till anordnaren"), widget=SHORT_TEXT, max_length=2000
    )
    due = forms.DateField(label=_("Svar senast"), widget=DATE)


class RequestAnswerForm(Form):
    answer = forms.CharField(label=_("Ert svar"), widget=TEXT, max_length=5000)


class CorrectionForm(Form):
    description = forms.CharField(label=_("Krav på rättelse"), widget=SHORT_TEXT, max_length=2000)
    due = forms.DateField(label=_("Åtgärdas senast"), widget=DATE)


class CorrectionNoteForm(Form):
    note = forms.CharField(label=_("Vad har ni gjort?"), widget=SHORT_TEXT, max_length=2000)


class SanctionForm(Form):
    step = forms.ChoiceField(label=_("Steg"), choices=SanctionStep.choices, widget=RADIO)
    reason = forms.CharField(label=_("Skäl"), widget=SHORT_TEXT, max_length=2000)
    authorisation = forms.ModelChoiceField(
        label=_("Auktorisation (vid avstängning eller återkallelse)"),
        queryset=Authorisation.objects.none(),
        required=False,
    )
    stop_kind = forms.ChoiceField(
        label=_("Avstängning eller återkallelse"), choices=_blank(StopKind.choices), required=False
    )
    decided_by = forms.ChoiceField(
        label=_("Beslutat av"), choices=_blank(StopDecidedBy.choices), required=False
    )
    from_date = forms.DateField(label=_("Gäller från"), widget=DATE, required=False)

    def __init__(self, *args: Any, authorisations: Any, **kw: Any) -> None:
        super().__init__(*args, **kw)
        self.fields["authorisation"].queryset = authorisations  # type: ignore[attr-defined]


class FollowUpReportForm(Form):
    result = forms.ChoiceField(label=_("Resultat"), choices=FollowUpResult.choices, widget=RADIO)
    summary = forms.CharField(label=_("Sammanfattning"), widget=TEXT, max_length=5000)
