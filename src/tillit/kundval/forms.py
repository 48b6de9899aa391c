"""Forms for the kundval pages. They check the shape of input; the rules live in actions."""

from __future__ import annotations

import csv
import datetime as dt
import io
import uuid
from decimal import Decimal, InvalidOperation
from typing import Any

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from tillit.bounds import BoundedMixin, IdsField
from tillit.individuals.identity import IdentityNumber, parse_identity_number
from tillit.individuals.models import Protection
from tillit.kundval import rules
from tillit.kundval.actions.authorisation import MAX_DOCUMENTS
from tillit.kundval.actions.performance import ReportRow
from tillit.kundval.actions.pricing import RateInput
from tillit.kundval.actions.vouchers import NewCustomer
from tillit.kundval.models import (
    CompensationModel,
    District,
    Extent,
    KundvalArea,
    ProviderCategory,
    ProviderProfile,
    StopDecidedBy,
    StopKind,
)
from tillit.organisation.models import Provider, validate_organisation_number
from tillit.uploads import upload_problem
from tillit.versioning import VersionField

DATE = forms.DateInput(attrs={"type": "date"})
TIME = forms.TimeInput(attrs={"type": "time"})


class GovukMixin(BoundedMixin):
    """GOV.UK classes and Swedish 'required' messages on every field."""

    fields: dict[str, forms.Field]

    def _style(self) -> None:
        for field in self.fields.values():
            field.error_messages["required"] = _("Fältet måste fyllas i.")
            widget = field.widget
            if isinstance(widget, forms.CheckboxInput):
                continue
            if isinstance(widget, forms.Textarea):
                css = "govuk-textarea"
            elif isinstance(widget, forms.Select | forms.SelectMultiple):
                css = "govuk-select"
            elif isinstance(widget, forms.FileInput):
                css = "govuk-file-upload"
            else:
                css = "govuk-input"
            widget.attrs.setdefault("class", css)


class Form(GovukMixin, forms.Form):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._style()


def _amount(raw: str, label: object) -> Decimal:
    try:
        amount = Decimal(raw.replace(",", ".").replace(" ", ""))
    except InvalidOperation as error:
        raise ValidationError(_("%(label)s är inget belopp.") % {"label": label}) from error
    if problem := rules.amount_problem(amount, str(label)):
        raise ValidationError(problem)
    return amount


