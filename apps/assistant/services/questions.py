"""The question log (DOMAIN Q2): every question asked, its answer, whether it helped, and
the staff's handling of those it could not answer.

Stored without personal data: no user, no address, and the question's ID numbers and
phone numbers taken out (:func:`apps.assistant.privacy.scrub`) before anything is written.
The feedback token is handed to the asker with the answer; only its holder may say
whether the answer helped, once.
"""

from __future__ import annotations

import secrets

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.accounts.models import User
from apps.assistant.answering import Answer, answer_question
from apps.assistant.models import Channel, Question
from apps.assistant.privacy import scrub
from apps.common.errors import ApplicationError, PermissionDeniedError

MAX_LENGTH = 200
HANDLE_PERMISSION = "assistant.handle_question"


def clean_question(text: str) -> str:
    text = " ".join((text or "").split())[:MAX_LENGTH]
    if not text:
        raise ApplicationError(_("请输入您的问题。"), code="question_required")
    return text


def question_ask(*, text: str, channel: str = Channel.ASK) -> tuple[Question, Answer]:
    """Answer ``text`` and record it (scrubbed) with what it was answered."""
    if channel not in Channel.values:
        raise ApplicationError(_("提问渠道无效。"), code="invalid_channel")
    text = scrub(clean_question(text))
    answer = answer_question(text)
    question = Question.objects.create(
        text=text[:MAX_LENGTH],
        channel=channel,
        answered=answer.answered,
        passage_ids=answer.passage_ids,
        item_codes=answer.targets[:10],
        top_score=round(answer.top_score, 3),
        feedback_token=secrets.token_hex(16),
    )
    return question, answer


def question_feedback(*, token: str, helpful: bool) -> Question:
    """有帮助 / 没帮助, once per question, by whoever holds its token."""
    with transaction.atomic():
        question = Question.objects.select_for_update().filter(feedback_token=token or "-").first()
        if question is None:
            raise ApplicationError(_("找不到该提问。"), code="not_found")
        if question.helpful is not None:
            raise ApplicationError(_("您已评价过这个回答，谢谢。"), code="already_rated")
        question.helpful = bool(helpful)
        question.feedback_at = timezone.now()
        question.save(update_fields=["helpful", "feedback_at", "updated_at"])
    return question


def question_handle(*, actor: User, question_id: int, note: str) -> Question:
    """Catalogue or knowledge-base staff mark an unanswered question as dealt with (a
    keyword added, an article written …), saying what they did."""
    if not actor.is_authenticated or not actor.has_perm(HANDLE_PERMISSION):
        raise PermissionDeniedError()
    note = " ".join((note or "").split())[:300]
    if not note:
        raise ApplicationError(_("请填写处理说明。"), code="note_required")
    with transaction.atomic():
        question = Question.objects.select_for_update().filter(pk=question_id).first()
        if question is None:
            raise ApplicationError(_("找不到该提问。"), code="not_found")
        if question.handled_at is not None:
            raise ApplicationError(_("该提问已处理。"), code="already_handled")
        question.handled_at = timezone.now()
        question.handled_by = actor
        question.handling_note = note
        question.save(update_fields=["handled_at", "handled_by", "handling_note", "updated_at"])
    return question
