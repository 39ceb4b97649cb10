"""Identity numbers of applicants (DOMAIN A1).

* 居民身份证号码, GB 11643-1999: 6-digit region code, 8-digit birth date, 3-digit sequence,
  1 check character (ISO 7064 MOD 11-2).
* 统一社会信用代码, GB 32100-2015: 18 characters, check character MOD 31.

The check arithmetic and the region table come from the maintained ``python-stdnum``
(``stdnum.cn.ric``, ``stdnum.cn.uscc``). What it lacks is added here: a message that names
the part that is wrong, and a plausible birth date (not in the future, not over 130 years
ago).
"""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from stdnum import numdb
from stdnum.cn import ric, uscc
from stdnum.exceptions import InvalidComponent

OLDEST_PLAUSIBLE_AGE_YEARS = 130


def normalize_id_number(value: str) -> str:
    return (value or "").strip().replace(" ", "").upper()


def validate_resident_id(value: str) -> str:
    """Return the normalised number or raise ``ValidationError`` naming the wrong part."""
    number = normalize_id_number(value)
    if len(number) != 18:
        raise ValidationError(
            _("身份证号码应为18位，当前为%(n)d位。"), code="length", params={"n": len(number)}
        )
    if not number[:17].isdigit() or not (number[17].isdigit() or number[17] == "X"):
        raise ValidationError(_("身份证号码前17位应为数字，最后一位为数字或X。"), code="format")
    try:
        birth = ric.get_birth_date(number)
    except (InvalidComponent, ValueError):
        raise ValidationError(
            _("身份证号码中的出生日期（第7–14位）不是有效日期。"), code="birth_date"
        ) from None
    today = timezone.localdate()
    if birth > today:
        raise ValidationError(_("身份证号码中的出生日期（第7–14位）晚于今天。"), code="birth_date")
    if birth < today.replace(year=today.year - OLDEST_PLAUSIBLE_AGE_YEARS):
        raise ValidationError(
            _("身份证号码中的出生日期（第7–14位）早于%(n)d年前，不可能有效。"),
            code="birth_date",
            params={"n": OLDEST_PLAUSIBLE_AGE_YEARS},
        )
    if not region_exists(number[:6]):
        raise ValidationError(_("身份证号码中的地区码（前6位）不存在。"), code="region")
    if number[17] != ric.calc_check_digit(number):
        raise ValidationError(_("身份证号码校验位（第18位）不正确，请核对号码。"), code="checksum")
    return number


def region_exists(code: str) -> bool:
    """Whether a 6-digit administrative division code is (or was) in GB/T 2260.

    ``stdnum.cn.ric.get_birth_place`` also demands that the code existed in the birth year,
    but numbers were issued from 1984 on with the code current *then*: someone born in 1950
    in Fuzhou's 鼓楼区 (code 350102 since 1983) holds a valid 350102 number.
    """
    results = numdb.get("cn/loc").info(code)
    return any(props.get("county") for _region, props in results)


def birth_date_of(number: str) -> datetime.date:
    return ric.get_birth_date(number)


def validate_credit_code(value: str) -> str:
    """统一社会信用代码: return normalised or raise ``ValidationError`` naming the part."""
    number = normalize_id_number(value)
    if len(number) != 18:
        raise ValidationError(
            _("统一社会信用代码应为18位，当前为%(n)d位。"), code="length", params={"n": len(number)}
        )
    if not number[:8].isdigit():
        raise ValidationError(
            _("统一社会信用代码第1–8位（登记管理部门码、机构类别码、行政区划码）应为数字。"),
            code="format",
        )
    bad = sorted({c for c in number[8:] if c not in uscc._alphabet})
    if bad:
        raise ValidationError(
            _("统一社会信用代码第9–18位含有不允许的字符：%(chars)s（不使用I、O、Z、S、V）。"),
            code="format",
            params={"chars": "、".join(bad)},
        )
    if number[17] != uscc.calc_check_digit(number):
        raise ValidationError(
            _("统一社会信用代码校验位（第18位）不正确，请核对。"), code="checksum"
        )
    return number
