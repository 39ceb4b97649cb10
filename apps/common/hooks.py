"""Hooks through which higher apps take part in the shell's own requests (CONVENTIONS: layers).

``common`` sits below every app, so the 长辈版/大字模式 toggle cannot store the choice on the
user itself. ``accounts`` appends its service here in ``AppConfig.ready()``; the toggle view
calls every registered saver explicitly, in plain sight (no Django signal).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

# Called with ``user=`` (a signed-in user) and ``enabled=`` when that user switches large
# text / high contrast on or off, so the choice follows them to any browser (DOMAIN Q1).
accessible_mode_savers: list[Callable[..., Any]] = []


def registered() -> dict[str, list[str]]:
    return {"accessible_mode_savers": [f.__qualname__ for f in accessible_mode_savers]}
