"""Who may open the applicant's pages."""

from __future__ import annotations

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect

from apps.accounts.models import User


def applicant_required(view):
    """Citizens and company agents only: others log in first; staff use the admin."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        user = request.user
        if not user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if user.kind == User.Kind.STAFF or user.is_staff or user.is_superuser:
            return redirect("/admin/")
        return view(request, *args, **kwargs)

    return wrapper
