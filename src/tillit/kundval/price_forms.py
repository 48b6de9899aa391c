"""The officer's form for a retroactive price correction."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from tillit.kundval import rules
from tillit.kundval.actions.pricing import RateInput
from tillit.kundval.forms import DATE, Form
from tillit.kundval.models import CompensationModel, Extent, KundvalArea, ProviderCategory


def _amount(raw: str, label: str) -> Any:
    amount = rules.parse_number(raw, label)
    if problem := rules.amount_problem(amount, label):
        raise ValidationError(problem)
    return amount


class PriceCorrectionForm(Form):
    date_from = forms.DateField(label=_("Från och med"), widget=DATE)
    date_to = forms.DateField(label=_("Till och med"), widget=DATE)
    amount = forms.CharField(label=_("Nytt belopp för alla anordnare (kr)"), required=False)
    amount_municipal = forms.CharField(
        label=_("Nytt belopp, kommunala anordnare (kr)"),
        required=False,
        help_text=_("Tomt: beloppet för kommunala anordnare ändras inte."),
    )
    amount_private = forms.CharField(
        label=_("Nytt belopp, privata anordnare (kr)"),
        required=False,
        help_text=_("Tomt: beloppet för privata anordnare ändras inte."),
    )
    levels = forms.CharField(
        label=_("Nya belopp per nivå"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "En rad per nivå som rättas: kategori;nivå;omfattning;belopp, t.ex. "
            "alla;3;heltid;16800,00"
        ),
    )
    decision = forms.CharField(
        label=_("Nämndbeslut"), max_length=200, help_text=_("T.ex. SN 2027/45 §12.")
    )
    reason = forms.CharField(
        label=_("Skäl"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )

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
        """The corrected rates; a field left empty is a category not corrected."""
        data = self.cleaned_data
        found: list[RateInput] = []
        if "levels" in self.fields:
            for number, line in enumerate(data["levels"].splitlines(), start=1):
                if not line.strip():
                    continue
                parts = [p.strip() for p in line.split(";")]
                if (
                    len(parts) != 4
                    or parts[0] not in ProviderCategory.values
                    or parts[2] not in Extent.values
                ):
                    raise ValidationError(
                        _("Rad %(n)d: skriv kategori;nivå;omfattning;belopp.") % {"n": number}
                    )
                found.append(RateInput(_amount(parts[3], parts[1]), parts[0], parts[1], parts[2]))
            return found
        for name, category, label in (
            ("amount", ProviderCategory.ALL, _("Beloppet")),
            ("amount_municipal", ProviderCategory.MUNICIPAL, _("Kommunalt belopp")),
            ("amount_private", ProviderCategory.PRIVATE, _("Privat belopp")),
        ):
            raw = (data.get(name) or "").strip()
            if name in self.fields and raw:
                found.append(RateInput(_amount(raw, str(label)), category))
        return found
