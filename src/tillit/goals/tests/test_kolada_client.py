"""The Kolada client against answers in the v3 API's shape, kept in tests/answers/ (written by
hand after Kolada's documented shape: these machines have no internet)."""

from pathlib import Path

import pytest

from tillit.goals.kolada.client import KoladaClient, KoladaError

ANSWERS = Path(__file__).parent / "answers"
FIRST = "https://api.kolada.se/v3/data/kpi/U21468/year/2023,2024?per_page=2"
SECOND = "https://api.kolada.se/v3/data/kpi/U21468/year/2023,2024?per_page=2&page=2"


class Recorded:
    """A transport that answers from files and remembers what was asked."""

    def __init__(self, answers):
        self.answers = answers
        self.asked = []

    def __call__(self, url, timeout):
        self.asked.append(url)
        status, name = self.answers[url]
        return status, (ANSWERS / name).read_bytes()


def test_it_follows_next_page_and_joins_the_rows():
    transport = Recorded({FIRST: (200, "data_page1.json"), SECOND: (200, "data_page2.json")})
    client = KoladaClient(transport=transport, per_page=2)
    answer = client.values(["U21468"], [2023, 2024])
    assert transport.asked == [FIRST, SECOND]
    assert answer["count"] == 4
    assert [row["municipality"] for row in answer["values"]] == ["0182", "0180", "0000", "2584"]


def test_an_error_answer_is_a_swedish_error_with_the_apis_reason():
    url = "https://api.kolada.se/v3/data/kpi/X99999/year/2024?per_page=5000"
    client = KoladaClient(transport=Recorded({url: (400, "error_400.json")}))
    with pytest.raises(KoladaError, match=r"felkod 400.*Invalid kpi id: X99999"):
        client.values(["X99999"], [2024])


def test_a_body_that_is_not_json_is_refused():
    def transport(asked, timeout):
        return 200, b"<html>Underhall</html>"

    with pytest.raises(KoladaError, match="inte JSON"):
        KoladaClient(transport=transport).municipalities()


def test_a_page_that_points_back_is_refused():
    url = "https://api.kolada.se/v3/municipality?per_page=5000"

    def transport(asked, timeout):
        return 200, f'{{"values": [], "next_page": "{url}"}}'.encode()

    with pytest.raises(KoladaError, match="cirkel"):
        KoladaClient(transport=transport).municipalities()


def test_answers_are_cached_until_they_are_too_old(tmp_path):
    url = "https://api.kolada.se/v3/municipality?per_page=5000"
    transport = Recorded({url: (200, "municipality.json")})
    clock = [1_000_000.0]
    client = KoladaClient(transport=transport, cache_dir=tmp_path, clock=lambda: clock[0])
    clock[0] = 2e12  # far past any file time: nothing cached yet counts, so ask
    first = client.municipalities()
    stored = next(tmp_path.iterdir())
    clock[0] = stored.stat().st_mtime + 60
    again = client.municipalities()
    assert first == again
    assert [m["id"] for m in first] == ["0000", "0180", "0182"]
    assert transport.asked == [url]
    clock[0] = stored.stat().st_mtime + 2 * 24 * 3600
    client.municipalities()
    assert transport.asked == [url, url]


def test_only_https_is_used():
    from tillit.goals.kolada.client import urllib_transport

    with pytest.raises(KoladaError, match="https"):
        urllib_transport("file:///etc/passwd", 1)
