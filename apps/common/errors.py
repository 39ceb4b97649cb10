"""The one domain error type.

Services raise :class:`ApplicationError` with a Chinese message a person can act on and a
stable machine ``code``; the API turns it into one JSON shape (see ``apps.common.api``) and
web views show ``message`` to the user.
"""

from __future__ import annotations

from typing import Any


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
