"""What a published source says, cut into the short passages the assistant quotes.

One function per kind of source, each returning :class:`PassageDraft` rows: the text a
citizen is shown (a quote, never rewritten), the words it is found by (the source's name
counted twice, its keywords, the section's label and text), and the items it leads to.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, field

from django.urls import reverse

from apps.assistant.models import SourceKind
from apps.assistant.tokens import passage_tokens
from apps.catalogue.models import Bundle, ServiceGuide
from apps.hotline.models import KnowledgeArticle
from apps.policies.models import Policy

EXCERPT_LENGTH = 160
_SENTENCE_END = re.compile(r"(?<=[。；！？;!?])")


@dataclass(frozen=True)
class PassageDraft:
    kind: str
    source_id: int
    position: int
    title: str
    section: str
    text: str
    url: str
    tokens: list[str]
    item_ids: list[int] = field(default_factory=list)
    valid_until: datetime.date | None = None
    # The source's English name (issue #17), blank where it has none.
    title_en: str = ""


def excerpt(text: str, limit: int = EXCERPT_LENGTH) -> str:
    """The first sentences of ``text`` that fit in ``limit`` characters (at least one
    sentence, cut with an ellipsis when even that is longer)."""
    text = " ".join((text or "").split())
    if len(text) <= limit:
        return text
    kept = ""
    for sentence in _SENTENCE_END.split(text):
        if len(kept) + len(sentence) > limit:
            break
        kept += sentence
    return kept or text[: limit - 1] + "…"


def chunks(text: str, limit: int = EXCERPT_LENGTH) -> list[str]:
    """``text`` cut at sentence ends into pieces of at most about ``limit`` characters."""
    pieces: list[str] = []
    current = ""
    for line in (text or "").splitlines():
        for sentence in _SENTENCE_END.split(line.strip()):
            if current and len(current) + len(sentence) > limit:
                pieces.append(current)
                current = ""
            current += sentence
        if current and len(current) >= limit // 2:
            pieces.append(current)
            current = ""
    if current:
        pieces.append(current)
    return [excerpt(p, limit) for p in pieces if p.strip()]


def _time_limit(guide: ServiceGuide) -> str:
    if guide.is_immediate or not guide.promised_time_limit_days:
        return "即办件，材料齐全当场办结"
    return f"承诺{guide.promised_time_limit_days}个工作日办结"


def guide_passages(guide: ServiceGuide) -> list[PassageDraft]:
    """A published guide: its conditions, materials, where and when, time and fee (C3)."""
    item = guide.item
    materials = "、".join(m.name for m in guide.materials.all())
    sections = [
        ("办理条件", guide.acceptance_conditions),
        ("申请材料", f"需提交：{materials}。" if materials else ""),
        ("办理地点和时间", f"{guide.where_to_apply}；{guide.office_hours}"),
        (
            "办理时限和收费",
            f"{_time_limit(guide)}；{guide.fee_standard}。办理结果：{guide.result_name}。",
        ),
    ]
    url = reverse("catalogue:item", args=[item.code])
    heading = [item.name, item.name, item.keywords, item.keywords, guide.result_name]
    return [
        PassageDraft(
            kind=SourceKind.GUIDE,
            source_id=guide.pk,
            position=position,
            title=item.name,
            title_en=item.name_en,
            section=section,
            text=excerpt(text),
            url=url,
            tokens=passage_tokens(*heading, section, text),
            item_ids=[item.pk],
        )
        for position, (section, text) in enumerate(sections)
        if text.strip()
    ]


def bundle_passages(bundle: Bundle) -> list[PassageDraft]:
    """A published 一件事: its description, and the items it bundles in their order (C8)."""
    steps = list(bundle.steps.all())
    names = [step.item.name for step in steps]
    topics = [topic.name for topic in bundle.topics.all()]
    return [
        PassageDraft(
            kind=SourceKind.BUNDLE,
            source_id=bundle.pk,
            position=0,
            title=bundle.name,
            title_en=bundle.name_en,
            section="一件事",
            text=excerpt(bundle.description or "、".join(names)),
            url=reverse("catalogue:bundle", args=[bundle.code]),
            tokens=passage_tokens(bundle.name, bundle.name, *topics, bundle.description, *names),
            item_ids=[step.item_id for step in steps],
        )
    ]


def article_passages(article: KnowledgeArticle) -> list[PassageDraft]:
    """A published knowledge-base answer, in pieces (H2); it ends with the article's expiry."""
    url = reverse("assistant:article", args=[article.pk])
    return [
        PassageDraft(
            kind=SourceKind.ARTICLE,
            source_id=article.pk,
            position=position,
            title=article.title,
            section="热线知识库",
            text=piece,
            url=url,
            tokens=passage_tokens(article.title, article.title, article.keywords, piece),
            valid_until=article.expires_on,
        )
        for position, piece in enumerate(chunks(article.body))
    ]


def policy_passages(policy: Policy) -> list[PassageDraft]:
    """A published policy: what it gives, to whom and how (PO1); it ends with its validity."""
    sections = [
        ("政策简介", policy.summary),
        ("扶持内容", policy.benefit),
        ("申报条件", policy.conditions_text),
        ("兑现程序", policy.procedure_text),
    ]
    url = reverse("policies:detail", args=[policy.code])
    items = [policy.service_item_id] if policy.service_item_id else []
    return [
        PassageDraft(
            kind=SourceKind.POLICY,
            source_id=policy.pk,
            position=position,
            title=policy.title,
            title_en=policy.title_en,
            section=section,
            text=excerpt(text),
            url=url,
            tokens=passage_tokens(policy.title, policy.title, section, text),
            item_ids=items,
            valid_until=policy.valid_until,
        )
        for position, (section, text) in enumerate(sections)
        if (text or "").strip()
    ]
