"""Writes to the topics (办事分类) items and bundles are filed under."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from apps.accounts.models import User
from apps.catalogue.models import Topic
from apps.catalogue.selectors import is_catalogue_admin
from apps.catalogue.services.problems import full_clean, raise_problems, validation_problems
from apps.common.errors import PermissionDeniedError
from apps.common.services import model_update


@transaction.atomic
def topic_save(*, actor: User | None, code: str, name: str, kind: str, order: int = 0) -> Topic:
    """Create or update a topic by code (system administrators only)."""
    if actor is not None and not is_catalogue_admin(actor):
        raise PermissionDeniedError(_("只有系统管理员可以维护办事分类。"))
    topic = Topic.objects.select_for_update().filter(code=code).first()
    if topic is None:
        topic = Topic(code=code, name=name, kind=kind, order=order)
        full_clean(topic)
        topic.save()
        return topic
    try:
        topic, _changed = model_update(
            instance=topic,
            fields=["name", "kind", "order"],
            data={"name": name, "kind": kind, "order": order},
        )
    except ValidationError as exc:
        raise_problems(validation_problems(exc))
    return topic
