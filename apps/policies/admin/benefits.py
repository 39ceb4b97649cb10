"""Staff screens for what matching produced: entitlements (grant, pay, payment failed,
cancel — each one service), pushes, claims (issue #14)."""

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
from apps.common.pii import mask_name
from apps.policies import selectors, services
from apps.policies.admin.forms import NoteForm, PaymentForm, ReasonForm
from apps.policies.admin.policies import run_service
from apps.policies.models import Entitlement, PolicyClaim, PolicyPush
from apps.policies.workflow import ENTITLEMENT_TRANSITIONS, EntitlementState

TEMPLATE = "admin/policies/{}.html"
MANAGE = "policies.manage_entitlements"


def _subject_label(match) -> str:
    return match.company.name if match.company_id else mask_name(match.person.name)


# One form per staff action on an entitlement; shown when the edge is allowed.
ENTITLEMENT_ACTIONS = {
    "grant": (gettext_lazy("认定"), EntitlementState.GRANTED, NoteForm),
    "pay": (gettext_lazy("登记兑付"), EntitlementState.PAID, PaymentForm),
    "payment_failed": (gettext_lazy("登记兑付失败"), EntitlementState.PAYMENT_FAILED, ReasonForm),
    "cancel": (gettext_lazy("撤销"), EntitlementState.CANCELLED, ReasonForm),
}


def _call(action: str, entitlement_id: int, user, data: dict):
    if action == "grant":
        return services.entitlement_grant(actor=user, entitlement_id=entitlement_id, **data)
    if action == "pay":
        return services.entitlement_mark_paid(actor=user, entitlement_id=entitlement_id, **data)
    if action == "payment_failed":
        return services.entitlement_mark_payment_failed(
            actor=user, entitlement_id=entitlement_id, **data
        )
    return services.entitlement_cancel(actor=user, entitlement_id=entitlement_id, **data)


@admin.register(Entitlement)
class EntitlementAdmin(admin.ModelAdmin):
    list_display = [
        "notice_number",
        "policy",
        "subject",
        "state",
        "amount",
        "decided_at",
        "paid_at",
        "lapsed",
    ]
    list_filter = ["state", "policy"]
    search_fields = ["=notice_number", "=payment_reference"]
    show_full_result_count = False
    actions = ["grant_selected"]

    def get_queryset(self, request: HttpRequest):
        return selectors.entitlement_list_for_staff(user=request.user)

    @admin.display(description=gettext_lazy("对象"))
    def subject(self, obj: Entitlement) -> str:
        return _subject_label(obj.match)

    @admin.display(description=gettext_lazy("已不符合"), boolean=True)
    def lapsed(self, obj: Entitlement) -> bool:
        return obj.match.lapsed_at is not None

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    @admin.action(description=gettext_lazy("认定所选待遇（免申即享）"), permissions=["manage"])
    def grant_selected(self, request: HttpRequest, queryset) -> None:
        granted, problems = 0, []
        waiting = queryset.filter(state=EntitlementState.NOTIFIED).values_list(
            "pk", "notice_number"
        )
        for pk, notice_number in waiting:
            try:
                services.entitlement_grant(actor=request.user, entitlement_id=pk)
            except PermissionDeniedError:
                raise PermissionDenied from None
            except ApplicationError as exc:
                problems.append(f"{notice_number}：{exc.message}")
            else:
                granted += 1
        messages.success(request, _("已认定%(n)d项。") % {"n": granted})
        for problem in problems[:20]:
            messages.error(request, problem)

    def has_manage_permission(self, request: HttpRequest) -> bool:
        return request.user.has_perm(MANAGE)

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path(
                "<int:object_id>/act/<slug:action>/",
                view(require_POST(self.act_view)),
                name="policies_entitlement_act",
            ),
            *super().get_urls(),
        ]

    def change_view(self, request: HttpRequest, object_id, form_url="", extra_context=None):
        entitlement = get_object_or_404(self.get_queryset(request), pk=object_id)
        allowed = ENTITLEMENT_TRANSITIONS[EntitlementState(entitlement.state)]
        forms = [
            {"name": name, "label": label, "form": form_class()}
            for name, (label, target, form_class) in ENTITLEMENT_ACTIONS.items()
            if target in allowed and request.user.has_perm(MANAGE)
        ]
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": _("免申即享待遇 %(notice)s") % {"notice": entitlement.notice_number},
            "entitlement": entitlement,
            "subject": _subject_label(entitlement.match),
            "events": entitlement.events.select_related("actor").order_by("created_at", "id"),
            "forms": forms,
        }
        return TemplateResponse(request, TEMPLATE.format("entitlement/detail"), context)

    def act_view(self, request: HttpRequest, object_id: int, action: str) -> HttpResponse:
        entitlement = get_object_or_404(self.get_queryset(request), pk=object_id)
        if action not in ENTITLEMENT_ACTIONS:
            raise PermissionDenied
        label, _target, form_class = ENTITLEMENT_ACTIONS[action]
        form = form_class(request.POST)
        if form.is_valid():
            run_service(
                request,
                lambda: _call(action, entitlement.pk, request.user, form.cleaned_data),
                _("已%(action)s。") % {"action": label},
            )
        else:
            for errors in form.errors.values():
                for error in errors:
                    messages.error(request, error)
        return HttpResponseRedirect(
            reverse("admin:policies_entitlement_change", args=[entitlement.pk])
        )


@admin.register(PolicyPush)
class PolicyPushAdmin(admin.ModelAdmin):
    """One row per matched subject: queued, sent, opted out, unreachable or withdrawn."""

    list_display = ["id", "policy", "subject", "status", "recipients", "queued_at", "sent_at"]
    list_filter = ["status", "policy"]
    show_full_result_count = False

    def get_queryset(self, request: HttpRequest):
        return selectors.push_list_for_staff(user=request.user)

    @admin.display(description=gettext_lazy("对象"))
    def subject(self, obj: PolicyPush) -> str:
        return _subject_label(obj.match)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False


@admin.register(PolicyClaim)
class PolicyClaimAdmin(admin.ModelAdmin):
    """申请兑现: the application each claim made, with the shared data it carried (A3)."""

    list_display = ["policy", "application", "application_state", "claimed_by", "created_at"]
    list_select_related = ["policy", "application", "claimed_by"]
    list_filter = ["policy"]
    readonly_fields = ["policy", "application", "claimed_by", "shared_data", "created_at"]
    fields = readonly_fields

    @admin.display(description=gettext_lazy("办件状态"))
    def application_state(self, obj: PolicyClaim) -> str:
        return obj.application.get_state_display()

    def get_queryset(self, request: HttpRequest):
        return (
            super()
            .get_queryset(request)
            .filter(policy__in=selectors.policy_list_for_staff(user=request.user))
        )

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False
