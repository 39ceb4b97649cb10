"""Input shape of the applicant's pages (issue #4). Domain rules stay in the services."""

from __future__ import annotations

import uuid

from django import forms
from django.utils.translation import gettext_lazy as _

from apps.accounts.models import User
from apps.catalogue.models import ServiceTarget


def new_key() -> str:
    """A fresh idempotency key, rendered once into the form and sent back with it."""
    return uuid.uuid4().hex


class StartForm(forms.Form):
    """开始申请: a company agent chooses which of their companies applies (A1)."""

    idempotency_key = forms.CharField(widget=forms.HiddenInput, max_length=64)
    company = forms.ModelChoiceField(
        label=_("申请单位"),
        queryset=None,
        empty_label=None,
        widget=forms.RadioSelect,
    )

    def __init__(self, *args, user: User, target: str = ServiceTarget.LEGAL_PERSON, **kwargs):
        """``target``: whom the item serves. A company agent applies for a company, or, for
        an item open to natural persons too, may apply for themselves; for an item only for
        natural persons, always for themselves."""
        super().__init__(*args, **kwargs)
        self.fields["idempotency_key"].initial = new_key()
        if user.kind == User.Kind.COMPANY_AGENT and target != ServiceTarget.NATURAL_PERSON:
            companies = user.companies.order_by("name")
            field = self.fields["company"]
            field.queryset = companies
            if len(companies) == 1:
                field.initial = companies[0].pk
            if target == ServiceTarget.BOTH:
                field.required = False
                field.empty_label = _("本人（以个人身份申请）")
        else:
            del self.fields["company"]

    @property
    def company_id(self) -> int | None:
        company = self.cleaned_data.get("company")
        return company.pk if company else None


class WithdrawForm(forms.Form):
    reason = forms.CharField(
        label=_("撤回原因（选填）"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
