"""The staff side of reviews in the admin (DOMAIN R3, R4, R7): the case page with one form
per allowed step, the appeal page with the supervisor's decision, a review's page with the
department's appeal, and 现场评价 (the window's rating code).

Scoping comes from the selectors; every change goes through one service; a refused step
shows the service's Chinese message and changes nothing.
"""

from __future__ import annotations

import base64
import io
from collections.abc import Callable
from dataclasses import dataclass

import qrcode
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from apps.accounts.services import REVEAL_PERMISSION
from apps.applications.models import Application
from apps.common.errors import ApplicationError
from apps.reviews import services
from apps.reviews.admin import forms
from apps.reviews.models import Appeal, RectificationCase
from apps.reviews.selectors import reviews as selectors
from apps.reviews.workflow import CASE_TRANSITIONS, AppealState, CaseState


@dataclass(frozen=True)
class Step:
    name: str
    label: str | Promise
    form_class: type
    permission: str
    allowed: Callable[[RectificationCase], bool]
    run: Callable


def _callback(case, user, data):
    services.case_record_callback(
        case_id=case.pk, actor=user, outcome=data["outcome"], note=data["note"], days=data["days"]
    )


def _rectify(case, user, data):
    services.case_rectify(case_id=case.pk, actor=user, note=data["note"])


def _revisit(case, user, data):
    services.case_revisit(case_id=case.pk, actor=user, level=data["level"], note=data["note"])


def _supervise(case, user, data):
    services.case_supervise(case_id=case.pk, actor=user, note=data["note"])


STEPS = (
    Step(
        "callback",
        gettext_lazy("登记回访核实结果"),
        forms.CallbackForm,
        "reviews.handle_review",
        lambda c: c.state == CaseState.CALLBACK_DUE,
        _callback,
    ),
    Step(
        "rectify",
        gettext_lazy("登记整改完成"),
        forms.RectifyForm,
        "reviews.handle_review",
        lambda c: c.state == CaseState.RECTIFYING,
        _rectify,
    ),
    Step(
        "revisit",
        gettext_lazy("登记回访满意度"),
        forms.RevisitForm,
        "reviews.handle_review",
        lambda c: CaseState.REVISITED in CASE_TRANSITIONS[CaseState(c.state)],
        _revisit,
    ),
    Step(
        "supervise",
        gettext_lazy("督办"),
        forms.SuperviseForm,
        "reviews.supervise_review",
        lambda c: c.state in (CaseState.CALLBACK_DUE, CaseState.RECTIFYING),
        _supervise,
    ),
)
BY_NAME = {step.name: step for step in STEPS}


def _context(model_admin, request: HttpRequest, title: str, **extra) -> dict:
    return {
        **model_admin.admin_site.each_context(request),
        "opts": model_admin.model._meta,
        "title": title,
        **extra,
    }


def _report(request: HttpRequest, exc: ApplicationError) -> None:
    messages.error(request, exc.message)


def case_detail_view(model_admin, request: HttpRequest, object_id, bound=None) -> HttpResponse:
    case = selectors.case_get_for_staff(user=request.user, case_id=int(object_id))
    bound = bound or {}
    steps = [
        {"step": s, "form": bound.get(s.name) or s.form_class()}
        for s in STEPS
        if s.allowed(case) and request.user.has_perm(s.permission)
    ]
    review = case.review
    context = _context(
        model_admin,
        request,
        _("差评整改 %(pk)s") % {"pk": case.pk},
        case=case,
        original=case,
        review=review,
        reviewer=selectors.reviewer_shown(review),
        reveal_url=(
            reverse("admin:accounts_user_reveal", args=[review.reviewer_id])
            if review.reviewer_id
            and not review.anonymous
            and request.user.has_perm(REVEAL_PERMISSION)
            else ""
        ),
        steps=steps,
        events=list(case.events.all()),
        appeal=getattr(review, "appeal", None),
    )
    return TemplateResponse(request, "admin/reviews/case_detail.html", context)


def case_action_view(model_admin, request: HttpRequest, object_id: int, name: str):
    step = BY_NAME.get(name)
    if step is None:
        raise Http404
    case = selectors.case_get_for_staff(user=request.user, case_id=int(object_id))
    form = step.form_class(request.POST)
    if not form.is_valid():
        return case_detail_view(model_admin, request, object_id, bound={name: form})
    try:
        step.run(case, request.user, form.cleaned_data)
    except ApplicationError as exc:
        _report(request, exc)
    else:
        messages.success(request, _("%(step)s：已完成。") % {"step": step.label})
    return HttpResponseRedirect(reverse("admin:reviews_rectificationcase_change", args=[case.pk]))


# --- Reviews and appeals ------------------------------------------------------------------------


