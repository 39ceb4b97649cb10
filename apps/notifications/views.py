"""The inbox pages: /inbox/ list, one message, 全部标为已读."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from apps.notifications import selectors, services

PAGE_SIZE = 20


@require_GET
@login_required
def inbox_list(request: HttpRequest) -> HttpResponse:
    paginator = Paginator(selectors.notification_list(user=request.user), PAGE_SIZE)
    page = paginator.get_page(request.GET.get("page"))
    return render(request, "notifications/inbox_list.html", {"page": page})


@require_GET
@login_required
def inbox_detail(request: HttpRequest, pk: int) -> HttpResponse:
    # Opening a message is reading it, as in any mail client; repeat visits change nothing.
    try:
        notification = services.notification_mark_read(user=request.user, notification_id=pk)
    except services.NotificationNotFoundError:
        raise Http404 from None
    return render(request, "notifications/inbox_detail.html", {"notification": notification})


@require_POST
@login_required
def inbox_mark_all_read(request: HttpRequest) -> HttpResponse:
    marked = services.notifications_mark_all_read(user=request.user)
    if marked:
        messages.success(request, _("已将 %(n)d 条消息标为已读。") % {"n": marked})
    else:
        messages.info(request, _("没有未读消息。"))
    return redirect("notifications:list")
