from __future__ import annotations

import datetime
import math

from django import template

register = template.Library()


@register.filter
def minutes(value: datetime.timedelta | None) -> int:
    """Whole minutes, rounded up, for "try again in N minutes" messages."""
    if not value:
        return 0
    return max(1, math.ceil(value.total_seconds() / 60))
