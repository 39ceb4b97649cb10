"""Every write of the tolerance app (CONVENTIONS: one function per change).

:mod:`.pledges` (the written pledge, tolerant acceptance at the window, T1), :mod:`.supplies`
(supplying and checking the tolerated materials, T1–T3) and :mod:`.sweep` (reminders and
the consequence of a missed deadline, T2–T3).
"""

from apps.tolerance.services.pledges import (
    assert_pledged,
    pledge_digest,
    pledge_materials,
    pledge_sign_online,
    pledge_text,
    tolerant_accept,
)
from apps.tolerance.services.supplies import (
    supplement_accept,
    supplement_reject,
    supplement_submit,
    supplies_close,
    supplies_create,
)
from apps.tolerance.services.sweep import SweepReport, sweep_tolerated_materials, tolerance_lapse

__all__ = [
    "SweepReport",
    "assert_pledged",
    "pledge_digest",
    "pledge_materials",
    "pledge_sign_online",
    "pledge_text",
    "supplement_accept",
    "supplement_reject",
    "supplement_submit",
    "supplies_close",
    "supplies_create",
    "sweep_tolerated_materials",
    "tolerance_lapse",
    "tolerant_accept",
]
