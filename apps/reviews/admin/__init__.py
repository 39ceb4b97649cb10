"""Reviews in the staff console (issue #12): the maintained reason tags, the reviews and
events (read-only), the rectification cases and the appeals, each with its own page of
action forms (:mod:`.views`). Department scoping comes from the selectors; every change
goes through a service; nobody edits or deletes a review by hand.

URLs (under ``/admin/reviews/``):

* ``rectificationcase/<id>/change/`` — the case page; ``…/action/<name>/`` POSTs one step
* ``review/<id>/change/`` — a review; ``…/appeal/`` POSTs the department's appeal
* ``appeal/<id>/change/`` — an appeal; ``…/decide/`` POSTs the supervisor's decision
* ``serviceevent/window-open/`` — 现场评价: a rating code for the visit just completed
"""

from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest
from django.urls import path
from django.views.decorators.http import require_POST

from apps.accounts.selectors import scope_by_department
from apps.reviews import services
from apps.reviews.admin import views
from apps.reviews.models import Appeal, RectificationCase, Review, ReviewTag, ServiceEvent


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def get_queryset(self, request: HttpRequest):
        return scope_by_department(super().get_queryset(request), request.user)


@admin.register(ReviewTag)
class ReviewTagAdmin(admin.ModelAdmin):
    list_display = ["label", "code", "order", "is_active"]
    list_editable = []
    ordering = ["order", "id"]

    def get_readonly_fields(self, request: HttpRequest, obj=None):
        return ["code"] if obj is not None else []

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False  # retired, never deleted: old reviews keep their reasons

    def save_model(self, request: HttpRequest, obj: ReviewTag, form, change: bool) -> None:
        saved = services.review_tag_save(
            actor=request.user,
            label=form.cleaned_data["label"],
            code=form.cleaned_data.get("code", obj.code),
            order=form.cleaned_data["order"],
            is_active=form.cleaned_data["is_active"],
            tag_id=obj.pk if change else None,
        )
        obj.pk = saved.pk


@admin.register(ServiceEvent)
class ServiceEventAdmin(ReadOnlyAdmin):
    list_display = ["reference", "kind", "department", "item", "window", "staff", "created_at"]
    list_filter = ["kind"]
    list_select_related = ["department", "item", "window__center", "staff"]
    show_full_result_count = False
    exclude = ["subject"]

    def get_urls(self):
        custom = [
            path(
                "window-open/",
                self.admin_site.admin_view(self.window_open_view),
                name="reviews_serviceevent_window_open",
            )
        ]
        return custom + super().get_urls()

    def window_open_view(self, request: HttpRequest):
        return views.window_open_view(self, request)


@admin.register(Review)
class ReviewAdmin(ReadOnlyAdmin):
    list_display = ["day", "level", "channel", "department", "item", "window", "staff", "excluded"]
    list_filter = ["level", "is_bad", "channel", "excluded"]
    list_select_related = ["department", "item", "window__center", "staff"]
    # No date_hierarchy: its year/month links aggregate the whole (very large) table.
    show_full_result_count = False

    def get_urls(self):
        custom = [
            path(
                "<int:object_id>/appeal/",
                self.admin_site.admin_view(require_POST(self.appeal_view)),
                name="reviews_review_appeal",
            )
        ]
        return custom + super().get_urls()

    def change_view(self, request: HttpRequest, object_id, form_url="", extra_context=None):
        """The review's page (identity protected) replaces the read-only change form."""
        return views.review_detail_view(self, request, object_id)

    def appeal_view(self, request: HttpRequest, object_id: int):
        return views.review_appeal_view(self, request, object_id)


@admin.register(RectificationCase)
class RectificationCaseAdmin(ReadOnlyAdmin):
    list_display = ["pk", "department", "state", "callback_due_on", "due_on", "alert_level"]
    list_filter = ["state", "alert_level", "outcome"]
    list_select_related = ["department"]
    ordering = ["due_on", "id"]

    def get_urls(self):
        custom = [
            path(
                "<int:object_id>/action/<slug:action>/",
                self.admin_site.admin_view(require_POST(self.action_view)),
                name="reviews_rectificationcase_action",
            )
        ]
        return custom + super().get_urls()

    def change_view(self, request: HttpRequest, object_id, form_url="", extra_context=None):
        return views.case_detail_view(self, request, object_id)

    def action_view(self, request: HttpRequest, object_id: int, action: str):
        return views.case_action_view(self, request, object_id, action)


@admin.register(Appeal)
class AppealAdmin(ReadOnlyAdmin):
    list_display = ["pk", "department", "ground", "state", "created_at", "decided_at"]
    list_filter = ["state", "ground"]
    list_select_related = ["department"]

    def get_urls(self):
        custom = [
            path(
                "<int:object_id>/decide/",
                self.admin_site.admin_view(require_POST(self.decide_view)),
                name="reviews_appeal_decide",
            )
        ]
        return custom + super().get_urls()

    def change_view(self, request: HttpRequest, object_id, form_url="", extra_context=None):
        return views.appeal_detail_view(self, request, object_id)

    def decide_view(self, request: HttpRequest, object_id: int):
        return views.appeal_decide_view(self, request, object_id)
