"""The states of one tolerated material's supply (DOMAIN T1–T3) and the allowed changes.

Read top to bottom: every path a tolerated material can take after tolerant acceptance.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class SupplyState(models.TextChoices):
    MISSING = "missing", _("待补齐")
    SUBMITTED = "submitted", _("已提交待核验")
    REJECTED = "rejected", _("不符合要求")
    ACCEPTED = "accepted", _("已补齐")
    LAPSED = "lapsed", _("逾期未补齐")
    CLOSED = "closed", _("办件已终结")


ALLOWED_TRANSITIONS: dict[SupplyState, frozenset[SupplyState]] = {
    # T1: the applicant supplies; T3: the deadline passes; the case may end otherwise.
    SupplyState.MISSING: frozenset({SupplyState.SUBMITTED, SupplyState.LAPSED, SupplyState.CLOSED}),
    # The window checks every supplement.
    SupplyState.SUBMITTED: frozenset(
        {SupplyState.ACCEPTED, SupplyState.REJECTED, SupplyState.CLOSED}
    ),
    # A rejection does not move the deadline: supply again in time, or lapse (T3).
    SupplyState.REJECTED: frozenset(
        {SupplyState.SUBMITTED, SupplyState.LAPSED, SupplyState.CLOSED}
    ),
    SupplyState.ACCEPTED: frozenset(),
    SupplyState.LAPSED: frozenset(),
    SupplyState.CLOSED: frozenset(),
}

# Still owed by the applicant: reminded before the deadline, revoked after it (T3).
OWED_STATES = frozenset({SupplyState.MISSING, SupplyState.REJECTED})
# Sorted values for the partial index condition (a set's order changes between processes).
OWED_VALUES = tuple(sorted(s.value for s in OWED_STATES))
# Not settled yet: the result is withheld while any material is in one of these (T1).
OPEN_STATES = OWED_STATES | {SupplyState.SUBMITTED}
OPEN_VALUES = tuple(sorted(s.value for s in OPEN_STATES))


def can_transition(source: str, target: str) -> bool:
    return SupplyState(target) in ALLOWED_TRANSITIONS[SupplyState(source)]
