"""综合窗口出件 (A11): the comprehensive window's work list of results to hand out, and the
hand-out itself (one service call)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from apps.common.errors import ApplicationError
from apps.common.pii import mask_name
from apps.halls import selectors, services
from apps.halls.forms import HandOutForm

PAGE_ROWS = 200


def _staff_only(request: HttpRequest) -> None:
    if not request.user.has_perm("halls.operate_window"):
        raise Http404


@login_required
@require_GET
def hand_out_list(request: HttpRequest) -> HttpResponse:
    _staff_only(request)
    groups = selectors.hand_out_groups(staff=request.user, at=timezone.now())
    rows = [
        {"row": row, "masked_name": mask_name(row.application.applicant_name)}
        for row in selectors.hand_outs_pending(group_ids=groups)[:PAGE_ROWS]
    ]
    return render(
        request,
        "halls/hand_outs.html",
        {"rows": rows, "on_rota": bool(groups), "form": HandOutForm()},
    )


@login_required
@require_POST
def hand_out(request: HttpRequest, hand_out_id: int) -> HttpResponse:
    _staff_only(request)
    form = HandOutForm(request.POST)
    collector = form.cleaned_data["collector_name"] if form.is_valid() else ""
    try:
        row = services.hand_out(
            actor=request.user, hand_out_id=hand_out_id, collector_name=collector
        )
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request,
            _("%(number)s 已出件，领取人：%(name)s。")
            % {"number": row.application.number, "name": mask_name(row.collector_name)},
        )
    return redirect("halls:hand_outs")
