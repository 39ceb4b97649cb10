"""Outside access: Open311 API keys (hash stored, key shown once) and one-time SMS codes for
citizens without an account (H4). Also the dispatch catalogue's admin saves."""

from __future__ import annotations

import datetime
import hashlib
import hmac
import secrets

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _

from apps.accounts.models import User
from apps.common.errors import ApplicationError, PermissionDeniedError
from apps.common.history import set_history_user
from apps.common.pii import keyed_hash
from apps.hotline.models import Category, Open311ApiKey, PhoneVerification, TimeLimit
from apps.hotline.services import _base
from apps.hotline.services.intake import normalise_phone

KEY_BYTES = 24


def _key_hash(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def open311_key_create(*, actor: User, name: str, contact: str = "") -> tuple[Open311ApiKey, str]:
    """A new client key; returns the row and the raw key, which is never stored."""
    if not actor.has_perm("hotline.add_open311apikey"):
        raise PermissionDeniedError()
    name = _base.require_text(name, _("请填写客户端名称。"), code="name_required")
    raw = secrets.token_urlsafe(KEY_BYTES)
    key = Open311ApiKey.objects.create(
        name=name[:100],
        contact=(contact or "")[:100],
        key_prefix=raw[:8],
        key_hash=_key_hash(raw),
        created_by=actor,
    )
    return key, raw


def open311_key_revoke(*, key_id: int, actor: User) -> Open311ApiKey:
    if not actor.has_perm("hotline.change_open311apikey"):
        raise PermissionDeniedError()
    with transaction.atomic():
        key = Open311ApiKey.objects.select_for_update().get(pk=key_id)
        key.is_active = False
        key.revoked_at = _base.now()
        key.save(update_fields=["is_active", "revoked_at", "updated_at"])
    return key


def open311_key_authenticate(raw: str | None) -> Open311ApiKey | None:
    """The active key matching ``raw``, or ``None``."""
    if not raw or len(raw) > 200 or "\x00" in raw:
        return None
    key = Open311ApiKey.objects.filter(key_hash=_key_hash(raw), is_active=True).first()
    if key is not None:
        Open311ApiKey.objects.filter(pk=key.pk).update(last_used_at=_base.now())
    return key


# --- One-time codes ------------------------------------------------------------------------


def _code_hash(phone: str, code: str) -> str:
    return keyed_hash(f"hotline-code:{phone}:{code}")


def phone_code_send(*, phone: str) -> PhoneVerification:
    """Send a six-digit code by SMS, at most ``HOTLINE_CODE_MAX_SENDS_PER_HOUR`` per number."""
    phone = normalise_phone(phone)
    if not phone or not phone.startswith("1") or len(phone) != 11:
        raise ApplicationError(_("请填写11位手机号码。"), code="invalid_phone")
    phone_hash = keyed_hash(phone)
    now = _base.now()
    with transaction.atomic():
        recent = PhoneVerification.objects.filter(
            phone_hash=phone_hash, created_at__gte=now - datetime.timedelta(hours=1)
        ).count()
        if recent >= settings.HOTLINE_CODE_MAX_SENDS_PER_HOUR:
            raise ApplicationError(_("验证码发送过于频繁，请一小时后再试。"), code="too_many_codes")
        code = f"{secrets.randbelow(10**6):06d}"
        verification = PhoneVerification.objects.create(
            phone=phone,
            phone_hash=phone_hash,
            code_hash=_code_hash(phone, code),
            expires_at=now + datetime.timedelta(minutes=settings.HOTLINE_CODE_TTL_MINUTES),
        )
        _base.send_sms(
            phone=phone,
            text=_("您的12345诉求提交验证码为%(code)s，%(minutes)d分钟内有效。请勿告诉他人。")
            % {"code": code, "minutes": settings.HOTLINE_CODE_TTL_MINUTES},
            dedupe_key=f"hotline-code:{verification.pk}",
        )
    return verification


def phone_code_verify(*, phone: str, code: str) -> str:
    """The verified number, or an error; each code is checked at most
    ``HOTLINE_CODE_MAX_ATTEMPTS`` times and used once."""
    phone = normalise_phone(phone)
    code = (code or "").strip()
    with transaction.atomic():
        verification = (
            PhoneVerification.objects.select_for_update()
            .filter(phone_hash=keyed_hash(phone) if phone else "-", verified_at__isnull=True)
            .order_by("-created_at")
            .first()
        )
        if verification is None or verification.expires_at < _base.now():
            raise ApplicationError(_("验证码已失效，请重新获取。"), code="code_expired")
        if verification.attempts >= settings.HOTLINE_CODE_MAX_ATTEMPTS:
            raise ApplicationError(_("验证码错误次数过多，请重新获取。"), code="code_locked")
        # The attempt is counted and committed whether or not the code matches.
        verification.attempts += 1
        matches = hmac.compare_digest(verification.code_hash, _code_hash(phone, code))
        if matches:
            verification.verified_at = _base.now()
        verification.save(update_fields=["attempts", "verified_at"])
    if not matches:
        raise ApplicationError(_("验证码不正确。"), code="code_wrong")
    return phone


# --- The dispatch catalogue (admin saves) ---------------------------------------------------


def category_save(*, actor: User, category: Category) -> Category:
    if not actor.has_perm("hotline.change_category") and not actor.has_perm("hotline.add_category"):
        raise PermissionDeniedError()
    category.full_clean()
    set_history_user(category, actor)
    category.save()
    return category


def time_limit_save(*, actor: User, limit: TimeLimit) -> TimeLimit:
    if not actor.has_perm("hotline.change_timelimit") and not actor.has_perm(
        "hotline.add_timelimit"
    ):
        raise PermissionDeniedError()
    limit.full_clean()
    set_history_user(limit, actor)
    limit.save()
    return limit
