"""The dashboard's panels: a small registry every app adds to with ONE module (R6).

How to add a panel (tolerance, pledges, hotline, policies, halls …):

1. Write ``apps/dashboard/panels/<app>.py`` that imports only your app's selectors and
   defines ``PANELS = [Panel(key=..., title=..., build=...)]``. ``build(query)`` returns a
   :class:`PanelData` for ``query`` (months, department, user): a one-line ``summary``, a
   ``table`` (every chart has one; cells may link to the figures' details), and optionally
   a ``chart`` the browser draws with ECharts (``line``, ``bar``, ``hbar`` or ``pie``; series
   values in the same order as ``categories``; ``links`` per category make a click open the
   details). Keep it to a constant number of queries, whatever the data size (a test
   asserts it for every registered panel).
2. Add the module's dotted path to :data:`PANEL_MODULES` below (one line).

That is all: the page, the JSON endpoint ``/dashboard/panels/<key>/``, the CSV and Excel
exports and the monthly report pick it up. ``permission`` (default: the dashboard's own)
hides a panel from people who may not see its figures.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from datetime import date
from functools import cache
from typing import Any

from django.utils.functional import Promise

from apps.accounts.models import User

PANEL_MODULES: tuple[str, ...] = (
    "apps.dashboard.panels.reviews",
    "apps.dashboard.panels.applications",
    "apps.dashboard.panels.hotline",
    "apps.dashboard.panels.policies",
    "apps.dashboard.panels.assistant",
    "apps.dashboard.panels.tolerance",
    "apps.dashboard.panels.halls",
    "apps.dashboard.panels.pledges",
)


@dataclass(frozen=True)
class Query:
    """What the supervisor asked for: months [start, end] (first days), a department."""

    user: User
    start: date
    end: date
    today: date
    department_id: int | None = None


@dataclass
class Cell:
    text: str
    href: str = ""


@dataclass
class Table:
    columns: list[str]
    rows: list[list[Any]] = field(default_factory=list)

    def as_text_rows(self) -> list[list[Any]]:
        """Rows for CSV/Excel: cells as plain values."""
        return [[c.text if isinstance(c, Cell) else c for c in row] for row in self.rows]


@dataclass
class Chart:
    kind: str  # line | bar | hbar | pie
    categories: list[str]
    series: list[dict[str, Any]]
    links: list[str] = field(default_factory=list)
    percent_axis: bool = False  # a second axis in percent for series with "axis": 1
    colors: list[str] = field(default_factory=list)  # per category (pie) or per series


@dataclass
class PanelData:
    summary: str
    table: Table
    chart: Chart | None = None
    note: str = ""

    def as_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["table"]["rows"] = [
            [asdict(c) if isinstance(c, Cell) else c for c in row] for row in self.table.rows
        ]
        return data


@dataclass(frozen=True)
class Panel:
    key: str
    title: str | Promise
    build: Callable[[Query], PanelData]
    permission: str = "dashboard.view_dashboard"
    wide: bool = False
    in_report: bool = True


@cache
def _registered() -> tuple[Panel, ...]:
    panels: list[Panel] = []
    for name in PANEL_MODULES:
        panels.extend(importlib.import_module(name).PANELS)
    keys = [p.key for p in panels]
    if len(keys) != len(set(keys)):
        raise RuntimeError(f"dashboard panel keys must be unique: {keys}")
    return tuple(panels)


def panels_for(user: User) -> list[Panel]:
    return [p for p in _registered() if user.has_perm(p.permission)]


def panel_get(user: User, key: str) -> Panel | None:
    return next((p for p in panels_for(user) if p.key == key), None)
