"""Public policy lists (PO1, PO2) and "政策找人 · 我的政策" (PO3, PO4).

Thin: selectors read, services write, a service's error becomes a Chinese message.
"""

from __future__ import annotations

import re
from functools import wraps

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import BadRequest
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from apps.accounts.models import Department, User
from apps.applications.workflow import State as ApplicationState
from apps.common.errors import ApplicationError
from apps.notifications.preferences import (
    notification_preference_get,
    notification_preference_set,
)
from apps.policies import selectors, services
from apps.policies.criteria import describe, parse_criteria
from apps.policies.forms import DeclineForm, PushPreferenceForm
from apps.policies.models import PolicyClass
from apps.policies.services._base import NOTIFICATION_CATEGORY
from apps.policies.services.profiles import OWN_PURPOSE

POLICIES_PER_PAGE = 20
_SUBJECT_KEY = re.compile(r"person|company-\d{1,18}")


def _param(request: HttpRequest, name: str, allowed: set[str] | None = None) -> str:
    value = request.GET.get(name, "")
    if "\x00" in value:
        raise BadRequest("NUL in query")
    if allowed is not None and value not in allowed:
        return ""
    return value


@require_GET
def policy_list(request: HttpRequest) -> HttpResponse:
    """PO1: published policies by class, issuing department and validity."""
    departments = list(
        Department.objects.filter(policies__isnull=False).distinct().order_by("code")
    )
    filters = {
        "policy_class": _param(request, "class", set(PolicyClass.values)),
        "department_code": _param(request, "department", {d.code for d in departments}),
        "validity": _param(request, "validity", {v for v, _l in selectors.Validity.CHOICES}),
    }
    page = Paginator(selectors.policy_list_public(**filters), POLICIES_PER_PAGE).get_page(
        _param(request, "page")
    )
    query = "&".join(
        f"{name}={value}"
        for name, value in (
            ("class", filters["policy_class"]),
            ("department", filters["department_code"]),
            ("validity", filters["validity"]),
        )
        if value
    )
    context = {
        "page": page,
        "classes": PolicyClass.choices,
        "departments": departments,
        "validities": selectors.Validity.CHOICES,
        "filters": filters,
        "query": query,
        "today": timezone.localdate(),
    }
    return render(request, "policies/list.html", context)


@require_GET
def policy_detail(request: HttpRequest, code: str) -> HttpResponse:
    """PO2: conditions, procedure, time limit, legal basis and how it is fulfilled."""
    policy = selectors.policy_get_public(code=code)
    conditions = parse_criteria(policy.subject_kind, policy.criteria)
    context = {
        "policy": policy,
        "criteria": [describe(c) for c in conditions],
        "today": timezone.localdate(),
    }
    return render(request, "policies/detail.html", context)


# --- 我的政策 ---------------------------------------------------------------------------------


def beneficiary_required(view):
    """Citizens and company agents: others log in first; staff use the admin."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        user = request.user
        if not user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if user.kind == User.Kind.STAFF or user.is_staff:
            return redirect("admin:index")
        return view(request, *args, **kwargs)

    return wrapper


def _chosen_subject(request: HttpRequest, subjects: list[selectors.Subject]):
    key = _param(request, "subject", {s.key for s in subjects})
    return next((s for s in subjects if s.key == key), subjects[0] if subjects else None)


@beneficiary_required
@require_GET
def my_policies(request: HttpRequest) -> HttpResponse:
    """政策找人: the policies the user (or their company) matches, why, and what to do."""
    subjects = selectors.subjects_for(request.user)
    subject = _chosen_subject(request, subjects)
    rows, facts = [], {}
    if subject is not None:
        rows = selectors.my_policies(user=request.user, subject=subject)
        # The subject looks at their own shared data: logged like any other look (A17).
        services.profile_view(viewer=request.user, profile=subject.profile, purpose=OWN_PURPOSE)
        facts = services.profile_facts(subject.profile)
    preference = notification_preference_get(user=request.user, category=NOTIFICATION_CATEGORY)
    form = PushPreferenceForm(
        initial={
            "channels": list(preference.channels()) or ["inbox"],
            "opted_out": preference.opted_out,
        }
    )
    context = {
        "subjects": subjects,
        "subject": subject,
        "rows": rows,
        "facts": facts,
        "preference_form": form,
        "decline_form": DeclineForm(),
        "approved": ApplicationState.APPROVED,
    }
    return render(request, "policies/mine.html", context)


def _back_to_mine(request: HttpRequest) -> HttpResponse:
    """Back to 我的政策, on the subject the form was sent from (if it names one)."""
    subject = request.POST.get("subject", "")
    url = reverse("policies:mine")
    return redirect(f"{url}?subject={subject}" if _SUBJECT_KEY.fullmatch(subject) else url)


@beneficiary_required
@require_POST
def claim(request: HttpRequest, match_id: int) -> HttpResponse:
    """PO4: apply in one step; what data sharing supplies is filled in."""
    try:
        policy_claim = services.policy_claim(actor=request.user, match_id=match_id)
    except ApplicationError as exc:
        messages.error(request, exc.message)
        return _back_to_mine(request)
    application = policy_claim.application
    if application.state == ApplicationState.DRAFT:
        messages.warning(request, _("已为您生成申请并填好共享数据，请补充上传剩余材料后提交。"))
        return redirect("applications:edit", application.pk)
    messages.success(
        request,
        _("申请已提交（申请编号 %(number)s），请留意受理进度。") % {"number": application.number},
    )
    return redirect("applications:detail", application.pk)


@beneficiary_required
@require_POST
def decline(request: HttpRequest, entitlement_id: int) -> HttpResponse:
    form = DeclineForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    try:
        services.entitlement_decline(
            actor=request.user, entitlement_id=entitlement_id, reason=reason
        )
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("已放弃该项待遇。"))
    return _back_to_mine(request)


@beneficiary_required
@require_GET
def notice(request: HttpRequest, entitlement_id: int) -> HttpResponse:
    """免申即享告知书: printable."""
    entitlement = selectors.entitlement_get_for_beneficiary(
        user=request.user, entitlement_id=entitlement_id
    )
    context = {
        "entitlement": entitlement,
        "policy": entitlement.policy,
        "subject": entitlement.match.subject,
        "events": list(entitlement.events.order_by("created_at", "id")),
    }
    return render(request, "policies/notice.html", context)


@beneficiary_required
@require_POST
def preferences(request: HttpRequest) -> HttpResponse:
    form = PushPreferenceForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("接收渠道无效。"))
        return _back_to_mine(request)
    try:
        notification_preference_set(
            user=request.user,
            category=NOTIFICATION_CATEGORY,
            channels=form.cleaned_data["channels"],
            opted_out=form.cleaned_data["opted_out"],
        )
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("推送设置已保存。"))
    return _back_to_mine(request)
