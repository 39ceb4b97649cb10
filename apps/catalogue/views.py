"""Public catalogue pages: home, search, lists, item guide, bundles, downloads (C3, C5, C8).

Views are thin: they read through ``public_selectors`` and render. Nothing here writes.
"""

from __future__ import annotations

import hashlib
import mimetypes
import os
import re

from django.core.paginator import Page
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from apps.accounts.models import Department
from apps.catalogue import hooks
from apps.catalogue import public_selectors as sel
from apps.catalogue.eligibility import target_notice
from apps.catalogue.models import Bundle, GuideMaterial, ItemType, ServiceGuide, Topic
from apps.catalogue.public_cache import cached_fragment, cached_public
from apps.catalogue.search import normalise_query
from apps.common.ratelimit import rate_limit
from apps.common.templatetags.portal_i18n import en_text

PAGE_SIZE = 20
# Suggestions under an empty or fruitless search box: short words people actually type.
SEARCH_SUGGESTIONS = ["护照", "社保", "营业执照", "食品", "公积金", "户口", "结婚登记", "退休"]


def _page(request: HttpRequest, queryset) -> Page:
    return sel.page_of(queryset, request.GET.get("page"), per_page=PAGE_SIZE)


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    context = {
        "catalogue": cached_fragment("home", _home_catalogue),
        "suggestions": SEARCH_SUGGESTIONS,
        "panels": hooks.home_panels_for(request),
    }
    return render(request, "catalogue/home.html", context)


def _home_catalogue() -> str:
    """The home page's catalogue sections (the same for everyone; cached, issue 16)."""
    topics = sel.topic_public_list()
    counts = sel.public_item_counts()
    context = {
        "departments": sel.department_public_list(counts),
        "item_types": sel.item_type_counts(counts),
        "life_events": topics[Topic.Kind.LIFE_EVENT],
        "company_stages": topics[Topic.Kind.COMPANY_STAGE],
        "themes": topics[Topic.Kind.THEME],
        "bundles": sel.bundle_public_list()[:8],
        "hot_items": sel.hot_item_list(limit=8),
    }
    return render_to_string("catalogue/_home_catalogue.html", context)


@require_GET
@rate_limit("search", setting="SEARCH_RATE", methods=("GET",))
def search(request: HttpRequest) -> HttpResponse:
    query = normalise_query(request.GET.get("q", ""))
    results = _search_results(query, request.GET.get("page")) if query else None
    return render(
        request,
        "catalogue/search.html",
        {"query": query, "results": results, "suggestions": SEARCH_SUGGESTIONS},
    )


# Pages of a query kept in the cache: the first few, where people read (and a bound on keys).
CACHED_SEARCH_PAGES = 10
# An ID card or phone number typed into the box stays out of the shared cache.
_PERSONAL_NUMBER = re.compile(r"\d{6}")


def _search_results(query: str, number: str | None) -> dict:
    """The result count and the rows and pagination of one page of ``query`` as HTML: the
    same for everyone, so cached per query, page, catalogue change and language like the
    home page's fragments (issue 16: the ranking query, the synonym list and 20 rows
    rendered on every search). The key is a digest; the HTML holds only catalogue text."""
    page_number = sel.page_number_of(number)

    def build() -> dict:
        page = sel.item_public_search_page(query, page_number, per_page=PAGE_SIZE)
        if not page.paginator.count:
            return {"count": 0, "html": ""}
        html = render_to_string("catalogue/_search_results.html", {"page": page, "query": query})
        return {"count": page.paginator.count, "html": str(html)}

    if page_number > CACHED_SEARCH_PAGES or _PERSONAL_NUMBER.search(query):
        results = build()
    else:
        digest = hashlib.sha256(query.encode()).hexdigest()[:32]
        results = cached_public(f"search:{digest}:{page_number}", build)
    return {**results, "html": mark_safe(results["html"])}  # noqa: S308 - our template


_AUDIENCES = {
    "person": (gettext_lazy("个人办事"), gettext_lazy("面向自然人的政务服务事项")),
    "company": (gettext_lazy("法人办事"), gettext_lazy("面向企业和其他组织的政务服务事项")),
}


@require_GET
def audience_list(request: HttpRequest, audience: str) -> HttpResponse:
    if audience not in _AUDIENCES:
        raise Http404
    item_type = request.GET.get("type") or None
    if item_type not in ItemType.values:
        item_type = None
    title, lead = _AUDIENCES[audience]
    context = {
        "title": title,
        "lead": lead,
        "audience": audience,
        "page": _page(request, sel.item_public_filter(audience=audience, item_type=item_type)),
        "item_types": ItemType.choices,
        "current_type": item_type,
    }
    return render(request, "catalogue/item_list.html", context)


@require_GET
def item_type_list(request: HttpRequest, item_type: str) -> HttpResponse:
    if item_type not in ItemType.values:
        raise Http404
    context = {
        "title": ItemType(item_type).label,
        "lead": _("按事项类型浏览"),
        "page": _page(request, sel.item_public_filter(item_type=item_type)),
    }
    return render(request, "catalogue/item_list.html", context)


@require_GET
def department_detail(request: HttpRequest, code: str) -> HttpResponse:
    try:
        department = sel.department_public_get(code=code)
    except Department.DoesNotExist as exc:
        raise Http404 from exc
    context = {
        "title": en_text(department),
        "lead": _("本部门实施的政务服务事项"),
        "department": department,
        "page": _page(request, sel.item_public_filter(department=department)),
    }
    return render(request, "catalogue/item_list.html", context)


