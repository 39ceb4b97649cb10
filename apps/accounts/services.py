"""Every write on accounts: registration, personal numbers, audited reveal (DOMAIN A1, A2, A17).

Domain errors are :class:`~apps.common.errors.ApplicationError` with a Chinese message; when
the error belongs to one input, ``extra["field"]`` names it so a form can show it there.
Nothing here logs a phone or ID number: log lines carry the user id only.
"""

from __future__ import annotations

import logging
import re
import secrets
from typing import Any

from django.contrib.auth.models import Group
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.accounts.backends import MOBILE_RE, normalize_phone
from apps.accounts.hooks import run_user_registered
from apps.accounts.models import Company, Department, PersonalDataAccess, User
from apps.accounts.roles import Role, group_name
from apps.accounts.selectors import user_has_role
from apps.common.errors import ApplicationError, PermissionDeniedError
from apps.common.idnumbers import validate_credit_code, validate_resident_id
from apps.common.pii import keyed_hash
from apps.common.services import model_update

logger = logging.getLogger(__name__)

REVEAL_PERMISSION = "accounts.view_full_personal_data"


# --- validation helpers (also used by forms and the admin) --------------------------------


def _first_message(exc: ValidationError) -> str:
    return exc.messages[0] if exc.messages else str(exc)


def phone_clean(phone: str, *, exclude_user: User | None = None) -> str:
    """Normalise a mainland mobile number and check that no other account uses it."""
    number = normalize_phone(phone)
    if not MOBILE_RE.match(number):
        raise ApplicationError(
            _("请输入正确的11位手机号码。"), code="invalid_phone", extra={"field": "phone"}
        )
    taken = User.objects.filter(phone_hash=keyed_hash(number))
    if exclude_user is not None:
        taken = taken.exclude(pk=exclude_user.pk)
    if taken.exists():
        raise ApplicationError(
            _("该手机号已注册，请直接登录。"), code="phone_taken", extra={"field": "phone"}
        )
    return number


def id_number_clean(id_number: str, *, exclude_user: User | None = None) -> str:
    """Validate a 居民身份证 number (DOMAIN A1) and keep it unique: one identity (A2)."""
    try:
        number = validate_resident_id(id_number)
    except ValidationError as exc:
        raise ApplicationError(
            _first_message(exc), code="invalid_id_number", extra={"field": "id_number"}
        ) from None
    taken = User.objects.filter(id_number_hash=keyed_hash(number))
    if exclude_user is not None:
        taken = taken.exclude(pk=exclude_user.pk)
    if taken.exists():
        raise ApplicationError(
            _("该身份证号码已注册，请使用原账户登录。"),
            code="id_number_taken",
            extra={"field": "id_number"},
        )
    return number


def credit_code_clean(credit_code: str) -> str:
    """Validate a 统一社会信用代码 (DOMAIN A1)."""
    try:
        return validate_credit_code(credit_code)
    except ValidationError as exc:
        raise ApplicationError(
            _first_message(exc), code="invalid_credit_code", extra={"field": "credit_code"}
        ) from None


def _full_name_clean(full_name: str) -> str:
    name = (full_name or "").strip()
    if not name or len(name) > 64:
        raise ApplicationError(
            _("请填写姓名（不超过64个字）。"),
            code="invalid_full_name",
            extra={"field": "full_name"},
        )
    return name


def _password_check(password: str, user: User) -> None:
    try:
        validate_password(password, user)
    except ValidationError as exc:
        raise ApplicationError(
            " ".join(exc.messages), code="weak_password", extra={"field": "password"}
        ) from None


# --- registration --------------------------------------------------------------------------


def registration_problems(
    *,
    full_name: str | None,
    phone: str | None,
    id_number: str | None,
    password: str | None,
    email: str = "",
) -> dict[str, str]:
    """Every problem of a registration by field (``full_name``, ``phone``, ``id_number``,
    ``password``), each checked on its own so all are told at once (A1, A2). A value given
    as ``None`` is not checked (a form already refused its shape). Writes nothing."""
    errors = _registration_errors(
        full_name=full_name, phone=phone, id_number=id_number, password=password, email=email
    )
    return {field: exc.message for field, exc in errors.items()}


