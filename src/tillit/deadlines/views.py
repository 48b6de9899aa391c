"""The reminders page: every reminder a user has been sent, of every kind of step, with a link to
the record where the user may open it."""

from __future__ import annotations

from django import forms
from django.core.paginator import Paginator
from django.db.models import F
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tillit.access.decorators import allowed, logged_in
from tillit.access.reading import staff_user, viewer_for
from tillit.deadlines.due import links_for, registered_kinds
from tillit.deadlines.due_models import Reminder
from tillit.deadlines.reminders import mark_read, reminder_text

PAGE_SIZE = 50


class ReminderFilter(forms.Form):
    visa = forms.ChoiceField(
        label=gettext_lazy("Visa"),
        required=False,
        choices=[("", gettext_lazy("Alla")), ("olasta", gettext_lazy("Olästa"))],
    )
    slag = forms.ChoiceField(label=gettext_lazy("Steg"), required=False)

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        kinds = sorted(((kind.code, str(kind.label)) for kind in registered_kinds()), key=_second)
        self.fields["slag"].choices = [("", _("Alla steg")), *kinds]  # type: ignore[attr-defined]


def _second(pair: tuple[str, str]) -> str:
    return pair[1]


@allowed(logged_in)
def reminders(request: HttpRequest) -> HttpResponse:
    """The user's own reminders. No one is named, so showing them reads no personal data."""
    user = staff_user(request)
    if request.method == "POST":
        choice = request.POST.get("read", "")
        if choice == "alla":
            mark_read(user, None)
        elif choice.isdigit():
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
    query = request.GET.copy()
    query.pop("sida", None)
    unread = Reminder.objects.filter(recipient=user, read_at__isnull=True).exists()
    context = {"rows": rows, "page": page, "form": form, "query": query.urlencode()}
    return render(request, "deadlines/reminders.html", {**context, "unread": unread})
