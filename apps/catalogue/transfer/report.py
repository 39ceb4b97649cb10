"""What an import did, item by item, and the error that rejects one record of it."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils.translation import gettext as _


@dataclass
class Counts:
    """Records of one section: each is exactly one of created, updated or unchanged."""

    created: int = 0
    updated: int = 0
    unchanged: int = 0

    def __str__(self) -> str:
        return _("新增%(created)s、更新%(updated)s、未变化%(unchanged)s") % {
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
        }


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
            lines = [_("导入失败：%(n)s 处错误，未做任何修改。") % {"n": len(self.errors)}]
            return "\n".join([*lines, *self.errors])
        public = len(self.outcomes) - len(self.not_public)
        return _(
            "导入完成：部门%(departments)s；分类%(topics)s；事项%(items)s；"
            "发布指南%(published)s、保存草稿%(drafts)s；一件事%(bundles)s。"
            "本次文件中的事项已公开%(public)s项，未公开%(not_public)s项。"
        ) % {
            "departments": self.departments,
            "topics": self.topics,
            "items": self.items,
            "published": self.guides_published,
            "drafts": self.drafts_saved,
            "bundles": self.bundles,
            "public": public,
            "not_public": len(self.not_public),
        }

    def outcome_lines(self) -> list[str]:
        """One line per item that is not public, saying what it lacks."""
        return [
            _("%(code)s %(name)s（%(department)s）未公开：%(lacks)s")
            % {
                "code": o.code,
                "name": o.name,
                "department": o.department,
                "lacks": "；".join(o.lacks),
            }
            for o in self.not_public
        ]


class RecordError(Exception):
    """One record of the file is refused; ``messages`` says every reason."""

    def __init__(self, messages: list[str]) -> None:
        super().__init__("；".join(messages))
        self.messages = messages
