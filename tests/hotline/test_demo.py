"""The hotline demo: a taxonomy, knowledge-base articles and tickets in every state, made
through the real services; every hotline demo login has work (issue #13)."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command

from apps.accounts.models import User
from apps.hotline import selectors
from apps.hotline.models import Category, KnowledgeArticle, Ticket
from apps.hotline.workflow import TicketState

pytestmark = pytest.mark.django_db


@pytest.fixture
def seeded():
    call_command("seed_demo", stdout=StringIO())


def test_demo_has_tickets_in_every_state(seeded):
    assert set(Ticket.objects.values_list("state", flat=True)) == set(TicketState.values)
    assert Category.objects.filter(parent__isnull=True).count() >= 5
    assert KnowledgeArticle.objects.filter(status="published").count() >= 8
    assert Ticket.objects.filter(escalation_level__gte=1).exists()
    assert Ticket.objects.filter(possible_duplicate_of__isnull=False).exists()


def test_every_hotline_demo_login_has_work(seeded):
    users = {u.username: u for u in User.objects.all()}
    assert selectors.department_queue(user=users["hotline"], tab="pending").exists()
    assert selectors.department_queue(user=users["hotline"], tab="returned").exists()
    assert selectors.department_queue(user=users["hotline"], tab="replied").exists()
    assert selectors.department_queue(user=users["window_scjg"], tab="todo").exists()
    assert selectors.department_queue(user=users["window_gaj"], tab="todo").exists()
    assert selectors.department_queue(user=users["supervisor"], tab="escalated").exists()


def test_seed_demo_is_idempotent(seeded):
    before = Ticket.objects.count()
    call_command("seed_demo", stdout=StringIO())
    assert Ticket.objects.count() == before
