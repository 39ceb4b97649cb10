"""Profiles are shared data used for matching only (DOMAIN A17): every look is logged.

:func:`profile_view` is the one way a page shows a single profile: it records who looked,
when and why, and refuses without a purpose. Lists show masked names and numbers.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from apps.accounts.models import User
from apps.common.errors import PermissionDeniedError
from apps.common.pii import mask_id_number
from apps.policies.criteria.registry import DISTRICTS, SubjectKind, industry_label
from apps.policies.models import CompanyProfile, PersonProfile, ProfileAccess
from apps.policies.services import _base

Profile = CompanyProfile | PersonProfile
OWN_PURPOSE = "本人查看政策匹配依据"


def _district(code: str | None) -> str:
    return DISTRICTS.get(code or "", code or "")


def _yes_no(value: bool | None) -> str:
    return "" if value is None else (_("是") if value else _("否"))


def profile_facts(profile: Profile) -> dict[str, str]:
    """What data sharing supplied about the subject, as the applicant reads it (A3, PO4).
    The ID number is masked; a missing value is shown as missing."""
    missing = _("无数据")
    if isinstance(profile, CompanyProfile):
        facts = {
            _("企业名称"): profile.name,
            _("统一社会信用代码"): profile.credit_code,
            _("所属行业"): industry_label(profile.industry_code or ""),
            _("企业规模"): profile.get_scale_display() if profile.scale else "",
            _("注册地"): _district(profile.district_code),
            _("成立日期"): f"{profile.established_on:%Y-%m-%d}" if profile.established_on else "",
            _("从业人数"): "" if profile.employees is None else str(profile.employees),
            _("高新技术企业"): _yes_no(profile.high_tech),
            _("纳税信用级别"): profile.tax_credit_grade or "",
        }
    else:
        facts = {
            _("姓名"): profile.name,
            _("身份证号码"): mask_id_number(profile.id_number),
            _("出生日期"): f"{profile.birth_date:%Y-%m-%d}",
            _("户籍或居住地"): _district(profile.district_code),
            _("就业状态"): (
                profile.get_employment_status_display() if profile.employment_status else ""
            ),
            _("持有残疾人证"): _yes_no(profile.has_disability),
            _("家庭情况"): (
                profile.get_household_status_display() if profile.household_status else ""
            ),
        }
    facts = {label: value or missing for label, value in facts.items()}
    facts[_("数据截至")] = f"{profile.data_as_of:%Y-%m-%d}"
    return facts


def profile_kind(profile: Profile) -> str:
    return SubjectKind.COMPANY if isinstance(profile, CompanyProfile) else SubjectKind.PERSON


def _is_own(viewer: User, profile: Profile) -> bool:
    if isinstance(profile, PersonProfile):
        return bool(viewer.id_number_hash) and viewer.id_number_hash == profile.id_number_hash
    return viewer.companies.filter(credit_code=profile.credit_code).exists()


def profile_view(*, viewer: User, profile: Profile, purpose: str) -> ProfileAccess:
    """Record one look at ``profile`` (A17). Staff need the view permission and a purpose;
    the subject may always see their own data."""
    purpose = _base.require_text(purpose, _("请填写查看目的。"), code="purpose_required")[:200]
    if not viewer.is_authenticated or not viewer.is_active:
        raise PermissionDeniedError()
    own = _is_own(viewer, profile)
    codename = f"policies.view_{profile._meta.model_name}"
    if not own and not (viewer.kind == User.Kind.STAFF and viewer.has_perm(codename)):
        raise PermissionDeniedError()
    field = "company_profile" if isinstance(profile, CompanyProfile) else "person_profile"
    return ProfileAccess.objects.create(viewer=viewer, purpose=purpose, **{field: profile})
