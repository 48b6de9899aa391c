"""The deadlines' pages: the user's reminders of every kind of step, and all the open steps the
start page lists the first of ("Mina tidsgränser"), each with a link where the user may open it."""

from __future__ import annotations

import re

from django import forms
from django.core.paginator import Paginator
from django.db.models import F
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tillit.access.decorators import allowed, logged_in
from tillit.access.reading import staff_user, viewer_for
from tillit.deadlines.due import links_for, open_items_for, registered_kinds, rows_for
from tillit.deadlines.due_models import Reminder
from tillit.deadlines.reminders import mark_read, reminder_text

PAGE_SIZE = 50


class KindFilter(forms.Form):
    """The kind of step, among the registered ones (those the start page lists, with LISTED)."""

    slag = forms.ChoiceField(label=gettext_lazy("Steg"), required=False)
    listed_only = False

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        kinds = [
            (kind.code, str(kind.label))
            for kind in registered_kinds()
            if not (self.listed_only and kind.own_lists)
        ]
        kinds.sort(key=lambda pair: pair[1])
        self.fields["slag"].choices = [("", _("Alla steg")), *kinds]  # type: ignore[attr-defined]


class ReminderFilter(KindFilter):
    visa = forms.ChoiceField(
        label=gettext_lazy("Visa"),
        required=False,
        choices=[("", gettext_lazy("Alla")), ("olasta", gettext_lazy("Olästa"))],
    )
    field_order = ["visa", "slag"]


class DueFilter(KindFilter):
    q = forms.CharField(label=gettext_lazy("Sök i rubriken"), required=False, max_length=100)
    field_order = ["q", "slag"]
    listed_only = True


def _query_without_page(request: HttpRequest) -> str:
    query = request.GET.copy()
    query.pop("sida", None)
    return query.urlencode()


@allowed(logged_in)
def reminders(request: HttpRequest) -> HttpResponse:
    """The user's own reminders. No one is named, so showing them reads no personal data."""
    user = staff_user(request)
    if request.method == "POST":
        choice = request.POST.get("read", "")
        if choice == "alla":
            mark_read(user, None)
        elif re.fullmatch(r"[0-9]{1,18}", choice):
            changed = mark_read(user, int(choice))
            if not changed and not Reminder.objects.filter(recipient=user, pk=int(choice)).exists():
                raise Http404
        else:
            return HttpResponse(_("Välj en påminnelse."), status=400)
        return redirect(request.get_full_path())
    viewer = viewer_for(request)
    form = ReminderFilter(request.GET or None)
    found = Reminder.objects.filter(recipient=user)
    if form.is_valid():
        if form.cleaned_data["visa"] == "olasta":
            found = found.filter(read_at__isnull=True)
        if form.cleaned_data["slag"]:
            found = found.filter(item__kind=form.cleaned_data["slag"])
    page = Paginator(
        found.select_related("item", "item__group", "item__unit").order_by(
            F("read_at").asc(nulls_first=True), "-created_at", "-pk"
        ),
        PAGE_SIZE,
    ).get_page(request.GET.get("sida"))
    shown = list(page.object_list)
    # An item handed on since the reminder may lie outside the user's reach now: no link then.
    links = links_for(viewer, [reminder.item for reminder in shown])
    rows = [
        {
            "reminder": reminder,
            "text": reminder_text(reminder),
            "url": links.get(reminder.item_id),
            "place": reminder.item.group or reminder.item.unit or "",
        }
        for reminder in shown
    ]
    unread = Reminder.objects.filter(recipient=user, read_at__isnull=True).exists()
    context = {
        "rows": rows,
        "page": page,
        "form": form,
        "query": _query_without_page(request),
        "filtered": form.is_valid() and any(form.cleaned_data.values()),
    }
    return render(request, "deadlines/reminders.html", {**context, "unread": unread})


@allowed(logged_in)
def due_items(request: HttpRequest) -> HttpResponse:
    """All the open steps the start page lists the first of: held, or in a unit one heads."""
    viewer = viewer_for(request)
    form = DueFilter(request.GET or None)
    found = open_items_for(staff_user(request), viewer.today)
    if form.is_valid():
        if form.cleaned_data["q"]:
            found = found.filter(title__icontains=form.cleaned_data["q"])
        if form.cleaned_data["slag"]:
            found = found.filter(kind=form.cleaned_data["slag"])
    page = Paginator(found, PAGE_SIZE).get_page(request.GET.get("sida"))
    context = {
        "due_items": rows_for(viewer, list(page.object_list)),
        "page": page,
        "form": form,
        "query": _query_without_page(request),
    }
    return render(request, "deadlines/due_list.html", context)