def _registration_errors(
    *,
    full_name: str | None,
    phone: str | None,
    id_number: str | None,
    password: str | None,
    email: str,
) -> dict[str, ApplicationError]:
    problems: dict[str, ApplicationError] = {}
    checks = (
        ("full_name", _full_name_clean, full_name),
        ("phone", phone_clean, phone),
        ("id_number", id_number_clean, id_number),
    )
    for field, check, value in checks:
        if value is None:
            continue
        try:
            check(value)
        except ApplicationError as exc:
            problems[field] = exc
    if password is not None:
        someone = User(
            full_name=(full_name or "").strip(),
            phone=normalize_phone(phone or ""),
            email=(email or "").strip(),
        )
        try:
            _password_check(password, someone)
        except ApplicationError as exc:
            problems["password"] = exc
    return problems


def _public_user_create(
    *,
    kind: User.Kind,
    role: Role,
    full_name: str,
    phone: str,
    id_number: str,
    password: str,
    email: str,
    privacy_consent: bool,
) -> User:
    problems = _registration_errors(
        full_name=full_name, phone=phone, id_number=id_number, password=password, email=email
    )
    if problems:
        # The first problem is the error; ``extra["errors"]`` has them all, by field.
        field, first = next(iter(problems.items()))
        raise ApplicationError(
            first.message,
            code=first.code,
            extra={"field": field, "errors": {f: e.message for f, e in problems.items()}},
        )
    user = User(
        kind=kind,
        full_name=_full_name_clean(full_name),
        phone=normalize_phone(phone),
        id_number=validate_resident_id(id_number),
        email=User.objects.normalize_email((email or "").strip()),
        privacy_consent_at=timezone.now() if privacy_consent else None,
    )
    user.username = f"u{secrets.token_hex(8)}"  # public users log in by phone
    user.set_password(password)
    try:
        with transaction.atomic():  # savepoint: a concurrent twin registration loses cleanly
            user.save()
    except IntegrityError:
        raise ApplicationError(
            _("该手机号或身份证号码已注册，请直接登录。"), code="already_registered"
        ) from None
    user.groups.add(Group.objects.get(name=group_name(role)))
    return user


@transaction.atomic
def citizen_register(
    *,
    full_name: str,
    phone: str,
    id_number: str,
    password: str,
    email: str = "",
    privacy_consent: bool = False,
) -> User:
    """Register a natural person (DOMAIN A1) with one identity for all services (A2);
    ``privacy_consent``: the person agreed to the 个人信息保护告知 (kept with its time)."""
    user = _public_user_create(
        kind=User.Kind.CITIZEN,
        role=Role.CITIZEN,
        full_name=full_name,
        phone=phone,
        id_number=id_number,
        password=password,
        email=email,
        privacy_consent=privacy_consent,
    )
    logger.info("citizen registered user_id=%s", user.pk)
    run_user_registered(user)
    return user


@transaction.atomic
def company_agent_register(
    *,
    full_name: str,
    phone: str,
    id_number: str,
    password: str,
    company_name: str,
    credit_code: str,
    legal_representative: str = "",
    email: str = "",
    privacy_consent: bool = False,
) -> User:
    """Register a person acting for a legal person (DOMAIN A1: 统一社会信用代码).

    The company is found by its credit code or created. If the code is already on file under
    another name, the registration is refused: the agent has mistyped one of the two.
    """
    code = credit_code_clean(credit_code)
    name = (company_name or "").strip()
    if not name:
        raise ApplicationError(
            _("请填写单位名称。"), code="invalid_company_name", extra={"field": "company_name"}
        )
    company = _company_for(code=code, name=name, legal_representative=legal_representative)
    user = _public_user_create(
        kind=User.Kind.COMPANY_AGENT,
        role=Role.COMPANY_AGENT,
        full_name=full_name,
        phone=phone,
        id_number=id_number,
        password=password,
        email=email,
        privacy_consent=privacy_consent,
    )
    user.companies.add(company)
    logger.info("company agent registered user_id=%s company_id=%s", user.pk, company.pk)
    run_user_registered(user)
    return user


