from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _


class LoginForm(AuthenticationForm):
    error_messages = {
        "invalid_login": _(
            "Fel användarnamn eller lösenord. Kontot spärras tillfälligt efter upprepade fel."
        ),
        "inactive": _("Kontot är inaktiverat."),
    }

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["username"].label = _("Användarnamn")
        self.fields["password"].label = _("Lösenord")


class TokenForm(forms.Form):
    token = forms.CharField(
        label=_("Engångskod"),
        help_text=_("Sex siffror från din autentiseringsapp."),
        min_length=6,
        max_length=6,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "pattern": "[0-9]{6}"}
        ),
        error_messages={
            "required": _("Ange engångskoden."),
            "min_length": _("Engångskoden har sex siffror."),
            "max_length": _("Engångskoden har sex siffror."),
        },
    )


class EnrolmentCodeForm(forms.Form):
    code = forms.CharField(
        label=_("Registreringskod"),
        help_text=_(
            "Engångskoden du har fått av en administratör för att registrera "
            "tvåstegsverifiering, till exempel ABCD-EFGH-JKMN."
        ),
        max_length=40,
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
        error_messages={
            "required": _("Ange registreringskoden."),
            "max_length": _("Registreringskoden har tolv tecken."),
        },
    )
