"""What every halls service shares: the permission check, the timeline row, local time."""

from __future__ import annotations

import datetime

from django.utils import timezone
from django.utils.translation import gettext as _

from apps.accounts.models import User
from apps.common.errors import InvalidTransitionError, PermissionDeniedError
from apps.halls.models import HallEvent
from apps.workdays.calendar import SHANGHAI


def now() -> datetime.datetime:
    return timezone.now()


def local_now(at: datetime.datetime | None = None) -> datetime.datetime:
    return (at or now()).astimezone(SHANGHAI)


def at_local(day: datetime.date, time: datetime.time) -> datetime.datetime:
    return datetime.datetime.combine(day, time, tzinfo=SHANGHAI)


def check_staff(actor: User | None, permission: str) -> User:
    if actor is None or not actor.is_authenticated or not actor.is_active:
        raise PermissionDeniedError()
    if actor.kind != User.Kind.STAFF and not actor.is_superuser:
        raise PermissionDeniedError()
    if not actor.has_perm(permission):
        raise PermissionDeniedError()
    return actor


def check_edge(table: dict[str, frozenset[str]], current: str, target: str, label: str) -> None:
    if target not in table[current]:
        raise InvalidTransitionError(
            _("当前状态（%(state)s）不能执行此操作。") % {"state": label},
            extra={"state": current},
        )


def record(kind: str, *, actor: User | None, note: str = "", **targets) -> HallEvent:
    return HallEvent.objects.create(kind=kind, actor=actor, note=note[:500], **targets)
