"""Wording shared by the PDF and the services: Chinese dates and the remedies clause."""

from __future__ import annotations

import datetime
from typing import Any

from apps.common.logging import mask_text
from apps.documents.models import KINDS_WITH_REMEDIES

_DIGITS = "〇一二三四五六七八九"
DEFAULT_RECONSIDERATION_ORGAN = "市人民政府"


def _small_number(n: int) -> str:
    """1..31 in Chinese as written in dates: 十, 十一, 二十, 二十一, 三十一."""
    tens, units = divmod(n, 10)
    text = ("" if tens == 1 else _DIGITS[tens]) + "十" if tens else ""
    return text + (_DIGITS[units] if units else "")


def chinese_date(value: datetime.date) -> str:
    """``2026-11-22`` → ``二〇二六年十一月二十二日`` (the form used on official documents)."""
    year = "".join(_DIGITS[int(d)] for d in str(value.year))
    return f"{year}年{_small_number(value.month)}月{_small_number(value.day)}日"


def remedies_text(reconsideration_organ: str | None = None) -> str:
    """DOMAIN A9: reconsideration within 60 days or litigation within 6 months."""
    organ = reconsideration_organ or DEFAULT_RECONSIDERATION_ORGAN
    return (
        f"申请人如不服本决定，可以自收到本决定之日起六十日内向{organ}申请行政复议，"
        "或者在六个月内依法向人民法院提起行政诉讼。"
    )


def ensure_remedies(*, kind: str, body: str, reconsideration_organ: str | None = None) -> str:
    """Append the remedies paragraph to a refusal or denial whose body lacks it (DOMAIN A9)."""
    if kind not in KINDS_WITH_REMEDIES:
        return body
    if "行政复议" in body and "行政诉讼" in body:
        return body
    return body.rstrip() + "\n" + remedies_text(reconsideration_organ)


def mask_personal_numbers(value: Any) -> Any:
    """ID and mobile numbers never appear in clear on a document (DOMAIN A17)."""
    if isinstance(value, str):
        return mask_text(value)
    if isinstance(value, list | tuple):
        return [mask_personal_numbers(v) for v in value]
    if isinstance(value, dict):
        return {k: mask_personal_numbers(v) for k, v in value.items()}
    return value
