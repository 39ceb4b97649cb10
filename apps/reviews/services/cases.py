"""Handling a real-name bad review (DOMAIN R3, R4, R7): call back and verify within one
working day, then fix now, fix by a deadline, explain, or appeal a malicious one; tell the
reviewer; re-visit them; supervisors press (督办) where it drags.
"""

from __future__ import annotations

from datetime import datetime

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from apps.accounts.models import User
from apps.common.errors import ApplicationError
from apps.notifications.services import notify
from apps.reviews.models import CaseEvent, CaseMark, RectificationCase, Review
from apps.reviews.services import _base, rollups
from apps.reviews.services.appeals import appeal_create
from apps.reviews.services.deadlines import callback_due_on, set_stage, start_rectifying
from apps.reviews.workflow import OUTCOME_TARGET, AppealGround, CaseState, Level, Outcome

Kind = CaseEvent.Kind


def case_open(review: Review, *, at: datetime | None = None) -> RectificationCase:
    """R3: every real-name bad review becomes a case at once, in the review's transaction;
    the department's handlers are told the call-back deadline."""
    now = _base.stamp(at)
    due = callback_due_on(now)
    case = RectificationCase(review=review, department_id=review.department_id, callback_due_on=due)
    # Reminded on the morning of the due day; late from the day after it.
    set_stage(case, due_on=due, remind_on=due)
    _base.save(case, None)
    if at is not None:
        RectificationCase.objects.filter(pk=case.pk).update(created_at=at)
    _base.case_event(case, kind=Kind.OPENED, actor=None, to_state=case.state, at=at)
    rollups.count_case(review, opened=1)
    for user in _base.department_handlers(review.department_id):
        notify(
            recipient=user,
            title=_("收到差评，请及时回访核实"),
            body=_("收到一条%(level)s评价，请于%(due)s前回访评价人、核实情况并登记结果。")
            % {"level": review.get_level_display(), "due": due},
            category=_base.NOTIFICATION_CATEGORY,
            link=_base.case_link(case.pk),
            dedupe_key=f"review-case:{case.pk}:opened:user:{user.pk}",
        )
    return case


def _tell_reviewer(case: RectificationCase, *, event: str, title: str, body: str) -> None:
    """R3: the reviewer is told the outcome (inbox and SMS)."""
    reviewer = case.review.reviewer
    if reviewer is None:
        return
    notify(
        recipient=reviewer,
        title=title,
        body=body,
        category=_base.NOTIFICATION_CATEGORY,
        link=_base.my_reviews_link(),
        channels=("inbox", "sms"),
        dedupe_key=f"review-case:{case.pk}:{event}",
    )


def _resolve(case: RectificationCase, now: datetime, *, on_time: bool) -> None:
    case.resolved_at = now
    case.on_time = on_time
    case.due_on = None
    case.remind_on = None
    rollups.count_case(case.review, resolved=1, on_time=1 if on_time else 0)


def case_record_callback(
    *,
    case_id: int,
    actor: User,
    outcome: str,
    note: str,
    days: int | None = None,
    at: datetime | None = None,
) -> RectificationCase:
    """R3: the department called the reviewer back and records what it found:

    * ``fixed_now`` (clear and reasonable: 立行立改) → rectified;
    * ``fix_by_deadline`` (complex) → rectifying, due in ``days`` working days (default and
      maximum ``REVIEWS_RECTIFY_WORKING_DAYS``);
    * ``not_reasonable`` → explained to the reviewer;
    * ``malicious`` → an appeal is filed with ``note`` as its reason; a supervisor decides.
    """
    _base.check_staff_permission(actor, _base.HANDLE)
    if outcome not in Outcome.values:
        raise ApplicationError(_("请选择核实结论。"), code="invalid_outcome")
    note = _base.require_text(note, _("请填写回访核实情况。"))
    if outcome == Outcome.MALICIOUS:
        _base.check_staff_permission(actor, _base.APPEAL)
    with transaction.atomic():
        case = _base.lock_case(case_id)
        _base.check_department(actor, case.department_id)
        target = OUTCOME_TARGET[Outcome(outcome)]
        _base.require_state(case, {CaseState.CALLBACK_DUE}, _("登记回访核实结果"))
        now = _base.stamp(at)
        today = _base.day_of(now)
        case.callback_at = now
        case.callback_on_time = today <= case.callback_due_on
        case.outcome = outcome
        case.outcome_note = note
        case.handled_by = actor
        if target == CaseState.RECTIFYING:
            start_rectifying(case, today, days)
        elif target in (CaseState.RECTIFIED, CaseState.EXPLAINED):
            if target == CaseState.RECTIFIED:
                case.rectified_at = now
                case.rectification_note = note
            _resolve(case, now, on_time=bool(case.callback_on_time))
        else:  # appealed: no deadline while a supervisor decides
            set_stage(case, due_on=None, remind_on=None)
        _base.move(
            case,
            target,
            actor=actor,
            action=_("登记回访核实结果"),
            kind=Kind.CALLBACK,
            note=note,
            payload={"outcome": outcome, "on_time": case.callback_on_time},
            at=at,
        )
        if target == CaseState.APPEALED:
            appeal_create(
                case.review,
                actor=actor,
                ground=AppealGround.MALICIOUS,
                reason=note,
                at=now,
                case=case,
            )
        else:
            _tell_reviewer(
                case,
                event="callback",
                title=_("您的评价已核实处理"),
                body=_outcome_message(case),
            )
        return case


