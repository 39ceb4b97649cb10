from __future__ import annotations

import socket
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from django.db import connection, connections


def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]  # nothing listens once the block ends


@contextmanager
def silent_listener() -> Iterator[int]:
    """A TCP port that accepts connections (the kernel completes the handshake for the
    backlog) and never says a word: a database server that hangs. Closing it ends the test's
    hold on any client still waiting."""
    with socket.socket() as server:
        server.bind(("127.0.0.1", 0))
        server.listen(16)
        yield server.getsockname()[1]


def call_in_thread(call: Callable[[], Any], *, join_timeout: float) -> tuple[bool, Any]:
    """Run ``call`` in a thread with its own database connection (Django's connections are
    per thread); returns (finished within ``join_timeout``, its result or exception)."""
    outcome: dict[str, Any] = {}

    def run() -> None:
        try:
            outcome["result"] = call()
        except Exception as exc:
            outcome["result"] = exc
        finally:
            connections.close_all()

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    thread.join(join_timeout)
    return not thread.is_alive(), outcome.get("result")


@pytest.fixture
def database_at(monkeypatch):
    """New connections (made by other threads) go to 127.0.0.1:``port``; the test's own,
    already open connection is untouched."""
    connection.ensure_connection()

    def point(port: int) -> None:
        monkeypatch.setitem(connection.settings_dict, "HOST", "127.0.0.1")
        monkeypatch.setitem(connection.settings_dict, "PORT", str(port))

    return point
