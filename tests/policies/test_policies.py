"""Policies as lists with conditions, procedure and time limit (DOMAIN PO1, PO2); published →
active within validity → expired; edits only while a draft."""

from __future__ import annotations

import datetime

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from apps.assistant.models import Passage
from apps.common.errors import ApplicationError, InvalidTransitionError, PermissionDeniedError
from apps.policies.criteria import CriteriaError
from apps.policies.models import Policy, PolicyEvent
from apps.policies.queue import TASK_NAMES
from apps.policies.services import (
    policies_expire_due,
    policy_create,
    policy_publish,
    policy_set_title_en,
    policy_update,
)
from apps.policies.workflow import PolicyState
from govservice.celery import app as celery_app
from tests.policies.factories import PolicyFactory

pytestmark = pytest.mark.django_db


def _data(department, **overrides):
    today = timezone.localdate()
    data = {
        "title": "高新技术企业认定奖励",
        "policy_class": "enterprise",
        "department": department,
        "document_number": "榕科〔2026〕3号",
        "subject_kind": "company",
        "summary": "对首次认定的高新技术企业给予奖励。",
        "benefit": "一次性奖励20万元。",
        "amount": None,
        "conditions_text": "首次通过高新技术企业认定。",
        "procedure_text": "系统比对，部门认定，公示后拨付。",
        "time_limit_text": "公示结束后15个工作日内拨付",
        "legal_basis": "《市高新技术企业培育办法》第八条",
        "contact": "0591-12345678",
        "fulfilment": "automatic",
        "service_item": None,
        "valid_from": today,
        "valid_until": today + datetime.timedelta(days=365),
        "criteria": [{"attribute": "high_tech", "operator": "eq", "value": True}],
    }
    return {**data, **overrides}


def test_a_department_drafts_a_policy_with_a_timeline_row_po1(approver, department):
    policy = policy_create(actor=approver, data=_data(department))
    assert policy.state == PolicyState.DRAFT
    assert policy.code == f"ZC{timezone.localdate():%Y}{policy.pk:05d}"
    event = PolicyEvent.objects.get(policy=policy)
    assert (event.kind, event.actor) == ("created", approver)


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("conditions_text", "  ", "申报条件"),
        ("procedure_text", "", "兑现程序"),
        ("time_limit_text", "", "兑现时限"),
        ("legal_basis", "", "政策依据"),
    ],
)
def test_conditions_procedure_and_time_limit_are_required_po2(
    approver, department, field, value, message
):
    with pytest.raises(ApplicationError, match=message):
        policy_create(actor=approver, data=_data(department, **{field: value}))
    assert not Policy.objects.exists()


def test_invalid_criteria_are_refused_on_save_po3(approver, department):
    bad = [{"attribute": "turnover", "operator": "gte", "value": 1}]
    with pytest.raises(CriteriaError):
        policy_create(actor=approver, data=_data(department, criteria=bad))
    assert not Policy.objects.exists()


def test_application_policies_link_a_published_item_for_the_right_subjects(
    approver, department, claim_item
):
    with pytest.raises(ApplicationError, match="须关联"):
        policy_create(actor=approver, data=_data(department, fulfilment="application"))
    with pytest.raises(ApplicationError, match="无需关联"):
        policy_create(actor=approver, data=_data(department, service_item=claim_item))
    claim_item.target = "natural_person"
    claim_item.save()
    with pytest.raises(ApplicationError, match="服务对象"):
        policy_create(
            actor=approver,
            data=_data(department, fulfilment="application", service_item=claim_item),
        )


def test_validity_must_be_ordered(approver, department):
    today = timezone.localdate()
    with pytest.raises(ApplicationError, match="有效期止"):
        policy_create(
            actor=approver,
            data=_data(department, valid_until=today - datetime.timedelta(days=1)),
        )


def test_the_database_refuses_an_item_on_an_automatic_policy(claim_item):
    with pytest.raises(IntegrityError), transaction.atomic():
        PolicyFactory(service_item=claim_item)


def test_only_the_departments_staff_may_draft(other_dept_staff, citizen, department):
    for actor in (other_dept_staff, citizen):
        with pytest.raises(PermissionDeniedError):
            policy_create(actor=actor, data=_data(department))


