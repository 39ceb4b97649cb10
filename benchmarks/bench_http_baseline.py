"""HTTP baseline: a trivial view through the full middleware stack (Django test Client).

Later benchmarks of real pages (catalogue search, item page) import
:func:`trivial_view_baseline` and report their figure as a ratio to it, so the number
means "this page costs k trivial requests" on whatever machine runs it.
"""

from __future__ import annotations

from django.test import Client

from benchmarks.harness import Result, measure
from benchmarks.urls import TRIVIAL_PATH

REQUESTS = 300
TRIVIAL_NAME = "trivial view"


def trivial_view_baseline(client: Client, n: int = REQUESTS, *, repeat: int = 5) -> Result:
    """``n`` GETs of the trivial view; the Result is named ``"trivial view"`` with ``ops=n``
    (use it as ``baseline=TRIVIAL_NAME`` with your own ``ops``)."""

    def requests() -> None:
        for _ in range(n):
            response = client.get(TRIVIAL_PATH)
            if response.status_code != 200:
                raise RuntimeError(f"trivial view answered {response.status_code}")

    return Result(TRIVIAL_NAME, measure(requests, repeat=repeat), ops=n)


def measure_get(
    client: Client, path: str, n: int, *, name: str, repeat: int = 5, expect: int = 200
) -> Result:
    """``n`` GETs of ``path`` as a Result compared with the trivial view."""

    def requests() -> None:
        for _ in range(n):
            response = client.get(path)
            if response.status_code != expect:
                raise RuntimeError(f"GET {path} answered {response.status_code}")

    return Result(name, measure(requests, repeat=repeat), TRIVIAL_NAME, ops=n)


def run() -> list[Result]:
    client = Client()
    return [
        trivial_view_baseline(client),
        measure_get(client, "/healthz", 100, name="GET /healthz (database + broker ping)"),
    ]
