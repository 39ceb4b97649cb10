"""Models of the halls app, by sub-domain."""

from apps.halls.models.booking import Appointment, Slot
from apps.halls.models.cases import HardCase
from apps.halls.models.events import HallEvent
from apps.halls.models.halls import (
    ExtendedHours,
    HallProfile,
    RotaShift,
    WindowGroup,
    WindowProfile,
)
from apps.halls.models.queue import Ticket, TicketCounter

__all__ = [
    "Appointment",
    "ExtendedHours",
    "HallEvent",
    "HallProfile",
    "HardCase",
    "RotaShift",
    "Slot",
    "Ticket",
    "TicketCounter",
    "WindowGroup",
    "WindowProfile",
]