def _company_for(*, code: str, name: str, legal_representative: str) -> Company:
    """The company with this credit code, created if new; refused when the code is on file
    under another name (one of the two is mistyped)."""
    company, created = Company.objects.get_or_create(
        credit_code=code,
        defaults={"name": name, "legal_representative": (legal_representative or "").strip()},
    )
    if not created and company.name != name:
        raise ApplicationError(
            _("统一社会信用代码%(code)s已登记为「%(name)s」，与填写的单位名称不一致，请核对。")
            % {"code": code, "name": company.name},
            code="company_name_mismatch",
            extra={"field": "company_name"},
        )
    return company


def company_agent_add_company(
    *, user: User, company_name: str, credit_code: str, legal_representative: str = ""
) -> User:
    """A registered person starts acting for a company (A1, A2: the same account, no second
    registration): the company is added to the account, and a citizen becomes a company
    agent (keeping the citizen's role: they still apply for themselves). Recorded in the
    account's history with the reason."""
    code = credit_code_clean(credit_code)
    name = (company_name or "").strip()
    if not name:
        raise ApplicationError(
            _("请填写单位名称。"), code="invalid_company_name", extra={"field": "company_name"}
        )
    with transaction.atomic():
        locked = User.objects.select_for_update().get(pk=user.pk)
        if locked.kind == User.Kind.STAFF or not locked.is_active:
            raise PermissionDeniedError(_("工作人员账户不能作为法人经办人。"))
        company = _company_for(code=code, name=name, legal_representative=legal_representative)
        if locked.kind == User.Kind.CITIZEN:
            locked.kind = User.Kind.COMPANY_AGENT
            reason = _("成为法人经办人：%(name)s") % {"name": company.name}
            # django-simple-history's way to give the history row its reason.
            locked._change_reason = reason[:100]  # type: ignore[attr-defined]
            locked.save(update_fields=["kind", "updated_at"])
            locked.groups.add(Group.objects.get(name=group_name(Role.COMPANY_AGENT)))
        locked.companies.add(company)
    logger.info("company added to account user_id=%s company_id=%s", locked.pk, company.pk)
    return locked


# --- personal numbers ----------------------------------------------------------------------


@transaction.atomic
def user_personal_numbers_set(
    *, user: User, phone: str | None = None, id_number: str | None = None
) -> User:
    """Replace a user's phone and/or ID number (``None`` keeps the current value).

    The row is locked first, so two admins changing the same person serialise; the
    caller's instance gets the new values too."""
    locked = User.objects.select_for_update().get(pk=user.pk)
    changed: list[str] = []
    if phone is not None:
        number = phone_clean(phone, exclude_user=locked)
        if number != locked.phone:
            locked.phone = number
            changed.append("phone")
    if id_number is not None:
        number = id_number_clean(id_number, exclude_user=locked)
        if number != locked.id_number:
            locked.id_number = number
            changed.append("id_number")
    if changed:
        locked.save(update_fields=[*changed, "updated_at"])
        for field in (*changed, "phone_hash", "id_number_hash", "updated_at"):
            setattr(user, field, getattr(locked, field))
        logger.info("personal numbers changed user_id=%s fields=%s", user.pk, ",".join(changed))
    return user


# --- display preferences ------------------------------------------------------------------


@transaction.atomic
def user_accessible_mode_set(*, user: User, enabled: bool) -> User:
    """Remember a signed-in person's 长辈版/大字模式 choice on their account (DOMAIN Q1).

    The person changes only their own preference; the history row records when. The
    caller's instance gets the new value, so the page that follows shows it at once.
    """
    locked = User.objects.select_for_update().get(pk=user.pk)
    if locked.accessible_mode is not enabled:
        locked.accessible_mode = enabled
        locked.save(update_fields=["accessible_mode", "updated_at"])
    user.accessible_mode = enabled
    return user


