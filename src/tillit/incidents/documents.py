"""The incident PDFs, made with tillit.pdf.Document: the Lex Sarah report to IVO with its
investigation, and a provider follow-up's report to the provider and the board."""

from __future__ import annotations

import datetime as dt

from django.utils.translation import gettext as _

from tillit.deadlines.models import LegalRule
from tillit.incidents.models import FollowUp, LexSarahCase
from tillit.incidents.rules import RULE_IVO
from tillit.pdf import Document


def _day(day: dt.date | None) -> str:
    return day.isoformat() if day else "–"


def ivo_report(found: LexSarahCase, *, made_on: dt.date) -> bytes:
    """Anmälan till IVO: what the investigation found and how the matter was assessed. It
    names no person: IVO asks for the affected person's details on its own form."""
    municipality = found.unit.process.municipality.name
    document = Document(
        title=_("Anmälan enligt lex Sarah till IVO – %(ref)s") % {"ref": found.reference},
        municipality=municipality,
        made_on=made_on,
    )
    document.start_page()
    rule = LegalRule.objects.filter(code=RULE_IVO).first()
    facts = [
        (_("Enhet"), found.unit.name),
        (_("Händelsen inträffade"), _day(found.occurred_on)),
        (_("Rapporterad"), _day(found.reported_at.date())),
        (_("Registrerad"), _day(found.registered_on)),
        (_("Bedömd"), _day(found.assessed_on)),
    ]
    if rule is not None:
        facts.append((_("Lagrum"), rule.reference_on(made_on)))
    document.facts(facts)
    document.heading(_("Bedömning"))
    serious = _("allvarligt") if found.serious else _("inte allvarligt")
    document.paragraph(f"{found.get_assessment_display()} – {serious}")
    document.paragraph(found.assessment_reasons)
    for title, text in [
        (_("Vad som har hänt"), found.what_happened),
        (_("Konsekvenser för den enskilde"), found.consequences),
        (_("Orsaker"), found.causes),
        (_("Grundorsak"), str(found.get_root_cause_display())),
        (_("Åtgärder"), found.measures),
        (_("Den enskildes synpunkter"), found.affected_view),
        (_("Omedelbar åtgärd när det upptäcktes"), found.immediate_action or "–"),
    ]:
        document.heading(title)
        document.paragraph(text)
    if rule is not None and rule.source:
        document.paragraph(_("Källa: %(source)s") % {"source": rule.source}, size=8)
    return document.render()


def follow_up_report(found: FollowUp, *, made_on: dt.date) -> bytes:
    """The follow-up's report to the provider and the board: the checklist with each point's
    result, the corrections required and the sanctions decided. No person is named."""
    document = Document(
        title=_("Uppföljning av %(provider)s %(year)s")
        % {"provider": found.provider.name, "year": found.plan.year},
        municipality=found.plan.municipality.name,
        made_on=made_on,
    )
    document.start_page()
    document.facts(
        [
            (_("Typ"), str(found.get_review_type_display())),
            (_("Organisationsnummer"), found.provider.organisation_number),
            (_("Påbörjad"), _day(found.started_on)),
            (_("Rapporterad"), _day(found.reported_on)),
            (_("Resultat"), str(found.get_result_display()) if found.result else "–"),
        ]
    )
    if found.summary:
        document.heading(_("Sammanfattning"))
        document.paragraph(found.summary)
    document.heading(_("Kontrollpunkter"))
    points = list(found.points.all())
    if points:
        document.data_table(
            [_("Nr"), _("Punkt"), _("Bedömning"), _("Kommentar")],
            [
                [str(p.position), p.text, str(p.get_result_display()) if p.result else "–", p.note]
                for p in points
            ],
            widths=[10, 85, 30, 55],
        )
    else:
        document.paragraph(_("Inga kontrollpunkter."))
    document.heading(_("Krav på rättelse"))
    corrections = list(found.corrections.all())
    if corrections:
        document.data_table(
            [_("Krav"), _("Senast"), _("Status")],
            [[c.description, c.due.isoformat(), str(c.get_status_display())] for c in corrections],
            widths=[110, 25, 45],
        )
    else:
        document.paragraph(_("Inga krav på rättelse."))
    document.heading(_("Sanktioner"))
    sanctions = list(found.sanctions.all())
    if sanctions:
        document.data_table(
            [_("Steg"), _("Beslutad"), _("Skäl")],
            [[str(s.get_step_display()), s.decided_on.isoformat(), s.reason] for s in sanctions],
            widths=[45, 25, 110],
        )
    else:
        document.paragraph(_("Inga sanktioner."))
    return document.render()
