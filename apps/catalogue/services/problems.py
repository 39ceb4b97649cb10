"""Refusals of the catalogue services as one :class:`ApplicationError` listing every problem."""

from __future__ import annotations

from collections.abc import Sequence

from django.core.exceptions import ValidationError

from apps.common.errors import ApplicationError


def raise_problems(problems: Sequence[str], *, code: str = "invalid") -> None:
    if problems:
        raise ApplicationError("；".join(problems), code=code, extra={"problems": list(problems)})


def validation_problems(exc: ValidationError) -> list[str]:
    if hasattr(exc, "error_dict"):
        return [f"{field}：{'；'.join(msgs)}" for field, msgs in exc.message_dict.items()]
    return list(exc.messages)


def full_clean(instance, **kwargs) -> None:
    try:
        instance.full_clean(**kwargs)
    except ValidationError as exc:
        raise_problems(validation_problems(exc))