@require_GET
def topic_detail(request: HttpRequest, code: str) -> HttpResponse:
    try:
        topic = sel.topic_public_get(code=code)
    except Topic.DoesNotExist as exc:
        raise Http404 from exc
    context = {
        "title": topic.name,
        "lead": topic.get_kind_display(),
        "topic": topic,
        "bundles": sel.bundle_public_list(topic=topic),
        "page": _page(request, sel.item_public_filter(topic=topic)),
    }
    return render(request, "catalogue/item_list.html", context)


@require_GET
def item_detail(request: HttpRequest, code: str) -> HttpResponse:
    """The published guide of one item, laid out the way a citizen reads it (C3, C5). The
    guide's row with its item and departments, and its body, are the same for everyone:
    cached per item, catalogue change and language (issue 16); an item without a published
    guide is asked afresh every time."""
    cached = cached_public(f"item:{code}", lambda: _guide_page(code))
    if cached is None:
        raise Http404
    guide, body = cached
    context = {
        "guide": guide,
        "item": guide.item,
        "guide_body": {**body, "body": mark_safe(body["body"])},  # noqa: S308 - our template
        "apply_url": reverse("applications:new", args=[guide.item.code]),
        "target_notice": target_notice(target=guide.item.target, user=request.user),
        "panels": hooks.item_panels_for(request, guide),
    }
    return render(request, "catalogue/item_detail.html", context)


def _guide_page(code: str) -> tuple[ServiceGuide, dict] | None:
    """The page's guide (:func:`~apps.catalogue.public_selectors.guide_public_head`) and its
    body, or None when the item has no published guide. The body is drawn from a second read
    of the guide so that the cached head carries none of the body's prefetched rows."""
    try:
        guide = sel.guide_public_head(item_code=code)
    except ServiceGuide.DoesNotExist:
        return None
    return guide, _guide_body(sel.guide_public_head(item_code=code))


def _guide_body(guide: ServiceGuide) -> dict:
    """The guide's body (C3 elements, materials, steps, special procedures) as HTML, with
    what the header and the 一件事 list need of its parts."""
    sel.guide_public_parts(guide)
    materials = list(guide.materials.all())
    tolerable = [m for m in materials if m.is_tolerable]
    context = {
        "guide": guide,
        "item": guide.item,
        "materials": materials,
        "tolerable_materials": tolerable,
        "steps": list(guide.steps.all()),
        "special_procedures": list(guide.special_procedures.all()),
        "channels": _channels(guide),
        # 在线填写: the material the online form fills, printable from the form's definition.
        "form_material": (guide.application_form or {}).get("fills_material", ""),
        "english_edition": get_language() == "en",
    }
    return {
        "body": render_to_string("catalogue/_guide_body.html", context),
        "materials": len(materials),
        "tolerable": bool(tolerable),
        "bundles": [
            {"code": step.bundle.code, "name": step.bundle.name, "name_en": step.bundle.name_en}
            for step in guide.item.bundle_steps.all()
        ],
    }


def _channels(guide: ServiceGuide) -> list[str]:
    flags = [
        (guide.online_available, _("网上办理")),
        (guide.window_available, _("窗口办理")),
        (guide.mobile_available, _("掌上办理")),
        (guide.post_available, _("邮寄办理")),
    ]
    return [label for on, label in flags if on]


@require_GET
def bundle_list(request: HttpRequest) -> HttpResponse:
    return render(request, "catalogue/bundle_list.html", {"bundles": sel.bundle_public_list()})


@require_GET
def bundle_detail(request: HttpRequest, code: str) -> HttpResponse:
    try:
        bundle, stages, bound = sel.bundle_public_get(code=code)
    except Bundle.DoesNotExist as exc:
        raise Http404 from exc
    return render(
        request,
        "catalogue/bundle_detail.html",
        {"bundle": bundle, "stages": stages, "bound_days": bound},
    )


def _download(field_file, filename_stem: str) -> FileResponse:
    ext = os.path.splitext(field_file.name)[1]
    try:
        handle = field_file.open("rb")
    except FileNotFoundError as exc:
        raise Http404 from exc
    content_type = mimetypes.guess_type(field_file.name)[0] or "application/octet-stream"
    return FileResponse(
        handle, as_attachment=True, filename=f"{filename_stem}{ext}", content_type=content_type
    )


@require_GET
def material_download(request: HttpRequest, material_id: int, kind: str) -> FileResponse:
    """Blank form or sample of a material of a published guide; 404 otherwise (C5)."""
    try:
        material, field_file = sel.material_file_get(material_id=material_id, kind=kind)
    except GuideMaterial.DoesNotExist as exc:
        raise Http404 from exc
    suffix = _("空白表格") if kind == "blank_form" else _("填写样本")
    return _download(field_file, f"{material.name}（{suffix}）")


@require_GET
def result_sample_download(request: HttpRequest, code: str) -> FileResponse:
    try:
        guide, field_file = sel.result_sample_get(item_code=code)
    except ServiceGuide.DoesNotExist as exc:
        raise Http404 from exc
    return _download(field_file, f"{guide.result_name}（{_('样本')}）")
