"""Public account pages: thin views over :mod:`apps.accounts.services` (DOMAIN A1, A2)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters

from apps.accounts import services
from apps.accounts.forms import (
    AddCompanyForm,
    CitizenRegisterForm,
    CompanyAgentRegisterForm,
    PublicLoginForm,
)
from apps.accounts.models import User
from apps.common.errors import ApplicationError
from apps.common.ratelimit import rate_limit

PHONE_BACKEND = "apps.accounts.backends.PhonePasswordBackend"


def _register(request: HttpRequest, *, form_class, service, template: str) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect("accounts:profile")
    form = form_class(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user = service(**form.service_kwargs())
        except ApplicationError as exc:
            form.add_service_errors(exc)
        else:
            login(request, user, backend=PHONE_BACKEND)
            messages.success(request, _("注册成功，欢迎使用。"))
            return redirect("accounts:profile")
    return render(request, template, {"form": form})


@never_cache
@sensitive_post_parameters("password1", "password2", "phone", "id_number")
@rate_limit("register", setting="REGISTER_RATE")
def register(request: HttpRequest) -> HttpResponse:
    """个人注册: a natural person with a 居民身份证 number."""
    return _register(
        request,
        form_class=CitizenRegisterForm,
        service=services.citizen_register,
        template="accounts/register.html",
    )


@never_cache
@sensitive_post_parameters("password1", "password2", "phone", "id_number")
@rate_limit("register", setting="REGISTER_RATE")
def register_company(request: HttpRequest) -> HttpResponse:
    """法人注册: a person acting for a company identified by its credit code."""
    return _register(
        request,
        form_class=CompanyAgentRegisterForm,
        service=services.company_agent_register,
        template="accounts/register_company.html",
    )


class LoginView(auth_views.LoginView):
    form_class = PublicLoginForm
    template_name = "accounts/login.html"
    redirect_authenticated_user = True


@never_cache
@login_required
def profile(request: HttpRequest) -> HttpResponse:
    """个人中心: personal numbers are shown masked only (DOMAIN A17)."""
    return render(
        request,
        "accounts/profile.html",
        {"profile_user": request.user, "companies": request.user.companies.order_by("name")},
    )


def privacy_notice(request: HttpRequest) -> HttpResponse:
    """个人信息保护告知: what registration collects, why, how long, and the person's rights."""
    return render(request, "accounts/privacy_notice.html")


@never_cache
@login_required
def company_add(request: HttpRequest) -> HttpResponse:
    """成为法人经办人: add the company this person acts for to their own account (A1, A2);
    back to the page they came from (``next``, e.g. a company-only item)."""
    if request.user.kind == User.Kind.STAFF:
        return redirect("admin:index")
    form = AddCompanyForm(request.POST or None)
    next_url = request.POST.get("next") or request.GET.get("next") or ""
    if not url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}):
        next_url = ""
    if request.method == "POST" and form.is_valid():
        try:
            services.company_agent_add_company(user=request.user, **form.cleaned_data)
        except ApplicationError as exc:
            form.add_error(
                exc.extra.get("field") if exc.extra.get("field") in form.fields else None,
                exc.message,
            )
        else:
            messages.success(
                request,
                _("已添加单位「%(name)s」，您现在可以作为法人经办人办理。")
                % {"name": form.cleaned_data["company_name"]},
            )
            return redirect(next_url or "accounts:profile")
    return render(request, "accounts/company_add.html", {"form": form, "next": next_url})
