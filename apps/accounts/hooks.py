"""Hooks through which higher apps take part in account events (CONVENTIONS: layers).

``accounts`` sits below ``notifications``, so it cannot call ``notify`` itself. A higher app
appends a callable to a list here in its ``AppConfig.ready()``; the account services call
every registered callable explicitly, in plain sight (no Django signal).
"""

from __future__ import annotations

from collections.abc import Callable

from apps.accounts.models import User

# Called inside the registration's transaction with the new user (citizen or company
# agent). A hook that tells the person something defers it with ``transaction.on_commit``.
user_registered: list[Callable[[User], None]] = []


def run_user_registered(user: User) -> None:
    for hook in user_registered:
        hook(user)
