"""Read-only register of issued documents; revocation goes through document_revoke."""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from apps.common.errors import ApplicationError
from apps.documents.models import IssuedDocument
from apps.documents.services import document_revoke
from apps.documents.views import document_file_response


class RevokeForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("撤销原因"), max_length=500, widget=forms.Textarea(attrs={"rows": 3})
    )


@admin.register(IssuedDocument)
class IssuedDocumentAdmin(admin.ModelAdmin):
    list_display = [
        "number",
        "kind",
        "department",
        "reference",
        "issued_at",
        "status",
        "render_status",
        "revoked_at",
    ]
    list_filter = ["kind", "status", "render_status", "department"]
    search_fields = ["=number", "=reference"]
    search_help_text = gettext_lazy("按完整文书编号或办件编号搜索。")
    list_select_related = ["department"]
    date_hierarchy = "issued_at"
    show_full_result_count = False
    actions = ["revoke_documents"]
    # The verification token is a bearer secret: not shown here.
    fields = [
        "number",
        "kind",
        "department",
        "applicant_name",
        "title",
        "body",
        "reference",
        "extra",
        "issued_at",
        "issued_by",
        "status",
        "revoked_at",
        "revoked_by",
        "revoke_reason",
        "render_status",
        "rendered_at",
        "render_attempts",
        "render_error",
        "sha256",
        "pdf_link",
    ]
    readonly_fields = fields

    @admin.display(description="PDF")
    def pdf_link(self, obj: IssuedDocument) -> str:
        url = reverse("admin:documents_issueddocument_pdf", args=[obj.pk])
        return format_html('<a href="{}" target="_blank" rel="noopener">查看 PDF</a>', url)

    def get_urls(self):
        custom = [
            path(
                "<int:pk>/pdf/",
                self.admin_site.admin_view(self.pdf_view),
                name="documents_issueddocument_pdf",
            )
        ]
        return custom + super().get_urls()

    def pdf_view(self, request: HttpRequest, pk: int) -> HttpResponse:
        if not self.has_view_permission(request):
            raise PermissionDenied
        document = self.get_object(request, str(pk))
        if document is None:
            raise PermissionDenied
        return document_file_response(request, document)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_revoke_permission(self, request: HttpRequest) -> bool:
        return request.user.has_perm("documents.revoke_issueddocument")

    @admin.action(description="撤销所选文书", permissions=["revoke"])
    def revoke_documents(self, request: HttpRequest, queryset) -> HttpResponse | None:
        form = RevokeForm(request.POST if "apply" in request.POST else None)
        if "apply" in request.POST and form.is_valid():
            revoked, failed = 0, []
            for document in queryset:
                try:
                    document_revoke(
                        document=document, actor=request.user, reason=form.cleaned_data["reason"]
                    )
                    revoked += 1
                except ApplicationError as exc:
                    failed.append(exc.message)
            if revoked:
                self.message_user(
                    request, _("已撤销 %(n)s 份文书。") % {"n": revoked}, messages.SUCCESS
                )
            for message in failed:
                self.message_user(request, message, messages.WARNING)
            return None
        context = {
            **self.admin_site.each_context(request),
            "title": "撤销电子文书",
            "opts": self.model._meta,
            "documents": queryset,
            "form": form,
            "action_checkbox_name": ACTION_CHECKBOX_NAME,
            "action": "revoke_documents",
        }
        return TemplateResponse(request, "documents/admin/revoke.html", context)
