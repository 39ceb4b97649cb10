"""What an application form can be prefilled with from the applicant's account and the
company an agent acts for (DOMAIN A3, Q2): never asked again what the portal already knows."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from apps.accounts.models import Company, User
from apps.catalogue.application_forms.definition import Field

_ACCOUNT = {
    "account.full_name": "full_name",
    "account.id_number": "id_number",
    "account.phone": "phone",
    "account.email": "email",
}
_COMPANY = {
    "company.name": "name",
    "company.credit_code": "credit_code",
    "company.address": "address",
    "company.legal_representative": "legal_representative",
}


def source_value(source: str, *, user: User, company: Company | None) -> Any:
    if source in _ACCOUNT:
        return getattr(user, _ACCOUNT[source], "") or None
    if source in _COMPANY and company is not None:
        return getattr(company, _COMPANY[source], "") or None
    return None


def account_values(
    fields: Iterable[Field], *, user: User, company: Company | None
) -> dict[str, Any]:
    """Each field's value from its ``prefill`` source, where the source has one."""
    values = {}
    for f in fields:
        if f.prefill:
            value = source_value(f.prefill, user=user, company=company)
            if value is not None:
                values[f.key] = value
    return values


def fixed_values(fields: Iterable[Field], *, user: User, company: Company | None) -> dict[str, Any]:
    """The prefilled values that may not be edited (``editable: false``): what the
    real-name account or the company register says is used as is."""
    return {
        key: value
        for key, value in account_values(
            [f for f in fields if not f.editable], user=user, company=company
        ).items()
    }
