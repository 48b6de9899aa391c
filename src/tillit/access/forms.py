from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tillit.accounts.models import User
from tillit.bounds import BoundedForm
from tillit.organisation.models import Membership, Unit


class ProtectedIdentityGrantForm(BoundedForm):
    user = forms.ModelChoiceField(label=_("Medarbetare"), queryset=User.objects.none())
    reason = forms.CharField(label=_("Skäl"), max_length=500, min_length=10)
    valid_to = forms.DateField(
        label=_("Gäller till och med"), widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args: Any, unit_id: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        today = timezone.localdate()
        staff_ids = Membership.objects.active(today).filter(unit_id=unit_id).values("user_id")
        self.fields["user"].queryset = User.objects.filter(pk__in=staff_ids)  # type: ignore[attr-defined]
        self.fields["reason"].error_messages["min_length"] = _(
            "Beskriv skälet med minst tio tecken."
        )
        for field in self.fields.values():
            field.error_messages["required"] = _("Fältet måste fyllas i.")
            field.widget.attrs.setdefault(
                "class", "govuk-select" if isinstance(field, forms.ChoiceField) else "govuk-input"
            )

    def clean_valid_to(self) -> Any:
        value = self.cleaned_data["valid_to"]
        if value < timezone.localdate():
            raise forms.ValidationError(_("Slutdatumet har redan passerat."))
        return value


class AuditPurposeForm(BoundedForm):
    unit = forms.ModelChoiceField(label=_("Enhet som granskas"), queryset=Unit.objects.none())
    purpose = forms.CharField(
        label=_("Syfte"),
        help_text=_("Till exempel: egenkontroll av skyddsbedömningar, kvartal 3."),
        max_length=500,
        min_length=10,
        widget=forms.Textarea(attrs={"rows": 3, "class": "govuk-textarea"}),
    )

    def __init__(self, *args: Any, unit_ids: set[int], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = Unit.objects.filter(pk__in=unit_ids)  # type: ignore[attr-defined]
        self.fields["unit"].widget.attrs["class"] = "govuk-select"
        self.fields["purpose"].error_messages["min_length"] = _(
            "Beskriv syftet med minst tio tecken."
        )
        for field in self.fields.values():
            field.error_messages["required"] = _("Fältet måste fyllas i.")