def _outcome_message(case: RectificationCase) -> str:
    if case.state == CaseState.RECTIFYING:
        return _("经核实，您反映的问题属实，责任部门将于%(due)s前完成整改。") % {
            "due": case.rectify_due_on
        }
    if case.state == CaseState.RECTIFIED:
        return _("经核实，您反映的问题属实，已立行立改。处理情况：%(note)s") % {
            "note": case.outcome_note
        }
    return _("经核实，责任部门已就您反映的问题作出解释说明：%(note)s") % {"note": case.outcome_note}


def case_rectify(
    *, case_id: int, actor: User, note: str, at: datetime | None = None
) -> RectificationCase:
    """R3/R7: the complex case is fixed; on time when by its deadline (and the call-back
    was on time). The reviewer is told."""
    _base.check_staff_permission(actor, _base.HANDLE)
    note = _base.require_text(note, _("请填写整改情况。"))
    with transaction.atomic():
        case = _base.lock_case(case_id)
        _base.check_department(actor, case.department_id)
        _base.require_state(case, {CaseState.RECTIFYING}, _("登记整改完成"))
        now = _base.stamp(at)
        due = case.rectify_due_on
        on_time = bool(case.callback_on_time) and due is not None and _base.day_of(now) <= due
        case.rectified_at = now
        case.rectification_note = note
        case.handled_by = actor
        _resolve(case, now, on_time=on_time)
        _base.move(
            case,
            CaseState.RECTIFIED,
            actor=actor,
            action=_("登记整改完成"),
            kind=Kind.RECTIFIED,
            note=note,
            payload={"on_time": on_time},
            at=at,
        )
        _tell_reviewer(
            case,
            event="rectified",
            title=_("您反映的问题已整改"),
            body=_("您评价中反映的问题已整改完成：%(note)s") % {"note": note},
        )
        return case


def case_revisit(
    *, case_id: int, actor: User, level: str, note: str = "", at: datetime | None = None
) -> RectificationCase:
    """R4/R7: the reviewer is re-visited (回访) after the case is handled and gives a
    satisfaction answer on the five levels (it is recorded on the case; the review stays
    as given)."""
    _base.check_staff_permission(actor, _base.HANDLE)
    if level not in Level.values:
        raise ApplicationError(
            _("请在五个评价等级中选择一项。"), code="invalid_level", extra={"field": "level"}
        )
    with transaction.atomic():
        case = _base.lock_case(case_id)
        _base.check_department(actor, case.department_id)
        now = _base.stamp(at)
        case.revisit_at = now
        case.revisit_level = level
        case.revisit_note = (note or "").strip()
        _base.move(
            case,
            CaseState.REVISITED,
            actor=actor,
            action=_("登记回访满意度"),
            kind=Kind.REVISITED,
            note=case.revisit_note,
            payload={"level": level},
            at=at,
        )
        return case


def case_supervise(*, case_id: int, actor: User, note: str) -> RectificationCase:
    """督办 (R3, R4): a supervisor presses the department on a case still open; once per
    case and stage (a second press of the same stage is refused, not repeated)."""
    _base.check_staff_permission(actor, _base.SUPERVISE)
    note = _base.require_text(note, _("请填写督办意见。"))
    with transaction.atomic():
        case = _base.lock_case(case_id)
        _base.require_state(case, {CaseState.CALLBACK_DUE, CaseState.RECTIFYING}, _("督办"))
        threshold = f"supervised:{case.state}"
        try:
            with transaction.atomic():
                CaseMark.objects.create(case=case, threshold=threshold)
        except IntegrityError:
            raise ApplicationError(
                _("该差评在当前阶段已督办，请等待部门办理。"), code="already_supervised"
            ) from None
        _base.case_event(
            case, kind=Kind.SUPERVISED, actor=actor, note=note, payload={"stage": case.state}
        )
        people = [
            *_base.department_appealers(case.department_id),
            *_base.department_handlers(case.department_id),
        ]
        for user in {u.pk: u for u in people}.values():
            _tell_staff(case, user, title=_("差评整改督办"), body=note, event=threshold)
        return case


def _tell_staff(case: RectificationCase, user: User, *, title: str, body: str, event: str):
    notify(
        recipient=user,
        title=title,
        body=body,
        category=_base.NOTIFICATION_CATEGORY,
        link=_base.case_link(case.pk),
        dedupe_key=f"review-case:{case.pk}:{event}:user:{user.pk}",
    )
