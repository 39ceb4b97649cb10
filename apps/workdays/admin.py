"""Admin for the working-day calendar: every save goes through ``services`` (history,
cache version bump)."""

from __future__ import annotations

from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from apps.common.errors import ApplicationError
from apps.workdays.models import CalendarChange, CalendarDay, CalendarYear
from apps.workdays.selectors import calendar_next_year_missing
from apps.workdays.services import (
    calendar_day_delete,
    calendar_day_set,
    calendar_import_from_package,
    calendar_year_delete,
    calendar_year_set,
)

IMPORT_ACTION = "import_from_package"
_WEEKDAYS = [
    _("星期一"),
    _("星期二"),
    _("星期三"),
    _("星期四"),
    _("星期五"),
    _("星期六"),
    _("星期日"),
]


class YearListFilter(admin.SimpleListFilter):
    title = _("年份")
    parameter_name = "year"

    def lookups(self, request, model_admin):
        years = CalendarDay.objects.dates("date", "year", order="DESC")
        return [(str(d.year), str(d.year)) for d in years]

    def queryset(self, request, queryset):
        if self.value():
            try:
                return queryset.filter(date__year=int(self.value()))
            except ValueError:
                return queryset.none()
        return queryset


def _warn_if_next_year_missing(request: HttpRequest) -> None:
    year = calendar_next_year_missing()
    if year is not None:
        messages.warning(
            request,
            _(
                "尚未维护 %(year)s 年的法定节假日和调休安排，%(year)s 年的办理期限将暂按"
                "周一至周五计算。国务院办公厅发布放假安排后，请执行“从 chinesecalendar 导入”"
                "（需先升级数据包）或逐日录入，并在“日历年份”中将 %(year)s 年标记为已发布。"
            )
            % {"year": year},
        )


class CalendarAdminMixin:
    """The package import action (which needs no selection) and the missing-year warning."""

    @admin.action(description=_("从 chinesecalendar 导入"), permissions=["add"])
    def import_from_package(self, request: HttpRequest, queryset) -> None:
        try:
            written = calendar_import_from_package(actor=request.user)
        except ApplicationError as error:
            self.message_user(request, error.message, messages.ERROR)
            return
        if written:
            self.message_user(
                request,
                _("已从 chinesecalendar 导入，写入 %(count)s 条记录。") % {"count": written},
                messages.SUCCESS,
            )
        else:
            self.message_user(request, _("日历已与 chinesecalendar 一致，无需导入。"))

    def changelist_view(self, request: HttpRequest, extra_context=None) -> HttpResponse:
        if request.method == "POST" and self._is_unselected_import(request):
            # The import concerns whole years from the package, not the selected rows.
            if self.has_add_permission(request):
                self.import_from_package(request, self.get_queryset(request))
            return HttpResponseRedirect(request.get_full_path())
        if request.method == "GET":
            _warn_if_next_year_missing(request)
        return super().changelist_view(request, extra_context)

    @staticmethod
    def _is_unselected_import(request: HttpRequest) -> bool:
        if request.POST.getlist(helpers.ACTION_CHECKBOX_NAME):
            return False
        chosen = request.POST.getlist("action")
        try:
            index = int(request.POST.get("index", 0))
        except ValueError:
            index = 0
        return index < len(chosen) and chosen[index] == IMPORT_ACTION


@admin.register(CalendarDay)
class CalendarDayAdmin(CalendarAdminMixin, SimpleHistoryAdmin):
    list_display = ["date", "weekday", "is_workday", "name", "source", "note"]
    list_filter = [YearListFilter, "is_workday", "source"]
    search_fields = ["name", "note"]
    ordering = ["-date"]
    fields = ["date", "is_workday", "name", "note", "source"]
    actions = [IMPORT_ACTION]
    list_per_page = 100

    @admin.display(description=_("星期"))
    def weekday(self, obj: CalendarDay) -> str:
        return str(_WEEKDAYS[obj.date.weekday()])

    def get_readonly_fields(self, request, obj=None):
        return ["date", "source"] if obj else ["source"]

    def save_model(self, request, obj: CalendarDay, form, change) -> None:
        saved = calendar_day_set(
            date=obj.date,
            is_workday=obj.is_workday,
            name=obj.name,
            note=obj.note,
            actor=request.user,
        )
        obj.pk, obj.source = saved.pk, saved.source

    def delete_model(self, request, obj: CalendarDay) -> None:
        calendar_day_delete(date=obj.date, actor=request.user)

    def delete_queryset(self, request, queryset) -> None:
        for date in queryset.values_list("date", flat=True):
            calendar_day_delete(date=date, actor=request.user)


@admin.register(CalendarYear)
class CalendarYearAdmin(CalendarAdminMixin, SimpleHistoryAdmin):
    list_display = ["year", "status", "source", "exception_count", "note"]
    list_filter = ["status", "source"]
    fields = ["year", "status", "note", "source"]
    actions = [IMPORT_ACTION, "mark_published"]

    @admin.display(description=_("节假日与调休天数"))
    def exception_count(self, obj: CalendarYear) -> int:
        return CalendarDay.objects.filter(date__year=obj.year).count()

    def get_readonly_fields(self, request, obj=None):
        return ["year", "source"] if obj else ["source"]

    @admin.action(description=_("标记为已发布"), permissions=["change"])
    def mark_published(self, request: HttpRequest, queryset) -> None:
        for row in queryset:
            calendar_year_set(
                year=row.year,
                status=CalendarYear.Status.PUBLISHED,
                note=row.note,
                actor=request.user,
            )
        self.message_user(request, _("已标记为已发布。"), messages.SUCCESS)

    def save_model(self, request, obj: CalendarYear, form, change) -> None:
        saved = calendar_year_set(
            year=obj.year, status=obj.status, note=obj.note, actor=request.user
        )
        obj.pk, obj.source = saved.pk, saved.source

    def delete_model(self, request, obj: CalendarYear) -> None:
        calendar_year_delete(year=obj.year, actor=request.user)

    def delete_queryset(self, request, queryset) -> None:
        for year in queryset.values_list("year", flat=True):
            calendar_year_delete(year=year, actor=request.user)


@admin.register(CalendarChange)
class CalendarChangeAdmin(admin.ModelAdmin):
    """Read-only: what each calendar edit changed for deadlines, and whether the open cases
    have been recomputed (rows are written by the calendar services, never here)."""

    list_display = ["created_at", "summary", "first_date", "last_date", "status", "changed"]
    list_filter = [("dispatched_at", admin.EmptyFieldListFilter)]
    search_fields = ["summary"]
    ordering = ["-created_at", "-id"]
    fields = [
        "created_at",
        "actor",
        "summary",
        "spans",
        "first_date",
        "last_date",
        "status",
        "changed",
        "progress",
        "dispatched_at",
    ]
    readonly_fields = fields
    list_select_related = ["actor"]

    @admin.display(description=_("状态"))
    def status(self, obj: CalendarChange) -> str:
        return str(_("已重算") if obj.dispatched_at else _("待重算"))

    @admin.display(description=_("调整的记录数"))
    def changed(self, obj: CalendarChange) -> int:
        return obj.changed_count

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False
