"""The figures every page shows, computed the same way everywhere (DOMAIN R2, R6).

* 满意率 (satisfaction rate): the share of reviews that are not bad (非常满意, 满意,
  基本满意), in percent;
* 满意度得分: the average on the five-point scale (非常满意 5 … 非常不满意 1);
* 差评率: the share of bad reviews; 整改率: handled cases / opened cases; 按时整改率:
  cases handled on time / handled cases.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from apps.reviews.workflow import BAD_VALUES, LEVEL_ORDER, SCORE, Level


def _percent(part: int, whole: int) -> float | None:
    return round(100.0 * part / whole, 1) if whole else None


@dataclass
class Figures:
    counts: dict[str, int] = field(default_factory=dict)

    def add(self, level: str, n: int) -> None:
        self.counts[level] = self.counts.get(level, 0) + n

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    @property
    def bad(self) -> int:
        return sum(self.counts.get(level, 0) for level in BAD_VALUES)

    @property
    def satisfied(self) -> int:
        return self.total - self.bad

    @property
    def satisfaction_rate(self) -> float | None:
        return _percent(self.satisfied, self.total)

    @property
    def bad_rate(self) -> float | None:
        return _percent(self.bad, self.total)

    @property
    def score(self) -> float | None:
        total = self.total
        if not total:
            return None
        points = sum(SCORE[Level(level)] * n for level, n in self.counts.items())
        return round(points / total, 2)

    def by_level(self) -> list[tuple[Level, int]]:
        return [(level, self.counts.get(level.value, 0)) for level in LEVEL_ORDER]


@dataclass
class CaseFigures:
    opened: int = 0
    resolved: int = 0
    on_time: int = 0

    def add(self, opened: int, resolved: int, on_time: int) -> None:
        self.opened += opened
        self.resolved += resolved
        self.on_time += on_time

    @property
    def rectification_rate(self) -> float | None:
        return _percent(self.resolved, self.opened)

    @property
    def on_time_rate(self) -> float | None:
        return _percent(self.on_time, self.resolved)
