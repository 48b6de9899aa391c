"""Whose history kundval's changes belong to (tillit.changelog.subjects): a customer's
decisions and vouchers (kundval has no cases; they show on the person's history)."""

import datetime as dt

from django.utils.translation import gettext_lazy as _

from tillit.changelog.subjects import Shown, label_events, register
from tillit.kundval.models import Decision, Voucher
from tillit.organisation.models import Provider

register(Decision, individual="individual")
# A choice is logged on its voucher: the provider chosen and the day the choice was made.
register(
    Voucher,
    individual="individual",
    shown={
        "provider": Shown(Provider, _("anordnare")),
        "chosen_on": Shown(dt.date, _("valet gjordes")),
    },
)
label_events(
    {
        "kundval.decision.granted": _("Beslut om kundval"),
        "kundval.voucher.chosen": _("Anordnare vald"),
    }
)
