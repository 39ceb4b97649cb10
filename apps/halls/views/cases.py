"""The 办不成事 window's pages for staff (S2, H5): record, assign, conclude, feedback."""

from __future__ import annotations

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from apps.accounts.models import User
from apps.common.errors import ApplicationError
from apps.halls import selectors, services
from apps.halls.forms import HardCaseForm
from apps.halls.models import HallProfile, HardCase
from apps.halls.workflow import Feedback


def _check(request: HttpRequest) -> None:
    if not request.user.has_perm("halls.handle_hard_cases"):
        raise Http404


@login_required
def case_list(request: HttpRequest) -> HttpResponse:
    _check(request)
    cases = HardCase.objects.select_related("hall__center", "coordinator", "item").order_by(
        "state", "deadline"
    )[:200]
    return render(
        request,
        "halls/hard_cases.html",
        {"cases": cases, "by_cause": selectors.hard_cases_by_cause()},
    )


@login_required
@require_http_methods(["GET", "POST"])
def case_new(request: HttpRequest) -> HttpResponse:
    _check(request)
    form = HardCaseForm(request.POST or None)
    halls = HallProfile.objects.select_related("center").order_by("center__code")
    if request.method == "POST" and form.is_valid():
        hall = (
            halls.filter(pk=request.POST.get("hall", "0")).first()
            if request.POST.get("hall", "").isdigit()
            else None
        )
        try:
            if hall is None:
                raise ApplicationError(_("请选择大厅。"), code="hall_required")
            case = services.hard_case_open(actor=request.user, hall=hall, **form.cleaned_data)
        except ApplicationError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("已登记 %(number)s。") % {"number": case.number})
            return redirect("halls:hard_case", case.pk)
    return render(request, "halls/hard_case_new.html", {"form": form, "halls": halls})


@login_required
@require_http_methods(["GET", "POST"])
def case_detail(request: HttpRequest, case_id: int) -> HttpResponse:
    _check(request)
    case = get_object_or_404(
        HardCase.objects.select_related("hall__center", "coordinator", "item", "received_by"),
        pk=case_id,
    )
    if request.method == "POST":
        try:
            _step(request, case)
        except (ApplicationError, ValueError) as exc:
            messages.error(request, getattr(exc, "message", _("输入有误。")))
        return redirect("halls:hard_case", case.pk)
    coordinators = (
        User.objects.filter(
            kind=User.Kind.STAFF, is_active=True, groups__permissions__codename="handle_hard_cases"
        )
        .distinct()
        .order_by("full_name")
    )
    context = {
        "case": case,
        "events": case.events.select_related("actor"),
        "coordinators": coordinators,
        "feedback_choices": Feedback.choices,
    }
    return render(request, "halls/hard_case.html", context)


def _step(request: HttpRequest, case: HardCase) -> None:
    step, post = request.POST.get("step"), request.POST
    if step == "assign":
        coordinator = get_object_or_404(User, pk=int(post.get("coordinator", "0") or 0))
        deadline = post.get("deadline") or None
        services.hard_case_assign(
            actor=request.user,
            case_id=case.pk,
            coordinator=coordinator,
            deadline=datetime.date.fromisoformat(deadline) if deadline else None,
        )
    elif step == "conclude":
        services.hard_case_conclude(
            actor=request.user,
            case_id=case.pk,
            resolved=post.get("resolved") == "1",
            outcome=post.get("outcome", ""),
        )
    elif step == "feedback":
        services.hard_case_feedback(
            actor=request.user,
            case_id=case.pk,
            feedback=post.get("feedback", ""),
            note=post.get("note", ""),
        )
    else:
        raise ValueError(step)
