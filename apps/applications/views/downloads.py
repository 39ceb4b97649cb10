"""Private files of an application: issued documents and uploaded materials (A16, A17).

Served only through these views, to the applicant who owns the application or to staff who
may see it (scoping by the selectors); anyone else gets a 404. Files are never given a
public URL.
"""

from __future__ import annotations

from django.contrib.auth.views import redirect_to_login
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.views.decorators.http import require_GET

from apps.applications import selectors
from apps.applications.models import (
    ApplicationDocument,
    ApplicationMaterial,
    BundleApplication,
)
from apps.documents.views import document_file_response


def _private(response: HttpResponse) -> HttpResponse:
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


@require_GET
def document_download(request: HttpRequest, application_id: int, document_id: int):
    """受理通知书 and the other documents of the application, inline."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    application = selectors.application_get_visible(
        user=request.user, application_id=application_id
    )
    link = (
        ApplicationDocument.objects.select_related("document")
        .filter(application=application, document_id=document_id)
        .first()
    )
    if link is None:
        raise Http404
    if not selectors.is_staff_reader(request.user) and selectors.result_withheld(
        application, link.kind
    ):
        raise Http404
    return _private(document_file_response(request, link.document))


@require_GET
def bundle_result_download(request: HttpRequest, group_id: int):
    """C8/A16: the 一件事办结通知书, to the applicant who owns the 一件事 or to staff who may
    see any of its members; anyone else gets a 404."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    user = request.user
    if selectors.is_staff_reader(user):
        visible = selectors.application_scope_for_staff(user=user).filter(
            bundle_application_id=group_id
        )
        if not visible.exists():
            raise Http404
        group = BundleApplication.objects.select_related("result_document").get(pk=group_id)
    else:
        group = selectors.bundle_application_get_for_applicant(
            user=user, bundle_application_id=group_id
        )
    if group.result_document is None:
        raise Http404
    return _private(document_file_response(request, group.result_document))


@require_GET
def material_download(request: HttpRequest, application_id: int, material_id: int):
    """An uploaded material, inline, under the name it was uploaded with."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    application = selectors.application_get_visible(
        user=request.user, application_id=application_id
    )
    material = (
        ApplicationMaterial.objects.filter(application=application, pk=material_id)
        .exclude(file="")
        .first()
    )
    if material is None:
        raise Http404
    try:
        handle = material.file.open("rb")
    except FileNotFoundError as exc:
        raise Http404 from exc
    filename = material.original_filename or f"{material.guide_material_id}.{material.extension}"
    response = FileResponse(
        handle,
        as_attachment=False,
        filename=filename,
        content_type=material.content_type or "application/octet-stream",
    )
    return _private(response)