class PriceListForm(Form):
    valid_from = forms.DateField(label=_("Gäller från"), widget=DATE)
    valid_to = forms.DateField(label=_("Gäller till och med"), required=False, widget=DATE)
    amount = forms.CharField(label=_("Belopp för alla anordnare (kr)"), required=False)
    amount_municipal = forms.CharField(label=_("Belopp, kommunala anordnare (kr)"), required=False)
    amount_private = forms.CharField(label=_("Belopp, privata anordnare (kr)"), required=False)
    levels = forms.CharField(
        label=_("Belopp per nivå"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("En rad per nivå: nivå;omfattning;belopp, t.ex. 3;heltid;16500,00"),
    )
    decision = forms.CharField(label=_("Beslut"), max_length=200, required=False)

    def __init__(self, *args: Any, area: KundvalArea, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.area = area
        if area.compensation_model == CompensationModel.MONTHLY_LEVEL:
            for name in ("amount", "amount_municipal", "amount_private"):
                del self.fields[name]
        else:
            del self.fields["levels"]
            drop = ("amount",) if area.separate_rates else ("amount_municipal", "amount_private")
            for name in drop:
                del self.fields[name]

    def rates(self) -> list[RateInput]:
        data = self.cleaned_data
        if "levels" in self.fields:
            rates = []
            for number, line in enumerate(data["levels"].splitlines(), start=1):
                if not line.strip():
                    continue
                parts = [p.strip() for p in line.split(";")]
                if len(parts) != 3 or parts[1] not in Extent.values:
                    raise ValidationError(
                        _("Rad %(n)d: skriv nivå;omfattning;belopp.") % {"n": number}
                    )
                rates.append(
                    RateInput(_amount(parts[2], parts[0]), level=parts[0], extent=parts[1])
                )
            return rates
        if self.area.separate_rates:
            return [
                RateInput(
                    _amount(data["amount_municipal"], _("Kommunalt belopp")),
                    ProviderCategory.MUNICIPAL,
                ),
                RateInput(
                    _amount(data["amount_private"], _("Privat belopp")), ProviderCategory.PRIVATE
                ),
            ]
        return [RateInput(_amount(data["amount"], _("Beloppet")))]


class IndexChangeForm(Form):
    percent = forms.DecimalField(
        label=_("Uppräkning (procent)"), max_digits=6, decimal_places=3, localize=True
    )
    effective_from = forms.DateField(
        label=_("Gäller från"),
        widget=DATE,
        help_text=_("Får ligga bakåt i tiden; stängda månader justeras i nästa körning."),
    )
    decision = forms.CharField(label=_("Beslut"), max_length=200, required=False)


class ApproveForm(Form):
    contract_from = forms.DateField(label=_("Avtal från"), widget=DATE)
    contract_to = forms.DateField(label=_("Avtal till och med"), required=False, widget=DATE)
    reasons = forms.CharField(
        label=_("Motivering"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class RefuseForm(Form):
    reasons = forms.CharField(label=_("Skäl för avslag"), widget=forms.Textarea(attrs={"rows": 3}))


class StopForm(Form):
    kind = forms.ChoiceField(label=_("Beslut"), choices=StopKind.choices)
    decided_by = forms.ChoiceField(label=_("Beslutat av"), choices=StopDecidedBy.choices)
    from_date = forms.DateField(label=_("Gäller från"), widget=DATE)
    reason = forms.CharField(label=_("Skäl"), widget=forms.Textarea(attrs={"rows": 3}))


class ApplicationForm(Form):
    name = forms.CharField(label=_("Företagets namn"), max_length=200)
    organisation_number = forms.CharField(label=_("Organisationsnummer"), max_length=11)
    contact_name = forms.CharField(label=_("Kontaktperson"), max_length=120)
    email = forms.EmailField(label=_("E-post"))
    phone = forms.CharField(label=_("Telefon"), max_length=40, required=False)
    areas = IdsField(label=_("Kundvalsområden"), queryset=KundvalArea.objects.none())
    districts = IdsField(label=_("Geografiska områden"), queryset=District.objects.none())
    capacity = forms.IntegerField(
        label=_("Kapacitet (antal kunder)"),
        required=False,
        help_text=_("Gäller i varje sökt område. Tomt när anordnaren inte anger något tak."),
    )
    is_municipal = forms.BooleanField(label=_("Kommunal anordnare"), required=False)
    submission_key = forms.UUIDField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, areas: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["areas"].queryset = areas  # type: ignore[attr-defined]
        self.fields["districts"].queryset = (  # type: ignore[attr-defined]
            District.objects.filter(areas__in=areas).open_on(timezone.localdate()).distinct()
        )
        if not self.is_bound:
            self.initial.setdefault("submission_key", uuid.uuid4())


class DecisionForm(Form):
    personal_number = forms.CharField(label=_("Kundens personnummer"), max_length=15)
    # A person new to the officer's areas is registered with the decision: the same identity
    # fields and protection choices as the person form. Ignored for an existing customer.
    first_name = forms.CharField(
        label=_("Förnamn"),
        required=False,
        max_length=100,
        help_text=_("Behövs när personen inte redan är kund i era kundvalsområden."),
    )
    last_name = forms.CharField(label=_("Efternamn"), required=False, max_length=100)
    street_address = forms.CharField(label=_("Gatuadress"), max_length=200, required=False)
    postal_code = forms.CharField(label=_("Postnummer"), max_length=6, required=False)
    city = forms.CharField(label=_("Postort"), max_length=100, required=False)
    protection = forms.ChoiceField(
        label=_("Skyddade personuppgifter"),
        choices=Protection.choices,
        initial=Protection.NONE,
        required=False,
    )
    area = forms.ModelChoiceField(label=_("Kundvalsområde"), queryset=KundvalArea.objects.none())
    district = forms.ModelChoiceField(
        label=_("Geografiskt område"), queryset=District.objects.none()
    )
    valid_from = forms.DateField(label=_("Gäller från"), widget=DATE)
    valid_to = forms.DateField(label=_("Gäller till och med"), required=False, widget=DATE)
    decided_on = forms.DateField(label=_("Beslutsdatum"), widget=DATE)
    # Text fields checked by tillit.kundval.rules: the same refusal and message as the action.
    hours_per_month = forms.CharField(label=_("Timmar per månad"), required=False, max_length=12)
    level = forms.CharField(label=_("Nivå"), required=False, max_length=20)
    extent = forms.ChoiceField(label=_("Omfattning"), required=False, choices=Extent.choices)
    days_per_month = forms.CharField(label=_("Dagar per månad"), required=False, max_length=12)

    def __init__(self, *args: Any, areas: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["area"].queryset = areas  # type: ignore[attr-defined]
        self.fields["district"].queryset = District.objects.filter(  # type: ignore[attr-defined]
            areas__in=areas
        ).distinct()

    def clean_hours_per_month(self) -> Decimal | None:
        raw = self.cleaned_data["hours_per_month"].strip()
        return rules.parse_hours(raw, str(_("Timmar per månad"))) if raw else None

    def clean_days_per_month(self) -> int | None:
        raw = self.cleaned_data["days_per_month"].strip()
        return rules.parse_whole(raw, str(_("Dagar"))) if raw else None

    def clean_personal_number(self) -> IdentityNumber:
        # Only the number's shape and check digit: whether a person has it is not told here.
        return parse_identity_number(self.cleaned_data["personal_number"].strip())

    def new_customer(self) -> NewCustomer | None:
        """The identity typed for a person new to the officer's areas; None (with the errors
        on the form) when the names are missing."""
        data = self.cleaned_data
        missing = _("Personen är inte kund i era kundvalsområden: ange namnet som i ansökan.")
        for name in ("first_name", "last_name"):
            if not data.get(name, "").strip():
                self.add_error(name, missing)
        if not self.is_valid():
            return None
        return NewCustomer(
            number=data["personal_number"],
            first_name=data["first_name"].strip(),
            last_name=data["last_name"].strip(),
            street_address=data["street_address"].strip(),
            postal_code=data["postal_code"].strip(),
            city=data["city"].strip(),
            protection=data["protection"] or Protection.NONE,
        )


class ChoiceForm(Form):
    provider = forms.ModelChoiceField(label=_("Anordnare"), queryset=Provider.objects.none())
    chosen_on = forms.DateField(label=_("Valet gjordes"), widget=DATE)
    wanted_from = forms.DateField(label=_("Önskas från"), widget=DATE)

    def __init__(self, *args: Any, providers: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["provider"].queryset = providers  # type: ignore[attr-defined]


class RunForm(Form):
    month = forms.CharField(label=_("Månad"), max_length=7, help_text=_("ÅÅÅÅ-MM, t.ex. 2025-03."))

    def clean_month(self) -> dt.date:
        raw = self.cleaned_data["month"].strip()
        try:
            return dt.date.fromisoformat(f"{raw}-01")
        except ValueError as error:
            raise ValidationError(_("Skriv månaden som ÅÅÅÅ-MM.")) from error


class ReportForm(Form):
    # The customer is picked by a search on the page (no list of every customer): the field
    # carries the picked voucher, and the view offers only that one as a valid choice.
    voucher = forms.TypedChoiceField(
        label=_("Kund (check)"),
        coerce=int,
        choices=[],
        widget=forms.HiddenInput,
        error_messages={
            "required": _("Sök fram och välj kunden först."),
            "invalid_choice": _("Sök fram och välj kunden först."),
        },
    )
    date = forms.DateField(label=_("Datum"), widget=DATE)
    # Text fields checked by tillit.kundval.rules: the same refusal and message as the action.
    minutes = forms.CharField(label=_("Utförd tid (minuter)"), required=False, max_length=12)
    visits = forms.CharField(label=_("Besök"), required=False, max_length=12)
    attended = forms.BooleanField(label=_("Närvarande"), required=False)
    starts_at = forms.TimeField(label=_("Start"), required=False, widget=TIME)
    ends_at = forms.TimeField(label=_("Slut"), required=False, widget=TIME)
    corrects = forms.IntegerField(
        label=_("Rättar rad nummer"),
        required=False,
        help_text=_("Bara vid rättelse: numret på raden som ersätts."),
    )

    def __init__(self, *args: Any, vouchers: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["voucher"].choices = vouchers  # type: ignore[attr-defined]

    def clean_minutes(self) -> int:
        raw = self.cleaned_data["minutes"].strip()
        return rules.parse_whole(raw, str(_("Minuter"))) if raw else 0

    def clean_visits(self) -> int:
        raw = self.cleaned_data["visits"].strip()
        return rules.parse_whole(raw, str(_("Besök"))) if raw else 0

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        mismatch = rules.minutes_match_problem(
            data.get("minutes"), data.get("starts_at"), data.get("ends_at")
        )
        if mismatch:
            self.add_error("minutes", mismatch)
        return data

    def row(self) -> ReportRow:
        data = self.cleaned_data
        return ReportRow(
            voucher_id=data["voucher"],
            date=data["date"],
            minutes=data["minutes"] or 0,
            visits=data["visits"] or 0,
            attended=data["attended"],
            starts_at=data["starts_at"],
            ends_at=data["ends_at"],
            corrects_id=data["corrects"],
        )


CSV_COLUMNS = ["check", "datum", "minuter", "besok", "narvaro", "start", "slut", "rattar"]
MAX_UPLOAD_BYTES = 5 * 1024 * 1024


class UploadForm(Form):
    file = forms.FileField(
        label=_("Fil (CSV)"),
        help_text=_("Semikolonseparerad med rubrikraden: %(columns)s.")
        % {"columns": ";".join(CSV_COLUMNS)},
    )
    dry_run = forms.BooleanField(
        label=_("Provkör: kontrollera raderna utan att spara"), required=False, initial=True
    )

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise ValidationError(_("Filen är större än 5 MB."))
        return upload


class ParsedFile:
    def __init__(self) -> None:
        self.rows: list[ReportRow] = []
        self.errors: list[tuple[int, list[str]]] = []


def _whole(values: dict[str, str], key: str, label: object, problems: list[str]) -> int:
    raw_value = values.get(key, "")
    if not raw_value:
        return 0
    try:
        return rules.parse_whole(raw_value, str(label))
    except ValidationError as error:
        problems += error.messages
        return 0


def _time(values: dict[str, str], key: str, problems: list[str]) -> dt.time | None:
    raw_value = values.get(key, "")
    if not raw_value:
        return None
    try:
        return dt.time.fromisoformat(raw_value)
    except ValueError:
        problems.append(str(_("Tiden %(t)s ska skrivas TT:MM.") % {"t": raw_value}))
        return None


def parse_csv(raw: bytes) -> ParsedFile:
    """Rows from an uploaded file; each row that cannot be read is listed with its number."""
    parsed = ParsedFile()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = raw.decode("cp1252")
    reader = csv.DictReader(io.StringIO(text), delimiter=";")
    if [c.strip().lower() for c in reader.fieldnames or []] != CSV_COLUMNS:
        parsed.errors.append(
            (0, [str(_("Rubrikraden ska vara: %(c)s.") % {"c": ";".join(CSV_COLUMNS)})])
        )
        return parsed
    for number, record in enumerate(reader, start=1):
        problems: list[str] = []
        values = {k.strip().lower(): (v or "").strip() for k, v in record.items() if k}

        voucher_id = _whole(values, "check", _("Check"), problems)
        try:
            day = dt.date.fromisoformat(values.get("datum", ""))
        except ValueError:
            problems.append(str(_("Datumet ska skrivas ÅÅÅÅ-MM-DD.")))
            day = dt.date.min
        row = ReportRow(
            voucher_id=voucher_id,
            date=day,
            minutes=_whole(values, "minuter", _("Minuter"), problems),
            visits=_whole(values, "besok", _("Besök"), problems),
            attended=values.get("narvaro", "").lower() in {"1", "ja", "j", "x"},
            starts_at=_time(values, "start", problems),
            ends_at=_time(values, "slut", problems),
            corrects_id=_whole(values, "rattar", _("Rättar"), problems) or None,
        )
        if problems:
            parsed.errors.append((number, problems))
        parsed.rows.append(row)
    if not parsed.rows and not parsed.errors:
        parsed.errors.append((0, [str(_("Filen innehåller inga rader."))]))
    return parsed


class ProfileForm(GovukMixin, forms.ModelForm[ProviderProfile]):
    website = forms.URLField(label=_("Webbplats"), required=False, assume_scheme="https")
    version = VersionField()

    class Meta:
        model = ProviderProfile
        fields = [
            "description",
            "languages",
            "specialisations",
            "contact_name",
            "email",
            "phone",
            "website",
        ]
        widgets = {"description": forms.Textarea(attrs={"rows": 6})}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._style()


class MultipleFileInput(forms.FileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Any number of files; each is checked in `clean_…` of the form (type, size, count)."""

    widget = MultipleFileInput

    def clean(self, data: Any, initial: Any = None) -> list[Any]:
        if not data:
            if self.required:
                raise ValidationError(self.error_messages["required"], code="required")
            return []
        return list(data) if isinstance(data, list | tuple) else [data]


class DistrictChoiceField(IdsField):  # type: ignore[type-arg]
    """Districts named with the open areas they belong to."""

    def __init__(self, *args: Any, open_area_ids: set[int], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.open_area_ids = open_area_ids

    def label_from_instance(self, obj: Any) -> str:
        areas = [a.name for a in obj.areas.all() if a.pk in self.open_area_ids]
        return f"{obj.name} ({', '.join(areas)})" if areas else str(obj.name)


class PublicApplicationForm(Form):
    """The e-service: a provider applies for authorisation without an account.

    The form checks what it can see in each field (so that every such mistake shows at once);
    the rules between fields, and again every field, are checked by `submit_application`."""

    areas = IdsField(
        label=_("Kundvalsområden"),
        queryset=KundvalArea.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Välj ett eller flera områden. Läs villkoren för varje område ni söker."),
    )
    districts = DistrictChoiceField(
        label=_("Geografiska områden"),
        queryset=District.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Var ni kan utföra tjänsten. Varje område hör till ett kundvalsområde."),
        open_area_ids=set(),
    )
    name = forms.CharField(label=_("Företagets namn"), max_length=200)
    organisation_number = forms.CharField(
        label=_("Organisationsnummer"),
        max_length=13,
        help_text=_("Tio siffror, till exempel 556677-8899."),
        validators=[validate_organisation_number],
    )
    contact_name = forms.CharField(label=_("Kontaktperson"), max_length=120)
    email = forms.EmailField(
        label=_("E-post"),
        max_length=254,
        help_text=_("Kontaktpersonens adress. Hit skickar vi länken till ansökans status."),
    )
    phone = forms.CharField(label=_("Telefon"), max_length=40, required=False)
    documents = MultipleFileField(
        label=_("Bilagor"),
        required=False,
        help_text=format_lazy(
            _(
                "Till exempel registreringsbevis, F-skattebevis och försäkringsbrev. "
                "PDF, JPEG, PNG eller text, högst {mb} MB per fil och högst {n} filer."
            ),
            mb=settings.TILLIT_ATTACHMENT_MAX_MB,
            n=MAX_DOCUMENTS,
        ),
    )
    confirmed_true = forms.BooleanField(
        label=_(
            "Jag intygar att uppgifterna i ansökan är riktiga och att jag får företräda företaget."
        )
    )
    submission_key = forms.UUIDField(widget=forms.HiddenInput)

    def __init__(self, *args: Any, areas: list[KundvalArea], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.open_areas = areas
        ids = {a.pk for a in areas}
        self.fields["areas"].queryset = KundvalArea.objects.filter(  # type: ignore[attr-defined]
            pk__in=ids
        )
        districts = self.fields["districts"]
        districts.queryset = (  # type: ignore[attr-defined]
            District.objects.filter(areas__in=ids).distinct().prefetch_related("areas")
        )
        districts.open_area_ids = ids  # type: ignore[attr-defined]
        for area in areas:
            self.fields[f"capacity_{area.pk}"] = forms.IntegerField(
                label=_("Kapacitet i %(area)s (antal kunder)") % {"area": area.name},
                required=False,
                min_value=None,
                help_text=_("Lämna tomt om ni inte anger något tak."),
                widget=forms.NumberInput(attrs={"class": "govuk-input govuk-input--width-5"}),
            )
        self._style()
        self.fields["areas"].error_messages["required"] = _("Välj minst ett kundvalsområde.")
        self.fields["districts"].error_messages["required"] = _(
            "Välj minst ett geografiskt område."
        )
        self.fields["confirmed_true"].error_messages["required"] = _(
            "Intyga att uppgifterna i ansökan är riktiga."
        )
        self.fields["email"].error_messages["invalid"] = _("Ange en giltig e-postadress.")
        for area in areas:
            self.fields[f"capacity_{area.pk}"].error_messages["invalid"] = _("Skriv ett heltal.")
        if not self.is_bound:
            self.initial.setdefault("submission_key", uuid.uuid4())

    def error_links(self) -> list[tuple[str, str]]:
        """The error summary: (anchor, text) per error. Messages that say which field they are
        about stand alone; the others are prefixed with the field's label."""
        links = [("", str(error)) for error in self.non_field_errors()]
        for field in self:
            anchor = field.id_for_label or f"{field.auto_id}_0"
            for error in field.errors:
                alone = field.name in {"areas", "districts", "confirmed_true"}
                links.append((anchor, str(error) if alone else f"{field.label}: {error}"))
        return links

    def capacity_fields(self) -> list[tuple[KundvalArea, forms.BoundField]]:
        return [(a, self[f"capacity_{a.pk}"]) for a in self.open_areas]

    def capacities(self) -> dict[int, int | None]:
        return {a.pk: self.cleaned_data.get(f"capacity_{a.pk}") for a in self.open_areas}

    def clean_documents(self) -> list[Any]:
        files: list[Any] = self.cleaned_data["documents"]
        problems = []
        if len(files) > MAX_DOCUMENTS:
            problems.append(_("Skicka högst %(n)d bilagor.") % {"n": MAX_DOCUMENTS})
        for upload in files:
            problem = upload_problem(upload)
            if problem is not None:
                problems.append(problem)
        if problems:
            raise ValidationError(problems)
        return files

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for area in self.open_areas:
            offered = data.get(f"capacity_{area.pk}")
            if offered is not None and offered < 1:
                self.add_error(f"capacity_{area.pk}", _("Kapaciteten måste vara minst en kund."))
        return data
