"""The serial stages of a submitted 一件事 (DOMAIN C8), read from its members' states.

Steps with the same stage run in parallel; stages run in order. A later stage's members wait
(``State.WAITING``) until every member of every earlier stage is approved; once a member of
an earlier stage ends without approval, the later stages cannot proceed. One pure function
says where each stage stands: the release service (:mod:`.services.bundle_release`) acts on
it and the applicant's bundle page shows it, so both read the same rule.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.db import models
from django.utils.translation import gettext_lazy as _

from apps.applications.models import Application
from apps.applications.workflow import FINISHED_STATES, State

# A member is finished once it has an outcome; archiving (A12) keeps that outcome.
ENDED_STATES = FINISHED_STATES | {State.ARCHIVED}


class StageStatus(models.TextChoices):
    RUNNING = "running", _("办理中")
    WAITING = "waiting", _("等待前一阶段办结")
    DONE = "done", _("已办结")
    STOPPED = "stopped", _("前一阶段未获准予，本阶段无法继续办理")


@dataclass(frozen=True)
class Stage:
    number: int
    members: list[Application]
    status: StageStatus
    # Every earlier stage ended with all its members approved: its waiting members go now.
    releasable: bool

    @property
    def label(self) -> str:
        return str(self.status.label)

    @property
    def waiting(self) -> list[Application]:
        return [m for m in self.members if m.state == State.WAITING]


def member_stage(member: Application) -> int:
    return member.bundle_stage or 1


def approved(member: Application) -> bool:
    return (member.outcome or member.state) == State.APPROVED


def ended(member: Application) -> bool:
    return member.state in ENDED_STATES


def stage_plan(members: Iterable[Application]) -> list[Stage]:
    """The stages of one 一件事 in order, each with its status (C8)."""
    by_stage: dict[int, list[Application]] = {}
    for member in members:
        by_stage.setdefault(member_stage(member), []).append(member)
    stages: list[Stage] = []
    earlier_approved, earlier_failed = True, False
    for number in sorted(by_stage):
        rows = by_stage[number]
        if earlier_failed:
            status = StageStatus.STOPPED
        elif any(m.state == State.WAITING for m in rows):
            status = StageStatus.WAITING
        elif all(ended(m) for m in rows):
            status = StageStatus.DONE
        else:
            status = StageStatus.RUNNING
        stages.append(
            Stage(
                number=number,
                members=rows,
                status=status,
                releasable=status == StageStatus.WAITING and earlier_approved,
            )
        )
        earlier_failed = earlier_failed or any(ended(m) and not approved(m) for m in rows)
        earlier_approved = earlier_approved and all(approved(m) for m in rows)
    return stages


def first_stage(members: Iterable[Application]) -> int:
    """The stage that goes to intake when the 一件事 is submitted."""
    return min((member_stage(m) for m in members), default=1)


def failed_members(stages: list[Stage]) -> list[Application]:
    """The earlier members that ended without approval and so stop the later stages."""
    return [m for s in stages for m in s.members if ended(m) and not approved(m) and m.submitted_at]
