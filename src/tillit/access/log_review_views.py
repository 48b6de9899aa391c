"""The access-log review pages (/loggar/): the log lives in tillit.audit, who may review it
and what they see is the access policy's answer, so the pages are here."""

from __future__ import annotations

import csv
import io

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook

from tillit.access.decorators import allowed
from tillit.access.log_review import ReviewFilter, review_queryset, review_rows, reviewable_staff
from tillit.access.log_review_forms import ReviewForm
from tillit.access.policy import Basis, Reach, Viewer
from tillit.access.presentation import PersonCard, present
from tillit.access.reading import viewer_for
from tillit.audit.log import Read, record
from tillit.audit.models import AccessAction, AccessLog
from tillit.individuals.models import Individual
from tillit.paging import page_number
from tillit.spreadsheet import SafeWriter, safe_append

# An export holds at most this many rows (the newest); a longer period is exported in parts.
EXPORT_MAX_ROWS = 50_000


def _reviewers(viewer: Viewer) -> bool:
    return bool(viewer.review_unit_ids)


def _selection(request: HttpRequest) -> tuple[ReviewForm, ReviewFilter | None]:
    """The review form and, when it is valid (or not sent: this month), the filter."""
    viewer = viewer_for(request)
    today = viewer.today
    initial = {"start": today.replace(day=1), "end": today}
    data = request.GET if "start" in request.GET else None
    form = ReviewForm(data, initial=initial, staff=reviewable_staff(viewer))
    if data is not None and not form.is_valid():
        return form, None
    cleaned = form.cleaned_data if data is not None else initial
    individual_id = None
    if cleaned.get("personal_number"):
        # Only a person the reviewer could read: any other number finds nothing, alike
        # whether or not it exists.
        found = (
            Individual.objects.filter(personal_number=cleaned["personal_number"])
            .values_list("pk", flat=True)
            .first()
        )
        individual_id = found if found and viewer.reaches([found]) else -1
    return form, ReviewFilter(
        start=cleaned["start"],
        end=cleaned["end"],
        actor=form.cleaned_data.get("actor") if data is not None else None,
        individual_id=individual_id,
        only_flagged=bool(cleaned.get("only_flagged")),
    )


def _identities(
    request: HttpRequest, rows: list[AccessLog], action: AccessAction, purpose: str
) -> dict[int, PersonCard]:
    """The identities the reviewer may see among the rows, and the review itself with each
    identity it shows logged in one write."""
    viewer = viewer_for(request)
    reaches: dict[int, Reach] = viewer.log_review_reaches(
        list({(r.individual_id, r.unit_id) for r in rows if r.individual_id})
    )
    people = list(Individual.objects.filter(pk__in=reaches).order_by("pk"))
    record(
        actor=viewer.user,
        action=action,
        reads=[
            Read(None, Basis.OWN_ROLE, object_type="accesslog", purpose=purpose[:500]),
            *(
                Read(
                    individual_id=person.pk,
                    basis=reaches[person.pk].basis,
                    unit_id=reaches[person.pk].unit_id,
                    purpose=reaches[person.pk].purpose,
                    protected=person.is_protected,
                    object_type="accesslog",
                )
                for person in people
            ),
        ],
        request=request,
    )
    return {card.id: card for card in present(people, viewer)}


@allowed(_reviewers)
def review(request: HttpRequest) -> HttpResponse:
    """Log review (logguppföljning) for unit heads and quality developers."""
    viewer = viewer_for(request)
    form, selected = _selection(request)
    rows: list[AccessLog] = []
    has_next, page = False, 1
    cards: dict[int, PersonCard] = {}
    if selected is not None:
        page = page_number(request)
        rows, has_next = review_rows(viewer, selected, page)
        cards = _identities(request, rows, AccessAction.LOG_REVIEW, request.GET.urlencode())
    query = request.GET.copy()
    query.pop("sida", None)
    return render(
        request,
        "access/log_review.html",
        {
            "form": form,
            "rows": [(row, cards.get(row.individual_id or 0)) for row in rows],
            "page": page,
            "has_next": has_next,
            "query": query.urlencode(),
            "export_max": EXPORT_MAX_ROWS,
        },
    )


def _headers() -> list[str]:
    return [
        _("Löpnummer"),
        _("Tid"),
        _("Medarbetare"),
        _("Person"),
        _("Personnummer"),
        _("Händelse"),
        _("Grund"),
        _("Syfte"),
        _("Skyddad person"),
        _("Utanför egen ärendelista"),
        _("Objekt"),
        _("Sökväg"),
        _("IP-adress"),
        _("Kontrollsumma"),
    ]


def _line(row: AccessLog, card: PersonCard | None) -> list[object]:
    if card is not None:
        person, number = card.name, card.personal_number
    elif row.individual_id:
        person, number = _("Person #%(id)s") % {"id": row.individual_id}, ""
    else:
        person, number = "", ""
    return [
        row.seq,
        timezone.localtime(row.at).strftime("%Y-%m-%d %H:%M:%S"),
        row.actor_label,
        person,
        number,
        row.get_action_display(),
        row.get_basis_display(),
        row.purpose if row.basis == "granskning" else "",
        _("ja") if row.protected else "",
        _("ja") if row.outside_caseload else "",
        f"{row.object_type} {row.object_id}".strip(),
        row.path,
        row.ip_address or "",
        row.entry_hash,
    ]


@allowed(_reviewers)
def review_export(request: HttpRequest, kind: str) -> HttpResponse:
    """The selection as a file for the inspectorate (CSV or Excel), the newest
    EXPORT_MAX_ROWS rows. The same identities as the page; the export itself is logged."""
    viewer = viewer_for(request)
    form, selected = _selection(request)
    if selected is None:
        return render(
            request,
            "access/log_review.html",
            {"form": form, "rows": [], "page": 1, "has_next": False, "query": ""},
            status=400,
        )
    rows = list(review_queryset(viewer, selected)[:EXPORT_MAX_ROWS])
    cards = _identities(request, rows, AccessAction.EXPORT, f"{kind}: {request.GET.urlencode()}")
    lines = [_line(row, cards.get(row.individual_id or 0)) for row in rows]
    name = f"atkomstlogg-{selected.start:%Y%m%d}-{selected.end:%Y%m%d}"
    if kind == "csv":
        out = io.StringIO()
        writer = SafeWriter(out, delimiter=";", quoting=csv.QUOTE_MINIMAL)
        writer.writerow(_headers())
        for line in lines:
            writer.writerow(line)
        response = HttpResponse("\ufeff" + out.getvalue(), content_type="text/csv; charset=utf-8")
    else:
        book = Workbook(write_only=True)
        sheet = book.create_sheet(_("Åtkomstlogg"))
        safe_append(sheet, _headers())
        for line in lines:
            safe_append(sheet, line)
        data = io.BytesIO()
        book.save(data)
        response = HttpResponse(
            data.getvalue(),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    response["Content-Disposition"] = f'attachment; filename="{name}.{kind}"'
    return response
