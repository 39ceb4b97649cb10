"""特约监督员's pages (S1): submit and confirm; the hall management assigns; the assignee
answers. One page per opinion, one service per step."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from apps.accounts.models import User
from apps.common.errors import ApplicationError
from apps.halls import services
from apps.halls.models import HallProfile, Opinion, SocialSupervisor


def _visible(user) -> Q:
    if user.has_perm("halls.manage_halls"):
        return Q()
    return Q(supervisor__user=user) | Q(assignee=user)


@login_required
@require_http_methods(["GET", "POST"])
def opinion_list(request: HttpRequest) -> HttpResponse:
    supervisor = SocialSupervisor.objects.filter(user=request.user, is_active=True).first()
    manager = request.user.has_perm("halls.manage_halls")
    if supervisor is None and not manager and request.user.kind != User.Kind.STAFF:
        raise Http404
    if request.method == "POST":
        hall_id = request.POST.get("hall", "")
        try:
            services.opinion_submit(
                actor=request.user,
                content=request.POST.get("content", ""),
                hall=HallProfile.objects.filter(pk=hall_id).first() if hall_id.isdigit() else None,
            )
            messages.success(request, _("意见已提交，我们将在期限内答复。"))
        except ApplicationError as exc:
            messages.error(request, exc.message)
        return redirect("halls:opinions")
    opinions = (
        Opinion.objects.filter(_visible(request.user))
        .select_related("supervisor__user", "hall__center", "assignee")
        .order_by("-created_at")[:100]
    )
    context = {
        "opinions": opinions,
        "supervisor": supervisor,
        "halls": HallProfile.objects.select_related("center").order_by("center__code"),
    }
    return render(request, "halls/opinions.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def opinion_detail(request: HttpRequest, opinion_id: int) -> HttpResponse:
    opinion = get_object_or_404(
        Opinion.objects.filter(_visible(request.user)).select_related(
            "supervisor__user", "hall__center", "assignee"
        ),
        pk=opinion_id,
    )
    if request.method == "POST":
        try:
            _step(request, opinion)
        except ApplicationError as exc:
            messages.error(request, exc.message)
        return redirect("halls:opinion", opinion.pk)
    context = {
        "opinion": opinion,
        "events": opinion.events.select_related("actor"),
        "staff": User.objects.filter(kind=User.Kind.STAFF, is_active=True).order_by("full_name")
        if request.user.has_perm("halls.manage_halls")
        else [],
    }
    return render(request, "halls/opinion.html", context)


def _step(request: HttpRequest, opinion: Opinion) -> None:
    step, post = request.POST.get("step"), request.POST
    if step == "assign":
        raw = post.get("assignee", "")
        assignee = get_object_or_404(User, pk=int(raw) if raw.isdigit() else 0)
        services.opinion_assign(actor=request.user, opinion_id=opinion.pk, assignee=assignee)
    elif step == "answer":
        services.opinion_answer(
            actor=request.user, opinion_id=opinion.pk, answer=post.get("answer", "")
        )
    elif step == "confirm":
        services.opinion_confirm(
            actor=request.user,
            opinion_id=opinion.pk,
            satisfied=post.get("satisfied") == "1",
            note=post.get("note", ""),
        )
    else:
        raise ApplicationError(_("操作无效。"), code="invalid_step")
