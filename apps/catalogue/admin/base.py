"""What every catalogue admin screen shares: problem messages, department choices limited to
the user's own, and history that can be read but not reverted."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from simple_history.admin import SimpleHistoryAdmin

from apps.accounts.models import Department
from apps.catalogue import selectors
from apps.common.errors import ApplicationError


def report_problems(request: HttpRequest, exc: ApplicationError, prefix: str = "") -> None:
    """Show every problem of a refused action as its own error message."""
    for problem in exc.extra.get("problems") or [exc.message]:
        messages.error(request, f"{prefix}{problem}")


def limit_departments(request: HttpRequest, kwargs: dict) -> None:
    ids = selectors.managed_department_ids(request.user)
    if ids is not None:
        kwargs["queryset"] = Department.objects.filter(pk__in=ids)


class NoRevertHistoryAdmin(SimpleHistoryAdmin):
    """History is for reading: reverting would bypass the services (C5)."""

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        if request.method == "POST":
            raise PermissionDenied
        return super().history_form_view(request, object_id, version_id, extra_context)
