"""The province → city → district table behind the region cascade of application forms.

Source: GB/T 2260 administrative division codes as shipped by ``python-stdnum`` in
``stdnum/cn/loc.dat`` (the package already checks ID numbers with it; the file is compiled
from the 中华人民共和国行政区划代码 tables and records, for every code, the years each name
was in use). Only divisions whose current name is still in use are offered; the
"市辖区"/"县" grouping codes of the municipalities are folded into one city level, so
北京市 → 北京市 → 东城区 reads like 福建省 → 福州市 → 鼓楼区. Upgrading the package
updates the table.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import stdnum

_LINE = re.compile(r'^(\s*)(\d+) (?:province|county)="(.*)"$')
_SPAN = re.compile(r"^\[(\d*)-(\d*)\](.*)$")
_GROUPING = {"市辖区", "县", "市区", "郊区"}
MUNICIPALITIES = {"11", "12", "31", "50"}


@dataclass
class Region:
    code: str
    name: str
    parent: str = ""
    children: list[str] = field(default_factory=list)


def _current_name(raw: str) -> str:
    """The name still in use: an entry without an end year ("[1983-]鼓楼区", "闽侯县")."""
    for part in raw.split(","):
        match = _SPAN.match(part.strip())
        if match is None:
            return part.strip()
        if not match.group(2):
            return match.group(3).strip()
    return ""


def _lines() -> list[str]:
    path = Path(stdnum.__file__).with_name("cn") / "loc.dat"
    return path.read_text(encoding="utf-8").splitlines()


@cache
def table() -> dict[str, Region]:
    """Every current division by 6-digit code ("350000" for a province)."""
    regions: dict[str, Region] = {}
    province = ""
    for line in _lines():
        match = _LINE.match(line)
        if match is None:
            continue
        indent, code, raw = match.groups()
        if not indent:
            province = code
            regions[f"{code}0000"] = Region(code=f"{code}0000", name=raw)
            continue
        name = _current_name(raw)
        if not name or code == "0000":
            continue
        full = province + code
        if province in MUNICIPALITIES:
            city = f"{province}0100"
            regions.setdefault(
                city,
                Region(code=city, name=regions[f"{province}0000"].name, parent=f"{province}0000"),
            )
            if not code.endswith("00") and name not in _GROUPING:
                regions[full] = Region(code=full, name=name, parent=city)
        elif code.endswith("00"):
            regions[full] = Region(code=full, name=name, parent=f"{province}0000")
        elif name not in _GROUPING and f"{full[:4]}00" in regions:
            regions[full] = Region(code=full, name=name, parent=f"{full[:4]}00")
    for region in regions.values():
        if region.parent:
            regions[region.parent].children.append(region.code)
    return regions


def children(code: str = "") -> list[Region]:
    """The divisions under ``code``; the provinces when ``code`` is empty."""
    regions = table()
    if not code:
        return [r for r in regions.values() if not r.parent]
    region = regions.get(code)
    return [regions[c] for c in region.children] if region else []


def get(code: str) -> Region | None:
    return table().get(code or "")


def path(code: str) -> list[Region]:
    """From the province down to ``code``; empty when the code is unknown."""
    regions = table()
    out: list[Region] = []
    region = regions.get(code or "")
    while region is not None:
        out.insert(0, region)
        region = regions.get(region.parent) if region.parent else None
    return out


def full_name(code: str) -> str:
    names = [r.name for r in path(code)]
    # 北京市北京市东城区 → 北京市东城区
    return "".join(n for i, n in enumerate(names) if i == 0 or n != names[i - 1])


def accepts(code: str, levels: int) -> bool:
    """Whether ``code`` is a complete answer for a cascade of ``levels`` levels: at that
    depth, or higher up where nothing lies below (a city without districts)."""
    chain = path(code)
    if not chain:
        return False
    return len(chain) == levels or (len(chain) < levels and not chain[-1].children)
