"""Staff screens of the pledge route (issue #11): the pledged queue with the direct
decision and termination, verifications with the inspection and revocation forms,
rectification orders, credit records and repair requests, and the figures page. Every
change goes through one service; the admin's forms only check shape. History everywhere."""

from __future__ import annotations

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import (
    FileResponse,
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseRedirect,
    JsonResponse,
)
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _
from simple_history.admin import SimpleHistoryAdmin

from apps.accounts.selectors import scope_by_department
from apps.common.errors import ApplicationError, PermissionDeniedError
from apps.pledges import selectors, services
from apps.pledges.admin_forms import (
    CheckForm,
    CreditRecordForm,
    ReasonsForm,
    RepairDecisionForm,
    RevokeForm,
)
from apps.pledges.models import (
    CreditRecord,
    CreditRepairRequest,
    Pledge,
    PledgeableCertificate,
    PledgeEvent,
    RectificationOrder,
    VerificationCheck,
    VerificationTask,
)
from apps.pledges.workflow import OPEN_VERIFICATION_STATES, RepairStatus

TEMPLATE = "admin/pledges/form.html"


def run_service(request: HttpRequest, call, success: str) -> bool:
    try:
        call()
    except PermissionDeniedError:
        raise PermissionDenied from None
    except ApplicationError as exc:
        messages.error(request, exc.message)
        return False
    messages.success(request, success)
    return True


class ReadOnlyMixin:
    def has_add_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False


class DepartmentScoped:
    department_field = "department"

    def get_queryset(self, request: HttpRequest):
        qs = super().get_queryset(request)  # type: ignore[misc]
        return scope_by_department(qs, request.user, self.department_field)


def _form_page(request, admin_obj, *, title: str, form, obj, submit: str) -> TemplateResponse:
    context = {
        **admin_obj.admin_site.each_context(request),
        "opts": admin_obj.model._meta,
        "title": title,
        "form": form,
        "object": obj,
        "submit": submit,
    }
    return TemplateResponse(request, TEMPLATE, context)


@admin.register(Pledge)
class PledgeAdmin(DepartmentScoped, ReadOnlyMixin, admin.ModelAdmin):
    """已签署的告知承诺书 and the queue of pledged cases to decide directly (P2)."""

    department_field = "application__department"
    list_display = [
        "application",
        "kind",
        "subject_name",
        "application_state",
        "signed_at",
        "decide_link",
    ]
    list_filter = ["kind", "application__state", "application__department"]
    list_select_related = ["application"]
    search_fields = ["=application__number", "subject_name"]
    readonly_fields = [f.name for f in Pledge._meta.fields]

    def has_view_permission(self, request: HttpRequest, obj=None) -> bool:
        return request.user.has_perm("pledges.view_pledge")

    @admin.display(description=_("办件状态"))
    def application_state(self, obj: Pledge) -> str:
        return obj.application.get_state_display()

    @admin.display(description=_("操作"))
    def decide_link(self, obj: Pledge) -> str:
        if obj.application.state not in ("submitted", "accepted", "under_review"):
            return ""
        url = reverse("admin:pledges_pledge_decide", args=[obj.pk])
        return format_html('<a href="{}">{}</a>', url, _("审查决定"))

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path("<int:object_id>/decide/", view(self.decide_view), name="pledges_pledge_decide"),
            *super().get_urls(),
        ]

    def decide_view(self, request: HttpRequest, object_id: int) -> HttpResponse:
        pledge = get_object_or_404(self.get_queryset(request), pk=object_id)
        form = ReasonsForm(request.POST or None)
        if request.method == "POST":
            action = request.POST.get("action")
            if action == "approve":
                ok = run_service(
                    request,
                    lambda: services.pledge_approve(
                        application_id=pledge.application_id, actor=request.user
                    ),
                    _("已按告知承诺直接作出准予许可决定，结果文书已出具。"),
                )
            elif form.is_valid():
                ok = run_service(
                    request,
                    lambda: services.pledge_terminate(
                        application_id=pledge.application_id,
                        actor=request.user,
                        reasons=form.cleaned_data["reasons"],
                    ),
                    _("已终止办理并记入失信记录。"),
                )
            else:
                ok = False
            if ok:
                return HttpResponseRedirect(reverse("admin:pledges_pledge_changelist"))
        return _form_page(
            request,
            self,
            title=_("告知承诺办件审查：%(n)s") % {"n": pledge.application.number},
            form=form,
            obj=pledge,
            submit="decide",
        )


class CheckInline(admin.TabularInline):
    model = VerificationCheck
    extra = 0
    can_delete = False
    fields = ["inspected_on", "outcome", "place", "evidence", "evidence_link", "inspector"]
    readonly_fields = fields

    @admin.display(description=_("证据材料"))
    def evidence_link(self, obj) -> str:
        if not obj.evidence_file:
            return "—"
        url = reverse("admin:pledges_verificationtask_evidence", args=[obj.pk])
        return format_html('<a href="{}">{}</a>', url, _("下载"))

    def has_add_permission(self, request: HttpRequest, obj=None) -> bool:
        return False


