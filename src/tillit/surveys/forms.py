from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("CSV-fil med resultat"),
        help_text=_(
            "Rubrikrad: år;nivå;organisation;mått;fråga;andel;svar;källa. "
            "Nivå är anordnare, enhet, kommunen eller riket."
        ),
    )
    dry_run = forms.BooleanField(
        label=_("Provkör: kontrollera filen utan att spara"), required=False, initial=True
    )

    def clean_file(self) -> object:
        file = self.cleaned_data["file"]
        if file.size > settings.TILLIT_IMPORT_MAX_MB * 1024 * 1024:
            raise forms.ValidationError(
                _("Filen är för stor (högst %(mb)s MB).") % {"mb": settings.TILLIT_IMPORT_MAX_MB}
            )
        return file


class ContinuityImportForm(ImportForm):
    file = forms.FileField(
        label=_("CSV-fil med personalkontinuitet"),
        help_text=_(
            "Rubrikrad: nivå;organisation;från;till;personal;kunder;källa. "
            "Nivå är anordnare, kommunen eller riket; mätperioden är 14 dagar."
        ),
    )
