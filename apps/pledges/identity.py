"""Who a pledge or a credit record is about (DOMAIN A1, A17, P4): a person by the keyed
hash of the ID number, a company by the keyed hash of its USCC — the same keyed hash the
accounts app uses for its look-ups, so no clear number is stored or compared here."""

from __future__ import annotations

from dataclasses import dataclass

from apps.accounts.models import Company, User
from apps.common.pii import keyed_hash, mask_id_number
from apps.pledges.models import SubjectKind


@dataclass(frozen=True)
class Subject:
    kind: str
    hash: str
    name: str
    masked: str


def company_subject(company: Company) -> Subject:
    code = company.credit_code.strip().upper()
    return Subject(SubjectKind.COMPANY, keyed_hash(code), company.name, mask_id_number(code))


def person_subject(user: User) -> Subject:
    # An account without a verified ID number is known by its account only.
    digest = user.id_number_hash or keyed_hash(f"user:{user.pk}")
    return Subject(SubjectKind.PERSON, digest, user.full_name, user.masked_id_number)


def applicant_subject(user: User, company: Company | None) -> Subject:
    """The company applies when there is one (A1); otherwise the person."""
    return company_subject(company) if company is not None else person_subject(user)


def subject_for_identifier(kind: str, identifier: str, name: str) -> Subject:
    """A subject staff name by the number itself (a record entered by hand)."""
    code = identifier.strip().upper()
    return Subject(kind, keyed_hash(code), name.strip(), mask_id_number(code))