class EventInline(admin.TabularInline):
    model = PledgeEvent
    fk_name = "task"
    extra = 0
    can_delete = False
    fields = ["created_at", "kind", "actor", "reason"]
    readonly_fields = fields

    def has_add_permission(self, request: HttpRequest, obj=None) -> bool:
        return False


@admin.register(VerificationTask)
class VerificationTaskAdmin(DepartmentScoped, SimpleHistoryAdmin):
    """核查任务: verifications due, with the inspection and revocation forms (P3, P3a)."""

    list_display = [
        "application",
        "item",
        "department",
        "state",
        "selection",
        "due_date",
        "rectify_deadline",
        "inspector",
    ]
    list_filter = ["state", "selection", "department", "due_date"]
    list_select_related = ["application", "item", "department", "inspector"]
    search_fields = ["=application__number"]
    readonly_fields = [f.name for f in VerificationTask._meta.fields]
    inlines = [CheckInline, EventInline]
    change_form_template = "admin/pledges/verificationtask/change_form.html"

    def has_add_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path(
                "<int:object_id>/check/",
                view(self.check_view),
                name="pledges_verificationtask_check",
            ),
            path(
                "<int:object_id>/revoke/",
                view(self.revoke_view),
                name="pledges_verificationtask_revoke",
            ),
            path("figures/", view(self.figures_view), name="pledges_verificationtask_figures"),
            path(
                "evidence/<int:check_id>/",
                view(self.evidence_view),
                name="pledges_verificationtask_evidence",
            ),
            *super().get_urls(),
        ]

    def change_view(self, request: HttpRequest, object_id, form_url="", extra_context=None):
        task = self.get_object(request, object_id)
        extra = dict(extra_context or {})
        if task is not None and task.state in OPEN_VERIFICATION_STATES:
            extra["check_url"] = reverse("admin:pledges_verificationtask_check", args=[task.pk])
            extra["revoke_url"] = reverse("admin:pledges_verificationtask_revoke", args=[task.pk])
        return super().change_view(request, object_id, form_url, extra)

    def _task(self, request: HttpRequest, object_id: int) -> VerificationTask:
        return get_object_or_404(self.get_queryset(request), pk=object_id)

    def _back(self, task: VerificationTask) -> HttpResponseRedirect:
        return HttpResponseRedirect(
            reverse("admin:pledges_verificationtask_change", args=[task.pk])
        )

    def check_view(self, request: HttpRequest, object_id: int) -> HttpResponse:
        task = self._task(request, object_id)
        form = CheckForm(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            if run_service(
                request,
                lambda: services.verification_record(
                    task_id=task.pk,
                    actor=request.user,
                    compliant=data["compliant"],
                    evidence=data["evidence"],
                    place=data["place"],
                    inspected_on=data["inspected_on"],
                    evidence_file=data["evidence_file"],
                    rectify_items=form.items(),
                    rectify_days=data["rectify_days"],
                ),
                _("核查结论已记录。"),
            ):
                return self._back(task)
        return _form_page(
            request,
            self,
            title=_("记录核查结论：%(n)s") % {"n": task.application.number},
            form=form,
            obj=task,
            submit="check",
        )

    def revoke_view(self, request: HttpRequest, object_id: int) -> HttpResponse:
        task = self._task(request, object_id)
        form = RevokeForm(request.POST or None, initial={"false_pledge": True})
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            if run_service(
                request,
                lambda: services.verification_revoke(
                    task_id=task.pk,
                    actor=request.user,
                    reasons=data["reasons"],
                    false_pledge=data["false_pledge"],
                    basis=data["basis"],
                ),
                _("许可决定已撤销，撤销决定书已出具。"),
            ):
                return self._back(task)
        return _form_page(
            request,
            self,
            title=_("撤销许可决定：%(n)s") % {"n": task.application.number},
            form=form,
            obj=task,
            submit="revoke",
        )

    def evidence_view(self, request: HttpRequest, check_id: int) -> HttpResponse:
        check = get_object_or_404(
            VerificationCheck, pk=check_id, task__in=self.get_queryset(request)
        )
        if not check.evidence_file:
            raise Http404
        return FileResponse(check.evidence_file.open("rb"), as_attachment=True)

    def figures_view(self, request: HttpRequest) -> HttpResponse:
        if not request.user.has_perm("pledges.view_pledge_figures"):
            raise PermissionDenied
        by = "item" if request.GET.get("by") == "item" else "department"
        rows = selectors.pledge_figures(by=by)
        if request.GET.get("format") == "json":
            return JsonResponse({"by": by, "rows": [r.as_dict() for r in rows]})
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": _("告知承诺统计"),
            "rows": rows,
            "by": by,
            "json_url": reverse("api-pledge-figures"),
        }
        return TemplateResponse(request, "admin/pledges/figures.html", context)


