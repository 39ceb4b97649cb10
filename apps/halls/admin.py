"""Admin screens of the halls (issue #15). Saves and actions call the services, so the
admin keeps the same rules as the web and the API (C6); the queue and the appointments are
read-only here (they change at the kiosk, the window and by the citizen)."""

from __future__ import annotations

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from apps.applications.selectors import application_scope_for_staff
from apps.common.errors import ApplicationError, PermissionDeniedError
from apps.common.pii import mask_name
from apps.halls import services
from apps.halls.models import (
    Appointment,
    Assistance,
    ExtendedHours,
    HallEvent,
    HallProfile,
    HandOut,
    HardCase,
    Opinion,
    RotaShift,
    Slot,
    SocialSupervisor,
    Ticket,
    WindowGroup,
    WindowProfile,
)

HOURS_FIELDS = [
    "morning_opens",
    "morning_closes",
    "afternoon_opens",
    "afternoon_closes",
    "slot_minutes",
    "booking_days",
    "is_bookable",
]


def _run(request: HttpRequest, call) -> object | None:
    try:
        return call()
    except PermissionDeniedError:
        raise PermissionDenied from None
    except ApplicationError as exc:
        messages.error(request, exc.message)
        return None


class _ReadOnly(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(HallProfile)
class HallProfileAdmin(admin.ModelAdmin):
    list_display = ["center", "morning_opens", "afternoon_closes", "slot_minutes", "is_bookable"]
    fields = ["center", *HOURS_FIELDS]
    actions = ["open_slots"]

    def get_readonly_fields(self, request, obj=None):
        return ["center"] if obj else []

    def save_model(self, request, obj, form, change) -> None:
        hours = {f: form.cleaned_data[f] for f in HOURS_FIELDS}
        saved = _run(
            request,
            lambda: services.hall_configure(actor=request.user, center=obj.center, **hours),
        )
        if saved is not None:
            obj.pk = saved.pk

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    @admin.action(description=gettext_lazy("为所选大厅开放今后工作日的预约号源"))
    def open_slots(self, request, queryset) -> None:
        if not request.user.has_perm("halls.manage_halls"):
            raise PermissionDenied
        today = timezone.localdate()
        created = sum(services.slots_open(hall=h, start=today) for h in queryset)
        messages.success(request, _("已开放%(n)d个预约时段。") % {"n": created})


@admin.register(ExtendedHours)
class ExtendedHoursAdmin(admin.ModelAdmin):
    list_display = ["hall", "kind", "weekday", "opens", "closes", "place"]
    list_filter = ["kind", "hall"]
    filter_horizontal = ["items"]

    def has_change_permission(self, request, obj=None) -> bool:
        return obj is None and super().has_change_permission(request, obj)

    def save_model(self, request, obj, form, change) -> None:
        data = form.cleaned_data
        saved = _run(
            request,
            lambda: services.hours_publish(
                actor=request.user,
                hall=data["hall"],
                kind=data["kind"],
                weekday=data["weekday"],
                opens=data["opens"],
                closes=data["closes"],
                place=data["place"],
                items=data["items"],
            ),
        )
        if saved is not None:
            obj.pk = saved.pk

    def save_related(self, request, form, formsets, change) -> None:
        """The service has set the items."""


@admin.register(WindowGroup)
class WindowGroupAdmin(admin.ModelAdmin):
    list_display = ["hall", "letter", "name", "kind", "capacity_per_slot"]
    list_filter = ["hall", "kind"]
    filter_horizontal = ["items"]

    def get_readonly_fields(self, request, obj=None):
        return ["hall", "letter", "kind"] if obj else []

    def save_model(self, request, obj, form, change) -> None:
        data = form.cleaned_data
        if change:
            call = lambda: services.group_update(  # noqa: E731
                actor=request.user,
                group=obj,
                name=data["name"],
                capacity_per_slot=data["capacity_per_slot"],
                items=data["items"],
            )
        else:
            call = lambda: services.group_create(  # noqa: E731
                actor=request.user,
                hall=data["hall"],
                name=data["name"],
                letter=data["letter"],
                kind=data["kind"],
                items=data["items"],
                capacity_per_slot=data["capacity_per_slot"],
            )
        saved = _run(request, call)
        if saved is not None:
            obj.pk = saved.pk

    def save_related(self, request, form, formsets, change) -> None:
        """The service has set the items."""

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(WindowProfile)
class WindowProfileAdmin(admin.ModelAdmin):
    list_display = ["window", "group", "public_page"]
    list_select_related = ["window__center", "group__hall__center"]

    def get_readonly_fields(self, request, obj=None):
        return ["window"] if obj else []

    @admin.display(description=gettext_lazy("公示页"))
    def public_page(self, obj: WindowProfile) -> str:
        url = reverse("halls:desk_card", args=[obj.window_id])
        return format_html('<a href="{}">{}</a>', url, _("桌牌"))

    def save_model(self, request, obj, form, change) -> None:
        data = form.cleaned_data
        window = obj.window if change else data["window"]
        saved = _run(
            request,
            lambda: services.window_place(actor=request.user, window=window, group=data["group"]),
        )
        if saved is not None:
            obj.pk = saved.pk

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(RotaShift)
class RotaShiftAdmin(admin.ModelAdmin):
    list_display = ["day", "starts", "ends", "window", "staff", "post"]
    list_filter = ["day", "window__center"]
    list_select_related = ["window__center", "staff"]
    date_hierarchy = "day"

    def has_change_permission(self, request, obj=None) -> bool:
        return obj is None and super().has_change_permission(request, obj)

    def save_model(self, request, obj, form, change) -> None:
        data = form.cleaned_data
        saved = _run(
            request,
            lambda: services.shift_add(
                actor=request.user,
                window=data["window"],
                staff=data["staff"],
                day=data["day"],
                starts=data["starts"],
                ends=data["ends"],
                post=data["post"],
            ),
        )
        if saved is not None:
            obj.pk = saved.pk


@admin.register(Slot)
class SlotAdmin(_ReadOnly):
    list_display = ["group", "day", "starts", "ends", "capacity", "booked"]
    list_filter = ["day", "group__hall"]
    list_select_related = ["group__hall__center"]
    show_full_result_count = False


@admin.register(Appointment)
class AppointmentAdmin(_ReadOnly):
    list_display = ["code", "item", "slot", "masked_citizen", "state", "reminded_at"]
    list_filter = ["state", "slot__day"]
    list_select_related = ["item", "slot__group__hall__center", "citizen"]
    search_fields = ["=code"]
    show_full_result_count = False
    exclude = ["citizen"]

    @admin.display(description=gettext_lazy("预约人"))
    def masked_citizen(self, obj: Appointment) -> str:
        return f"{mask_name(obj.citizen.full_name)} {obj.citizen.masked_phone}"


@admin.register(Ticket)
class TicketAdmin(_ReadOnly):
    list_display = ["number_shown", "day", "group", "priority", "state", "window", "wait_seconds"]
    list_filter = ["day", "state", "priority", "hall"]
    list_select_related = ["issued_group", "group", "window__center"]
    show_full_result_count = False
    exclude = ["citizen"]

    @admin.display(description=gettext_lazy("号码"))
    def number_shown(self, obj: Ticket) -> str:
        return obj.display


@admin.register(HardCase)
class HardCaseAdmin(_ReadOnly):
    list_display = ["number", "hall", "cause", "state", "coordinator", "deadline", "escalated_at"]
    list_filter = ["state", "cause", "hall"]
    search_fields = ["=number"]
    list_select_related = ["hall__center", "coordinator"]

    def view_on_site(self, obj: HardCase) -> str:
        return reverse("halls:hard_case", args=[obj.pk])


@admin.register(HallEvent)
class HallEventAdmin(_ReadOnly):
    list_display = ["at", "kind", "actor", "appointment", "ticket", "hard_case", "note"]
    list_filter = ["kind"]
    list_select_related = ["actor", "appointment", "ticket__issued_group", "hard_case"]
    show_full_result_count = False


@admin.register(SocialSupervisor)
class SocialSupervisorAdmin(admin.ModelAdmin):
    list_display = ["user", "category", "organisation", "appointed_on", "is_active"]
    list_filter = ["category", "is_active"]
    fields = ["user", "category", "organisation"]
    raw_id_fields = ["user"]

    def get_readonly_fields(self, request, obj=None):
        return ["user"] if obj else []

    def save_model(self, request, obj, form, change) -> None:
        data = form.cleaned_data
        user = obj.user if change else data["user"]
        saved = _run(
            request,
            lambda: services.supervisor_appoint(
                actor=request.user,
                user=user,
                category=data["category"],
                organisation=data["organisation"],
            ),
        )
        if saved is not None:
            obj.pk = saved.pk

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Opinion)
class OpinionAdmin(_ReadOnly):
    list_display = ["created_at", "supervisor", "hall", "assignee", "due_on", "state"]
    list_filter = ["state"]
    list_select_related = ["supervisor__user", "hall__center", "assignee"]

    def view_on_site(self, obj: Opinion) -> str:
        return reverse("halls:opinion", args=[obj.pk])


