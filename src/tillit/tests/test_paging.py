"""The page number of a list (`?sida=N`): anything but a small positive whole number is page 1."""

import pytest
from django.test import RequestFactory

from tillit.paging import page_number


@pytest.mark.parametrize(
    ("given", "page"),
    [
        ("3", 3),
        ("١٢", 12),  # Arabic-Indic digits are a number to int()
        ("²", 1),  # a digit to str.isdigit(), not a number int() reads: was a server error
        ("9" * 7, 1),  # past any page a list has
        ("0", 1),
        ("-2", 1),
        ("", 1),
    ],
)
def test_the_page_number(given, page):
    assert page_number(RequestFactory().get("/", {"sida": given})) == page
