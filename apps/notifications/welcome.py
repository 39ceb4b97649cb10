"""The welcome message a newly registered person finds in their inbox.

Registered into :data:`apps.accounts.hooks.user_registered` by ``NotificationsConfig.ready``.
"""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from apps.accounts.models import User
from apps.notifications.services import notify


def welcome_send(user_id: int) -> None:
    """Idempotent: the dedupe key makes a second run (a retried hook) a no-op."""
    notify(
        recipient=User.objects.get(pk=user_id),
        title=_("欢迎使用政务服务网"),
        body=_("您已成功注册。今后办理政务服务事项、查看办件进度、评价服务，都可以使用这个账户。"),
        category="account",
        dedupe_key=f"welcome:{user_id}",
    )


def welcome_on_commit(user: User) -> None:
    """Welcome ``user`` once the registration commits (nothing is sent if it rolls back)."""
    user_id = user.pk

    def send_welcome() -> None:
        welcome_send(user_id)

    transaction.on_commit(send_welcome)
