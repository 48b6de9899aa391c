"""Every demo role, in a real browser, clicks through what its pages show: no link may answer
403, 404 or a server error, and axe-core finds no violation of any impact on any page.

Each of the demo's logins starts at /start/ and follows the same-site links breadth first, as
a user clicks (not the admin, the API, downloads, the language switch or logging out), at
most one page of each URL shape (/barn/12/ and /barn/40/ are one shape) and PAGES_PER_ROLE
pages a role. Every page's status is checked for every role; axe runs once a URL shape,
because what it judges is the template, and the crawl stays within CI's time.
"""

from __future__ import annotations

import re
from collections import Counter
from urllib.parse import urldefrag, urljoin, urlsplit

import pytest
from django.utils import timezone

from tillit.browser import all_violations, launch, log_in, require_chromium
from tillit.conftest import disable_append_only, reseed_migration_data
from tillit.demo.seed import DEMO_PASSWORD, seed_demo

pytestmark = [pytest.mark.browser, pytest.mark.once]

PAGES_PER_ROLE = 30
NOT_FOLLOWED = ("/admin/", "/api/", "/static/", "/media/", "/i18n/", "/konto/", "/logga-ut")
DOWNLOADS = (".csv", ".xlsx", ".pdf", "/csv/", "/excel/", "/pdf/", "/handbok/", "/mall")
DIGITS = re.compile(r"\d+")


@pytest.fixture
def browser():
    require_chromium()
    yield from launch()


@pytest.fixture
def live_demo(transactional_db, live_server):
    disable_append_only()
    reseed_migration_data()
    return seed_demo(timezone.localdate(), reports_per_year=100)


def _shape(path: str) -> str:
    return DIGITS.sub("N", path)


def _followed(base: str, current: str, href: str) -> str | None:
    url = urldefrag(urljoin(current, href)).url
    parts = urlsplit(url)
    if f"{parts.scheme}://{parts.netloc}" != base:
        return None
    path = parts.path + (f"?{parts.query}" if parts.query else "")
    if path.startswith(NOT_FOLLOWED) or any(d in path for d in DOWNLOADS):
        return None
    return path


def _crawl(page, base: str, axed: set[str]) -> tuple[int, list[str]]:
    """Breadth first from /start/; the pages opened and what failed."""
    queue, seen, shapes = ["/start/"], {"/start/"}, Counter[str]()
    failures: list[str] = []
    opened = 0
    while queue and opened < PAGES_PER_ROLE:
        path = queue.pop(0)
        response = page.goto(base + path)
        opened += 1
        status = response.status if response is not None else 0
        if status in (403, 404) or status >= 500:
            failures.append(f"{path} answered {status}")
            continue
        if "text/html" not in (response.headers.get("content-type", "") if response else ""):
            continue
        if _shape(path) not in axed:
            axed.add(_shape(path))
            failures += [f"{path}: {v}" for v in all_violations(page)]
        hrefs = page.eval_on_selector_all("a[href]", "links => links.map(a => a.href)")
        for href in hrefs:
            target = _followed(base, page.url, href)
            if target is None or target in seen or shapes[_shape(target)] >= 1:
                continue
            seen.add(target)
            shapes[_shape(target)] += 1
            queue.append(target)
    return opened, failures


def test_every_demo_role_opens_every_page_it_is_shown_without_an_axe_violation(
    browser, live_server, live_demo
):
    base = live_server.url
    axed: set[str] = set()
    failures: dict[str, list[str]] = {}
    opened: dict[str, int] = {}
    for username, _title in live_demo.logins:
        context = browser.new_context(locale="sv-SE")
        page = context.new_page()
        log_in(page, base, username, DEMO_PASSWORD)
        opened[username], found = _crawl(page, base, axed)
        if found:
            failures[username] = found
        context.close()
    assert not failures, "\n".join(
        f"{who}: {line}" for who, lines in failures.items() for line in lines
    )
    # The crawl reached the roles' work, not only their start pages.
    assert len(opened) == len(live_demo.logins) >= 15
    assert sum(opened.values()) >= 10 * len(opened)
