"""The assistant's demo data: the index made from the demo publications, a few questions,
and seeding twice changes nothing."""

from __future__ import annotations

from apps.assistant.demo import DEMO_QUESTIONS, seed_demo
from apps.assistant.models import Passage, Question, SourceKind
from apps.assistant.selectors import question_worklist


def test_seed_demo_indexes_the_catalogue_and_asks_a_few_questions(demo_catalogue):
    seed_demo()
    passages = Passage.objects.count()
    assert Passage.objects.filter(source_kind=SourceKind.BUNDLE).count() == 5
    assert Question.objects.count() == len(DEMO_QUESTIONS)
    assert question_worklist().exists()
    seed_demo()
    assert Passage.objects.count() == passages
    assert Question.objects.count() == len(DEMO_QUESTIONS)
