"""What to do with the guide an item record carries (DOMAIN C2–C5).

A record may carry no guide (the basic catalogue), a draft, or a guide marked published.
Only a guide marked published is checked against every C3 element and published; a draft is
kept for staff to complete in the admin. Content equal to what is stored changes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from apps.accounts.models import User
from apps.catalogue import rules
from apps.catalogue.guide_fields import GUIDE_JSON_FIELDS
from apps.catalogue.models import (
    GuideMaterial,
    GuideStep,
    ServiceGuide,
    ServiceItem,
    SpecialProcedure,
)
from apps.catalogue.services import (
    guide_create_from_content,
    guide_publish,
    guide_replace_content,
)
from apps.catalogue.transfer.exchange_format import (
    GUIDE_DRAFT,
    GUIDE_PUBLISHED,
    GUIDE_SCALARS,
    GUIDE_STATUSES,
    guide_to_dict,
)
from apps.catalogue.transfer.normalise import normalise_guide
from apps.catalogue.transfer.report import RecordError

CHANGE_NOTE = "批量导入"
_PARTS = (
    (GuideMaterial, "materials"),
    (GuideStep, "steps"),
    (SpecialProcedure, "special_procedures"),
)


@dataclass(frozen=True)
class GuidePlan:
    """``publish_new``: save the content as the next version and publish it;
    ``publish_draft``: publish the stored draft, which equals the content;
    ``replace_draft``: put the content into the stored draft, then publish it;
    ``save_draft``: save the content as the next version, a draft."""

    action: str
    content: dict[str, Any] | None = None
    draft: ServiceGuide | None = None

    @property
    def publishes(self) -> bool:
        return self.action != "save_draft"

    def apply(self, *, actor: User | None, item: ServiceItem) -> ServiceGuide:
        if self.action == "publish_draft":
            return guide_publish(actor=actor, guide=self.draft)
        content = self.content
        parts = {
            "fields": {f: content[f] for f in (*GUIDE_SCALARS, *GUIDE_JSON_FIELDS)},
            "materials": content["materials"],
            "steps": content["steps"],
            "special_procedures": content["special_procedures"],
            "change_note": CHANGE_NOTE,
        }
        if self.action == "replace_draft":
            guide = guide_replace_content(actor=actor, guide=self.draft, **parts)
        else:
            guide = guide_create_from_content(actor=actor, item=item, **parts)
        if self.action != "save_draft":
            guide = guide_publish(actor=actor, guide=guide)
        return guide


def _unsaved(content: dict[str, Any], item: ServiceItem) -> tuple[ServiceGuide, dict[str, list]]:
    guide = ServiceGuide(
        item=item, version=1, **{f: content[f] for f in (*GUIDE_SCALARS, *GUIDE_JSON_FIELDS)}
    )
    parts = {key: [model(guide=guide, **row) for row in content[key]] for model, key in _PARTS}
    return guide, parts


def _material_problems(parts: dict[str, list]) -> tuple[list[str], set[str]]:
    positioned: list[str] = []
    plain: set[str] = set()
    for i, m in enumerate(parts["materials"]):
        found = rules.material_problems(
            name=m.name,
            description=m.description,
            importance=m.importance,
            supplement_days=m.supplement_days,
        )
        plain.update(found)
        positioned += [f"guide.materials[{i}] {p}" for p in found]
    return positioned, plain


def _content_problems(content: dict[str, Any], item: ServiceItem, *, publish: bool) -> list[str]:
    """Every problem of the incoming guide, materials named by position: what no draft may
    hold (C4, C12), and for a guide to publish every C3, C10, C11 and A7a rule too."""
    guide, parts = _unsaved(content, item)
    problems, per_material = _material_problems(parts)
    if publish:
        checks = rules.guide_problems(
            guide,
            materials=parts["materials"],
            steps=parts["steps"],
            procedures=parts["special_procedures"],
        )
    else:
        checks = rules.guide_field_problems(guide, item)
    problems += [p for p in checks if p not in per_material]
    kinds = [p.kind for p in parts["special_procedures"]]
    if len(set(kinds)) != len(kinds):
        problems.append("guide.special_procedures " + _("同一类特别程序只能列一次"))
    return problems + _shape_problems(guide, parts, publish=publish)


def _shape_problems(guide: ServiceGuide, parts: dict[str, list], *, publish: bool) -> list[str]:
    """Values the columns refuse (choices, lengths, numbers); a draft may leave text blank."""
    problems: list[str] = []
    blank = [] if publish else [f for f in GUIDE_SCALARS if getattr(guide, f) in ("", None)]
    problems += _clean(guide, "", exclude=["item", *blank], validate_constraints=False)
    for _model, key in _PARTS:
        for i, row in enumerate(parts[key]):
            problems += _clean(
                row,
                f"guide.{key}[{i}] ",
                exclude=["guide", "order"],
                validate_unique=False,
                validate_constraints=False,
            )
    return problems


def _clean(obj, prefix: str, **kwargs) -> list[str]:
    try:
        obj.full_clean(**kwargs)
    except ValidationError as exc:
        if hasattr(exc, "error_dict"):
            return [f"{prefix}{k}：{'；'.join(v)}" for k, v in exc.message_dict.items()]
        return [prefix + m for m in exc.messages]
    return []


def plan_guide(
    record: dict[str, Any],
    item: ServiceItem,
    *,
    published: ServiceGuide | None,
    draft: ServiceGuide | None,
) -> tuple[GuidePlan | None, str]:
    """What to do with ``record`` (the record's ``guide``), and a note for the report.

    ``item`` may be unsaved (a new item); ``published`` and ``draft`` are its current guides
    with their lines prefetched. Raises :class:`RecordError` listing every problem.
    """
    status = record.get("status") or GUIDE_PUBLISHED
    if status not in GUIDE_STATUSES:
        message = _("guide.status 应为 %(allowed)s，而不是“%(status)s”") % {
            "allowed": _(" 或 ").join(GUIDE_STATUSES),
            "status": status,
        }
        raise RecordError([message])
    content = normalise_guide(record, draft=status == GUIDE_DRAFT)
    if published is not None and guide_to_dict(published) == content:
        return None, ""
    if draft is not None and guide_to_dict(draft) == content:
        if status == GUIDE_PUBLISHED:
            problems = _content_problems(content, item, publish=True)
            if problems:
                raise RecordError(problems)
            return GuidePlan("publish_draft", draft=draft), ""
        return None, ""
    if draft is not None and status == GUIDE_DRAFT:
        # Staff may be completing that draft in the admin: a draft never overwrites theirs.
        return None, (
            _("已有第%(version)s版草稿且与文件内容不同，文件中的草稿未导入；请在后台编辑该草稿")
            % {"version": draft.version}
        )
    problems = _content_problems(content, item, publish=status == GUIDE_PUBLISHED)
    if problems:
        raise RecordError(problems)
    if status == GUIDE_DRAFT:
        return GuidePlan("save_draft", content), ""
    if draft is not None:
        # A guide marked published is the issuing platform's word: it replaces the draft.
        note = _("第%(version)s版草稿已按文件内容更新并发布") % {"version": draft.version}
        return GuidePlan("replace_draft", content, draft=draft), note
    return GuidePlan("publish_new", content), ""
