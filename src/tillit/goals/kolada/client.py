"""A read-only client for Kolada's v3 API, with paging and a file cache.

Why not the PyPI wrapper (koladapy): it pulls in pandas, tqdm, requests and backoff for what is
a handful of GET requests returning JSON, and returns DataFrames where Tillit wants the API's own
rows (which the offline loader reads too). This client is the standard library only: `urllib`
for the requests (or any `transport` callable, which the tests give recorded answers), the
answer's `next_page` followed until there is none, and each answer kept in `cache_dir` for
`cache_seconds` so that a reload does not ask the API again.

Shapes (v3): every list answer is `{"count": n, "values": [...], "next_page": url?}`; a data row
is `{"kpi": "U21468", "municipality": "0182", "period": 2024, "values": [{"gender": "T",
"value": 91.0, "count": 1, "status": ""}, ...]}`. An error is any status other than 200, or a
body that is not that JSON: `KoladaError`, with a Swedish message.
"""

from __future__ import annotations

import hashlib
import json
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

BASE_URL = "https://api.kolada.se/v3"
PAGE_SIZE = 5000
MAX_PAGES = 1000

Transport = Callable[[str, float], tuple[int, bytes]]


class KoladaError(Exception):
    """The API could not be read; the message is Swedish and names what failed."""


def urllib_transport(url: str, timeout: float) -> tuple[int, bytes]:
    if not url.startswith("https://"):
        raise KoladaError(f"Endast https-adresser används: {url}")
    request = urllib.request.Request(url, headers={"Accept": "application/json"})  # noqa: S310
    try:
        with urllib.request.urlopen(request, timeout=timeout) as answer:  # noqa: S310
            return answer.status, answer.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()
    except (urllib.error.URLError, TimeoutError) as error:
        raise KoladaError(f"Kolada svarar inte ({url}): {error}") from error


class KoladaClient:
    def __init__(
        self,
        *,
        base_url: str = BASE_URL,
        transport: Transport = urllib_transport,
        cache_dir: Path | None = None,
        cache_seconds: float = 24 * 3600,
        timeout: float = 30.0,
        per_page: int = PAGE_SIZE,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self.transport = transport
        self.cache_dir = cache_dir
        self.cache_seconds = cache_seconds
        self.timeout = timeout
        self.per_page = per_page
        self.clock = clock
        self.requests_made = 0

    # --- The endpoints ---------------------------------------------------------------------

    def kpis(self, ids: Iterable[str]) -> list[dict[str, Any]]:
        return list(self._pages(f"/kpi/{_joined(ids)}"))

    def municipalities(self) -> list[dict[str, Any]]:
        return list(self._pages("/municipality"))

    def municipality_groups(self) -> list[dict[str, Any]]:
        return list(self._pages("/municipality_groups"))

    def values(
        self,
        kpis: Iterable[str],
        years: Iterable[int],
        municipalities: Iterable[str] = (),
    ) -> dict[str, Any]:
        """Every data row for the KPIs and years (and municipalities, if given), all pages
        joined into one answer in the API's own shape: what the offline loader reads."""
        path = f"/data/kpi/{_joined(kpis)}"
        wanted = list(municipalities)
        if wanted:
            path += f"/municipality/{_joined(wanted)}"
        path += f"/year/{_joined(str(y) for y in years)}"
        rows = list(self._pages(path))
        return {"count": len(rows), "values": rows}

    # --- Paging, caching and errors --------------------------------------------------------

    def _pages(self, path: str) -> Iterator[dict[str, Any]]:
        url: str | None = (
            f"{self.base_url}{path}?{urllib.parse.urlencode({'per_page': self.per_page})}"
        )
        seen: set[str] = set()
        while url:
            if url in seen or len(seen) >= MAX_PAGES:
                raise KoladaError(f"Kolada hänvisar i cirkel mellan sidor ({url}).")
            seen.add(url)
            answer = self._get(url)
            values = answer.get("values")
            if not isinstance(values, list):
                raise KoladaError(f"Svaret från Kolada saknar listan values ({url}).")
            yield from values
            following = answer.get("next_page")
            url = following if isinstance(following, str) and following else None

    def _get(self, url: str) -> dict[str, Any]:
        cached = self._cached(url)
        if cached is not None:
            return cached
        self.requests_made += 1
        status, body = self.transport(url, self.timeout)
        if status != 200:
            raise KoladaError(f"Kolada svarade med felkod {status} för {url}: {_error_text(body)}")
        try:
            answer = json.loads(body)
        except (ValueError, UnicodeDecodeError) as error:
            raise KoladaError(f"Svaret från Kolada är inte JSON ({url}).") from error
        if not isinstance(answer, dict):
            raise KoladaError(f"Svaret från Kolada har fel form ({url}).")
        self._store(url, body)
        return answer

    def _cache_file(self, url: str) -> Path | None:
        if self.cache_dir is None:
            return None
        return self.cache_dir / f"{hashlib.sha256(url.encode()).hexdigest()}.json"

    def _cached(self, url: str) -> dict[str, Any] | None:
        path = self._cache_file(url)
        if path is None or not path.exists():
            return None
        if self.clock() - path.stat().st_mtime > self.cache_seconds:
            return None
        try:
            answer = json.loads(path.read_bytes())
        except ValueError:
            return None
        return answer if isinstance(answer, dict) else None

    def _store(self, url: str, body: bytes) -> None:
        path = self._cache_file(url)
        if path is None:
            return
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary = path.with_suffix(".tmp")
        temporary.write_bytes(body)
        temporary.replace(path)


def _joined(items: Iterable[str]) -> str:
    return ",".join(urllib.parse.quote(str(item), safe="") for item in items)


def _error_text(body: bytes) -> str:
    try:
        answer = json.loads(body)
    except (ValueError, UnicodeDecodeError):
        return body[:200].decode("utf-8", "replace")
    if isinstance(answer, dict):
        for key in ("error", "message", "detail"):
            if key in answer:
                return str(answer[key])[:200]
    return str(answer)[:200]
