"""The yearly quality report's sections on deviations, complaints, Lex Sarah and provider
follow-up (issue 13, item 7), built from `summary.year_summary`: counts only, no personal data.
Registered with `tillit.quality.sections` in the app's `ready()`."""

from __future__ import annotations

from collections import Counter
from typing import Any

from django.db import models
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tillit.incidents.models import Complaint, Deviation, FollowUp, LexSarahCase, Sanction
from tillit.incidents.summary import YearSummary, year_summary
from tillit.organisation.models import Unit
from tillit.quality.sections import ReportScope, Section, SectionData, register_section


def _summaries(scope: ReportScope) -> tuple[list[YearSummary], YearSummary | None]:
    """One summary per unit in scope; the municipality's too when the scope is a board's."""
    units = list(Unit.objects.filter(pk__in=scope.unit_ids).order_by("pk"))
    whole = year_summary(None, scope.year) if len(units) != 1 else None
    return [year_summary(unit, scope.year) for unit in units], whole


def _merged(summaries: list[YearSummary], kind: str, key: str) -> Counter[str]:
    total: Counter[str] = Counter()
    for summary in summaries:
        total.update(getattr(summary, kind).get(key, {}))
    return total


def _labels(model: type[models.Model], field: str) -> dict[str, str]:
    choices = getattr(model._meta.get_field(field), "choices", None) or []
    return {str(k): str(v) for k, v in choices}


def _table(title: str, counts: Counter[str], labels: dict[str, str]) -> dict[str, Any]:
    rows = [[labels.get(code, code or _("Ej angiven")), n] for code, n in sorted(counts.items())]
    return {"title": title, "headers": [_("Kategori"), _("Antal")], "rows": rows}


def _kind_section(scope: ReportScope, kind: str, model: type[models.Model]) -> SectionData | None:
    summaries, _whole = _summaries(scope)
    by_category = _merged(summaries, kind, "category")
    by_status = _merged(summaries, kind, "status")
    if not by_status:
        return None
    section: SectionData = {
        "facts": [[_("Antal under året"), sum(by_status.values())]],
        "tables": [
            _table(_("Per kategori"), by_category, _labels(model, "category")),
            _table(_("Per steg"), by_status, _labels(model, "status")),
        ],
    }
    causes = _merged(summaries, kind, "root_cause")
    if any(code for code in causes):
        section["tables"].append(_table(_("Per grundorsak"), causes, _labels(model, "root_cause")))
    return section


def deviations_section(scope: ReportScope) -> SectionData | None:
    return _kind_section(scope, "deviations", Deviation)


def complaints_section(scope: ReportScope) -> SectionData | None:
    return _kind_section(scope, "complaints", Complaint)


def lex_sarah_section(scope: ReportScope) -> SectionData | None:
    section = _kind_section(scope, "lex_sarah", LexSarahCase)
    if section is None:
        return None
    summaries, _whole = _summaries(scope)
    reported = sum(s.lex_sarah.get("ivo", {}).get("reported", 0) for s in summaries)
    section["facts"].append([_("Anmälda till IVO"), reported])
    return section


def follow_up_section(scope: ReportScope) -> SectionData | None:
    _summaries_by_unit, whole = _summaries(scope)
    if whole is None or not whole.follow_ups.get("status"):
        return None
    follow_ups = whole.follow_ups
    return {
        "facts": [[_("Uppföljningar under året"), sum(follow_ups["status"].values())]],
        "tables": [
            _table(_("Per steg"), Counter(follow_ups["status"]), _labels(FollowUp, "status")),
            _table(_("Resultat"), Counter(follow_ups["result"]), _labels(FollowUp, "result")),
            _table(_("Sanktioner"), Counter(follow_ups["sanction"]), _labels(Sanction, "step")),
        ],
    }


def register() -> None:
    for code, title, order, build in [
        ("deviations", gettext_lazy("Avvikelser"), 50, deviations_section),
        ("complaints", gettext_lazy("Klagomål och synpunkter"), 60, complaints_section),
        ("lex_sarah", gettext_lazy("Lex Sarah och anmälningar till IVO"), 70, lex_sarah_section),
        ("provider_follow_up", gettext_lazy("Uppföljning av anordnare"), 80, follow_up_section),
    ]:
        register_section(Section(code, title, order, build))
