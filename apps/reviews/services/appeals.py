"""Appeals (申诉复核, DOMAIN R4, R7): a department asks to set aside a review it believes
malicious or misdirected; a supervisor decides. Upheld, the review leaves every figure and
stays on record with the decision; refused, the department rectifies by a deadline.

Rows are locked in one order everywhere — appeal, case, review — so two decisions never
wait on each other in a circle.
"""

from __future__ import annotations

from datetime import datetime

from django.db import transaction
from django.utils.translation import gettext as _

from apps.accounts.models import User
from apps.common.errors import ApplicationError, InvalidTransitionError
from apps.common.history import set_history_user
from apps.notifications.services import notify
from apps.reviews.models import Appeal, CaseEvent, RectificationCase, Review
from apps.reviews.services import _base, rollups
from apps.reviews.services.deadlines import set_stage, start_rectifying
from apps.reviews.workflow import APPEAL_TRANSITIONS, AppealGround, AppealState, CaseState

Kind = CaseEvent.Kind


def _lock_review(review_id: int) -> Review:
    review = Review.objects.select_for_update().filter(pk=review_id).first()
    if review is None:
        raise _base.NotFoundError(_("评价不存在。"))
    return review


def _lock_case_of(review_id: int) -> RectificationCase | None:
    case_id = (
        RectificationCase.objects.filter(review_id=review_id).values_list("pk", flat=True).first()
    )
    return _base.lock_case(case_id) if case_id else None


def appeal_create(
    review: Review,
    *,
    actor: User,
    ground: str,
    reason: str,
    at: datetime | None = None,
    case: RectificationCase | None = None,
) -> Appeal:
    """Write the appeal (callers hold the locks and checked the actor). One per review: a
    pending one is not filed twice and a decided one is not reopened."""
    existing = Appeal.objects.filter(review=review).first()
    if existing is not None:
        if existing.state == AppealState.PENDING:
            raise ApplicationError(_("该评价已提出申诉，正在复核。"), code="appeal_pending")
        raise ApplicationError(_("该评价的申诉已复核，不能再次申诉。"), code="appeal_decided")
    if review.excluded:
        raise ApplicationError(_("该评价已不计入统计。"), code="already_excluded")
    appeal = Appeal(
        review=review,
        department_id=review.department_id,
        ground=ground,
        reason=reason,
        filed_by=actor,
    )
    set_history_user(appeal, actor)
    appeal.save()
    if at is not None:
        Appeal.objects.filter(pk=appeal.pk).update(created_at=at)
    if case is not None:
        _base.case_event(
            case,
            kind=Kind.APPEAL_FILED,
            actor=actor,
            note=reason,
            payload={"appeal_id": appeal.pk, "ground": ground},
        )
    for user in _base.decide_appeal_staff():
        notify(
            recipient=user,
            title=_("有新的评价申诉待复核"),
            body=_("%(dept)s对一条评价提出申诉（%(ground)s），请复核。")
            % {"dept": review.department, "ground": AppealGround(ground).label},
            category=_base.NOTIFICATION_CATEGORY,
            link=_base.appeal_link(appeal.pk),
            dedupe_key=f"review-appeal:{appeal.pk}:filed:user:{user.pk}",
        )
    return appeal


def appeal_file(*, review_id: int, actor: User, ground: str, reason: str) -> Appeal:
    """申诉: staff of the reviewed department appeal a review (R4). Refused for a review
    already appealed or decided, or another department's."""
    _base.check_staff_permission(actor, _base.APPEAL)
    if ground not in AppealGround.values:
        raise ApplicationError(
            _("请选择申诉理由。"), code="invalid_ground", extra={"field": "ground"}
        )
    reason = _base.require_text(reason, _("请填写申诉理由。"))
    with transaction.atomic():
        case = _lock_case_of(review_id)
        review = _lock_review(review_id)
        _base.check_department(actor, review.department_id)
        return appeal_create(review, actor=actor, ground=ground, reason=reason, case=case)


def appeal_decide(
    *, appeal_id: int, actor: User, upheld: bool, note: str, at: datetime | None = None
) -> Appeal:
    """覆核: a supervisor upholds or refuses a pending appeal (R4). Upheld: the review is
    excluded from every figure (rollups decremented in this transaction) and its case, if
    any, ends as excluded. Refused: a case waiting on the appeal goes to rectification
    with a fresh deadline."""
    _base.check_staff_permission(actor, _base.DECIDE)
    note = _base.require_text(note, _("请填写复核意见。"))
    with transaction.atomic():
        appeal = Appeal.objects.select_for_update().filter(pk=appeal_id).first()
        if appeal is None:
            raise _base.NotFoundError(_("申诉不存在。"))
        target = AppealState.UPHELD if upheld else AppealState.REFUSED
        if target not in APPEAL_TRANSITIONS[AppealState(appeal.state)]:
            raise InvalidTransitionError(
                _("该申诉已复核（%(state)s），不能再次复核。")
                % {"state": AppealState(appeal.state).label},
                code="appeal_decided",
            )
        case = _lock_case_of(appeal.review_id)
        review = _lock_review(appeal.review_id)
        now = _base.stamp(at)
        appeal.state = target
        appeal.decided_by = actor
        appeal.decided_at = now
        appeal.decision_note = note
        set_history_user(appeal, actor)
        appeal.save()
        if upheld:
            _exclude(review, case, appeal=appeal, actor=actor)
        elif case is not None and case.state == CaseState.APPEALED:
            start_rectifying(case, _base.day_of(now))
            _base.move(
                case,
                CaseState.RECTIFYING,
                actor=actor,
                action=_("复核申诉"),
                kind=Kind.APPEAL_DECIDED,
                note=note,
                payload={"appeal_id": appeal.pk, "upheld": False},
            )
        elif case is not None:
            _base.case_event(
                case,
                kind=Kind.APPEAL_DECIDED,
                actor=actor,
                note=note,
                payload={"appeal_id": appeal.pk, "upheld": False},
            )
        _tell_department(appeal)
        return appeal


def _exclude(
    review: Review, case: RectificationCase | None, *, appeal: Appeal, actor: User
) -> None:
    review.excluded = True
    review.save(update_fields=["excluded"])
    rollups.count_review(review, -1)
    if case is None:
        return
    rollups.uncount_case(case)
    set_stage(case, due_on=None, remind_on=None)
    _base.move(
        case,
        CaseState.EXCLUDED,
        actor=actor,
        action=_("复核申诉"),
        kind=Kind.APPEAL_DECIDED,
        note=appeal.decision_note,
        payload={"appeal_id": appeal.pk, "upheld": True},
    )


def _tell_department(appeal: Appeal) -> None:
    people = [appeal.filed_by, *_base.department_appealers(appeal.department_id)]
    for user in {u.pk: u for u in people}.values():
        notify(
            recipient=user,
            title=_("评价申诉复核结果：%(state)s") % {"state": appeal.get_state_display()},
            body=appeal.decision_note,
            category=_base.NOTIFICATION_CATEGORY,
            link=_base.appeal_link(appeal.pk),
            dedupe_key=f"review-appeal:{appeal.pk}:decided:user:{user.pk}",
        )
