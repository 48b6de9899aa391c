"""Avvikelser: reported → received → analysed → acted on → closed, or raised to Lex Sarah."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, cast

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tillit.changelog.log import record_change
from tillit.incidents import steps
from tillit.incidents.actions.common import locked, not_in_future, refuse, required, unit_for
from tillit.incidents.models import Category, Deviation, DeviationStatus, LexSarahCase, RootCause
from tillit.individuals.models import Case
from tillit.organisation.models import Provider, Unit

if TYPE_CHECKING:
    from tillit.accounts.models import User

D = DeviationStatus


def _title(deviation: Deviation) -> str:
    return _("Avvikelse %(ref)s") % {"ref": deviation.reference}


def _step(deviation: Deviation, wanted: str) -> None:
    if deviation.status != wanted:
        refuse(
            {
                "__all__": [
                    _("Steget kan inte tas nu: avvikelsen har status %(status)s.")
                    % {"status": deviation.get_status_display()}
                ]
            }
        )


@transaction.atomic
def report_deviation(
    *,
    unit: Unit | None,
    provider: Provider | None,
    case: Case | None,
    occurred_on: dt.date,
    category: str,
    description: str,
    immediate_action: str,
    by: User,
    today: dt.date | None = None,
) -> Deviation:
    today = today or timezone.localdate()
    errors: dict[str, list[str]] = {}
    if unit is None and case is not None:
        unit = case.unit
    unit = unit_for(errors, unit, provider)
    description = required(errors, "description", description, _("Beskriv vad som hände."))
    not_in_future(errors, "occurred_on", occurred_on, today)
    if category not in Category.values:
        errors["category"] = [_("Välj en kategori.")]
    refuse(errors)
    unit = cast(Unit, unit)  # refuse() raised when it was missing
    made = Deviation.objects.create(
        unit=unit,
        provider=provider,
        case=case,
        occurred_on=occurred_on,
        category=category,
        description=description,
        immediate_action=immediate_action.strip(),
        reported_by=by,
        reported_on=today,
    )
    steps.open_step(made, "deviation.receive", today, unit=unit, title=_title(made))
    record_change(by, "incidents.deviation.reported", made, {"status": (None, D.REPORTED)})
    return made


@transaction.atomic
def receive_deviation(deviation: Deviation, *, by: User, today: dt.date | None = None) -> Deviation:
    today = today or timezone.localdate()
    deviation = locked(deviation)
    _step(deviation, D.REPORTED)
    deviation.status, deviation.received_on, deviation.received_by = D.RECEIVED, today, by
    deviation.save(update_fields=["status", "received_on", "received_by"])
    steps.complete_step(deviation, "deviation.receive", today)
    steps.open_step(
        deviation, "deviation.analyse", today, unit=deviation.unit, title=_title(deviation)
    )
    record_change(
        by, "incidents.deviation.received", deviation, {"status": (D.REPORTED, D.RECEIVED)}
    )
    return deviation


@transaction.atomic
def analyse_deviation(
    deviation: Deviation, *, cause: str, root_cause: str, by: User, today: dt.date | None = None
) -> Deviation:
    today = today or timezone.localdate()
    deviation = locked(deviation)
    _step(deviation, D.RECEIVED)
    errors: dict[str, list[str]] = {}
    cause = required(errors, "cause", cause, _("Beskriv orsaken."))
    if root_cause not in RootCause.values:
        errors["root_cause"] = [_("Välj en grundorsak.")]
    refuse(errors)
    deviation.status, deviation.cause, deviation.root_cause = D.ANALYSED, cause, root_cause
    deviation.analysed_on = today
    deviation.save(update_fields=["status", "cause", "root_cause", "analysed_on"])
    steps.complete_step(deviation, "deviation.analyse", today)
    steps.open_step(deviation, "deviation.act", today, unit=deviation.unit, title=_title(deviation))
    record_change(
        by,
        "incidents.deviation.analysed",
        deviation,
        {"status": (D.RECEIVED, D.ANALYSED), "root_cause": ("", root_cause)},
    )
    return deviation


@transaction.atomic
def act_on_deviation(
    deviation: Deviation, *, measures: str, by: User, today: dt.date | None = None
) -> Deviation:
    today = today or timezone.localdate()
    deviation = locked(deviation)
    _step(deviation, D.ANALYSED)
    errors: dict[str, list[str]] = {}
    measures = required(errors, "measures", measures, _("Beskriv åtgärderna."))
    refuse(errors)
    deviation.status, deviation.measures, deviation.acted_on = D.ACTED, measures, today
    deviation.save(update_fields=["status", "measures", "acted_on"])
    steps.complete_step(deviation, "deviation.act", today)
    record_change(by, "incidents.deviation.acted", deviation, {"status": (D.ANALYSED, D.ACTED)})
    return deviation


@transaction.atomic
def close_deviation(
    deviation: Deviation, *, note: str, by: User, today: dt.date | None = None
) -> Deviation:
    today = today or timezone.localdate()
    deviation = locked(deviation)
    _step(deviation, D.ACTED)
    deviation.status, deviation.closing_note, deviation.closed_on = D.CLOSED, note.strip(), today
    deviation.save(update_fields=["status", "closing_note", "closed_on"])
    steps.cancel_steps(deviation, "deviation.")
    record_change(by, "incidents.deviation.closed", deviation, {"status": (D.ACTED, D.CLOSED)})
    return deviation


@transaction.atomic
def raise_to_lex_sarah(
    deviation: Deviation, *, by: User, now: dt.datetime | None = None
) -> LexSarahCase:
    """Report the deviation as a Lex Sarah matter: a new report with what happened."""
    from tillit.incidents.actions.lexsarah import report_lex_sarah

    deviation = locked(deviation)
    if deviation.lex_sarah_id is not None:
        refuse({"__all__": [_("Avvikelsen är redan rapporterad enligt lex Sarah.")]})
    if deviation.status == D.CLOSED:
        refuse({"__all__": [_("Avvikelsen är avslutad.")]})
    made = report_lex_sarah(
        unit=deviation.unit,
        case=deviation.case,
        category=deviation.category,
        occurred_on=deviation.occurred_on,
        report=deviation.description,
        immediate_action=deviation.immediate_action,
        by=by,
        now=now,
    )
    deviation.lex_sarah = made
    deviation.save(update_fields=["lex_sarah"])
    record_change(
        by, "incidents.deviation.raised_lex_sarah", deviation, {"lex_sarah": (None, made)}
    )
    return made
