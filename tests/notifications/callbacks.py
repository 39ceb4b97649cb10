"""What tests count among the on-commit callbacks a block leaves."""

from __future__ import annotations


def queued_work(callbacks: list) -> list:
    """The block's on-commit work a test counts (deliveries, renders): everything but the
    unread badges' settling, which every inbox write registers (apps.notifications.badge)."""
    return [c for c in callbacks if c.__name__ != "settle_unread_badges"]
