"""Named extension points of the policies app (CONVENTIONS: hooks, not signals).

* ``policy_listeners``: ``listener(policy) -> None`` — called by every service that moves
  a policy to another state (published, suspended, stopped, expired, resumed), inside its
  transaction, after the row is saved: the assistant indexes a published policy and drops
  one that is no longer in force. Fast; slow work goes after commit.
"""

from __future__ import annotations

from collections.abc import Callable

from apps.policies.models import Policy

PolicyListener = Callable[[Policy], None]

policy_listeners: list[PolicyListener] = []


def register(hook: list, function: Callable) -> None:
    """Add ``function`` to ``hook`` once (``ready()`` may run more than once in tests)."""
    if function not in hook:
        hook.append(function)


def policy_changed(policy: Policy) -> None:
    for listener in policy_listeners:
        listener(policy)
