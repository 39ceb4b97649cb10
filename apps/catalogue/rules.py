"""Catalogue rules as pure functions: what makes a material, a guide or a bundle publishable.

Services call these before writing; the admin calls them in form ``clean`` so the same
Chinese messages appear inline. Nothing here writes to the database.

Reading of A7a (行政许可法 §42, §45) used by :func:`guide_problems`:
a 行政许可 decision is due within 20 working days, and the guide's legal limit defaults to 20
(:data:`LICENSING_DEFAULT_LEGAL_DAYS`). The 10-day extension of §42 is granted per
application by the head of the body, so it never belongs in the published limit. Time spent
on hearings, inspections, testing and expert review is not counted (§45): such special
procedures are listed separately (A8) with their own limits. A guide may therefore state a
legal limit above 20 only when it lists special procedures, and then at most 20 plus their
combined limits (some guides publish the limit inclusive of that time). A longer limit set by
another law is entered by listing the procedure that needs it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from apps.catalogue.application_forms import form_definition_problems, result_fields_problems
from apps.catalogue.models import Bundle, GuideMaterial, ItemType, ServiceGuide, ServiceItem

LICENSING_DEFAULT_LEGAL_DAYS = 20
StrOrLazy = str | Promise

# Catch-all phrases that turn an exhaustive list into an open one (C4).
VAGUE_PHRASES: tuple[str, ...] = (
    "其他材料",
    "其它材料",
    "有关材料",
    "相关材料",
    "等材料",
    "以及其他",
    "以及其它",
    "包括但不限于",
    "等相关",
)
# Punctuation and spaces that may follow a trailing 等 ("身份证明等。", "户口簿……等 ").
_TRAILING_NOISE = " \t\r\n。．.，,；;、…!！"
_VAGUE_RE = re.compile("|".join(re.escape(p) for p in VAGUE_PHRASES))


def find_vague_wording(text: str) -> list[str]:
    """The catch-all words in ``text`` (C4), in order of appearance, without repeats.

    A text that ends in 等 (optionally followed by 。) is vague too: "身份证明等" → ["等"].
    """
    text = text or ""
    found: list[str] = []
    for match in _VAGUE_RE.finditer(text):
        if match.group() not in found:
            found.append(match.group())
    stripped = text.rstrip(_TRAILING_NOISE)
    if stripped.endswith("等") and not any(p.endswith("等") for p in found):
        found.append("等")
    return found


def vague_wording_messages(label: str, text: str) -> list[str]:
    """One Chinese message per catch-all word, quoting the text and the word (C4)."""
    return [
        _("%(label)s“%(text)s”含有兜底表述“%(word)s”，请逐项列明")
        % {"label": label, "text": text, "word": word}
        for word in find_vague_wording(text)
    ]


def material_problems(
    *,
    name: str,
    description: str = "",
    importance: str = GuideMaterial.Importance.MAIN,
    supplement_days: int | None = None,
) -> list[str]:
    """Save-time checks on one material line (C4, C11).

    The name is checked for every catch-all form; the description only for the explicit
    phrases (a description may legitimately end in 等 when it explains a format).
    """
    problems = vague_wording_messages(_("材料名称"), name)
    for word in find_vague_wording(description):
        if word != "等":
            problems.append(
                _("材料“%(name)s”的填报说明含有兜底表述“%(word)s”，请逐项列明")
                % {"name": name, "word": word}
            )
    if importance == GuideMaterial.Importance.TOLERABLE and not supplement_days:
        problems.append(_("可容缺材料“%(name)s”须填写容缺补正期限（工作日）") % {"name": name})
    return problems


def guide_field_problems(guide: ServiceGuide, item: ServiceItem | None = None) -> list[str]:
    """Checks that hold for drafts too, because the database or the law forbids the state
    outright: promised ≤ legal (C4) and no pledge on a high-risk item (C12, P5)."""
    item = item or guide.item
    problems: list[str] = []
    legal, promised = guide.legal_time_limit_days, guide.promised_time_limit_days
    if legal is not None and promised is not None and promised > legal:
        problems.append(
            _("承诺办结时限（%(promised)s个工作日）不得超过法定办结时限（%(legal)s个工作日）")
            % {"promised": promised, "legal": legal}
        )
    if guide.pledge_enabled and item.risk_area:
        problems.append(
            _("事项属于高风险领域（%(area)s），不得适用告知承诺制")
            % {"area": item.get_risk_area_display()}
        )
    problems += form_definition_problems(guide.application_form)
    problems += result_fields_problems(guide.result_fields)
    return problems


def _form_material_problems(guide: ServiceGuide, materials: Sequence[GuideMaterial]) -> list[str]:
    """The material an online form fills must be one the guide lists (C4, C7)."""
    if form_definition_problems(guide.application_form):
        return []  # already reported by guide_field_problems
    return form_definition_problems(
        guide.application_form, material_names=[m.name for m in materials]
    )


_REQUIRED_TEXT: tuple[tuple[str, StrOrLazy], ...] = (
    ("acceptance_conditions", gettext_lazy("受理条件")),
    ("review_standards", gettext_lazy("审查标准")),
    ("result_name", gettext_lazy("结果名称")),
    ("where_to_apply", gettext_lazy("办理地点")),
    ("office_hours", gettext_lazy("办理时间")),
    ("consultation", gettext_lazy("咨询方式")),
    ("complaint", gettext_lazy("监督投诉方式")),
)


def _blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _limit_problems(guide: ServiceGuide, item: ServiceItem, procedures: Sequence) -> list[str]:
    problems: list[str] = []
    legal, promised = guide.legal_time_limit_days, guide.promised_time_limit_days
    if legal is None or promised is None:
        return [_("须填写法定办结时限和承诺办结时限")]
    if not guide.is_immediate and (legal < 1 or promised < 1):
        problems.append(_("非即办件的法定办结时限和承诺办结时限须至少为1个工作日"))
    if item.item_type == ItemType.LICENSING and legal > LICENSING_DEFAULT_LEGAL_DAYS:
        extra = sum(p.time_limit_days or 0 for p in procedures)
        if not procedures:
            problems.append(
                _(
                    "行政许可事项的法定办结时限不得超过%(max)s个工作日"
                    "（当前为%(legal)s个工作日），除非列明特别程序"
                )
                % {"max": LICENSING_DEFAULT_LEGAL_DAYS, "legal": legal}
            )
        elif legal > LICENSING_DEFAULT_LEGAL_DAYS + extra:
            problems.append(
                _(
                    "行政许可事项的法定办结时限（%(legal)s个工作日）超过"
                    "%(max)s个工作日与特别程序时限之和（%(total)s个工作日）"
                )
                % {
                    "legal": legal,
                    "max": LICENSING_DEFAULT_LEGAL_DAYS,
                    "total": LICENSING_DEFAULT_LEGAL_DAYS + extra,
                }
            )
    return problems


def _fee_problems(guide: ServiceGuide) -> list[str]:
    if not guide.fee_required:
        return []
    problems = []
    if _blank(guide.fee_standard) or guide.fee_standard.strip() == "不收费":
        problems.append(_("收费事项须公布收费标准"))
    if _blank(guide.fee_basis):
        problems.append(_("收费事项须公布收费依据"))
    return problems


def _pledge_problems(guide: ServiceGuide) -> list[str]:
    if not guide.pledge_enabled:
        return []
    problems = []
    if _blank(guide.pledge_text):
        problems.append(_("适用告知承诺制须填写承诺内容（范围、条件、标准）"))
    if _blank(guide.pledge_liability_text):
        problems.append(_("适用告知承诺制须填写虚假承诺的法律责任"))
    if not guide.pledge_verification_days:
        problems.append(_("适用告知承诺制须填写事后核查期限（工作日）"))
    return problems


def guide_problems(
    guide: ServiceGuide,
    *,
    materials: Iterable[GuideMaterial] | None = None,
    steps: Iterable | None = None,
    procedures: Iterable | None = None,
) -> list[str]:
    """Everything that stops ``guide`` from being published, as Chinese messages (C3, C4,
    C10, C11, C12, P5, A7a). Empty list: publishable.

    Materials, steps and procedures default to the guide's saved rows; pass them to check
    unsaved content.
    """
    item = guide.item
    materials = list(guide.materials.all() if materials is None else materials)
    steps = list(guide.steps.all() if steps is None else steps)
    procedures = list(guide.special_procedures.all() if procedures is None else procedures)

    problems: list[str] = []
    if _blank(item.legal_basis):
        problems.append(_("事项须填写设定依据"))
    problems += [
        _("须填写%(label)s") % {"label": label}
        for field, label in _REQUIRED_TEXT
        if _blank(getattr(guide, field))
    ]
    problems += guide_field_problems(guide, item)
    problems += _limit_problems(guide, item, procedures)
    problems += _fee_problems(guide)
    if not materials and not guide.is_immediate:
        problems.append(_("申请材料不能为空（仅即办件可无需材料）"))
    for material in materials:
        problems += material_problems(
            name=material.name,
            description=material.description,
            importance=material.importance,
            supplement_days=material.supplement_days,
        )
    if any(m.is_tolerable for m in materials) and _blank(guide.tolerance_note):
        problems.append(_("存在可容缺材料时须填写容缺受理说明（补正方式和期限）"))
    if not steps:
        problems.append(_("办理流程至少包含一个环节"))
    problems += _pledge_problems(guide)
    problems += _form_material_problems(guide, materials)
    return problems


# --- What an item lacks to be public (C2, C5) ----------------------------------------------

NO_GUIDE = gettext_lazy("尚无办事指南（实施清单）")
INACTIVE = gettext_lazy("事项已停用")


def item_lacks(
    item: ServiceItem,
    *,
    published: ServiceGuide | None,
    draft: ServiceGuide | None,
) -> list[str]:
    """Why ``item`` is not public, in the words a catalogue manager acts on; ``[]`` when it
    is (active, with a published guide, C5). An item of the basic catalogue alone lacks its
    guide; an item with a draft lacks what stops the draft from being published (C3, C4,
    C10–C12), or only the publishing. ``draft`` must have its lines prefetched."""
    if not item.is_active:
        return [str(INACTIVE)]
    if published is not None:
        return []
    if draft is None:
        lacks = [str(NO_GUIDE)]
        if _blank(item.legal_basis):
            lacks.append(_("事项须填写设定依据"))
        return lacks
    problems = guide_problems(draft)
    return [_("第%(version)s版办事指南为草稿，尚未发布") % {"version": draft.version}, *problems]


# --- Bundles (C8) ------------------------------------------------------------------------


@dataclass(frozen=True)
class BundleLimit:
    computed_days: int
    # Items whose published guide is missing: the computed figure is incomplete.
    items_without_guide: tuple[str, ...]


def computed_limit(stages: Iterable[tuple[int, int | None]]) -> int:
    """Sum over stages of the longest promised limit in each stage (C8).

    ``stages`` yields ``(stage, promised_days)``; ``None`` days count as 0.
    """
    longest: dict[int, int] = {}
    for stage, days in stages:
        longest[stage] = max(longest.get(stage, 0), days or 0)
    return sum(longest.values())


def bundle_limit(bundle: Bundle) -> BundleLimit:
    """Computed limit of ``bundle`` from its steps and the items' published guides (C8).

    Uses ``step.item.published_guides`` when the caller prefetched it (selectors do), and
    otherwise one query for all the bundle's items.
    """
    steps = list(bundle.steps.all())
    prefetched = all(hasattr(s.item, "published_guides") for s in steps)
    if prefetched:
        promised = {
            s.item_id: s.item.published_guides[0].promised_time_limit_days
            for s in steps
            if s.item.published_guides
        }
    else:
        promised = dict(
            ServiceGuide.objects.filter(
                item_id__in=[s.item_id for s in steps], status=ServiceGuide.Status.PUBLISHED
            ).values_list("item_id", "promised_time_limit_days")
        )
    missing = tuple(s.item.name for s in steps if s.item_id not in promised)
    days = computed_limit((s.stage, promised.get(s.item_id)) for s in steps)
    return BundleLimit(computed_days=days, items_without_guide=missing)


def bundle_computed_limit(bundle: Bundle) -> int:
    """C8: sum over stages of the maximum promised limit of the items' published guides."""
    return bundle_limit(bundle).computed_days


def bundle_problems(bundle: Bundle) -> list[str]:
    """Everything that stops ``bundle`` from being published (C8)."""
    problems: list[str] = []
    steps = list(bundle.steps.all())
    if not steps:
        problems.append(_("一件事至少包含一个事项"))
    limit = bundle_limit(bundle)
    for name in limit.items_without_guide:
        problems.append(_("事项“%(name)s”没有已发布的办事指南，不能纳入一件事") % {"name": name})
    inactive = [s.item.name for s in steps if not s.item.is_active]
    problems += [_("事项“%(name)s”已停用，不能纳入一件事") % {"name": name} for name in inactive]
    if not limit.items_without_guide:
        problems += bundle_limit_problems(bundle.promised_time_limit_days, limit.computed_days)
    return problems


def bundle_limit_problems(configured: int | None, computed: int) -> list[str]:
    if configured is not None and configured > computed:
        return [
            _(
                "一件事承诺办结时限（%(configured)s个工作日）超过按环节计算的时限"
                "（%(computed)s个工作日：串联环节相加、并联环节取最长）"
            )
            % {"configured": configured, "computed": computed}
        ]
    return []
