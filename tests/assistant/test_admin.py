"""The assistant's admin screens: read-only lists; the token that lets the asker rate the
answer is never shown to staff."""

from __future__ import annotations

from django.urls import reverse

from apps.assistant.models import Passage
from apps.assistant.services import question_ask


def test_staff_read_the_question_log_without_the_feedback_token(client, supervisor):
    question, _answer = question_ask(text="今天天气怎么样")
    client.force_login(supervisor)
    listing = client.get(reverse("admin:assistant_question_changelist"))
    assert listing.status_code == 200 and "今天天气怎么样" in listing.content.decode()
    detail = client.get(reverse("admin:assistant_question_change", args=[question.pk]))
    assert detail.status_code == 200
    assert question.feedback_token not in detail.content.decode()


def test_the_passage_list_and_rebuild(client, system_admin, supervisor, background_index):
    count = Passage.objects.count()
    changelist = reverse("admin:assistant_passage_changelist")
    client.force_login(supervisor)
    assert client.get(changelist).status_code == 200
    ids = list(Passage.objects.values_list("pk", flat=True)[:1])
    client.post(changelist, {"action": "rebuild_index", "_selected_action": ids})
    assert set(Passage.objects.values_list("pk", flat=True)) >= set(ids)  # refused
    client.force_login(system_admin)
    client.post(changelist, {"action": "rebuild_index", "_selected_action": ids})
    assert Passage.objects.count() == count
    assert not Passage.objects.filter(pk__in=ids).exists()  # made again
