"""Whose history the person register's changes belong to (tillit.changelog.subjects)."""

import datetime as dt

from django.utils.translation import gettext_lazy as _

from tillit.accounts.models import User
from tillit.changelog.subjects import Shown, label_events, personal, register
from tillit.individuals.models import Case, Individual, RelationKind

# A person's name is personal data: the history page names people itself, masked and logged.
personal(Individual)
register(
    Individual,
    individual="pk",
    shown={
        "case": Shown(Case, _("ärende")),
        "relation": Shown((RelationKind, Individual), _("relation")),
    },
)
register(
    Case,
    individual="individual",
    case="pk",
    shown={"user": Shown(User, _("handläggare")), "valid_from": Shown(dt.date, _("gäller från"))},
)
label_events(
    {
        "individuals.individual.registered": _("Personen registrerad"),
        "individuals.individual.protected": _("Skyddade personuppgifter"),
        "individuals.individual.related": _("Relation registrerad"),
        "individuals.case.assigned": _("Ärendet tilldelat"),
    }
)
