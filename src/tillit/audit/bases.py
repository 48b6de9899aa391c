"""Why a read was allowed (or refused): the bases the access log stores on every row.

A leaf module, importing nothing of Tillit's: the policy (`tillit.access.policy`) decides the
basis, the log (`tillit.audit`) stores it, and neither has to import the other for it.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Basis(models.TextChoices):
    """Why a read was allowed (or not). Stored on every access-log row."""

    ASSIGNMENT = "tilldelning", _("Tilldelad handläggare")
    GROUP_QUEUE = "gruppens_arende", _("Ej tilldelat ärende i egen grupp")
    GROUP_HEAD = "gruppchef", _("Gruppchef för ärendets grupp")
    UNIT_HEAD = "enhetschef", _("Enhetschef för ärendets enhet")
    GROUP_COLLEAGUE = "kollegas_arende", _("Kollegas ärende i egen grupp")
    AUDIT = "granskning", _("Granskning med angivet syfte")
    OWN_ROLE = "egen_roll", _("Egen roll")
    # Kundval (issue 4): reach for the kundval pages and API only, never the case pages.
    VOUCHER = "check", _("Kund med check hos anordnaren")
    KUNDVAL_AREA = "kundvalsomrade", _("Kundvalshandläggare för området")
    DENIED = "nekad", _("Nekad")


# A read with one of these bases lies outside the reader's own caseload: the log review flags it.
OUTSIDE_CASELOAD = frozenset({Basis.GROUP_COLLEAGUE})
