"""One way to page a list, for every list page in the product.

A page fetches one row more than it shows to learn whether a next page exists, so a page costs
one query whatever the list's length (no COUNT over the whole reach). The page number travels
as `?sida=N`; the other query parameters (a search, filters) are kept in the links, which the
template `tillit/pages.html` draws.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Generic, TypeVar

from django.db.models import QuerySet
from django.http import HttpRequest

PAGE_SIZE = 50
PAGE_PARAMETER = "sida"

T = TypeVar("T")


@dataclass(frozen=True)
class Page(Generic[T]):
    rows: list[T]
    number: int
    has_next: bool
    query: str = ""  # the request's other parameters, for the links

    @property
    def has_previous(self) -> bool:
        return self.number > 1


def page_number(request: HttpRequest) -> int:
    """The requested page, 1 for anything that is not a positive whole number of at most six
    digits (a longer one would ask the database for rows past any it can count). isdecimal(),
    not isdigit(): "²" is a digit to Python but not a number int() reads."""
    requested = request.GET.get(PAGE_PARAMETER, "1")
    if not requested.isdecimal() or len(requested) > 6:
        return 1
    return max(1, int(requested))


def other_parameters(request: HttpRequest) -> str:
    query = request.GET.copy()
    query.pop(PAGE_PARAMETER, None)
    return query.urlencode()


def page_of(
    items: QuerySet[T] | Sequence[T],  # type: ignore[type-var]
    request: HttpRequest,
    size: int = PAGE_SIZE,
) -> Page[T]:
    """The requested page of an ordered queryset (or list)."""
    number = page_number(request)
    start = (number - 1) * size
    found = list(items[start : start + size + 1])
    return Page(found[:size], number, len(found) > size, other_parameters(request))
