"""Models of the halls app, by sub-domain."""

from apps.halls.models.assistance import Assistance
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
from apps.halls.models.handout import HandOut
from apps.halls.models.queue import Ticket, TicketCounter
from apps.halls.models.supervision import Opinion, SocialSupervisor

__all__ = [
    "Appointment",
    "Assistance",
    "ExtendedHours",
    "HallEvent",
    "HallProfile",
    "HandOut",
    "HardCase",
    "Opinion",
    "RotaShift",
    "Slot",
    "SocialSupervisor",
    "Ticket",
    "TicketCounter",
    "WindowGroup",
    "WindowProfile",
]
