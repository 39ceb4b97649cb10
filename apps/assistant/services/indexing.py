"""The passage index follows publication (DOMAIN Q2, C5, H2, PO1).

Called from the publishing services' hooks inside their transactions (:mod:`..integrations`):
a source's passages are replaced by those of its published text, or deleted when it is no
longer public (a guide superseded by a new version, a 一件事 withdrawn, an article taken
offline, a policy suspended, stopped or expired). :func:`passages_rebuild` makes the whole
index again from what is published (demo data, or after a change of the cutting rules).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from django.db import transaction
from django.db.models import Prefetch

from apps.assistant.models import Passage, SourceKind
from apps.assistant.sources import (
    PassageDraft,
    article_passages,
    bundle_passages,
    guide_passages,
    policy_passages,
)
from apps.catalogue.models import Bundle, BundleStep, GuideMaterial, ServiceGuide
from apps.hotline.models import KnowledgeArticle
from apps.policies.models import Policy
from apps.policies.workflow import PolicyState

BATCH = 200


def _replace(kind: str, source_ids: Iterable[int], drafts: Sequence[PassageDraft]) -> int:
    Passage.objects.filter(source_kind=kind, source_id__in=list(source_ids)).delete()
    Passage.objects.bulk_create(
        [
            Passage(
                source_kind=d.kind,
                source_id=d.source_id,
                position=d.position,
                title=d.title[:200],
                title_en=d.title_en[:200],
                section=d.section[:50],
                text=d.text,
                url=d.url[:300],
                item_ids=d.item_ids,
                tokens=" ".join(d.tokens),
                valid_until=d.valid_until,
            )
            for d in drafts
        ],
        batch_size=BATCH,
    )
    return len(drafts)


def _public_guides(ids: Iterable[int]):
    materials = GuideMaterial.objects.order_by("order", "id")
    return (
        ServiceGuide.objects.filter(
            pk__in=list(ids), status=ServiceGuide.Status.PUBLISHED, item__is_active=True
        )
        .select_related("item")
        .prefetch_related(Prefetch("materials", queryset=materials))
    )


def passages_sync_guides(guides: Sequence[ServiceGuide]) -> int:
    """Index the published guides among ``guides``; drop the passages of the others."""
    ids = [g.pk for g in guides]
    drafts = [d for guide in _public_guides(ids) for d in guide_passages(guide)]
    return _replace(SourceKind.GUIDE, ids, drafts)


def _public_bundles(ids: Iterable[int] | None = None):
    steps = BundleStep.objects.select_related("item").order_by("stage", "id")
    qs = Bundle.objects.filter(status=Bundle.Status.PUBLISHED)
    if ids is not None:
        qs = qs.filter(pk__in=list(ids))
    return qs.prefetch_related(Prefetch("steps", queryset=steps), "topics")


def passages_sync_bundles(bundles: Sequence[Bundle]) -> int:
    ids = [b.pk for b in bundles]
    drafts = [d for bundle in _public_bundles(ids) for d in bundle_passages(bundle)]
    return _replace(SourceKind.BUNDLE, ids, drafts)


def passages_sync_article(article: KnowledgeArticle) -> int:
    public = article.status == KnowledgeArticle.Status.PUBLISHED
    return _replace(SourceKind.ARTICLE, [article.pk], article_passages(article) if public else [])


def passages_sync_policy(policy: Policy) -> int:
    public = policy.state == PolicyState.PUBLISHED
    return _replace(SourceKind.POLICY, [policy.pk], policy_passages(policy) if public else [])


@transaction.atomic
def passages_rebuild() -> int:
    """The whole index again from what is published now; returns the number of passages."""
    Passage.objects.all().delete()
    count = 0
    guide_ids = list(
        ServiceGuide.objects.filter(status=ServiceGuide.Status.PUBLISHED).values_list(
            "pk", flat=True
        )
    )
    for start in range(0, len(guide_ids), BATCH):
        batch = guide_ids[start : start + BATCH]
        drafts = [d for guide in _public_guides(batch) for d in guide_passages(guide)]
        count += _replace(SourceKind.GUIDE, batch, drafts)
    bundles = list(_public_bundles())
    count += _replace(
        SourceKind.BUNDLE,
        [b.pk for b in bundles],
        [d for bundle in bundles for d in bundle_passages(bundle)],
    )
    for article in KnowledgeArticle.objects.filter(status=KnowledgeArticle.Status.PUBLISHED):
        count += passages_sync_article(article)
    for policy in Policy.objects.filter(state=PolicyState.PUBLISHED):
        count += passages_sync_policy(policy)
    return count
