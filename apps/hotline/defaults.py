"""The default time limits of DOMAIN H9 (changeable in the admin, per category too):
urgent the same day; enquiries and requests for help within 3 working days; complaints,
reports and suggestions within 15 working days; sign-off within 2 hours (urgent: 1).

Used by migration 0002 (on historical models) and by :func:`seed_default_time_limits`.
"""

from __future__ import annotations

# (ticket_type, urgency, sign_hours, reply_hours, reply_working_days)
DEFAULT_LIMITS = [
    ("", "urgent", 1, 8, None),
    ("", "normal", 2, None, 5),
    ("enquiry", "normal", 2, None, 3),
    ("help", "normal", 2, None, 3),
    ("complaint", "normal", 2, None, 15),
    ("report", "normal", 2, None, 15),
    ("suggestion", "normal", 2, None, 15),
    ("praise", "normal", 2, None, 5),
]


def seed_default_time_limits(time_limit_model) -> int:
    """Create the default rows that are missing (the model may be a historical one)."""
    made = 0
    for ticket_type, urgency, sign, hours, days in DEFAULT_LIMITS:
        _row, created = time_limit_model.objects.get_or_create(
            category=None,
            ticket_type=ticket_type,
            urgency=urgency,
            defaults={"sign_hours": sign, "reply_hours": hours, "reply_working_days": days},
        )
        made += created
    return made