@admin.register(Assistance)
class AssistanceAdmin(_ReadOnly):
    """帮办代办记录 (A13): who helped, where, why; the scan through the checked view."""

    list_display = [
        "created_at",
        "application_number",
        "masked_applicant",
        "window",
        "staff",
        "reason",
        "authorisation_link",
    ]
    list_filter = ["reason", "window__center"]
    list_select_related = ["application__item", "window__center", "staff"]
    search_fields = ["=application__number"]
    exclude = ["authorisation"]
    show_full_result_count = False

    def get_queryset(self, request: HttpRequest):
        # The applications the reader may see (their departments'; supervisors all).
        scope = application_scope_for_staff(user=request.user).values("pk")
        return super().get_queryset(request).filter(application__in=scope)

    @admin.display(description=gettext_lazy("申请编号"), ordering="application__number")
    def application_number(self, obj: Assistance) -> str:
        return obj.application.number

    @admin.display(description=gettext_lazy("申请人"))
    def masked_applicant(self, obj: Assistance) -> str:
        return mask_name(obj.application.applicant_name)

    @admin.display(description=gettext_lazy("授权委托书"))
    def authorisation_link(self, obj: Assistance) -> str:
        url = reverse("halls:assistance_authorisation", args=[obj.application_id])
        return format_html('<a href="{}" target="_blank" rel="noopener">{}</a>', url, _("查看"))


@admin.register(HandOut)
class HandOutAdmin(_ReadOnly):
    """综合窗口出件 (A11): results back at the comprehensive window, handed out or not."""

    list_display = [
        "decided_at",
        "application_number",
        "masked_applicant",
        "group",
        "window",
        "handed_out_at",
        "handed_out_by",
    ]
    list_filter = [("handed_out_at", admin.EmptyFieldListFilter), "group__hall"]
    list_select_related = ["application", "group__hall__center", "window", "handed_out_by"]
    search_fields = ["=application__number"]
    exclude = ["collector_name"]
    show_full_result_count = False

    @admin.display(description=gettext_lazy("申请编号"), ordering="application__number")
    def application_number(self, obj: HandOut) -> str:
        return obj.application.number

    @admin.display(description=gettext_lazy("申请人"))
    def masked_applicant(self, obj: HandOut) -> str:
        return mask_name(obj.application.applicant_name)
