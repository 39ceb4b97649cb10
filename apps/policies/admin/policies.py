"""Staff screens for policies: drafting with the criteria editor and its live count, publish,
resume, the PO5 halt request → approval flow, and the figures page (issue #14).

Every change goes through one service; the admin's own forms only check shape.
"""

from __future__ import annotations

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from apps.common.errors import ApplicationError, PermissionDeniedError
from apps.policies import selectors, services
from apps.policies.admin.forms import HaltRequestForm, NoteForm, PolicyAdminForm, ReasonForm
from apps.policies.criteria import describe, parse_criteria, registry_as_json
from apps.policies.models import Policy, PolicyHaltRequest
from apps.policies.workflow import EDITABLE_STATES, HaltRequestState, PolicyState

TEMPLATE = "admin/policies/{}.html"


def report(request: HttpRequest, exc: ApplicationError) -> None:
    """The service's own Chinese message(s); nothing changed."""
    for problem in exc.extra.get("problems") or [exc.message]:
        messages.error(request, problem)


def run_service(request: HttpRequest, call, success: str) -> bool:
    try:
        call()
    except PermissionDeniedError:
        raise PermissionDenied from None
    except ApplicationError as exc:
        report(request, exc)
        return False
    messages.success(request, success)
    return True


@admin.register(Policy)
class PolicyAdmin(admin.ModelAdmin):
    form = PolicyAdminForm
    list_display = [
        "code",
        "title",
        "policy_class",
        "department",
        "fulfilment",
        "state",
        "valid_from",
        "valid_until",
        "matched_at",
    ]
    list_filter = ["state", "policy_class", "fulfilment", "subject_kind", "department"]
    search_fields = ["=code", "title"]
    list_select_related = ["department"]
    raw_id_fields = ["service_item"]
    change_form_template = "admin/policies/policy/change_form.html"
    change_list_template = "admin/policies/policy/change_list.html"
    fieldsets = [
        (None, {"fields": ["title", "policy_class", "department", "document_number"]}),
        (
            gettext_lazy("政策内容"),
            {
                "fields": [
                    "summary",
                    "benefit",
                    "amount",
                    "conditions_text",
                    "procedure_text",
                    "time_limit_text",
                    "legal_basis",
                    "contact",
                ]
            },
        ),
        (
            gettext_lazy("兑现方式与有效期"),
            {"fields": ["subject_kind", "fulfilment", "service_item", "valid_from", "valid_until"]},
        ),
        (gettext_lazy("匹配条件"), {"fields": ["criteria"]}),
        (gettext_lazy("英文版"), {"fields": ["title_en"]}),
    ]

    def get_queryset(self, request: HttpRequest):
        return selectors.policy_list_for_staff(user=request.user)

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def get_readonly_fields(self, request: HttpRequest, obj=None):
        if obj is not None and obj.state not in EDITABLE_STATES:
            # Published: what people were told stands; only its English title may be added.
            fields = (f for fs in self.fieldsets for f in fs[1]["fields"])
            return [f for f in fields if f != "title_en"]
        return []

    def save_model(self, request: HttpRequest, obj: Policy, form, change: bool) -> None:
        data = {f: form.cleaned_data.get(f) for f in PolicyAdminForm.Meta.fields}
        try:
            if change and obj.state not in EDITABLE_STATES:
                saved = services.policy_set_title_en(
                    actor=request.user, policy_id=obj.pk, title_en=data["title_en"] or ""
                )
            elif change:
                saved = services.policy_update(actor=request.user, policy_id=obj.pk, data=data)
            else:
                saved = services.policy_create(actor=request.user, data=data)
        except PermissionDeniedError:
            raise PermissionDenied from None
        obj.pk, obj.code, obj.state = saved.pk, saved.code, saved.state

    def get_urls(self):
        view = self.admin_site.admin_view
        name = "policies_policy_{}"
        return [
            path("figures/", view(self.figures_view), name=name.format("figures")),
            path(
                "<int:object_id>/publish/",
                view(require_POST(self.publish_view)),
                name=name.format("publish"),
            ),
            path(
                "<int:object_id>/resume/",
                view(require_POST(self.resume_view)),
                name=name.format("resume"),
            ),
            path(
                "<int:object_id>/halt/",
                view(require_POST(self.halt_view)),
                name=name.format("halt"),
            ),
            *super().get_urls(),
        ]

    def change_view(self, request: HttpRequest, object_id, form_url="", extra_context=None):
        policy = self.get_object(request, object_id)
        extra = {"registry": registry_as_json(), "count_url": reverse("api-policy-criteria-count")}
        if policy is not None:
            extra.update(self._panel(request, policy))
        return super().change_view(request, object_id, form_url, {**(extra_context or {}), **extra})

    def add_view(self, request: HttpRequest, form_url="", extra_context=None):
        extra = {"registry": registry_as_json(), "count_url": reverse("api-policy-criteria-count")}
        return super().add_view(request, form_url, {**(extra_context or {}), **extra})

    def _panel(self, request: HttpRequest, policy: Policy) -> dict:
        user = request.user
        state = PolicyState(policy.state)
        pending = policy.halt_requests.filter(state=HaltRequestState.PENDING).first()
        return {
            "policy": policy,
            "criteria_text": [
                describe(c) for c in parse_criteria(policy.subject_kind, policy.criteria)
            ],
            "can_publish": state == PolicyState.DRAFT and user.has_perm("policies.publish_policy"),
            "can_resume": state == PolicyState.SUSPENDED
            and user.has_perm("policies.request_policy_halt"),
            "can_halt": state in (PolicyState.PUBLISHED, PolicyState.SUSPENDED)
            and pending is None
            and user.has_perm("policies.request_policy_halt"),
            "pending_halt": pending,
            "halt_form": HaltRequestForm(),
            "reason_form": ReasonForm(),
            "events": list(
                policy.events.select_related("actor").order_by("-created_at", "-id")[:50]
            ),
        }

    def _object_or_404(self, request: HttpRequest, object_id: int) -> Policy:
        return get_object_or_404(self.get_queryset(request), pk=object_id)

    def _back(self, object_id: int) -> HttpResponseRedirect:
        return HttpResponseRedirect(reverse("admin:policies_policy_change", args=[object_id]))

    def publish_view(self, request: HttpRequest, object_id: int) -> HttpResponse:
        policy = self._object_or_404(request, object_id)
        run_service(
            request,
            lambda: services.policy_publish(actor=request.user, policy_id=policy.pk),
            _("政策已发布；在有效期内将自动匹配并推送。"),
        )
        return self._back(policy.pk)

    def resume_view(self, request: HttpRequest, object_id: int) -> HttpResponse:
        policy = self._object_or_404(request, object_id)
        form = ReasonForm(request.POST)
        reason = form.cleaned_data["reason"] if form.is_valid() else ""
        run_service(
            request,
            lambda: services.policy_resume(actor=request.user, policy_id=policy.pk, reason=reason),
            _("政策已恢复执行。"),
        )
        return self._back(policy.pk)

    def halt_view(self, request: HttpRequest, object_id: int) -> HttpResponse:
        policy = self._object_or_404(request, object_id)
        form = HaltRequestForm(request.POST)
        if not form.is_valid():
            for errors in form.errors.values():
                for error in errors:
                    messages.error(request, error)
            return self._back(policy.pk)
        run_service(
            request,
            lambda: services.policy_halt_request(
                actor=request.user, policy_id=policy.pk, **form.cleaned_data
            ),
            _("申请已提交，待监督人员审批；审批前政策照常执行。"),
        )
        return self._back(policy.pk)

    def figures_view(self, request: HttpRequest) -> HttpResponse:
        """Matched, pushed, delivered, claimed, granted — by department and policy."""
        if not request.user.has_perm("policies.view_policy_figures"):
            raise PermissionDenied
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": _("政策兑现统计"),
            "summary": selectors.figures_summary(user=request.user),
            "json_url": reverse("api-policy-figures"),
        }
        return TemplateResponse(request, TEMPLATE.format("policy/figures"), context)