def test_publish_queues_matching_after_commit_po1(
    approver, department, django_capture_on_commit_callbacks
):
    policy = policy_create(actor=approver, data=_data(department))
    with django_capture_on_commit_callbacks() as callbacks:
        policy_publish(actor=approver, policy_id=policy.pk)
    policy.refresh_from_db()
    assert policy.state == PolicyState.PUBLISHED and policy.published_at
    assert [c.__name__ for c in callbacks] == ["queue_match_policy"]
    transition = PolicyEvent.objects.get(policy=policy, kind="transition")
    assert (transition.from_state, transition.to_state) == ("draft", "published")


def test_a_policy_not_yet_in_force_is_published_without_matching(
    approver, department, django_capture_on_commit_callbacks
):
    start = timezone.localdate() + datetime.timedelta(days=10)
    policy = policy_create(
        actor=approver,
        data=_data(department, valid_from=start, valid_until=start + datetime.timedelta(days=30)),
    )
    with django_capture_on_commit_callbacks() as callbacks:
        policy_publish(actor=approver, policy_id=policy.pk)
    assert callbacks == []


def test_publishing_twice_is_a_forbidden_edge(approver, department):
    policy = policy_create(actor=approver, data=_data(department))
    policy_publish(actor=approver, policy_id=policy.pk)
    with pytest.raises(InvalidTransitionError, match="已发布"):
        policy_publish(actor=approver, policy_id=policy.pk)


def test_window_staff_may_not_publish(approver, window_staff, department):
    policy = policy_create(actor=approver, data=_data(department))
    with pytest.raises(PermissionDeniedError):
        policy_publish(actor=window_staff, policy_id=policy.pk)


def test_a_published_policy_is_not_edited(approver, department):
    policy = policy_create(actor=approver, data=_data(department))
    policy_update(actor=approver, policy_id=policy.pk, data=_data(department, title="新标题"))
    policy.refresh_from_db()
    assert policy.title == "新标题"
    assert PolicyEvent.objects.filter(policy=policy, kind="updated").count() == 1
    policy_publish(actor=approver, policy_id=policy.pk)
    with pytest.raises(ApplicationError, match="不能修改"):
        policy_update(actor=approver, policy_id=policy.pk, data=_data(department, title="再改"))


def test_a_published_policy_gets_its_english_title_recorded(approver, other_dept_staff, department):
    """Issue #17: the English title is a translation, not a change to what people were told:
    added to a published policy by its department, recorded, the assistant's passages
    following it."""
    policy = policy_create(actor=approver, data=_data(department, title_en=" Tech award "))
    assert policy.title_en == "Tech award"
    policy_publish(actor=approver, policy_id=policy.pk)
    with pytest.raises(PermissionDeniedError):
        policy_set_title_en(actor=other_dept_staff, policy_id=policy.pk, title_en="Other")
    policy_set_title_en(
        actor=approver, policy_id=policy.pk, title_en="Award for recognised high-tech enterprises"
    )
    policy.refresh_from_db()
    assert policy.title_en == "Award for recognised high-tech enterprises"
    event = PolicyEvent.objects.filter(policy=policy, kind="updated").get()
    assert (event.actor, event.payload) == (approver, {"fields": ["title_en"]})
    assert set(Passage.objects.filter(source_id=policy.pk).values_list("title_en", flat=True)) == {
        "Award for recognised high-tech enterprises"
    }
    policy_set_title_en(
        actor=approver, policy_id=policy.pk, title_en="Award for recognised high-tech enterprises"
    )
    assert PolicyEvent.objects.filter(policy=policy, kind="updated").count() == 1


def test_policies_expire_after_their_validity():
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    ended = PolicyFactory(valid_from=yesterday - datetime.timedelta(days=30), valid_until=yesterday)
    suspended = PolicyFactory(
        state="suspended", valid_from=yesterday - datetime.timedelta(days=30), valid_until=yesterday
    )
    running = PolicyFactory()
    assert policies_expire_due() == 2
    assert policies_expire_due() == 0
    states = dict(Policy.objects.values_list("pk", "state"))
    assert states == {ended.pk: "expired", suspended.pk: "expired", running.pk: "published"}
    assert PolicyEvent.objects.get(policy=ended, kind="transition").actor is None


def test_every_task_the_services_queue_by_name_is_registered():
    celery_app.loader.import_default_modules()
    assert set(TASK_NAMES) <= set(celery_app.tasks)
