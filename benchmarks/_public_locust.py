"""The locustfile `public_pages.py` runs (a module of its own: importing locust patches the
standard library with gevent, which the benchmark's own process must not have).

BENCH_LOCUST_PATHS is a JSON object {"list": [...], "compare": [...], "provider": [...]} of
paths, or {"static": [...]}; each user picks a kind by weight (list 2, compare 1, provider 2)
and a random path of that kind, with BENCH_LOCUST_WAIT seconds between requests (default 0:
each user asks again as soon as it has its answer, so the run measures capacity). Requests
carry `X-Forwarded-Proto: https`, as the proxy in front of a production server sends it."""

from __future__ import annotations

import json
import os
import random

from locust import HttpUser, constant, task

PATHS: dict[str, list[str]] = json.loads(os.environ["BENCH_LOCUST_PATHS"])
HEADERS = {"X-Forwarded-Proto": "https", "Accept-Language": "sv"}


class Citizen(HttpUser):
    wait_time = constant(float(os.environ.get("BENCH_LOCUST_WAIT", "0")))

    def _get(self, kind: str) -> None:
        path = random.choice(PATHS[kind])
        # One name per kind, so locust's statistics are per page kind, not per URL.
        self.client.get(path, headers=HEADERS, name=kind)

    if "static" in PATHS:

        @task
        def static(self) -> None:
            self._get("static")

    else:

        @task(2)
        def listing(self) -> None:
            self._get("list")

        @task(1)
        def compare(self) -> None:
            self._get("compare")

        @task(2)
        def provider(self) -> None:
            self._get("provider")
