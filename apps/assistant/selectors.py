"""Reads of the assistant: the staff work list of unanswered questions and the figures."""

from __future__ import annotations

import datetime
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.db.models.functions import TruncMonth

from apps.assistant.models import Question
from apps.hotline.models import KnowledgeArticle

NEEDS_WORK = Q(handled_at__isnull=True) & (Q(answered=False) | Q(helpful=False))


def question_worklist() -> QuerySet[Question]:
    """待处理的提问: unanswered, or answered unhelpfully, and not yet dealt with; oldest
    first, so nothing waits for ever."""
    return Question.objects.filter(NEEDS_WORK).order_by("created_at", "id")


def question_figures(*, since: datetime.datetime | None = None) -> dict[str, int | float | None]:
    """Questions asked, answered, rated, found helpful, and still to be dealt with
    (one query)."""
    qs = Question.objects.all()
    if since is not None:
        qs = qs.filter(created_at__gte=since)
    row = qs.aggregate(
        n_asked=Count("id"),
        n_answered=Count("id", filter=Q(answered=True)),
        n_rated=Count("id", filter=Q(helpful__isnull=False)),
        n_helpful=Count("id", filter=Q(helpful=True)),
        n_open=Count("id", filter=NEEDS_WORK),
    )
    figures: dict[str, int | float | None] = {k.removeprefix("n_"): v for k, v in row.items()}
    rated = row["n_rated"]
    figures["helpful_rate"] = round(100 * row["n_helpful"] / rated, 1) if rated else None
    return figures


def article_get_public(*, article_id: int, today: datetime.date) -> KnowledgeArticle | None:
    """A knowledge-base answer the public may read: published and not expired (H2)."""
    article = (
        KnowledgeArticle.objects.select_related("department")
        .filter(pk=article_id, status=KnowledgeArticle.Status.PUBLISHED)
        .first()
    )
    return article if article is not None and article.is_current(today) else None


def question_monthly(*, start: datetime.date, end: datetime.date) -> list[dict]:
    """Per month from ``start`` to ``end`` (first days, both included): questions asked,
    answered, rated, found helpful and still to be dealt with — one grouped query; months
    without questions included with zeros."""
    stop = (end.replace(day=28) + datetime.timedelta(days=4)).replace(day=1)
    rows = (
        Question.objects.filter(created_at__date__gte=start, created_at__date__lt=stop)
        .annotate(month=TruncMonth("created_at"))
        .order_by()
        .values("month")
        .annotate(
            n_asked=Count("id"),
            n_answered=Count("id", filter=Q(answered=True)),
            n_rated=Count("id", filter=Q(helpful__isnull=False)),
            n_helpful=Count("id", filter=Q(helpful=True)),
            n_open=Count("id", filter=NEEDS_WORK),
        )
    )
    found: dict[datetime.date, dict[str, Any]] = {
        row["month"].date().replace(day=1): dict(row) for row in rows
    }
    months: list[dict] = []
    month = start.replace(day=1)
    while month <= end:
        row = found.get(month, {})
        counts: dict[str, int] = {
            k: row.get(f"n_{k}", 0) for k in ("asked", "answered", "rated", "helpful", "open")
        }
        rated = counts["rated"]
        rate = round(100 * counts["helpful"] / rated, 1) if rated else None
        months.append({"month": month, **counts, "helpful_rate": rate})
        month = (month.replace(day=28) + datetime.timedelta(days=4)).replace(day=1)
    return months
