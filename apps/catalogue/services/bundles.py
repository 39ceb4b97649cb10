"""Writes to bundles (一件事): their steps, limit and publication (DOMAIN C8)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from apps.accounts.models import User
from apps.catalogue import hooks, rules
from apps.catalogue.models import Bundle, BundleStep, ServiceItem, Topic
from apps.catalogue.services.permissions import assert_can_manage_bundle
from apps.catalogue.services.problems import full_clean, raise_problems, validation_problems
from apps.common.errors import ApplicationError, InvalidTransitionError
from apps.common.services import model_update

BUNDLE_FIELDS = [
    "code",
    "name",
    "name_en",
    "description",
    "target",
    "lead_department",
    "promised_time_limit_days",
]


def _set_bundle_steps(bundle: Bundle, steps: Sequence[tuple[ServiceItem, int]]) -> None:
    items = [item.pk for item, _stage in steps]
    if len(items) != len(set(items)):
        raise ApplicationError(_("同一事项在一件事中只能出现一次"))
    BundleStep.objects.filter(bundle=bundle).exclude(item_id__in=items).delete()
    existing = {s.item_id: s for s in BundleStep.objects.filter(bundle=bundle)}
    for item, stage in steps:
        step = existing.get(item.pk)
        if step is None:
            BundleStep.objects.create(bundle=bundle, item=item, stage=stage)
        elif step.stage != stage:
            step.stage = stage
            step.save(update_fields=["stage"])


@transaction.atomic
def bundle_save(
    *,
    actor: User | None,
    bundle: Bundle | None = None,
    data: dict[str, Any],
    steps: Sequence[tuple[ServiceItem, int]] | None = None,
    topics: Iterable[Topic] | None = None,
) -> Bundle:
    """Create (``bundle=None``) or change a bundle; ``steps`` is ``[(item, stage), …]`` and
    replaces the current steps when given (C8). A configured limit above the computed one
    is refused as soon as every item has a published guide; a published bundle must stay
    publishable after the change."""
    if bundle is None:
        bundle = Bundle(**{f: data[f] for f in BUNDLE_FIELDS if f in data})
        assert_can_manage_bundle(actor=actor, bundle=bundle)
        full_clean(bundle)
        bundle.save()
    else:
        bundle = Bundle.objects.select_for_update().get(pk=bundle.pk)
        assert_can_manage_bundle(actor=actor, bundle=bundle)
        names = (bundle.name, bundle.name_en)
        fields = [f for f in BUNDLE_FIELDS if f in data]
        try:
            bundle, _changed = model_update(instance=bundle, fields=fields, data=data)
        except ValidationError as exc:
            raise_problems(validation_problems(exc))
        assert_can_manage_bundle(actor=actor, bundle=bundle)
        if bundle.status == Bundle.Status.PUBLISHED and names != (bundle.name, bundle.name_en):
            # The assistant quotes a published 一件事 under its names (issue #17).
            hooks.publication_changed(bundles=[bundle])
    if steps is not None:
        _set_bundle_steps(bundle, steps)
    if topics is not None:
        bundle.topics.set(list(topics))
    if bundle.status == Bundle.Status.PUBLISHED:
        raise_problems(rules.bundle_problems(bundle))
    else:
        limit = rules.bundle_limit(bundle)
        if not limit.items_without_guide and bundle.steps.exists():
            raise_problems(
                rules.bundle_limit_problems(bundle.promised_time_limit_days, limit.computed_days)
            )
    return bundle


@transaction.atomic
def bundle_publish(*, actor: User | None, bundle: Bundle) -> Bundle:
    """Publish a bundle whose items all have published guides and whose limit is within the
    computed one (C8)."""
    bundle = Bundle.objects.select_for_update().get(pk=bundle.pk)
    assert_can_manage_bundle(actor=actor, bundle=bundle)
    if bundle.status == Bundle.Status.PUBLISHED:
        raise InvalidTransitionError(_("该一件事已发布"))
    raise_problems(rules.bundle_problems(bundle), code="bundle_not_publishable")
    bundle.status = Bundle.Status.PUBLISHED
    bundle.save(update_fields=["status", "updated_at"])
    hooks.publication_changed(bundles=[bundle])
    return bundle


@transaction.atomic
def bundle_withdraw(*, actor: User | None, bundle: Bundle) -> Bundle:
    bundle = Bundle.objects.select_for_update().get(pk=bundle.pk)
    assert_can_manage_bundle(actor=actor, bundle=bundle)
    if bundle.status != Bundle.Status.PUBLISHED:
        raise InvalidTransitionError(_("只有已发布的一件事可以下线"))
    bundle.status = Bundle.Status.WITHDRAWN
    bundle.save(update_fields=["status", "updated_at"])
    hooks.publication_changed(bundles=[bundle])
    return bundle
