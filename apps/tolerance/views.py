"""Web pages of tolerant acceptance: thin — a form checks the shape, one service decides
(C6), a refusal is shown as its Chinese message and changes nothing; then back (PRG)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.admin.views.decorators import staff_member_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from apps.applications.views._access import applicant_required
from apps.common.errors import ApplicationError, PermissionDeniedError
from apps.tolerance import selectors, services
from apps.tolerance.forms import PledgeForm, SupplementUploadForm, TolerantAcceptForm
from apps.tolerance.models import Supplement

FIGURES_PERMISSION = "applications.view_all_applications"


def _detail(application_id: int) -> HttpResponse:
    return redirect(reverse("applications:detail", args=[application_id]) + "#tolerance")


def _console(application_id: int) -> HttpResponse:
    return redirect(
        reverse("admin:applications_application_change", args=[application_id]) + "#tolerance"
    )


def _client_ip(request: HttpRequest) -> str:
    return request.META.get("REMOTE_ADDR", "")


@applicant_required
@require_POST
def pledge_sign(request: HttpRequest, application_id: int) -> HttpResponse:
    """T1: the applicant signs the pledge shown on the detail page."""
    form = PledgeForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("承诺书已更新，请重新阅读后再签署。"))
        return _detail(application_id)
    try:
        services.pledge_sign_online(
            application_id=application_id,
            actor=request.user,
            signer_name=form.cleaned_data["signer_name"],
            text_sha256=form.cleaned_data["text_sha256"],
            confirmed=form.cleaned_data["confirmed"],
            ip_address=_client_ip(request),
        )
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("容缺受理承诺书已签署，请等待窗口受理。"))
    return _detail(application_id)


def _upload(request: HttpRequest, application_id: int) -> bool:
    form = SupplementUploadForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, _("请选择要补交的文件。"))
        return False
    try:
        services.supplement_submit(
            application_id=application_id,
            guide_material_id=form.cleaned_data["guide_material"],
            actor=request.user,
            upload=form.cleaned_data["file"],
        )
    except ApplicationError as exc:
        messages.error(request, exc.message)
        return False
    messages.success(request, _("容缺材料已提交，请等待窗口核验。"))
    return True


@applicant_required
@require_POST
def supplement_upload(request: HttpRequest, application_id: int) -> HttpResponse:
    _upload(request, application_id)
    return _detail(application_id)


# --- The window ------------------------------------------------------------------------------


@staff_member_required
@require_POST
def staff_accept(request: HttpRequest, application_id: int) -> HttpResponse:
    """A4(4) at the window, with the paper pledge witnessed by the member of staff."""
    form = TolerantAcceptForm(request.POST, request.FILES)
    form.fields["missing"].choices = [(v, v) for v in request.POST.getlist("missing")]
    if not form.is_valid():
        messages.error(request, _("请选择容缺的材料。"))
        return _console(application_id)
    data = form.cleaned_data
    try:
        services.tolerant_accept(
            application_id=application_id,
            actor=request.user,
            missing_material_ids=data["missing"],
            signer_name=data.get("signer_name", ""),
            scan=data.get("scan"),
            note=data.get("note", ""),
        )
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("已容缺受理，受理通知书已出具。"))
    return _console(application_id)


@staff_member_required
@require_POST
def staff_supplement_upload(request: HttpRequest, application_id: int) -> HttpResponse:
    """A13: window staff hand in a supplement the applicant brought on paper."""
    _upload(request, application_id)
    return _console(application_id)


def _application_of(supplement_id: int) -> int:
    found = Supplement.objects.filter(pk=supplement_id).values_list(
        "supply__application_id", flat=True
    )
    return found.first() or 0


@staff_member_required
@require_POST
def supplement_accept(request: HttpRequest, supplement_id: int) -> HttpResponse:
    try:
        services.supplement_accept(supplement_id=supplement_id, actor=request.user)
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("补交材料已核验通过。"))
    return _console(_application_of(supplement_id))


@staff_member_required
@require_POST
def supplement_reject(request: HttpRequest, supplement_id: int) -> HttpResponse:
    try:
        services.supplement_reject(
            supplement_id=supplement_id, actor=request.user, reason=request.POST.get("reason", "")
        )
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("已告知申请人补交材料不符合要求。"))
    return _console(_application_of(supplement_id))


# --- Supervision -----------------------------------------------------------------------------


def _check_figures(request: HttpRequest) -> None:
    if not request.user.has_perm(FIGURES_PERMISSION):
        raise PermissionDeniedError()


@staff_member_required
@require_GET
def figures(request: HttpRequest) -> HttpResponse:
    """A15: tolerant acceptances, on-time supply, revocations by department and item."""
    try:
        _check_figures(request)
    except PermissionDeniedError as exc:
        return render(request, "tolerance/figures.html", {"denied": exc.message}, status=403)
    rows = selectors.supply_figures(user=request.user)
    return render(
        request,
        "tolerance/figures.html",
        {"rows": rows, "today": timezone.localdate(), "title": _("容缺受理监督")},
    )


@staff_member_required
@require_GET
def figures_json(request: HttpRequest) -> JsonResponse:
    try:
        _check_figures(request)
    except PermissionDeniedError as exc:
        return JsonResponse({"code": exc.code, "message": exc.message}, status=403)
    return JsonResponse({"rows": selectors.supply_figures(user=request.user)})
