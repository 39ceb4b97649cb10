"""Serial 一件事 stages (DOMAIN C8): hold a later stage's members at submission, release them
to intake when the earlier stages are approved, end them when an earlier member is not.

:func:`hold_locked` is called by the bundle submission for the members of later stages;
:func:`on_member_closed` is registered into ``hooks.case_closed_listeners`` by
:meth:`ApplicationsConfig.ready` (``close_case`` cannot import this module: this module ends
cases through it) and runs :func:`bundle_stages_advance` inside the transaction that ended
a member.
"""

from __future__ import annotations

from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from apps.accounts.models import User
from apps.applications.bundle_stages import StageStatus, failed_members, stage_plan
from apps.applications.models import Application, BundleApplication
from apps.applications.services import _base
from apps.applications.services.closing import Ending, close_case
from apps.applications.services.submission import check_submittable, submit_locked
from apps.applications.workflow import State
from apps.common.errors import ApplicationError
from apps.notifications.services import notify


def hold_locked(application: Application, *, actor: User, stage: int) -> Application:
    """C8: a member of a later stage is sent with its 一件事 — checked now as any submission
    is, so nothing is missing when it is released — and waits for the earlier stages."""
    check_submittable(application)
    _base.transition(
        application,
        State.WAITING,
        actor=actor,
        action=_("提交"),
        reason=_("一件事第%(stage)d阶段：前一阶段办结后自动提交受理") % {"stage": stage},
    )
    return application


def on_member_closed(application: Application, actor: User | None) -> None:
    """``case_closed_listeners``: a member of a 一件事 ended; move its stages on. Nothing to
    do (and no bundle lock taken) when no member waits: only a stage pass, under the bundle
    lock, takes a member out of ``WAITING`` other than the applicant's own withdrawal."""
    group_id = application.bundle_application_id
    if group_id is None:
        return
    if Application.objects.filter(bundle_application_id=group_id, state=State.WAITING).exists():
        bundle_stages_advance(bundle_application_id=group_id)


def bundle_stages_advance(*, bundle_application_id: int) -> BundleApplication:
    """C8: release the next stage once every member of the earlier stages is approved; end
    the waiting members once an earlier member ended without approval, and tell the
    applicant why. Runs inside the caller's transaction; the bundle row lock serialises
    members ending at the same moment (the second reads the first one's result)."""
    with transaction.atomic():
        group = (
            BundleApplication.objects.select_for_update(of=("self",))
            .select_related("bundle")
            .get(pk=bundle_application_id)
        )
        members = list(
            Application.objects.filter(bundle_application=group)
            .select_related("item")
            .order_by("bundle_stage", "pk")
        )
        stages = stage_plan(members)
        stopped = [m for s in stages if s.status == StageStatus.STOPPED for m in s.waiting]
        if stopped:
            _stop(group, stopped, failed=failed_members(stages))
            return group
        for stage in stages:
            if stage.releasable:
                for member in stage.waiting:
                    _release(member.pk, stage=stage.number)
        return group


def _lock_waiting(application_id: int) -> Application | None:
    """The member, locked, if it is still waiting (a nested pass may have ended it)."""
    return (
        Application.objects.select_for_update(of=("self",))
        .select_related("guide", "item", "department", "applicant")
        .filter(pk=application_id, state=State.WAITING)
        .first()
    )


def _release(application_id: int, *, stage: int) -> None:
    member = _lock_waiting(application_id)
    if member is None:
        return
    try:
        # A savepoint: a member that can no longer be submitted (its guide was replaced
        # meanwhile) stays waiting and the applicant is told; the decision that ended the
        # earlier member is not undone by it.
        with transaction.atomic():
            submit_locked(
                member,
                actor=member.applicant,
                idempotency_key=None,
                reason=_("一件事前一阶段已全部准予，第%(stage)d阶段自动提交受理")
                % {"stage": stage},
            )
    except ApplicationError as exc:
        _base.tell_applicant(
            member,
            event="bundle-release-failed",
            title=_("一件事后续事项未能提交受理"),
            body=_("“%(item)s”未能自动提交受理：%(why)s 请撤回后重新申请。")
            % {"item": member.item.name, "why": exc.message},
            sms=True,
        )


def _stop(group: BundleApplication, stopped: list[Application], *, failed: list) -> None:
    names = "、".join(f"“{m.item.name}”" for m in failed) or _("前一阶段的事项")
    reason = _("一件事前一阶段的%(names)s未获准予，本事项无法继续办理，已终止。") % {"names": names}
    notify(
        recipient=group.applicant,
        title=_("一件事后续阶段无法继续办理"),
        body=_(
            "您的一件事“%(bundle)s”（编号 %(number)s）中，%(names)s未获准予，后续阶段的"
            "%(count)d个事项无法继续办理，已终止：%(items)s。"
        )
        % {
            "bundle": group.bundle.name,
            "number": group.number,
            "names": names,
            "count": len(stopped),
            "items": "、".join(m.item.name for m in stopped),
        },
        category=_base.NOTIFICATION_CATEGORY,
        link=reverse("applications:bundle", args=[group.pk]),
        channels=("inbox", "sms"),
        dedupe_key=f"bundle-stopped:{group.pk}",
    )
    # Told first, with every member: ending one runs this pass again for the rest (its
    # notice is then the same one, deduplicated) and they are skipped here.
    for waiting in stopped:
        member = _lock_waiting(waiting.pk)
        if member is None:
            continue
        close_case(
            member,
            actor=None,
            ending=Ending(target=State.WITHDRAWN, action=_("终止办理"), reason=reason),
        )
