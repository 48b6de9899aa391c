"""What the incident pages share: a page of a list, errors beside the fields, a file answer."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.forms import Form
from django.http import HttpRequest, HttpResponse

from tillit.form_errors import apply_errors
from tillit.kundval.forms import Form as KundvalForm
from tillit.paging import page_number

__all__ = ["EmptyForm", "Page", "apply_errors", "attempt", "download", "page_of", "run_step"]

PAGE_SIZE = 50


@dataclass
class Page:
    rows: list[Any]
    number: int
    has_next: bool
    query: str = ""


def page_of(request: HttpRequest, queryset: QuerySet[Any], query: str = "") -> Page:
    number = page_number(request)
    start = (number - 1) * PAGE_SIZE
    found = list(queryset[start : start + PAGE_SIZE + 1])
    return Page(found[:PAGE_SIZE], number, len(found) > PAGE_SIZE, query)


def attempt(form: Form, action: Callable[[], object]) -> bool:
    """Run the action for a valid form; its refusal goes beside the fields. True when done."""
    if not form.is_valid():
        return False
    try:
        action()
    except ValidationError as error:
        apply_errors(form, error)
        return False
    return True


def download(content: bytes, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


class EmptyForm(KundvalForm):
    """A step without input (receive, acknowledge): only the action's refusals show."""


Step = tuple[type[Form] | None, Callable[[dict[str, Any]], object]]


def run_step(
    request: HttpRequest, steps: dict[str, Step], **form_kwargs: Any
) -> tuple[str, bool, Form | None]:
    """The posted step (`step` in the form): its form checked and its action run.
    Returns (step, done, the bound form to show again with its errors)."""
    step = request.POST.get("step", "")
    if step not in steps:
        return step, False, None
    form_class, action = steps[step]
    form: Form
    if form_class is None:
        form = EmptyForm(request.POST)
    else:
        form = form_class(request.POST, request.FILES, **form_kwargs)
    done = attempt(form, lambda: action(form.cleaned_data))
    return step, done, form
