from __future__ import annotations


class Open311Error(Exception):
    """A request the specification answers with an error (HTTP status + description)."""

    def __init__(self, status: int, description: str) -> None:
        super().__init__(description)
        self.status = status
        self.description = description
