"""The applicant's stepper: 提交 → 受理 → 审查 → 决定 → 办结, the steps done with their
times, the current one marked with its deadline, and the ones still to come (A10).

Pure: it reads the application's own fields and the timeline the page already loaded.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from apps.applications.models import Application, TimelineEvent
from apps.applications.workflow import State

SUBMIT, INTAKE, REVIEW, DECISION, DONE = range(5)
LABELS = (_("提交"), _("受理"), _("审查"), _("决定"), _("办结"))

# The step an open application is at.
_CURRENT = {
    # C8: sent with its 一件事, it reaches intake once the earlier stages are approved.
    State.WAITING: INTAKE,
    State.SUBMITTED: INTAKE,
    State.CORRECTION_REQUESTED: INTAKE,
    State.ACCEPTED: REVIEW,
    State.TOLERANT_ACCEPTED: REVIEW,
    State.UNDER_REVIEW: REVIEW,
    State.SUSPENDED: REVIEW,
}
# Ways a case ends before 办结 in the ordinary sense: the step where it stopped.
_STOPPED_AT = {
    State.REJECTED: INTAKE,
    State.TRANSFERRED: INTAKE,
    State.REVOKED: REVIEW,
    # Decided, then the decision revoked (P3, P6) or the result withheld (T3): no 办结.
    State.DECISION_REVOKED: DONE,
    State.RESULT_WITHHELD: DONE,
}


_STOPPED_AFTER_DECISION = frozenset({State.DECISION_REVOKED, State.RESULT_WITHHELD})


@dataclass(frozen=True)
class Step:
    label: str
    status: str  # "done" | "current" | "upcoming" | "stopped" | "skipped"
    at: datetime.datetime | None = None  # when it was done
    due: datetime.date | None = None  # the deadline of the current / final step
    note: str = ""


def _review_started(timeline: Iterable[TimelineEvent]) -> datetime.datetime | None:
    return next(
        (e.created_at for e in timeline if e.to_state == State.UNDER_REVIEW),
        None,
    )


def _stop(application: Application) -> int | None:
    state = State(application.state)
    if state == State.ARCHIVED and application.outcome in _STOPPED_AFTER_DECISION:
        return DONE  # archived, then revoked or withheld (A12: the outcome says so)
    if state == State.WITHDRAWN:
        return REVIEW if application.accepted_at else INTAKE
    return _STOPPED_AT.get(state)


def _stopped_note(application: Application) -> str:
    if application.state == State.ARCHIVED and application.outcome:
        return str(State(application.outcome).label)
    return str(State(application.state).label)


def application_progress(
    application: Application, timeline: Iterable[TimelineEvent] = ()
) -> list[Step]:
    """The five steps of ``application`` as its applicant follows them."""
    state = State(application.state)
    decided = application.decided_at or application.archived_at
    done_at = [
        application.submitted_at,
        application.accepted_at,
        _review_started(timeline) or application.accepted_at,
        decided,
        decided,
    ]
    stop = _stop(application)
    if stop is not None:
        current = stop
    elif state in _CURRENT:
        current = _CURRENT[state]
    elif state in (State.APPROVED, State.DENIED, State.ARCHIVED):
        current = DONE + 1  # every step done
    else:
        current = SUBMIT  # a draft
    steps = []
    for index, label in enumerate(LABELS):
        if index < current:
            steps.append(Step(str(label), "done", at=done_at[index]))
        elif index == current and stop is not None:
            steps.append(Step(str(label), "stopped", note=_stopped_note(application)))
        elif stop is not None:
            steps.append(Step(str(label), "skipped"))
        elif index == current:
            steps.append(
                Step(str(label), "current", due=_due(application, index), note=_note(state))
            )
        else:
            due = application.due_date if index == DONE else None
            steps.append(Step(str(label), "upcoming", due=due))
    if state == State.DENIED:
        steps[DECISION] = Step(str(LABELS[DECISION]), "done", at=decided, note=state.label)
    return steps


def _due(application: Application, index: int) -> datetime.date | None:
    if index == INTAKE:
        return application.intake_due_date
    return application.due_date


def _note(state: State) -> str:
    if state in (
        State.WAITING,
        State.CORRECTION_REQUESTED,
        State.SUSPENDED,
        State.TOLERANT_ACCEPTED,
    ):
        return str(state.label)
    if state == State.ACCEPTED:
        return str(_("待审查"))
    return ""
