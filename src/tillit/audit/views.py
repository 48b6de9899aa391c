from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from tillit.access.decorators import allowed
from tillit.access.policy import Basis, Viewer
from tillit.access.presentation import PersonCard, present
from tillit.access.reading import viewer_for
from tillit.audit.forms import ReviewForm
from tillit.audit.log import Read, record
from tillit.audit.models import AccessAction, AccessLog
from tillit.audit.review import ReviewFilter, review_rows, reviewable_staff
from tillit.individuals.models import Individual


def _reviewers(viewer: Viewer) -> bool:
    return bool(viewer.review_unit_ids)


@allowed(_reviewers)
def review(request: HttpRequest) -> HttpResponse:
    """Log review (logguppföljning) for unit heads and quality developers."""
    viewer = viewer_for(request)
    today = viewer.today
    initial = {"start": today.replace(day=1), "end": today}
    data = request.GET if "start" in request.GET else None
    form = ReviewForm(data, initial=initial, staff=reviewable_staff(viewer))
    rows: list[AccessLog] = []
    has_next, page = False, 1
    cards: dict[int, PersonCard] = {}
    if data is None or form.is_valid():
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
        requested = request.GET.get("sida", "1")
        page = int(requested) if requested.isdigit() and int(requested) > 0 else 1
        rows, has_next = review_rows(
            viewer,
            ReviewFilter(
                start=cleaned["start"],
                end=cleaned["end"],
                actor=form.cleaned_data.get("actor") if data is not None else None,
                individual_id=individual_id,
                only_flagged=bool(cleaned.get("only_flagged")),
            ),
            page,
        )
        reaches = viewer.log_review_reaches(
            [(r.individual_id, r.unit_id) for r in rows if r.individual_id]
        )
        people = list(Individual.objects.filter(pk__in=reaches).order_by("pk"))
        cards = {card.id: card for card in present(people, viewer)}
        # The review itself, and each identity it shows, in one write.
        record(
            actor=viewer.user,
            action=AccessAction.LOG_REVIEW,
            reads=[
                Read(
                    None,
                    Basis.OWN_ROLE,
                    object_type="accesslog",
                    purpose=request.GET.urlencode()[:500],
                ),
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
    query = request.GET.copy()
    query.pop("sida", None)
    return render(
        request,
        "audit/review.html",
        {
            "form": form,
            "rows": [(row, cards.get(row.individual_id or 0)) for row in rows],
            "page": page,
            "has_next": has_next,
            "query": query.urlencode(),
        },
    )
