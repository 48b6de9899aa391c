"""Whose history kundval's changes belong to (tillit.changelog.subjects): a customer's
decisions and vouchers (kundval has no cases; they show on the person's history)."""

from django.utils.translation import gettext_lazy as _

from tillit.changelog.subjects import label_events, register
from tillit.kundval.models import Decision, Voucher

register(Decision, individual="individual")
register(Voucher, individual="individual")
label_events(
    {
        "kundval.decision.granted": _("Beslut om kundval"),
        "kundval.voucher.chosen": _("Anordnare vald"),
    }
)
