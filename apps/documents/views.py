"""Public verification page and the PDF response helper."""

from __future__ import annotations

import hashlib
import io
import re

from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from apps.common.errors import ApplicationError
from apps.common.pii import mask_name
from apps.documents.models import IssuedDocument
from apps.documents.selectors import document_get_by_token


@require_GET
def verify(request: HttpRequest, token: str) -> HttpResponse:
    """真实有效 / 已撤销 / 未找到 for anyone holding the QR code (DOMAIN A16).

    Shows only what is printed in the header of the document; never the body, and the
    applicant's name masked, so a leaked link reveals as little as possible.
    """
    document = document_get_by_token(token=token)
    context = {
        "document": document,
        "masked_applicant": mask_name(document.applicant_name) if document else "",
    }
    response = render(request, "documents/verify.html", context, status=200 if document else 404)
    # The token is the secret: keep it out of Referer headers, caches and search engines.
    response["Referrer-Policy"] = "no-referrer"
    response["Cache-Control"] = "no-store"
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


class DocumentFileTamperedError(ApplicationError):
    status_code = 500

    def __init__(self, number: str) -> None:
        super().__init__(
            f"文书{number}的文件校验失败，请联系系统管理员。", code="document_file_tampered"
        )


_UNSAFE_FILENAME = re.compile(r'[\\/:*?"<>|\s]+')


def document_file_response(request: HttpRequest, document: IssuedDocument) -> HttpResponse:
    """The stored PDF, inline, named after its number. No permission check: callers do it.

    A document whose PDF the worker has not made yet answers a short "生成中" page (409 with
    Retry-After) instead. The bytes are checked against the SHA-256 recorded when the PDF was
    stored, so a file changed on disk is refused rather than served as an official document.
    """
    if not document.is_ready:
        response = render(request, "documents/pending.html", {"document": document}, status=409)
        response["Retry-After"] = "5"
        response["Cache-Control"] = "no-store"
        return response
    with document.pdf.open("rb") as fh:
        data = fh.read()
    if hashlib.sha256(data).hexdigest() != document.sha256:
        raise DocumentFileTamperedError(document.number)
    filename = _UNSAFE_FILENAME.sub("_", f"{document.title}-{document.number}") + ".pdf"
    response: HttpResponse = FileResponse(
        io.BytesIO(data),
        as_attachment=False,
        filename=filename,
        content_type="application/pdf",
    )
    response["Cache-Control"] = "private, no-store"
    return response
