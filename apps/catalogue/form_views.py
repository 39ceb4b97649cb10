"""Public pages of online application forms: the region cascade's data, and the blank form
and sample of a published guide's form printed from its definition (C3, C5)."""

from __future__ import annotations

from urllib.parse import quote

from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET

from apps.catalogue import public_selectors as sel
from apps.catalogue.application_forms import parse_form, regions
from apps.catalogue.application_forms.printable import form_pdf, sample_values
from apps.catalogue.models import ServiceGuide


@require_GET
@cache_control(max_age=86400, public=True)
def region_children(request: HttpRequest, code: str = "") -> JsonResponse:
    """``{"regions": [{"code", "name"}]}``: the divisions under ``code`` (provinces when
    empty). The table changes only with a package upgrade: cached for a day."""
    if code and regions.get(code) is None:
        raise Http404
    return JsonResponse(
        {"regions": [{"code": r.code, "name": r.name} for r in regions.children(code)]}
    )


@require_GET
def form_printable(request: HttpRequest, code: str, kind: str) -> HttpResponse:
    """空白表格 / 填写样本 of the published guide's online form, as a PDF."""
    try:
        guide = sel.guide_public_get(item_code=code)
    except ServiceGuide.DoesNotExist as exc:
        raise Http404 from exc
    form = parse_form(guide.application_form)
    if form is None or kind not in ("blank", "sample"):
        raise Http404
    if kind == "blank":
        pdf = form_pdf(form, subtitle="空白表格")
    else:
        pdf = form_pdf(form, subtitle="填写样本", values=sample_values(form))
    name = f"{form.title}（{'空白表格' if kind == 'blank' else '填写样本'}）.pdf"
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f"inline; filename*=UTF-8''{_quote(name)}"
    return response


def _quote(name: str) -> str:
    return quote(name)