@transaction.atomic
def personal_data_reveal(*, viewer: User, subject: User, field: str, purpose: str) -> str:
    """Show one person's full phone or ID number to authorised staff, and record it.

    DOMAIN A17: personal data is used only for the duty; every full view leaves a
    :class:`PersonalDataAccess` row naming who, whom, what and why.
    """
    if not viewer.has_perm(REVEAL_PERMISSION):
        raise PermissionDeniedError(_("您没有查看完整个人信息的权限。"))
    if field not in PersonalDataAccess.Field.values:
        raise ApplicationError(
            _("不支持查看该字段。"), code="invalid_field", extra={"field": "field"}
        )
    purpose = (purpose or "").strip()
    if len(purpose) < 2:
        raise ApplicationError(
            _("请填写查看用途（如办件编号、核验事由）。"),
            code="purpose_required",
            extra={"field": "purpose"},
        )
    PersonalDataAccess.objects.create(
        viewer=viewer, subject=subject, field=field, purpose=purpose[:200]
    )
    logger.info("personal data revealed viewer_id=%s subject_id=%s", viewer.pk, subject.pk)
    return getattr(subject, field)


# --- departments ---------------------------------------------------------------------------

DEPARTMENT_FIELDS = [
    "name",
    "name_en",
    "short_name",
    "credit_code",
    "parent",
    "level",
    "region_code",
    "phone",
    "address",
]
# GB/T 2260 county codes have 6 digits; township (9) and village (12) codes extend them.
_REGION_CODE = re.compile(r"^(\d{6}|\d{9}|\d{12})$")


def _department_problems(code: str, data: dict[str, Any]) -> list[str]:
    problems = []
    if data.get("credit_code"):
        try:
            data["credit_code"] = validate_credit_code(data["credit_code"])
        except ValidationError as exc:
            problems.append(_("统一社会信用代码：%(reason)s") % {"reason": _first_message(exc)})
    if data.get("region_code") and not _REGION_CODE.match(data["region_code"]):
        problems.append(
            _("行政区划代码“%(code)s”应为6、9或12位数字") % {"code": data["region_code"]}
        )
    parent = data.get("parent")
    seen = {code}
    while parent is not None:
        if parent.code in seen:
            problems.append(_("上级部门“%(code)s”会形成循环隶属") % {"code": data["parent"].code})
            break
        seen.add(parent.code)
        parent = parent.parent
    return problems


@transaction.atomic
def department_save(
    *, actor: User | None, code: str, data: dict[str, Any]
) -> tuple[Department, bool]:
    """Create or change the department ``code`` (a catalogue import's departments section,
    DOMAIN C2); returns ``(department, changed)``. System administrators only (``actor=None``
    is the system itself). ``data`` holds :data:`DEPARTMENT_FIELDS`; ``parent`` is a
    department or ``None``. Nothing is written when nothing differs."""
    if actor is not None and not (actor.is_superuser or user_has_role(actor, Role.SYSTEM_ADMIN)):
        raise PermissionDeniedError(_("只有系统管理员可以维护部门。"))
    data = {k: v for k, v in data.items() if k in DEPARTMENT_FIELDS}
    problems = _department_problems(code, data)
    if problems:
        raise ApplicationError("；".join(problems), code="invalid", extra={"problems": problems})
    department = Department.objects.select_for_update().filter(code=code).first()
    try:
        if department is None:
            department = Department(code=code, **data)
            department.full_clean()
            department.save()
            return department, True
        return model_update(instance=department, fields=list(data), data=data)
    except ValidationError as exc:
        messages = [f"{k}：{'；'.join(v)}" for k, v in exc.message_dict.items()]
        raise ApplicationError(
            "；".join(messages), code="invalid", extra={"problems": messages}
        ) from None
