"""帮办代办 at the window (A13): staff record the assistance from the application's staff
page; staff and the applicant open the signed authorisation through a checked view."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from apps.applications.selectors import application_get_visible
from apps.common.errors import ApplicationError
from apps.halls import services
from apps.halls.forms import AssistanceForm
from apps.halls.models import Assistance


@login_required
@require_POST
def assistance_record(request: HttpRequest, application_id: int) -> HttpResponse:
    back = reverse("admin:applications_application_change", args=[application_id]) + "#assistance"
    form = AssistanceForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, _("请选择帮办原因并上传授权委托书扫描件。"))
        return redirect(back)
    try:
        services.assistance_record(
            actor=request.user,
            application_id=application_id,
            reason=form.cleaned_data["reason"],
            note=form.cleaned_data["note"],
            authorisation=form.cleaned_data["authorisation"],
        )
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("已登记帮办代办。"))
    return redirect(back)


@login_required
@require_GET
def authorisation_download(request: HttpRequest, application_id: int) -> FileResponse:
    """The scan, to the applicant and to staff who may see the application (A17)."""
    application = application_get_visible(user=request.user, application_id=application_id)
    assistance = Assistance.objects.filter(application=application).first()
    if assistance is None:
        raise Http404
    try:
        handle = assistance.authorisation.open("rb")
    except FileNotFoundError as exc:
        raise Http404 from exc
    extension = assistance.authorisation.name.rsplit(".", 1)[-1]
    response = FileResponse(
        handle,
        as_attachment=False,
        filename=f"授权委托书-{application.number}.{extension}",
        content_type=assistance.authorisation_type,
    )
    response["Cache-Control"] = "private, no-store"
    return response