def review_detail_view(model_admin, request: HttpRequest, object_id, form=None) -> HttpResponse:
    review = (
        selectors.review_scope_for_staff(user=request.user)
        .select_related("department", "item", "window__center", "staff", "reviewer", "event")
        .prefetch_related("tags")
        .filter(pk=int(object_id))
        .first()
    )
    if review is None:
        raise Http404
    appeal = Appeal.objects.filter(review=review).first()
    can_appeal = appeal is None and request.user.has_perm("reviews.appeal_review")
    context = _context(
        model_admin,
        request,
        _("评价 %(pk)s") % {"pk": review.pk},
        review=review,
        original=review,
        reviewer=selectors.reviewer_shown(review),
        appeal=appeal,
        case=RectificationCase.objects.filter(review=review).first(),
        appeal_form=(form or forms.AppealForm()) if can_appeal else None,
    )
    return TemplateResponse(request, "admin/reviews/review_detail.html", context)


def review_appeal_view(model_admin, request: HttpRequest, object_id: int):
    form = forms.AppealForm(request.POST)
    if not form.is_valid():
        return review_detail_view(model_admin, request, object_id, form=form)
    try:
        appeal = services.appeal_file(
            review_id=int(object_id),
            actor=request.user,
            ground=form.cleaned_data["ground"],
            reason=form.cleaned_data["reason"],
        )
    except ApplicationError as exc:
        _report(request, exc)
        return HttpResponseRedirect(reverse("admin:reviews_review_change", args=[object_id]))
    messages.success(request, _("申诉已提交，等待监督管理人员复核。"))
    return HttpResponseRedirect(reverse("admin:reviews_appeal_change", args=[appeal.pk]))


def appeal_detail_view(model_admin, request: HttpRequest, object_id, form=None) -> HttpResponse:
    appeal = (
        selectors.appeal_scope_for_staff(user=request.user)
        .select_related("review__window__center", "review__staff", "review__reviewer")
        .prefetch_related("review__tags")
        .filter(pk=int(object_id))
        .first()
    )
    if appeal is None:
        raise Http404
    can_decide = appeal.state == AppealState.PENDING and request.user.has_perm(
        "reviews.decide_appeal"
    )
    context = _context(
        model_admin,
        request,
        _("评价申诉 %(pk)s") % {"pk": appeal.pk},
        appeal=appeal,
        original=appeal,
        review=appeal.review,
        reviewer=selectors.reviewer_shown(appeal.review),
        decide_form=(form or forms.DecideForm()) if can_decide else None,
    )
    return TemplateResponse(request, "admin/reviews/appeal_detail.html", context)


def appeal_decide_view(model_admin, request: HttpRequest, object_id: int):
    form = forms.DecideForm(request.POST)
    if not form.is_valid():
        return appeal_detail_view(model_admin, request, object_id, form=form)
    try:
        services.appeal_decide(
            appeal_id=int(object_id),
            actor=request.user,
            upheld=form.cleaned_data["decision"] == "upheld",
            note=form.cleaned_data["note"],
        )
    except ApplicationError as exc:
        _report(request, exc)
    else:
        messages.success(request, _("复核结论已登记。"))
    return HttpResponseRedirect(reverse("admin:reviews_appeal_change", args=[object_id]))


# --- 现场评价: the window's rating code ----------------------------------------------------


def _qr_data_uri(url: str) -> str:
    image = qrcode.make(url, box_size=8, border=2)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode()


def _initial_for(request: HttpRequest) -> dict:
    application_id = request.GET.get("application", "")
    if not application_id.isdigit():
        return {}
    application = Application.objects.filter(pk=int(application_id)).first()
    if application is None:
        return {}
    return {
        "application": application.pk,
        "department": application.department_id,
        "item": application.item_id,
    }


def window_open_view(model_admin, request: HttpRequest) -> HttpResponse:
    """现场评价: open a rating for the visit just completed and show its QR code and link
    (valid for ``REVIEWS_WINDOW_TOKEN_MINUTES``), plus the counter tablet's address."""
    if not request.user.has_perm("reviews.open_window_event"):
        raise PermissionDenied
    form = forms.WindowEventForm(
        request.POST or None, user=request.user, initial=_initial_for(request)
    )
    event = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        application = None
        if data.get("application"):
            application = Application.objects.filter(pk=data["application"]).first()
        try:
            event = services.window_event_open(
                actor=request.user,
                window=data["window"],
                department=data["department"],
                item=data.get("item"),
                application=application,
            )
        except ApplicationError as exc:
            _report(request, exc)
    context = _context(model_admin, request, _("现场评价"), form=form, event=event)
    if event is not None:
        url = request.build_absolute_uri(services.event_rating_url(event))
        context.update(
            rating_url=url,
            qr=_qr_data_uri(url),
            counter_url=request.build_absolute_uri(
                reverse("reviews:counter", args=[services.counter_key(event.window)])
            ),
        )
    return TemplateResponse(request, "admin/reviews/window_open.html", context)
