"""Fuzz of the staff pages' forms: whatever a signed-in user posts to a page, or puts in its
query string, the answer is never a server error.

Every URL of the permission matrix (access/tests/test_permission_matrix.py) is requested as
each persona the matrix lets in, and fuzzed as the one shown the most to fill in. Its forms are
read from the page itself: the Django forms in the template context (field names, kinds, the
valid choices) and the page's HTML: each <form> (the URL it sends to, its method, the fields it
renders, the values of its buttons) and each link to the page with a query string (a filter).
A URL whose form is shown on another page (most of the matrix's POST rows) takes its fields
from there too (SHOWN_ON); an export takes the filters of its page. Hypothesis then posts, and
for the pages with a search, a filter or pages puts in the query string, either valid values
with one field spoiled or anything at all: text of any kind, huge and negative numbers, far
dates, NUL, 10,000 characters, unicode digits ("²", "١"), valid choices mixed with junk,
missing fields, several values for one field. A POST refused with 400 must change nothing (no
change-log row). Derandomized, so a run is repeatable; a failure names the page (the test's
parameter) and the input.

Nothing is skipped: an upload is sent as a few junk bytes (a CSV import is then refused, or
kept and queued), and the background work an import queues starts on commit, which never comes
inside a test's transaction. A page without a form (most downloads, detail pages) is requested
once, as the matrix does.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Any
from urllib.parse import parse_qsl, urljoin, urlsplit

import pytest
from django import forms
from django.core.files.uploadedfile import SimpleUploadedFile
from django.forms.formsets import BaseFormSet
from django.template.context import Context
from django.test.utils import ContextList
from django.urls import Resolver404, resolve
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tillit.access.tests.test_permission_matrix import ANON, MATRIX, _url
from tillit.changelog.models import Change
from tillit.conftest import PERSONAS, World
from tillit.paging import PAGE_PARAMETER, Page

# Whole-product checks: CI runs them in one database pass only (.ci/run).
pytestmark = pytest.mark.once

# Examples per page; a deeper hunt now and then: TILLIT_FUZZ_EXAMPLES=200 pytest -m once.
EXAMPLES = int(os.environ.get("TILLIT_FUZZ_EXAMPLES", "15"))

FUZZ = settings(
    max_examples=EXAMPLES,
    derandomize=True,
    deadline=None,
    database=None,
    suppress_health_check=list(HealthCheck),
)

# The page that shows the form of a URL posted to from elsewhere (same objects as its row).
SHOWN_ON = {
    "accounts:logout": "front:start",
    "set_language": "front:start",
    "access:grant": "individuals:detail",
    "children:protective": "children:track",
    "children:risk": "children:track",
    "children:initial": "children:track",
    "children:extend_initial": "children:track",
    "children:extend_investigation": "children:investigation",
    "children:close_investigation": "children:investigation",
    "children:intervention": "children:investigation",
    "children:follow_up": "children:investigation",
    "children:import_start": "children:import_detail",
    "children:workbench_reassign": "children:workbench_group",
    "kundval:district_new": "kundval:districts",
    "kundval:district_link": "kundval:districts",
    "kundval:district_remove": "kundval:district",
    "kundval:run_new": "kundval:runs",
    "kundval:run_again": "kundval:run",
    "kundval:run_close": "kundval:run",
    "orgwork:assignment_step": "orgwork:assignment",
    "orgwork:assignment_comment": "orgwork:assignment",
    "orgwork:time_remove": "orgwork:time",
    "orgwork:item_step": "orgwork:item",
    "goals:own_values": "goals:overview",
}
# The objects of the showing page, where they are not those of its own matrix row: the grant
# form is shown on the protected child's page.
SHOWN_WITH = {"access:grant": {"individual_id": "protected"}}

# --- What is typed ------------------------------------------------------------------------------

LONG_EMAIL = "a" * 60 + "@" + ".".join(["b" * 60] * 4) + ".se"
EDGES = [
    "",
    "0",
    "-1",
    "2147483648",
    "-2147483649",
    "9223372036854775808",
    "1e20",
    "1e-20",
    "NaN",
    "Infinity",
    "-0",
    "0001-01-01",
    "9999-12-31",
    "9999-12-31 23:59",
    "0000-00-00",
    "2024-02-30",
    "24:61",
    "\x00",
    "a\x00b",
    "²",
    "١٢",
    "³³",
    "½",
    "Ⅻ",
    " " * 500,
    "%",
    "'; --",
    "<script>",
]
junk = st.one_of(
    st.text(max_size=300),
    st.text(alphabet="0123456789-+e.,:/ ", max_size=40),
    # Digits int() does not read though str.isdigit() says they are ("²"), and those it does.
    st.text(alphabet="0123456789²³¹١٢۳٤", min_size=1, max_size=6),
    st.integers(min_value=-(10**40), max_value=10**40).map(str),
    st.sampled_from(EDGES),
    st.sampled_from(["x" * 10_000, "9" * 5_000]),  # int() refuses more than 4,300 digits
)
uploads = st.sampled_from([b"", b"junk\x00", b"a;b\n1;2\n", b"%PDF-1.4 no"]).map(
    lambda content: SimpleUploadedFile("fuzz.csv", content)
)


def _dates() -> list[str]:
    today = timezone.localdate()
    return [
        today.isoformat(),
        (today - dt.timedelta(days=30)).isoformat(),
        "2020-01-01",
        "0001-01-01",
        "9999-12-31",
    ]


GOOD: dict[str, list[str]] = {
    # Text fields read as numbers too (amounts, hours: "10,5"): valid text of every kind.
    "text": ["Påhittat", "x" * 10_000, "12", "10,5", "-3", "99999999999999999999", "1e9"],
    "email": ["namn@example.invalid", LONG_EMAIL],
    "int": ["1", "3", "0", "2147483648", "9" * 25],
    "decimal": ["1", "10.50", "99999999999.99", "1e5"],
    "time": ["12:00", "23:59"],
    "month": ["2025-01", "9999-12", "0001-01"],
    "bool": ["on"],
}


@dataclass
class Field:
    """One input of a form, as posted: its name, what it takes, its valid choices."""

    kind: str
    choices: list[str] = field(default_factory=list)
    value: str | None = None  # the page's own value (a hidden key, an edit form's current one)

    def good(self) -> st.SearchStrategy[Any]:
        if self.kind == "file":
            return uploads
        if self.kind in {"choice", "multi"} and self.choices:
            one = st.sampled_from(self.choices)
            if self.kind == "multi":
                return st.lists(one, min_size=1, max_size=3, unique=True)
            return one
        if self.kind == "hidden" and self.choices:
            return st.sampled_from(self.choices)
        if self.kind == "hidden" and self.value is not None:
            return st.just(self.value)
        if self.kind == "date":
            return st.sampled_from(_dates())
        if self.kind == "datetime":
            return st.sampled_from([f"{day} 12:00" for day in _dates()])
        own = [self.value] if self.value else []
        return st.sampled_from(own + GOOD.get(self.kind, GOOD["text"]))

    def bad(self) -> st.SearchStrategy[Any]:
        if self.kind == "file":
            return st.one_of(junk, uploads)
        if self.choices:
            mixed = st.one_of(st.sampled_from(self.choices), junk)
            return st.one_of(junk, st.lists(mixed, min_size=2, max_size=5))
        return st.one_of(junk, junk, st.lists(junk, min_size=2, max_size=3))


Fields = dict[str, Field]


def payloads(fields: Fields) -> st.SearchStrategy[dict[str, Any]]:
    """Valid values with one field spoiled (shrinks to this), or each field anything or missing."""
    names = sorted(fields)

    @st.composite
    def build(draw: st.DrawFn) -> dict[str, Any]:
        chaos = draw(st.booleans())
        spoiled = draw(st.sampled_from(names)) if names else None
        data: dict[str, Any] = {}
        for name in names:
            how = draw(st.sampled_from(["good", "bad", "missing"])) if chaos else "good"
            if name == spoiled and not chaos:
                how = draw(st.sampled_from(["bad", "missing"]))
            if how != "missing":
                spec = fields[name]
                data[name] = draw(spec.good() if how == "good" else spec.bad())
        return data

    return build()


# --- What a page shows --------------------------------------------------------------------------


def _kind(form_field: forms.Field) -> str:
    if isinstance(form_field, forms.FileField):
        return "file"
    if isinstance(form_field, forms.MultipleChoiceField | forms.ModelMultipleChoiceField):
        return "multi"
    if isinstance(form_field, forms.ChoiceField | forms.ModelChoiceField | forms.NullBooleanField):
        return "choice"
    if isinstance(form_field, forms.BooleanField):
        return "bool"
    if isinstance(form_field, forms.DateTimeField):
        return "datetime"
    if isinstance(form_field, forms.DateField):
        return "date"
    if isinstance(form_field, forms.TimeField):
        return "time"
    if isinstance(form_field, forms.DecimalField | forms.FloatField):
        return "decimal"
    if isinstance(form_field, forms.IntegerField):
        return "int"
    if isinstance(form_field, forms.EmailField):
        return "email"
    return "text"


def _choices(form_field: forms.Field) -> list[str]:
    if isinstance(form_field, forms.NullBooleanField):
        return ["true", "false", "unknown"]
    values: list[str] = []
    for value, label in getattr(form_field, "choices", ()):
        if isinstance(label, list | tuple):  # an option group
            values += [str(inner) for inner, _label in label]
        else:
            values.append(str(value))
    return [value for value in values if value != ""][:30]


def _context_values(context: Any) -> Iterator[Any]:
    if context is None:
        return
    contexts = context if isinstance(context, ContextList) else [context]
    for each in contexts:
        if isinstance(each, Context):
            yield from each.flatten().values()


def _forms_in(values: Iterable[Any], depth: int = 0) -> Iterator[forms.BaseForm]:
    for value in values:
        if isinstance(value, forms.BaseForm):
            yield value
        elif isinstance(value, BaseFormSet):
            yield value.management_form
            yield from value.forms
        elif depth < 2 and isinstance(value, list | tuple):
            yield from _forms_in(value, depth + 1)
        elif depth < 2 and isinstance(value, dict):
            yield from _forms_in(value.values(), depth + 1)


def context_fields(context: Any) -> Fields:
    """The fields of every Django form in CONTEXT, by the name they are posted under."""
    fields: Fields = {}
    seen: set[int] = set()
    for form in _forms_in(_context_values(context)):
        if id(form) in seen:
            continue
        seen.add(id(form))
        for name, form_field in form.fields.items():
            posted = form.add_prefix(name)
            if isinstance(form_field, forms.SplitDateTimeField):
                fields[f"{posted}_0"] = Field("date")
                fields[f"{posted}_1"] = Field("time")
                continue
            initial = form[name].value()
            value = None if initial in (None, "") or isinstance(initial, list) else str(initial)
            fields[posted] = Field(_kind(form_field), _choices(form_field), value)
    return fields


def _pages(context: Any) -> bool:
    """Whether the page is a list in pages (tillit.paging's Page, or one like it)."""
    return any(
        isinstance(value, Page) or hasattr(value, "has_next") for value in _context_values(context)
    )


INPUT_KINDS = {
    "date": "date",
    "datetime-local": "datetime",
    "time": "time",
    "month": "month",
    "number": "decimal",
    "email": "email",
    "file": "file",
    "hidden": "hidden",
}


@dataclass
class HtmlForm:
    method: str
    action: str
    fields: Fields = field(default_factory=dict)
    checkboxes: dict[str, int] = field(default_factory=dict)


class _Forms(HTMLParser):
    """The page's <form>s: method, action, and each input with its kind and choices."""

    def __init__(self) -> None:
        super().__init__()
        self.forms: list[HtmlForm] = []
        self.form: HtmlForm | None = None
        self.select: Field | None = None
        self.option: str | None = ""  # None inside an <option> without a value

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attr = {key: value or "" for key, value in attrs}
        if tag == "a" and "?" in attr.get("href", ""):  # a filter link: a form of its own
            href = attr["href"]
            link = HtmlForm("get", href)
            for key, value in parse_qsl(urlsplit(href).query, keep_blank_values=True):
                if key != PAGE_PARAMETER:
                    link.fields[key] = Field("choice", [value] if value else [])
            if link.fields:
                self.forms.append(link)
            return
        if tag == "form":
            self.form = HtmlForm(attr.get("method", "get").lower(), attr.get("action", ""))
            self.forms.append(self.form)
            return
        if tag == "option" and self.select is not None:
            self.option = attr.get("value")
            if self.option:
                self.select.choices.append(self.option)
            return
        if self.form is None or attr.get("name", "") in {"", "csrfmiddlewaretoken"}:
            return
        name, fields = attr["name"], self.form.fields
        if tag in {"input", "button"}:
            kind = attr.get("type", "text" if tag == "input" else "submit").lower()
            value = attr.get("value")
            if kind in {"radio", "submit", "button", "checkbox"}:
                spec = fields.setdefault(name, Field("choice"))
                if value is not None and value not in spec.choices:
                    spec.choices.append(value)
                if kind == "checkbox":
                    self.form.checkboxes[name] = self.form.checkboxes.get(name, 0) + 1
                    spec.kind = "multi" if self.form.checkboxes[name] > 1 else "bool"
                    spec.value = value or "on"
            elif kind not in {"reset", "image"}:
                fields[name] = Field(INPUT_KINDS.get(kind, "text"), value=value or None)
        elif tag == "select":
            self.select = fields[name] = Field("multi" if "multiple" in attr else "choice")
        elif tag == "textarea":
            fields[name] = Field("text")

    def handle_data(self, data: str) -> None:
        if self.select is not None and self.option is None and data.strip():
            self.select.choices.append(data.strip())  # <option>2024</option>: the text is sent
            self.option = ""

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self.form = None
        elif tag == "select":
            self.select = None
        elif tag == "option":
            self.option = ""


def html_forms(page_url: str, response: Any) -> list[tuple[str, str, Fields]]:
    """(method, URL name posted to, fields) of each form on an HTML page."""
    if not response.get("Content-Type", "").startswith("text/html"):
        return []
    parser = _Forms()
    parser.feed(response.content.decode())
    found = []
    for form in parser.forms:
        parts = urlsplit(urljoin(f"http://testserver{page_url}", form.action))
        if parts.netloc != "testserver":
            continue
        try:
            name = resolve(parts.path).view_name
        except Resolver404:
            continue
        found.append((form.method, name, form.fields))
    return found


@dataclass
class Targets:
    """What to fuzz on one URL: the fields of a POST and of a query string (None: none)."""

    post: Fields | None = None
    get: Fields | None = None


def _merge(into: Fields | None, fields: Fields, typed: Fields) -> Fields:
    """FIELDS added to INTO, each with the Django field's kind and choices where there is one."""
    merged = dict(into or {})
    for name, spec in fields.items():
        known = typed.get(name)
        if known is not None and (known.kind != "text" or spec.kind in {"text", "hidden"}):
            spec = Field(known.kind, known.choices or spec.choices, spec.value or known.value)
        before = merged.get(name)
        if before is not None:  # in several forms or links: each one's choices are choices
            values = [*before.choices, *spec.choices]
            if before.kind == spec.kind == "hidden":  # one button a step: step=receive, ...
                values += [before.value or "", spec.value or ""]
            spec = Field(spec.kind, [v for v in dict.fromkeys(values) if v], spec.value)
        merged[name] = spec
    return merged


def targets(world: World, persona: str | None, name: str) -> Targets:
    """Read the page of NAME, and the page that shows its form, for what NAME takes."""
    method, kwargs, _expected = MATRIX[name]
    found = Targets(post={} if method == "post" else None)
    own: Fields = {}  # the Django forms of NAME's own page, rendered or not
    for page in dict.fromkeys([name, SHOWN_ON.get(name, name)]):
        page_kwargs = kwargs if page == name else SHOWN_WITH.get(name, MATRIX[page][1])
        page_url = _url(world, page, page_kwargs)
        response = world.client(persona).get(page_url)
        assert response.status_code < 500
        if response.status_code != 200:
            continue
        typed = context_fields(response.context)
        if page == name:
            own = typed
            if _pages(response.context):
                found.get = {PAGE_PARAMETER: Field("int", value="2")}
        for form_method, posted_to, fields in html_forms(page_url, response):
            if posted_to != name:
                continue
            if form_method == "post":
                found.post = _merge(found.post, fields, typed)
            else:
                found.get = _merge(found.get, fields, typed)
    if found.post is not None:
        found.post = _merge(own, found.post, own)
    return found


def export_of(name: str) -> str | None:
    """The page whose filters an export (a CSV, XLSX or PDF of the same URL name) takes."""
    for suffix in ("_csv", "_xlsx", "_pdf"):
        page = name.removesuffix(suffix)
        if page != name and page in MATRIX and MATRIX[page][1] == MATRIX[name][1]:
            return page
    return None


def personas_for(name: str) -> list[str | None]:
    """The personas (anonymous last) whom the matrix lets in: 200 for a page, 200 or 302 for a
    POST, or 400 (an empty POST refused for its content, past the permission check)."""
    method, _kwargs, expected = MATRIX[name]
    success = {200} if method == "get" else {200, 302, 400}
    return [persona for persona in [*PERSONAS, ANON] if expected[persona] in success]


def _size(found: Targets) -> int:
    return sum(-1 if fields is None else len(fields) + 1 for fields in (found.post, found.get))


def best_targets(world: World, name: str) -> tuple[str | None, Targets]:
    """The persona who is shown the most to fill in on NAME (the first, of equals)."""
    chosen: tuple[str | None, Targets] | None = None
    for persona in personas_for(name):
        found = targets(world, persona, name)
        page = export_of(name)
        if page is not None:
            found.get = targets(world, persona, page).get
        if chosen is None or _size(found) > _size(chosen[1]):
            chosen = (persona, found)
    assert chosen is not None, f"{name}: nobody gets in"
    return chosen


# --- The fuzz -----------------------------------------------------------------------------------


def _short(data: dict[str, Any]) -> dict[str, Any]:
    return {key: repr(value)[:80] for key, value in data.items()}


@pytest.mark.parametrize("name", sorted(MATRIX))
def test_no_staff_form_answers_a_server_error(world, name):
    persona, found = best_targets(world, name)
    url = _url(world, name, MATRIX[name][1])
    if found.post is None and found.get is None:
        return  # no form: the matrix already checked its one answer

    @FUZZ
    @given(data=st.data())
    def fuzz(data: st.DataObject) -> None:
        client = world.client(persona)  # anew: a fuzzed post may log out or switch language
        if found.post is not None:
            body = data.draw(payloads(found.post), label="post")
            changes = Change.objects.count()
            response = client.post(url, body)
            assert response.status_code < 500, (url, _short(body))
            if response.status_code == 400:  # refused: nothing changed
                assert Change.objects.count() == changes, (url, _short(body))
        if found.get is not None:
            query = data.draw(payloads(found.get), label="query")
            response = client.get(url, query)
            assert response.status_code < 500, (url, _short(query))

    fuzz()
