"""What an import did, and the error that rejects one record of it."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class ImportReport:
    topics_created: int = 0
    topics_updated: int = 0
    items_created: int = 0
    items_updated: int = 0
    guides_published: int = 0
    bundles_created: int = 0
    bundles_updated: int = 0
    unchanged: int = 0
    errors: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def changed(self) -> bool:
        return any(
            (
                self.topics_created,
                self.topics_updated,
                self.items_created,
                self.items_updated,
                self.guides_published,
                self.bundles_created,
                self.bundles_updated,
            )
        )

    def summary(self) -> str:
        if self.errors:
            lines = [f"导入失败：{len(self.errors)} 处错误，未做任何修改。"]
            return "\n".join([*lines, *self.errors])
        return (
            f"导入完成：分类新增{self.topics_created}、更新{self.topics_updated}；"
            f"事项新增{self.items_created}、更新{self.items_updated}；"
            f"发布指南{self.guides_published}；"
            f"一件事新增{self.bundles_created}、更新{self.bundles_updated}；"
            f"未变化{self.unchanged}。"
        )


class RecordError(Exception):
    """One record of the file is refused; ``messages`` says every reason."""

    def __init__(self, messages: list[str]) -> None:
        super().__init__("；".join(messages))
        self.messages = messages
