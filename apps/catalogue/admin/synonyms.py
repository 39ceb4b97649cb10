"""检索同义词: the synonym list search applies to queries, edited by system administrators."""

from __future__ import annotations

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from apps.catalogue import services
from apps.catalogue.admin.base import NoRevertHistoryAdmin
from apps.catalogue.models import SynonymGroup
from apps.common.errors import ApplicationError


class SynonymGroupForm(forms.ModelForm):
    class Meta:
        model = SynonymGroup
        fields = ["terms", "note", "is_active"]

    def clean(self):
        cleaned = super().clean()
        if "terms" in cleaned:
            try:
                services.synonym_terms_clean(
                    cleaned["terms"],
                    exclude_pk=self.instance.pk,
                    active=cleaned.get("is_active", True),
                )
            except ApplicationError as exc:
                raise ValidationError(exc.message) from None
        return cleaned


@admin.register(SynonymGroup)
class SynonymGroupAdmin(NoRevertHistoryAdmin):
    form = SynonymGroupForm
    list_display = ("terms_display", "note", "is_active", "updated_at")
    list_filter = ("is_active",)
    search_fields = ("terms", "note")

    @admin.display(description=_("同义词"), ordering="terms")
    def terms_display(self, group: SynonymGroup) -> str:
        return str(group)

    def save_model(self, request, obj, form, change) -> None:
        saved = services.synonym_group_save(
            actor=request.user,
            group=obj if change else None,
            terms=form.cleaned_data["terms"],
            note=form.cleaned_data.get("note", ""),
            is_active=form.cleaned_data.get("is_active", True),
        )
        obj.pk, obj._state.adding, obj.terms = saved.pk, False, saved.terms

    def delete_model(self, request, obj) -> None:
        services.synonym_group_delete(actor=request.user, group=obj)

    def delete_queryset(self, request, queryset) -> None:
        for group in queryset:
            services.synonym_group_delete(actor=request.user, group=group)
