"""Rating pages (DOMAIN R1, R7): on the web after a decided application (signed in, the
applicant's own), at the window by a short-lived token (no login), on the counter tablet,
and the person's own reviews with the follow-up (追评)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from apps.common.errors import ApplicationError
from apps.reviews import services
from apps.reviews.forms import FollowUpForm, ReviewForm
from apps.reviews.models import ServiceEvent
from apps.reviews.selectors import reviews as selectors
from apps.reviews.workflow import BAD_VALUES, Channel


def _client(request: HttpRequest) -> str:
    return request.META.get("REMOTE_ADDR", "")


def _form_context(form: ReviewForm, event: ServiceEvent, **extra) -> dict:
    return {"form": form, "event": event, "bad_levels": list(BAD_VALUES), **extra}


def _fail(form: ReviewForm, exc: ApplicationError) -> None:
    field = exc.extra.get("field")
    form.add_error(field if field in form.fields else None, exc.message)


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def rate(request: HttpRequest, event_id: int) -> HttpResponse:
    """一事一评 on the web: the person's own decided application; someone else's is 404."""
    event = selectors.event_get_for_rating(user=request.user, event_id=event_id)
    if event.reviewed_at is not None:
        messages.info(request, _("您已评价过本次服务，可在“我的评价”中追评。"))
        return redirect("reviews:mine")
    form = ReviewForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.review_submit(
                    event_id=event.pk,
                    channel=Channel.WEB,
                    reviewer=request.user,
                    source=_client(request),
                    **form.service_kwargs(),
                )
            except ApplicationError as exc:
                _fail(form, exc)
            else:
                messages.success(request, _("感谢您的评价！"))
                return redirect("reviews:mine")
        status = 400
    return render(request, "reviews/rate.html", _form_context(form, event), status=status)


@never_cache
@require_http_methods(["GET", "POST"])
def token_rate(request: HttpRequest, token: str) -> HttpResponse:
    """一次一评 at the window, no login: the token names the visit just completed."""
    try:
        event = services.event_from_token(token)
    except ApplicationError as exc:
        return render(request, "reviews/token_invalid.html", {"message": exc.message}, status=410)
    event = ServiceEvent.objects.select_related(
        "department", "item", "window__center", "staff"
    ).get(pk=event.pk)
    counter = request.GET.get("counter", "")
    if event.reviewed_at is not None:
        return render(
            request,
            "reviews/token_invalid.html",
            {"message": _("本次服务已评价，感谢您的参与。"), "counter": counter},
            status=410,
        )
    form = ReviewForm(request.POST or None, allow_real_name=event.subject_id is not None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.review_submit_with_token(
                    token=token, source=_client(request), **form.service_kwargs()
                )
            except ApplicationError as exc:
                _fail(form, exc)
            else:
                return render(request, "reviews/thanks.html", {"counter": counter})
        status = 400
    context = _form_context(form, event, token=token, counter=counter)
    return render(request, "reviews/token_rate.html", context, status=status)


@never_cache
def counter(request: HttpRequest, key: str) -> HttpResponse:
    """The tablet on the counter: the window's newest visit still open for rating, or a
    waiting screen that looks again every few seconds."""
    window = services.window_from_counter_key(key)
    if window is None:
        return render(
            request, "reviews/token_invalid.html", {"message": _("评价设备地址无效。")}, status=404
        )
    event = (
        ServiceEvent.objects.filter(
            window=window, reviewed_at__isnull=True, expires_at__gt=timezone.now()
        )
        .order_by("-id")
        .first()
    )
    token = services.event_token(event) if event else ""
    return render(request, "reviews/counter.html", {"window": window, "token": token, "key": key})


@never_cache
@login_required
def mine(request: HttpRequest) -> HttpResponse:
    """我的评价: services to rate, reviews given, what was done about a bad one."""
    context = {
        "pending": list(selectors.pending_events_for(user=request.user)[:20]),
        "reviews": list(selectors.reviews_of(user=request.user)[:50]),
        "follow_up_form": FollowUpForm(),
        "now": timezone.now(),
    }
    return render(request, "reviews/mine.html", context)


@login_required
@require_POST
def follow_up(request: HttpRequest, review_id: int) -> HttpResponse:
    form = FollowUpForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("请填写追评内容。"))
        return redirect("reviews:mine")
    try:
        services.review_follow_up(
            review_id=review_id, actor=request.user, text=form.cleaned_data["text"]
        )
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("追评已提交。"))
    return redirect("reviews:mine")
