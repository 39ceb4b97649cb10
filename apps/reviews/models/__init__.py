"""Reviews (好差评, DOMAIN R1–R7).

* ``ServiceEvent`` is one service given (a decided application, a window visit, a hotline
  ticket); ``Review`` rates it once (一事一评), with the targets copied from the event.
* ``RectificationCase`` is the handling of a real-name bad review (R3), ``CaseEvent`` its
  record, ``CaseMark`` the reminders already sent; ``Appeal`` is a department's 申诉 (R4).
* The ``*Rollup`` models keep the counts the figures read, updated with each review.

State changes go through :mod:`apps.reviews.services` only.
"""

from apps.reviews.models.batches import ReviewBatch
from apps.reviews.models.events import ServiceEvent
from apps.reviews.models.handling import AlertLevel, Appeal, CaseEvent, CaseMark, RectificationCase
from apps.reviews.models.reviews import Review, ReviewFollowUp, ReviewTag
from apps.reviews.models.rollups import (
    CaseMonthRollup,
    ReviewDayRollup,
    ReviewMonthRollup,
    ReviewStaffRollup,
)

__all__ = [
    "AlertLevel",
    "Appeal",
    "CaseEvent",
    "CaseMark",
    "CaseMonthRollup",
    "RectificationCase",
    "Review",
    "ReviewBatch",
    "ReviewDayRollup",
    "ReviewFollowUp",
    "ReviewMonthRollup",
    "ReviewStaffRollup",
    "ReviewTag",
    "ServiceEvent",
]
