"""The one domain error type.

Services raise :class:`ApplicationError` with a Chinese message a person can act on and a
stable machine ``code``; the API turns it into one JSON shape (see ``apps.common.api``) and
web views show ``message`` to the user.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from typing import Any

from django.utils.translation import gettext as _


class ApplicationError(Exception):
    status_code = 400

    def __init__(
        self, message: str, *, code: str = "invalid", extra: dict[str, Any] | None = None
    ) -> None:
        super().__init__(message)
        self.message = message
        self.code = code
        self.extra = extra or {}


class PermissionDeniedError(ApplicationError):
    status_code = 403

    def __init__(self, message: str = "您没有执行此操作的权限。", **kwargs: Any) -> None:
        kwargs.setdefault("code", "permission_denied")
        super().__init__(message, **kwargs)


class InvalidTransitionError(ApplicationError):
    """A state change asked from a state that does not allow it (HTTP 409)."""

    status_code = 409

    def __init__(self, message: str, **kwargs: Any) -> None:
        kwargs.setdefault("code", "invalid_transition")
        super().__init__(message, **kwargs)


def item_error(index: int, exc: ApplicationError, *, field: str | None = None) -> ApplicationError:
    """The error of one item of a batch request, naming the item (``index``, from 0) and the
    field: the same code and HTTP status as the single request would give, the message led
    by the item's place in the batch (people count from 1)."""
    message = _("第%(n)d条：%(message)s") % {"n": index + 1, "message": exc.message}
    error = ApplicationError(
        message,
        code=exc.code,
        extra={"index": index, "field": field or exc.extra.get("field") or None},
    )
    error.status_code = exc.status_code
    return error


@contextmanager
def errors_at_item(
    index: int, field: str | None = None, *, fields_by_code: Mapping[str, str] | None = None
) -> Iterator[None]:
    """Inside a batch, an :class:`ApplicationError` raised for one item becomes that item's
    error (:func:`item_error`): ``field`` names the field, or ``fields_by_code`` maps the
    error's code to one."""
    try:
        yield
    except ApplicationError as exc:
        named = field or (fields_by_code or {}).get(exc.code)
        raise item_error(index, exc, field=named) from None
