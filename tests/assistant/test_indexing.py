"""The passage index follows publication (DOMAIN Q2, C5, H2, PO1): a guide, 一件事,
knowledge-base article or policy is indexed when it is published and removed when it is
superseded, withdrawn or no longer in force — through the publishing services' hooks."""

from __future__ import annotations

import datetime

from django.utils import timezone

from apps.assistant.answering import answer_question
from apps.assistant.integrations import index_publication
from apps.assistant.models import Passage, SourceKind
from apps.catalogue import hooks as catalogue_hooks
from apps.catalogue import services as catalogue_services
from apps.catalogue.models import Bundle, ServiceGuide
from apps.hotline import hooks as hotline_hooks
from apps.hotline.services import article_review, article_save, article_submit, article_withdraw
from apps.policies import hooks as policy_hooks
from apps.policies.services import policy_create, policy_publish
from apps.policies.services.policies import policy_expire
from tests.catalogue.factories import (
    BundleFactory,
    BundleStepFactory,
    PublishedGuideFactory,
    ServiceItemFactory,
)
from tests.policies.test_policies import _data as policy_data


def _kinds_of(source_kind: str, source_id: int) -> list[str]:
    return list(
        Passage.objects.filter(source_kind=source_kind, source_id=source_id).values_list(
            "section", flat=True
        )
    )


def test_the_assistant_is_registered_into_the_publishing_hooks():
    assert index_publication in catalogue_hooks.publication_listeners
    assert any(f.__module__.startswith("apps.assistant") for f in hotline_hooks.article_listeners)
    assert any(f.__module__.startswith("apps.assistant") for f in policy_hooks.policy_listeners)


def test_publishing_a_guide_indexes_it_and_supersedes_the_old_version_c5_q2(
    approver, department, background_index
):
    item = ServiceItemFactory(
        competent_department=department, name="犬只登记", keywords="养狗,办狗证"
    )
    v1 = PublishedGuideFactory(item=item, result_name="犬只登记证")
    index_publication([v1], [])
    assert _kinds_of(SourceKind.GUIDE, v1.pk)

    v2 = catalogue_services.guide_create_draft(actor=approver, item=item)
    catalogue_services.guide_update(actor=approver, guide=v2, data={"result_name": "养犬登记证"})
    catalogue_services.guide_publish(actor=approver, guide=v2)

    assert not Passage.objects.filter(source_kind=SourceKind.GUIDE, source_id=v1.pk).exists()
    assert len(_kinds_of(SourceKind.GUIDE, v2.pk)) == 4
    answer = answer_question("养狗要办证吗")
    assert answer.answered and answer.items[0].name == "犬只登记"
    assert any("养犬登记证" in quote.text for quote in answer.quotes)


def test_publishing_and_withdrawing_a_bundle_c8_q2(approver, department, background_index):
    bundle = BundleFactory(
        name="开书店一件事",
        description="开办书店，一次申请营业执照和出版物零售许可。",
        lead_department=department,
        target="legal_person",
        promised_time_limit_days=5,
    )
    for name in ("书店营业执照", "出版物零售许可"):
        item = ServiceItemFactory(competent_department=department, name=name)
        PublishedGuideFactory(item=item, promised_time_limit_days=5)
        BundleStepFactory(bundle=bundle, item=item)
    catalogue_services.bundle_publish(actor=approver, bundle=bundle)
    assert _kinds_of(SourceKind.BUNDLE, bundle.pk) == ["一件事"]
    answer = answer_question("我想开书店")
    assert answer.bundle is not None and answer.bundle.code == bundle.code
    assert [i.name for i in answer.bundle.items] == ["书店营业执照", "出版物零售许可"]

    # Issue #17: an English name given to the published 一件事 reaches its passage.
    catalogue_services.bundle_save(
        actor=approver, bundle=bundle, data={"name_en": "Opening a bookshop"}
    )
    assert set(
        Passage.objects.filter(source_kind=SourceKind.BUNDLE, source_id=bundle.pk).values_list(
            "title_en", flat=True
        )
    ) == {"Opening a bookshop"}
    assert answer_question("我想开书店").bundle.name_en == "Opening a bookshop"

    catalogue_services.bundle_withdraw(actor=approver, bundle=bundle)
    assert Bundle.objects.get(pk=bundle.pk).status == Bundle.Status.WITHDRAWN
    assert not _kinds_of(SourceKind.BUNDLE, bundle.pk)
    assert answer_question("我想开书店").bundle is None


def test_a_knowledge_article_is_indexed_while_published_h2_q2(
    approver, supervisor, department, category, background_index
):
    article = article_save(
        actor=approver,
        title="电动自行车上牌",
        body="电动自行车须在购车后15日内到车管所登记上牌。\n带上购车发票、合格证和身份证。",
        department_id=department.pk,
        category_id=category.pk,
        keywords="电动车,上牌",
    )
    article_submit(article_id=article.pk, actor=approver)
    assert not _kinds_of(SourceKind.ARTICLE, article.pk)  # a draft is not public
    article_review(article_id=article.pk, actor=supervisor, approve=True)
    assert _kinds_of(SourceKind.ARTICLE, article.pk)
    answer = answer_question("电动车怎么上牌")
    assert answer.answered
    assert answer.quotes[0].title == "电动自行车上牌"
    assert answer.quotes[0].url == f"/ask/articles/{article.pk}/"

    article_withdraw(article_id=article.pk, actor=supervisor)
    assert not _kinds_of(SourceKind.ARTICLE, article.pk)


def test_an_expired_article_is_not_quoted_h2_q2(
    approver, supervisor, department, category, background_index
):
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    article = article_save(
        actor=approver,
        title="犬只免疫",
        body="犬只每年须接种狂犬疫苗。",
        department_id=department.pk,
        category_id=category.pk,
        keywords="狂犬疫苗",
        expires_on=tomorrow,
    )
    article_submit(article_id=article.pk, actor=approver)
    article_review(article_id=article.pk, actor=supervisor, approve=True)
    assert answer_question("狂犬疫苗", today=tomorrow).answered
    later = tomorrow + datetime.timedelta(days=1)
    assert not answer_question("狂犬疫苗", today=later).answered


def test_a_policy_is_indexed_when_published_and_dropped_when_expired_po1_q2(
    approver, department, background_index
):
    policy = policy_create(
        actor=approver, data=policy_data(department, title="高新技术企业认定奖励")
    )
    assert not _kinds_of(SourceKind.POLICY, policy.pk)
    policy_publish(actor=approver, policy_id=policy.pk)
    assert "申报条件" in _kinds_of(SourceKind.POLICY, policy.pk)
    answer = answer_question("高新技术企业有什么奖励")
    assert answer.answered and answer.quotes[0].url == f"/policies/{policy.code}/"

    policy_expire(policy_id=policy.pk, today=policy.valid_until + datetime.timedelta(days=1))
    assert not _kinds_of(SourceKind.POLICY, policy.pk)


def test_rebuilding_the_index_gives_the_same_passages(department):
    from apps.assistant.services import passages_rebuild

    item = ServiceItemFactory(competent_department=department, name="犬只登记")
    guide = PublishedGuideFactory(item=item)
    index_publication([guide], [])
    assert ServiceGuide.objects.filter(status="published").count() == 1
    before = sorted(Passage.objects.values_list("source_kind", "source_id", "text"))
    assert passages_rebuild() == len(before)
    assert sorted(Passage.objects.values_list("source_kind", "source_id", "text")) == before