@admin.register(PolicyHaltRequest)
class PolicyHaltRequestAdmin(admin.ModelAdmin):
    """PO5: supervisors approve or reject halt requests here."""

    list_display = [
        "policy",
        "action",
        "legal_ground",
        "state",
        "requested_by",
        "created_at",
        "decided_by",
        "decided_at",
    ]
    list_filter = ["state", "action", "legal_ground"]
    list_select_related = ["policy", "requested_by", "decided_by"]
    readonly_fields = [
        "policy",
        "action",
        "legal_ground",
        "legal_basis",
        "reason",
        "state",
        "requested_by",
        "decided_by",
        "decided_at",
        "decision_note",
    ]
    fields = readonly_fields
    change_form_template = "admin/policies/policyhaltrequest/change_form.html"

    def get_queryset(self, request: HttpRequest):
        return (
            super()
            .get_queryset(request)
            .filter(policy__in=selectors.policy_list_for_staff(user=request.user))
        )

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False  # decided through the approve / reject form, never edited

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path(
                "<int:object_id>/decide/",
                view(require_POST(self.decide_view)),
                name="policies_policyhaltrequest_decide",
            ),
            *super().get_urls(),
        ]

    def change_view(self, request: HttpRequest, object_id, form_url="", extra_context=None):
        halt = self.get_object(request, object_id)
        extra = {
            "can_decide": halt is not None
            and halt.state == HaltRequestState.PENDING
            and request.user.has_perm("policies.approve_policy_halt"),
            "note_form": NoteForm(),
        }
        return super().change_view(request, object_id, form_url, {**(extra_context or {}), **extra})

    def decide_view(self, request: HttpRequest, object_id: int) -> HttpResponse:
        halt = get_object_or_404(self.get_queryset(request), pk=object_id)
        form = NoteForm(request.POST)
        note = form.cleaned_data["note"] if form.is_valid() else ""
        approve = request.POST.get("decision") == "approve"
        service = services.policy_halt_approve if approve else services.policy_halt_reject
        run_service(
            request,
            lambda: service(actor=request.user, request_id=halt.pk, note=note),
            _("已批准，政策状态已变更。") if approve else _("已驳回，政策照常执行。"),
        )
        return HttpResponseRedirect(
            reverse("admin:policies_policyhaltrequest_change", args=[halt.pk])
        )
