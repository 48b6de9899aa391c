"""The process handbook (processhandbok) as PDF: each step with its responsible role or group,
legal rule, time limit and hand-over, then the routines in force."""

from __future__ import annotations

import datetime as dt

from django.utils.translation import gettext as _

from tillit.organisation.models import Process
from tillit.organisation.roles import Role
from tillit.pdf import Document
from tillit.quality.models import RoutineStatus, display_name


def handbook(process: Process, *, made_on: dt.date) -> bytes:
    doc = Document(
        title=_("Processhandbok: %(name)s") % {"name": process.name},
        municipality=process.municipality.name,
        made_on=made_on,
    )
    doc.start_page()
    owner = process.owner
    doc.facts(
        [
            (_("Process"), process.name),
            (_("Processägare"), display_name(owner) if owner else "–"),
        ]
    )
    doc.heading(_("Processens steg"))
    steps = list(process.steps.select_related("legal_rule", "responsible_group"))
    if not steps:
        doc.paragraph(_("Uppgift saknas"))
    for step in steps:
        doc.heading(f"{step.order}. {step.name}")
        facts = []
        if step.responsible_role:
            facts.append((_("Ansvarig roll"), str(Role(step.responsible_role).label)))
        if step.responsible_group:
            facts.append((_("Ansvarig grupp"), str(step.responsible_group)))
        if step.legal_rule:
            rule = step.legal_rule
            facts.append((_("Lagregel"), f"{rule.title}: {rule.reference_on(made_on)}"))
            facts.append((_("Tidsfrist"), rule.period))
        if facts:
            doc.facts(facts)
        if step.description:
            doc.paragraph(step.description)
        if step.handover:
            doc.paragraph(_("Överlämning: %(text)s") % {"text": step.handover})
    doc.heading(_("Rutiner i kraft"))
    found = False
    for routine in process.routines.select_related("owner").order_by("title"):
        version = routine.versions.filter(status=RoutineStatus.ADOPTED).first()
        if version is None:
            continue
        found = True
        doc.heading(f"{routine.title} (v{version.number})")
        doc.facts(
            [
                (_("Ägare"), display_name(routine.owner)),
                (_("Gäller från"), version.valid_from.isoformat() if version.valid_from else ""),
                (_("Ses över senast"), version.review_on.isoformat() if version.review_on else ""),
            ]
        )
        doc.paragraph(_("Vem gör vad: %(text)s") % {"text": version.who})
        doc.paragraph(_("Varför: %(text)s") % {"text": version.why})
        doc.paragraph(_("Hur: %(text)s") % {"text": version.how})
    if not found:
        doc.paragraph(_("Uppgift saknas"))
    return doc.render()
