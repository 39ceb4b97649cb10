"""Queue numbers (现场取号, kept beside appointments: seed 002 §10)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from apps.accounts.models import ServiceWindow
from apps.catalogue.models import ServiceItem
from apps.halls.models.booking import Appointment
from apps.halls.models.halls import HallProfile, WindowGroup
from apps.halls.workflow import HELD_STATES, GreenReason, Priority, TicketState


class TicketCounter(models.Model):
    """The last number given out per group and day; taking a number locks this row."""

    group = models.ForeignKey(WindowGroup, on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["group", "day"], name="halls_counter_once"),
        ]

    def __str__(self) -> str:
        return f"{self.group_id} {self.day} {self.last}"


class Ticket(models.Model):
    hall = models.ForeignKey(
        HallProfile, verbose_name=_("大厅"), on_delete=models.CASCADE, related_name="tickets"
    )
    group = models.ForeignKey(
        WindowGroup, verbose_name=_("排队分组"), on_delete=models.PROTECT, related_name="tickets"
    )
    issued_group = models.ForeignKey(
        WindowGroup, verbose_name=_("取号分组"), on_delete=models.PROTECT, related_name="+"
    )
    day = models.DateField(_("日期"))
    number = models.PositiveIntegerField(_("序号"))
    item = models.ForeignKey(
        ServiceItem,
        verbose_name=_("事项"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    appointment = models.OneToOneField(
        Appointment,
        verbose_name=_("预约"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="ticket",
    )
    citizen = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("办事人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="hall_tickets",
    )
    priority = models.PositiveSmallIntegerField(_("优先级"), choices=Priority.choices)
    green_reason = models.CharField(
        _("绿色通道原因"), max_length=16, choices=GreenReason.choices, blank=True
    )
    state = models.CharField(
        _("状态"), max_length=16, choices=TicketState.choices, default=TicketState.WAITING
    )
    window = models.ForeignKey(
        ServiceWindow,
        verbose_name=_("窗口"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="tickets",
    )
    served_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("经办人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="served_tickets",
    )
    taken_at = models.DateTimeField(_("取号时间"))
    # A transferred ticket keeps its place: it queues by when it first entered the queue.
    queued_at = models.DateTimeField(_("排队时间"))
    called_at = models.DateTimeField(_("叫号时间"), null=True, blank=True)
    call_count = models.PositiveSmallIntegerField(_("叫号次数"), default=0)
    serving_at = models.DateTimeField(_("开始办理"), null=True, blank=True)
    finished_at = models.DateTimeField(_("结束时间"), null=True, blank=True)
    wait_seconds = models.PositiveIntegerField(_("等候时长（秒）"), null=True, blank=True)
    serve_seconds = models.PositiveIntegerField(_("办理时长（秒）"), null=True, blank=True)

    class Meta:
        verbose_name = _("排队号")
        verbose_name_plural = _("排队号")
        ordering = ["-day", "issued_group", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["issued_group", "day", "number"], name="halls_ticket_number_once"
            ),
            models.UniqueConstraint(
                fields=["window"],
                condition=Q(state__in=HELD_STATES),
                name="halls_one_ticket_per_window",
            ),
        ]
        indexes = [
            models.Index(
                fields=["group", "day", "-priority", "queued_at"],
                condition=Q(state=TicketState.WAITING),
                name="halls_waiting_queue",
            ),
        ]

    def __str__(self) -> str:
        return self.display

    @property
    def display(self) -> str:
        return f"{self.issued_group.letter}{self.number:03d}"
