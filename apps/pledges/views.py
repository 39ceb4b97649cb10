"""The applicant's pledge pages (DOMAIN P1, P3a, P4, P6): the pledge page of an item and
the applicant's own credit records with the repair request. Thin: services decide."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from apps.applications.views._access import applicant_required
from apps.catalogue.models import ServiceItem
from apps.catalogue.selectors import guide_get_published
from apps.common.errors import ApplicationError
from apps.pledges import selectors, services
from apps.pledges.forms import PledgeStartForm
from apps.pledges.models import CreditRepairRequest
from apps.pledges.workflow import RepairStatus


def client_ip(request: HttpRequest) -> str | None:
    """The address the request came from (the proxy in front sets REMOTE_ADDR)."""
    return request.META.get("REMOTE_ADDR") or None


@applicant_required
@require_http_methods(["GET", "POST"])
def pledge_start(request: HttpRequest, code: str) -> HttpResponse:
    """告知承诺办理: the full pledge and liability text, confirmed with the signer's name."""
    item = get_object_or_404(ServiceItem, code=code, is_active=True)
    guide = guide_get_published(item)
    if guide is None:
        raise Http404
    offer = selectors.pledge_route_for(guide=guide, user=request.user)
    certificates = selectors.certificates_of(guide)
    allowed = {c.pk for c in offer.companies} if offer.companies else None
    form = PledgeStartForm(request.POST or None, user=request.user, allowed_company_ids=allowed)
    status = 200
    if request.method == "POST" and offer.offered and form.is_valid():
        try:
            pledge = services.pledge_start(
                actor=request.user,
                item_id=item.pk,
                company_id=form.company_id,
                signed_name=form.cleaned_data["signed_name"],
                text_sha256=form.cleaned_data["text_sha256"],
                ip_address=client_ip(request),
                idempotency_key=form.cleaned_data["idempotency_key"],
            )
        except ApplicationError as exc:
            form.add_error(None, exc.message)
            status = 400
        else:
            messages.success(
                request, _("告知承诺书已签署，请继续填写申请，承诺替代的证明无需提交。")
            )
            return redirect("applications:edit", pledge.application_id)
    elif request.method == "POST":
        status = 400
    context = {
        "item": item,
        "guide": guide,
        "certificates": certificates,
        "digest": selectors.pledge_digest(guide, certificates),
        "form": form,
        "idempotency_key": form["idempotency_key"].value(),
        "refusal": "" if offer.offered else offer.reason,
    }
    return render(request, "pledges/start.html", context, status=status)


@applicant_required
@require_http_methods(["GET", "POST"])
def credit_records(request: HttpRequest) -> HttpResponse:
    """我的信用记录: the applicant's records (their own and their companies') and repair."""
    status = 200
    if request.method == "POST":
        try:
            services.credit_repair_request(
                actor=request.user,
                record_id=int(request.POST.get("record_id") or 0),
                reasons=request.POST.get("reasons", ""),
                evidence=request.FILES.get("evidence"),
            )
        except (ApplicationError, ValueError) as exc:
            messages.error(request, getattr(exc, "message", _("请求无效。")))
            status = 400
        else:
            messages.success(request, _("信用修复申请已提交，请等待审核。"))
            return redirect("pledges:credit")
    records = list(selectors.credit_records_for_subject(user=request.user))
    pending = set(
        CreditRepairRequest.objects.filter(
            record__in=records, status=RepairStatus.PENDING
        ).values_list("record_id", flat=True)
    )
    rows = [{"record": r, "pending": r.pk in pending} for r in records]
    return render(request, "pledges/credit.html", {"rows": rows}, status=status)