@admin.register(RectificationOrder)
class RectificationOrderAdmin(DepartmentScoped, ReadOnlyMixin, admin.ModelAdmin):
    department_field = "task__department"
    list_display = ["task", "deadline", "document", "issued_by", "created_at"]
    list_filter = ["task__state", "task__department"]
    list_select_related = ["task__application", "document", "issued_by"]

    def has_view_permission(self, request: HttpRequest, obj=None) -> bool:
        return request.user.has_perm("pledges.view_rectificationorder")


@admin.register(CreditRecord)
class CreditRecordAdmin(SimpleHistoryAdmin):
    """失信记录 (P4): the identifier masked; entered by staff through the service."""

    list_display = [
        "subject_name",
        "masked_identifier",
        "source",
        "status",
        "recorded_on",
        "repairable_on",
        "expires_on",
    ]
    list_filter = ["status", "source", "subject_kind"]
    search_fields = ["subject_name"]
    readonly_fields = [f.name for f in CreditRecord._meta.fields if f.name != "subject_hash"]
    exclude = ["subject_hash"]

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_add_permission(self, request: HttpRequest) -> bool:
        return request.user.has_perm("pledges.record_credit")

    def add_view(self, request: HttpRequest, form_url="", extra_context=None):
        if not self.has_add_permission(request):
            raise PermissionDenied
        form = CreditRecordForm(request.POST or None)
        if (
            request.method == "POST"
            and form.is_valid()
            and run_service(
                request,
                lambda: services.credit_record_create(actor=request.user, **form.cleaned_data),
                _("失信记录已录入。"),
            )
        ):
            return HttpResponseRedirect(reverse("admin:pledges_creditrecord_changelist"))
        return _form_page(
            request, self, title=_("录入失信记录"), form=form, obj=None, submit="credit"
        )


@admin.register(CreditRepairRequest)
class CreditRepairRequestAdmin(SimpleHistoryAdmin):
    list_display = ["record", "status", "created_at", "decided_by", "decided_at"]
    list_filter = ["status"]
    list_select_related = ["record", "decided_by"]
    readonly_fields = [
        *(f.name for f in CreditRepairRequest._meta.fields if f.name != "evidence"),
        "evidence_link",
    ]
    exclude = ["evidence"]

    @admin.display(description=_("证明材料"))
    def evidence_link(self, obj: CreditRepairRequest) -> str:
        url = reverse("admin:pledges_creditrepairrequest_evidence", args=[obj.pk])
        return format_html('<a href="{}">{}</a>', url, _("下载"))

    change_form_template = "admin/pledges/creditrepairrequest/change_form.html"

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path(
                "<int:object_id>/decide/",
                view(self.decide_view),
                name="pledges_creditrepairrequest_decide",
            ),
            path(
                "<int:object_id>/evidence/",
                view(self.evidence_view),
                name="pledges_creditrepairrequest_evidence",
            ),
            *super().get_urls(),
        ]

    def change_view(self, request: HttpRequest, object_id, form_url="", extra_context=None):
        obj = self.get_object(request, object_id)
        extra = dict(extra_context or {})
        if obj is not None and obj.status == RepairStatus.PENDING:
            extra["decide_url"] = reverse("admin:pledges_creditrepairrequest_decide", args=[obj.pk])
        return super().change_view(request, object_id, form_url, extra)

    def evidence_view(self, request: HttpRequest, object_id: int) -> HttpResponse:
        if not self.has_view_permission(request):
            raise PermissionDenied
        repair = get_object_or_404(CreditRepairRequest, pk=object_id)
        return FileResponse(repair.evidence.open("rb"), as_attachment=True)

    def decide_view(self, request: HttpRequest, object_id: int) -> HttpResponse:
        repair = get_object_or_404(CreditRepairRequest, pk=object_id)
        form = RepairDecisionForm(request.POST or None)
        if (
            request.method == "POST"
            and form.is_valid()
            and run_service(
                request,
                lambda: services.credit_repair_decide(
                    actor=request.user,
                    request_id=repair.pk,
                    approve=form.cleaned_data["approve"],
                    note=form.cleaned_data["note"],
                ),
                _("审核结论已记录。"),
            )
        ):
            return HttpResponseRedirect(reverse("admin:pledges_creditrepairrequest_changelist"))
        return _form_page(
            request, self, title=_("审核信用修复申请"), form=form, obj=repair, submit="repair"
        )


@admin.register(PledgeableCertificate)
class PledgeableCertificateAdmin(SimpleHistoryAdmin):
    """P6: which certificates of a guide may be replaced by a pledge (published with it)."""

    list_display = ["material", "certified_matter"]
    raw_id_fields = ["material"]
    search_fields = ["material__name", "material__guide__item__name"]
