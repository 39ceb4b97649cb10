"""The question page, the feedback buttons, a knowledge-base answer's public page, and the
staff work list of unanswered questions. Thin: the services answer and record."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.admin.views.decorators import staff_member_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from apps.assistant import selectors, services
from apps.assistant.models import Channel
from apps.assistant.services.questions import HANDLE_PERMISSION
from apps.common.errors import ApplicationError

EXAMPLES = ["孩子出生了要办什么", "开饭店需要办什么", "社保卡丢了怎么办", "退休了要办哪些手续"]


@require_GET
def ask(request: HttpRequest) -> HttpResponse:
    text = (request.GET.get("q") or "").strip()
    channel = request.GET.get("channel")
    context: dict = {"query": text, "examples": EXAMPLES}
    if text:
        try:
            question, answer = services.question_ask(
                text=text, channel=channel if channel in Channel.values else Channel.ASK
            )
        except ApplicationError as exc:
            context["error"] = exc.message
        else:
            context.update(question=question, answer=answer)
    return render(request, "assistant/ask.html", context)


@require_POST
def feedback(request: HttpRequest) -> HttpResponse:
    try:
        services.question_feedback(
            token=request.POST.get("token", ""), helpful=request.POST.get("helpful") == "yes"
        )
    except ApplicationError as exc:
        messages.info(request, exc.message)
    else:
        messages.success(request, _("感谢您的评价，我们会据此改进回答。"))
    return render(request, "assistant/thanks.html", status=200)


@require_GET
def article(request: HttpRequest, article_id: int) -> HttpResponse:
    found = selectors.article_get_public(article_id=article_id, today=timezone.localdate())
    if found is None:
        raise Http404
    return render(request, "assistant/article.html", {"article": found})


@staff_member_required
@require_http_methods(["GET", "POST"])
def worklist(request: HttpRequest) -> HttpResponse:
    """待处理的提问, for catalogue and knowledge-base staff."""
    if not request.user.has_perm(HANDLE_PERMISSION):
        raise PermissionDenied
    if request.method == "POST":
        try:
            services.question_handle(
                actor=request.user,
                question_id=int(request.POST.get("question") or 0),
                note=request.POST.get("note", ""),
            )
        except (ApplicationError, ValueError) as exc:
            messages.error(request, getattr(exc, "message", _("提问编号无效。")))
        else:
            messages.success(request, _("已标记为处理。"))
        return redirect("assistant:worklist")
    page = Paginator(selectors.question_worklist(), 50).get_page(request.GET.get("page"))
    context = {
        "title": _("待处理的提问"),
        "page": page,
        "figures": selectors.question_figures(),
        "site_header": _("政务服务管理后台"),
        "has_permission": True,
    }
    return render(request, "assistant/worklist.html", context)
