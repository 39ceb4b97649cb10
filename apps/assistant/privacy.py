"""Taking personal numbers out of a question before it is stored (PIPL; DOMAIN A17).

People type their ID number or phone into a question box ("身份证号350102199001011234
办社保卡要多久？"). The question log needs what they asked, never who they are: ID
numbers, unified social credit codes, phone numbers, bank card numbers and e-mail
addresses are replaced by a marker before the row is written or anything is logged.
"""

from __future__ import annotations

import re

MARKER = "［已隐去］"

_PATTERNS = [
    re.compile(r"[\w.+-]+@[\w-]+(\.[\w-]+)+"),  # e-mail
    re.compile(r"(?<![0-9A-Za-z])\d{17}[0-9Xx](?![0-9A-Za-z])"),  # resident ID (18)
    re.compile(
        r"(?<![0-9A-Za-z])[0-9A-HJ-NPQRTUWXY]{2}\d{6}[0-9A-HJ-NPQRTUWXY]{10}(?![0-9A-Za-z])"
    ),
    re.compile(r"(?<![0-9A-Za-z])\d{15}(?![0-9A-Za-z])"),  # resident ID (old, 15)
    re.compile(r"(?<!\d)\d{16,19}(?!\d)"),  # bank card
    re.compile(r"(?<!\d)(\+?86[- ]?)?1[3-9]\d[- ]?\d{4}[- ]?\d{4}(?!\d)"),  # mobile
    re.compile(r"(?<!\d)0\d{2,3}[- ]?\d{7,8}(?!\d)"),  # landline with area code
    re.compile(r"(?<!\d)\d{7,8}(?!\d)"),  # local landline
]


def scrub(text: str) -> str:
    """``text`` with every personal number replaced by :data:`MARKER`."""
    for pattern in _PATTERNS:
        text = pattern.sub(MARKER, text)
    return text
