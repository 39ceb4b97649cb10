"""Input shapes of the pledge pages; the rules are in :mod:`apps.pledges.services`."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from apps.applications.forms import StartForm


class PledgeStartForm(StartForm):
    signed_name = forms.CharField(label=_("签署姓名"), max_length=64)
    text_sha256 = forms.CharField(widget=forms.HiddenInput, max_length=64)

    def __init__(self, *args, allowed_company_ids: set[int] | None = None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["signed_name"].widget.attrs.update({"autocomplete": "name", "required": True})
        if "company" in self.fields and allowed_company_ids is not None:
            qs = self.fields["company"].queryset.filter(pk__in=allowed_company_ids)
            self.fields["company"].queryset = qs
