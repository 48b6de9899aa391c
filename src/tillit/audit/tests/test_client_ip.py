"""The client address (django-ipware) that the access log, the lockout and the rate limits use:
REMOTE_ADDR, or behind TILLIT_PROXY_COUNT proxies the address the outermost one saw."""

from __future__ import annotations

import pytest
from django.test import RequestFactory

from tillit.audit.log import client_ip

PROXY = "10.0.0.2"  # REMOTE_ADDR behind a proxy: the nearest proxy itself


@pytest.mark.parametrize(
    ("proxies", "remote", "headers", "expected"),
    [
        # No proxy: the header is the client's own and means nothing.
        (0, "198.51.100.1", {}, "198.51.100.1"),
        (0, "198.51.100.1", {"HTTP_X_FORWARDED_FOR": "203.0.113.7"}, "198.51.100.1"),
        (0, "198.51.100.1", {"HTTP_TRUE_CLIENT_IP": "203.0.113.7"}, "198.51.100.1"),
        # One proxy: it appends the address it saw.
        (1, PROXY, {"HTTP_X_FORWARDED_FOR": "203.0.113.7"}, "203.0.113.7"),
        (1, PROXY, {"HTTP_X_FORWARDED_FOR": "10.1.2.3"}, "10.1.2.3"),  # the intranet
        (1, PROXY, {"HTTP_X_FORWARDED_FOR": "2001:db8::7"}, "2001:db8::7"),
        # ... whatever the client put in front of it is ignored
        (1, PROXY, {"HTTP_X_FORWARDED_FOR": "192.0.2.66, 203.0.113.7"}, "203.0.113.7"),
        (1, PROXY, {"HTTP_X_FORWARDED_FOR": "nonsense, 10.1.2.3"}, "10.1.2.3"),
        # ... as are the headers a client can set itself, even with a public address
        (
            1,
            PROXY,
            {"HTTP_X_FORWARDED_FOR": "10.1.2.3", "HTTP_TRUE_CLIENT_IP": "192.0.2.66"},
            "10.1.2.3",
        ),
        (1, PROXY, {"HTTP_CF_CONNECTING_IP": "192.0.2.66"}, PROXY),  # no X-Forwarded-For
        (1, PROXY, {"HTTP_X_FORWARDED_FOR": "<script>"}, PROXY),  # nothing parseable
        # Two proxies: the second from the right is what the outer one saw.
        (2, PROXY, {"HTTP_X_FORWARDED_FOR": "203.0.113.7, 10.0.0.9"}, "203.0.113.7"),
        (2, PROXY, {"HTTP_X_FORWARDED_FOR": "192.0.2.66, 203.0.113.7, 10.0.0.9"}, "203.0.113.7"),
        (2, PROXY, {"HTTP_X_FORWARDED_FOR": "10.0.0.9"}, PROXY),  # shorter than the proxies
    ],
)
def test_the_client_address(settings, proxies, remote, headers, expected):
    settings.TILLIT_PROXY_COUNT = proxies
    request = RequestFactory().get("/", REMOTE_ADDR=remote, **headers)
    assert client_ip(request) == expected


def test_no_address_at_all(settings):
    settings.TILLIT_PROXY_COUNT = 0
    request = RequestFactory().get("/", REMOTE_ADDR="")
    assert client_ip(request) is None
