"""Forms for the child-and-family pages. They parse input; the rules live in actions.py."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from tillit.accounts.models import User
from tillit.bounds import BoundedForm
from tillit.children import workbench
from tillit.children.models import (
    Channel,
    ConcernCategory,
    Deadline,
    DeadlineKind,
    InitialDecision,
    InterventionKind,
    InvestigationOutcome,
    InvestigationScope,
    ReporterCategory,
    RiskLevel,
    RiskQuestion,
)
from tillit.children.models.assessments import Answer
from tillit.deadlines.engine import Light
from tillit.individuals.identity import IdentityNumber, parse_identity_number
from tillit.organisation.models import Group, Provider
from tillit.uploads import sniff, upload_problem
from tillit.versioning import VersionField

DATE = {"type": "date"}
MAX_CHILDREN = 6


class TillitForm(BoundedForm):
    """GOV.UK classes on every widget and one Swedish message for a missing field.

    A field that is not required is labelled "(frivilligt)", except on a filter form
    (MARK_OPTIONAL off: every filter is optional) and for the fields in NOT_OPTIONAL (one of
    them is needed, which the help text says).
    """

    MARK_OPTIONAL = True
    NOT_OPTIONAL: tuple[str, ...] = ()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            if not self.MARK_OPTIONAL or name in self.NOT_OPTIONAL:
                field.show_optional = False  # type: ignore[attr-defined]
            field.error_messages["required"] = _("Fältet måste fyllas i.")
            field.error_messages.setdefault("invalid", _("Värdet är inte giltigt."))
            widget = field.widget
            if isinstance(widget, forms.CheckboxSelectMultiple | forms.RadioSelect):
                continue
            if isinstance(widget, forms.Textarea):
                css = "govuk-textarea"
            elif isinstance(widget, forms.Select):
                css = "govuk-select"
            elif isinstance(widget, forms.CheckboxInput | forms.ClearableFileInput):
                continue
            else:
                css = "govuk-input"
            widget.attrs.setdefault("class", css)


def local_datetime(day: dt.date, time: dt.time) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, time))


class ReportForm(TillitForm):
    group = forms.ModelChoiceField(label=_("Mottagande grupp"), queryset=Group.objects.none())
    received_on = forms.DateField(label=_("Mottagen datum"), widget=forms.DateInput(attrs=DATE))
    received_time = forms.TimeField(
        label=_("Mottagen klockslag"),
        help_text=_("TT:MM. Avgör när skyddsbedömningen ska vara gjord."),
        widget=forms.TimeInput(attrs={"type": "time"}),
    )
    channel = forms.ChoiceField(label=_("Kanal"), choices=Channel.choices)
    reporter_category = forms.ChoiceField(label=_("Anmälare"), choices=ReporterCategory.choices)
    reporter_has_duty = forms.BooleanField(
        label=_("Anmälaren är anmälningsskyldig (14 kap. 1 § SoL)"), required=False
    )
    anonymous = forms.BooleanField(
        label=_("Anonym anmälan – inga uppgifter om anmälaren sparas"), required=False
    )
    reporter_name = forms.CharField(label=_("Anmälarens namn"), max_length=200, required=False)
    reporter_organisation = forms.CharField(
        label=_("Anmälarens verksamhet"), max_length=200, required=False
    )
    reporter_phone = forms.CharField(label=_("Anmälarens telefon"), max_length=40, required=False)
    reporter_email = forms.EmailField(label=_("Anmälarens e-post"), required=False)
    withhold_reporter = forms.BooleanField(
        label=_("Anmälarens identitet ska inte lämnas ut till familjen (26 kap. 5 § OSL)"),
        required=False,
    )
    concerns = forms.MultipleChoiceField(
        label=_("Oron gäller"),
        choices=ConcernCategory.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    description = forms.CharField(label=_("Beskrivning"), widget=forms.Textarea(attrs={"rows": 6}))
    attachments = forms.FileField(
        label=_("Bilagor"),
        help_text=format_lazy(
            _("PDF, JPEG, PNG eller text, högst {mb} MB per fil."),
            mb=settings.TILLIT_ATTACHMENT_MAX_MB,
        ),
        required=False,
        widget=forms.ClearableFileInput(attrs={"class": "govuk-file-upload"}),
    )
    submission_key = forms.UUIDField(widget=forms.HiddenInput)

    def __init__(self, *args: Any, groups: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["group"].queryset = groups  # type: ignore[attr-defined]
        if not self.is_bound:
            now = timezone.localtime()
            self.initial.setdefault("received_on", now.date())
            self.initial.setdefault("received_time", now.strftime("%H:%M"))
            self.initial.setdefault("submission_key", uuid.uuid4())
            if len(groups) == 1:
                self.initial.setdefault("group", groups[0])

    def received_at(self) -> dt.datetime:
        return local_datetime(self.cleaned_data["received_on"], self.cleaned_data["received_time"])

    def clean_attachments(self) -> list[UploadedFile]:
        files = self.files.getlist("attachments") if self.files else []
        for upload in files:
            problem = upload_problem(upload)
            if problem is not None:
                raise ValidationError(problem)
        return files


def content_type_of(upload: UploadedFile) -> str:
    return sniff(upload)


class ChildForm(TillitForm):
    """One child in a report; the page repeats it with prefixes barn-0, barn-1, …

    A block left wholly empty is skipped (empty_permitted); a block begun needs both names and
    a personnummer or a date of birth (the action says which is missing).
    """

    NOT_OPTIONAL = ("personal_number", "date_of_birth")

    personal_number = forms.CharField(
        label=_("Personnummer"),
        help_text=_("ÅÅÅÅMMDD-NNNN. Personnummer eller födelsedatum krävs."),
        max_length=15,
        required=False,
    )
    date_of_birth = forms.DateField(
        label=_("Födelsedatum om personnummer saknas"),
        required=False,
        widget=forms.DateInput(attrs=DATE),
    )
    first_name = forms.CharField(label=_("Förnamn"), max_length=100)
    last_name = forms.CharField(label=_("Efternamn"), max_length=100)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("empty_permitted", True)
        kwargs.setdefault("use_required_attribute", False)
        super().__init__(*args, **kwargs)

    def clean_personal_number(self) -> IdentityNumber | None:
        raw = self.cleaned_data.get("personal_number", "").strip()
        return parse_identity_number(raw) if raw else None

    @property
    def is_empty(self) -> bool:
        data = self.cleaned_data if hasattr(self, "cleaned_data") else {}
        return not any(data.get(k) for k in self.fields)


class ProtectiveForm(TillitForm):
    assessed_on = forms.DateField(label=_("Datum"), widget=forms.DateInput(attrs=DATE))
    assessed_time = forms.TimeField(
        label=_("Klockslag"), widget=forms.TimeInput(attrs={"type": "time"})
    )
    immediate_protection = forms.TypedChoiceField(
        label=_("Behöver barnet omedelbart skydd?"),
        choices=[("ja", _("Ja")), ("nej", _("Nej"))],
        coerce=lambda v: v == "ja",
        widget=forms.RadioSelect,
    )
    action_taken = forms.CharField(
        label=_("Vidtagen åtgärd"),
        help_text=_("Krävs när barnet behöver omedelbart skydd."),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    reasoning = forms.CharField(label=_("Motivering"), widget=forms.Textarea(attrs={"rows": 4}))
    late_reason = forms.CharField(
        label=_("Skäl om tidsgränsen har passerats"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            now = timezone.localtime()
            self.initial.setdefault("assessed_on", now.date())
            self.initial.setdefault("assessed_time", now.strftime("%H:%M"))

    def assessed_at(self) -> dt.datetime:
        return local_datetime(self.cleaned_data["assessed_on"], self.cleaned_data["assessed_time"])


class RiskForm(TillitForm):
    version = VersionField()
    level = forms.ChoiceField(label=_("Samlad risknivå"), choices=RiskLevel.choices)
    notes = forms.CharField(
        label=_("Kommentar"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args: Any, questions: list[RiskQuestion], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.questions = questions
        answer_fields = {}
        for question in questions:
            label = question.text + (" *" if question.about_violence else "")
            answer_fields[f"q_{question.code}"] = forms.ChoiceField(
                label=label,
                choices=Answer.choices,
                required=False,
                widget=forms.RadioSelect,
            )
        self.fields = {**answer_fields, **self.fields}

    def answers(self) -> dict[str, str]:
        return {q.code: self.cleaned_data.get(f"q_{q.code}") or "" for q in self.questions}


class InitialForm(TillitForm):
    decision = forms.ChoiceField(
        label=_("Beslut"), choices=InitialDecision.choices, widget=forms.RadioSelect
    )
    decided_on = forms.DateField(label=_("Beslutsdatum"), widget=forms.DateInput(attrs=DATE))
    reasons = forms.CharField(
        label=_("Skäl"),
        help_text=_("Krävs när utredning inte inleds och vid överflyttning."),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    transferred_to = forms.CharField(
        label=_("Mottagande kommun vid överflyttning"), max_length=120, required=False
    )
    investigation_group = forms.ModelChoiceField(
        label=_("Grupp som utreder"), queryset=Group.objects.none(), required=False
    )
    scope = forms.ChoiceField(
        label=_("Utredningens omfattning"),
        choices=InvestigationScope.choices,
        initial=InvestigationScope.LIMITED,
    )
    late_reason = forms.CharField(
        label=_("Skäl om tidsgränsen har passerats"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args: Any, groups: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["investigation_group"].queryset = groups  # type: ignore[attr-defined]
        self.initial.setdefault("decided_on", timezone.localdate())


class ExtensionForm(TillitForm):
    grounds = forms.CharField(label=_("Skäl"), widget=forms.Textarea(attrs={"rows": 3}))
    new_due = forms.DateField(label=_("Ny tidsgräns"), widget=forms.DateInput(attrs=DATE))
    decided_on = forms.DateField(label=_("Beslutsdatum"), widget=forms.DateInput(attrs=DATE))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.initial.setdefault("decided_on", timezone.localdate())


class InvestigationExtensionForm(ExtensionForm):
    family_informed_on = forms.DateField(
        label=_("Vårdnadshavarna underrättade"), widget=forms.DateInput(attrs=DATE)
    )


class CloseForm(TillitForm):
    closed_on = forms.DateField(label=_("Avslutad"), widget=forms.DateInput(attrs=DATE))
    outcome = forms.ChoiceField(
        label=_("Beslut"), choices=InvestigationOutcome.choices, widget=forms.RadioSelect
    )
    reasons = forms.CharField(label=_("Motivering"), widget=forms.Textarea(attrs={"rows": 3}))
    late_reason = forms.CharField(
        label=_("Skäl om tidsgränsen har passerats"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.initial.setdefault("closed_on", timezone.localdate())


class InterventionForm(TillitForm):
    kind = forms.ChoiceField(label=_("Insats"), choices=InterventionKind.choices)
    decided_on = forms.DateField(label=_("Beslutsdatum"), widget=forms.DateInput(attrs=DATE))
    starts_on = forms.DateField(label=_("Startdatum"), widget=forms.DateInput(attrs=DATE))
    ends_on = forms.DateField(
        label=_("Slutdatum"), required=False, widget=forms.DateInput(attrs=DATE)
    )
    provider = forms.ModelChoiceField(
        label=_("Utförare"), queryset=Provider.objects.all(), required=False
    )
    description = forms.CharField(
        label=_("Beskrivning"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    follow_up_1 = forms.DateField(
        label=_("Första uppföljning"), required=False, widget=forms.DateInput(attrs=DATE)
    )
    follow_up_2 = forms.DateField(
        label=_("Andra uppföljning"), required=False, widget=forms.DateInput(attrs=DATE)
    )

    def follow_ups(self) -> list[dt.date]:
        return [d for d in (self.cleaned_data.get(f"follow_up_{i}") for i in (1, 2)) if d]


class FollowUpForm(TillitForm):
    done_on = forms.DateField(label=_("Genomförd"), widget=forms.DateInput(attrs=DATE))
    notes = forms.CharField(label=_("Vad visade uppföljningen?"), widget=forms.Textarea)


class FilterForm(TillitForm):
    MARK_OPTIONAL = False

    kind = forms.ChoiceField(
        label=_("Moment"),
        required=False,
        choices=[("", _("Alla")), *DeadlineKind.choices],
    )
    light = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("Alla")), *Light.choices],
    )
    holder = forms.ChoiceField(label=_("Handläggare"), required=False)
    group = forms.TypedChoiceField(label=_("Grupp"), required=False, coerce=int, empty_value=None)

    def __init__(self, *args: Any, holders: list[User], groups: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        holder, group = self.fields["holder"], self.fields["group"]
        assert isinstance(holder, forms.ChoiceField)  # noqa: S101 - declared above
        assert isinstance(group, forms.ChoiceField)  # noqa: S101 - declared above
        holder.choices = [
            ("", _("Alla")),
            (workbench.UNASSIGNED, _("Ej tilldelad")),
            *[(str(u.pk), u.get_full_name() or u.username) for u in holders],
        ]
        group.choices = [("", _("Alla")), *[(g.pk, str(g)) for g in groups]]
        for name in self.fields:
            self.fields[name].error_messages["invalid_choice"] = _("Välj ett av alternativen.")

    def filters(self) -> workbench.Filters:
        data = self.cleaned_data
        return workbench.Filters(
            kind=data["kind"], light=data["light"], holder=data["holder"], group=data["group"]
        )


class HolderField(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: User) -> str:
        return obj.get_full_name() or obj.username


class ReassignForm(TillitForm):
    holder = HolderField(label=_("Ny handläggare"), queryset=User.objects.none())

    def __init__(self, *args: Any, deadline: Deadline, holders: list[User], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["holder"]
        assert isinstance(field, forms.ModelChoiceField)  # noqa: S101 - declared above
        field.queryset = User.objects.filter(pk__in=[u.pk for u in holders]).order_by(
            "first_name", "last_name", "pk"
        )
        field.error_messages["invalid_choice"] = _(
            "Välj en socialsekreterare eller gruppchef i gruppen."
        )
        self.deadline = deadline

    def clean_holder(self) -> User:
        holder: User = self.cleaned_data["holder"]
        if holder.pk == self.deadline.holder_id:
            raise ValidationError(_("Ärendet har redan den handläggaren."))
        return holder


IMPORT_SUFFIXES = (".csv", ".txt")


class ImportForm(TillitForm):
    """Upload of a CSV file of historical reports, for its dry run."""

    group = forms.ModelChoiceField(
        label=_("Mottagande grupp"),
        queryset=Group.objects.none(),
        empty_label=None,
        help_text=_("Anmälningarna registreras som mottagna av denna grupp."),
    )
    file = forms.FileField(
        label=_("CSV-fil"),
        help_text=_(
            "UTF-8, semikolon eller komma mellan fälten, en rad per anmälan. Högst %(mb)s MB."
        )
        % {"mb": settings.TILLIT_IMPORT_MAX_MB},
        widget=forms.ClearableFileInput(attrs={"class": "govuk-file-upload", "accept": ".csv"}),
    )

    def __init__(self, *args: Any, groups: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["group"].queryset = groups  # type: ignore[attr-defined]
        self.fields["group"].label_from_instance = lambda g: f"{g.unit} – {g.name}"  # type: ignore[attr-defined]
        self.fields["file"].error_messages["required"] = _("Välj en CSV-fil.")
        self.fields["file"].error_messages["empty"] = _("Filen är tom.")

    def clean_file(self) -> UploadedFile:
        upload: UploadedFile = self.cleaned_data["file"]
        limit = settings.TILLIT_IMPORT_MAX_MB * 1024 * 1024
        if upload.size is None or upload.size > limit:
            raise ValidationError(
                _("Filen är större än %(mb)s MB. Dela upp den i flera filer.")
                % {"mb": settings.TILLIT_IMPORT_MAX_MB}
            )
        if not (upload.name or "").lower().endswith(IMPORT_SUFFIXES):
            raise ValidationError(_("Välj en CSV-fil (filnamnet slutar på .csv)."))
        return upload

    def data_bytes(self) -> bytes:
        upload: UploadedFile = self.cleaned_data["file"]
        return b"".join(upload.chunks())
