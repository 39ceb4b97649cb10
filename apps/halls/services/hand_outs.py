"""综合窗口出件 (DOMAIN A11, 统一反馈): a case taken in at a comprehensive window comes back
to that window's group once decided (:func:`on_case_closed`, a ``case_closed_listeners``
entry) and is handed to the applicant there, once (:func:`hand_out`)."""

from __future__ import annotations

from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from apps.accounts.models import User
from apps.applications.models import Application, Channel
from apps.applications.workflow import State
from apps.common.errors import ApplicationError, PermissionDeniedError
from apps.common.history import set_history_user
from apps.halls import selectors
from apps.halls.models import HandOut
from apps.halls.services._base import check_staff, local_now, now
from apps.notifications.services import notify

# A withdrawal returns nothing to hand out.
NOTHING_TO_HAND_OUT = frozenset({State.WITHDRAWN})


def on_case_closed(application: Application, actor: User | None) -> None:
    """A11: the case ended; if it was taken in at a comprehensive window (the intake staff
    was on a comprehensive window's shift when it was submitted there), its result waits at
    that window for handing out, and the applicant is told where to collect it. Runs inside
    the closing transaction; a second call changes nothing."""
    if (
        application.state in NOTHING_TO_HAND_OUT
        or application.channel not in (Channel.WINDOW, Channel.ASSISTED)
        or application.handled_by_id is None
        or application.submitted_at is None
    ):
        return
    shift = selectors.comprehensive_shift_at(
        staff_id=application.handled_by_id, at=application.submitted_at
    )
    if shift is None:
        return
    hand_out_row, created = HandOut.objects.get_or_create(
        application=application,
        defaults={
            "window": shift.window,
            "group": shift.window.profile.group,
            "taken_in_by_id": application.handled_by_id,
            "decided_at": application.decided_at or now(),
        },
    )
    if not created:
        return
    notify(
        recipient=application.applicant,
        title=_("办理结果已送达综合窗口"),
        body=_("您的%(item)s（%(number)s）已办结，请凭身份证件到%(center)s综合窗口领取结果。")
        % {
            "item": application.item.name,
            "number": application.number,
            "center": shift.window.center.name,
        },
        category="hall",
        link=reverse("applications:detail", args=[application.pk]),
        channels=("inbox", "sms"),
        dedupe_key=f"hand-out-ready:{hand_out_row.pk}",
    )


def hand_out(*, actor: User, hand_out_id: int, collector_name: str = "") -> HandOut:
    """A11 综合窗口出件: staff on the rota today at a window of the comprehensive group hand
    the result to the applicant (or the person they name); who and when are recorded. A
    second hand-out is refused and changes nothing."""
    check_staff(actor, "halls.operate_window")
    with transaction.atomic():
        row = (
            HandOut.objects.select_for_update(of=("self",))
            .select_related("application")
            .filter(pk=hand_out_id)
            .first()
        )
        if row is None:
            raise ApplicationError(_("出件记录不存在。"), code="not_found")
        if row.group_id not in selectors.hand_out_groups(staff=actor, at=now()):
            raise PermissionDeniedError(_("仅该综合窗口当日值班的工作人员可以出件。"))
        if row.handed_out_at is not None:
            raise ApplicationError(
                _("该办件结果已于%(at)s出件，不能重复出件。")
                % {"at": f"{local_now(row.handed_out_at):%Y-%m-%d %H:%M}"},
                code="already_handed_out",
            )
        row.handed_out_at = now()
        row.handed_out_by = actor
        row.collector_name = (collector_name or "").strip()[:64] or row.application.applicant_name
        set_history_user(row, actor)
        row.save()
    return row
