"""What an import did, item by item, and the error that rejects one record of it."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Counts:
    """Records of one section: each is exactly one of created, updated or unchanged."""

    created: int = 0
    updated: int = 0
    unchanged: int = 0

    def __str__(self) -> str:
        return f"新增{self.created}、更新{self.updated}、未变化{self.unchanged}"


@dataclass(frozen=True)
class ItemOutcome:
    """Where an imported item stands: public (C5) or not, and what it lacks to be."""

    code: str
    name: str
    department: str
    public: bool
    lacks: tuple[str, ...] = ()


@dataclass
class ImportReport:
    departments: Counts = field(default_factory=Counts)
    topics: Counts = field(default_factory=Counts)
    items: Counts = field(default_factory=Counts)
    bundles: Counts = field(default_factory=Counts)
    guides_published: int = 0
    drafts_saved: int = 0
    outcomes: list[ItemOutcome] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def changed(self) -> bool:
        sections = (self.departments, self.topics, self.items, self.bundles)
        return (
            any(c.created or c.updated for c in sections)
            or bool(self.guides_published)
            or bool(self.drafts_saved)
        )

    @property
    def not_public(self) -> list[ItemOutcome]:
        return [o for o in self.outcomes if not o.public]

    def summary(self) -> str:
        if self.errors:
            lines = [f"导入失败：{len(self.errors)} 处错误，未做任何修改。"]
            return "\n".join([*lines, *self.errors])
        public = len(self.outcomes) - len(self.not_public)
        return (
            f"导入完成：部门{self.departments}；分类{self.topics}；事项{self.items}；"
            f"发布指南{self.guides_published}、保存草稿{self.drafts_saved}；"
            f"一件事{self.bundles}。"
            f"本次文件中的事项已公开{public}项，未公开{len(self.not_public)}项。"
        )

    def outcome_lines(self) -> list[str]:
        """One line per item that is not public, saying what it lacks."""
        return [
            f"{o.code} {o.name}（{o.department}）未公开：{'；'.join(o.lacks)}"
            for o in self.not_public
        ]


class RecordError(Exception):
    """One record of the file is refused; ``messages`` says every reason."""

    def __init__(self, messages: list[str]) -> None:
        super().__init__("；".join(messages))
        self.messages = messages
