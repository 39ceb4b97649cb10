"""Demo data of the assistant (issue #18): the passage index made from everything the other
seeders published, and a few questions in the log — answered, rated, and unanswered ones
on the staff work list — asked through the real services. Running it again changes
nothing: the index is rebuilt from the same publications, and the questions are asked only
into an empty log."""

from __future__ import annotations

from typing import TextIO

from apps.assistant.models import Channel, Question
from apps.assistant.services import passages_rebuild, question_ask, question_feedback

DEMO_QUESTIONS: list[tuple[str, str, bool | None]] = [
    ("孩子出生了要办什么", Channel.HOME, True),
    ("开饭店需要办什么", Channel.HOME, True),
    ("社保卡丢了怎么办", Channel.ITEM, True),
    ("我快退休了需要办什么", Channel.ASK, None),
    ("身份证快到期了怎么换", Channel.HOTLINE, True),
    ("在外地看病医保能用吗", Channel.ASK, False),
    ("小区停车位怎么收费", Channel.HOME, None),
    ("宠物医院怎么开", Channel.ASK, None),
]


def seed_demo(*, stdout: TextIO | None = None) -> None:
    count = passages_rebuild()
    asked = 0
    if not Question.objects.exists():
        for text, channel, helpful in DEMO_QUESTIONS:
            question, _answer = question_ask(text=text, channel=channel)
            if helpful is not None:
                question_feedback(token=question.feedback_token, helpful=helpful)
            asked += 1
    if stdout is not None:
        stdout.write(f"智能问答：索引 {count} 段，演示提问 {asked} 个\n")
