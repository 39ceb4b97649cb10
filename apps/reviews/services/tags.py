"""The maintained list of bad-review reasons (DOMAIN R1)."""

from __future__ import annotations

from django.db import transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _

from apps.accounts.models import User
from apps.common.errors import ApplicationError
from apps.common.history import set_history_user
from apps.reviews.models import ReviewTag
from apps.reviews.services import _base


def review_tag_save(
    *,
    actor: User,
    label: str,
    code: str = "",
    order: int = 0,
    is_active: bool = True,
    tag_id: int | None = None,
) -> ReviewTag:
    """Add or change a reason. Reasons are retired (``is_active=False``), never deleted:
    old reviews keep the reasons they were given with."""
    _base.check_staff_permission(actor, "reviews.change_reviewtag")
    label = (label or "").strip()
    if not label:
        raise ApplicationError(
            _("请填写标签名称。"), code="label_required", extra={"field": "label"}
        )
    with transaction.atomic():
        if tag_id is None:
            code = slugify(code or "") or f"tag-{ReviewTag.objects.count() + 1}"
            if ReviewTag.objects.filter(code=code).exists():
                raise ApplicationError(
                    _("标签编码已存在。"), code="code_taken", extra={"field": "code"}
                )
            tag = ReviewTag(code=code)
        else:
            found = ReviewTag.objects.select_for_update().filter(pk=tag_id).first()
            if found is None:
                raise _base.NotFoundError(_("标签不存在。"))
            tag = found
        tag.label = label[:32]
        tag.order = order
        tag.is_active = is_active
        set_history_user(tag, actor)
        tag.save()
        return tag
