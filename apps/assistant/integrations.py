"""Where the assistant takes part in the lower apps (registered from ``AppConfig.ready()``).

* catalogue ``publication_listeners`` / hotline ``article_listeners`` / policies
  ``policy_listeners``: the passage index follows what is published (DOMAIN Q2);
* catalogue ``home_page_panels`` and ``item_page_panels``, hotline ``intake_panels``: the
  question box on the home page, on every item's page and beside the operator's intake
  screen;
* applications ``material_added_listeners``: a new file is pre-checked after commit;
  ``review_panels`` and ``staff_panels``: the pre-check's findings on the 核对并提交 page
  and the staff application page.
"""

from __future__ import annotations

from collections.abc import Sequence

from django.http import HttpRequest
from django.urls import reverse

from apps.applications import hooks as application_hooks
from apps.applications.models import Application, ApplicationMaterial
from apps.assistant.models import Channel
from apps.assistant.prechecks.findings import application_findings
from apps.assistant.services import (
    passages_sync_article,
    passages_sync_bundles,
    passages_sync_guides,
    passages_sync_policy,
)
from apps.assistant.tasks import precheck_material
from apps.catalogue import hooks as catalogue_hooks
from apps.catalogue.hooks import Panel
from apps.catalogue.models import Bundle, ServiceGuide
from apps.catalogue.templatetags.catalogue_public import item_title
from apps.common.queueing import enqueue_on_commit
from apps.hotline import hooks as hotline_hooks
from apps.policies import hooks as policy_hooks

BOX = "assistant/_question_box.html"


def index_publication(guides: Sequence[ServiceGuide], bundles: Sequence[Bundle]) -> None:
    if guides:
        passages_sync_guides(guides)
    if bundles:
        passages_sync_bundles(bundles)


def _box(channel: str, **extra) -> Panel:
    return Panel(BOX, {"action": reverse("assistant:ask"), "channel": channel, **extra})


def home_box(request: HttpRequest) -> Panel | None:
    return _box(
        Channel.HOME, examples=["孩子出生了要办什么", "开饭店需要办什么", "社保卡丢了怎么办"]
    )


def item_box(request: HttpRequest, guide: ServiceGuide) -> Panel | None:
    return _box(Channel.ITEM, item_name=item_title(guide.item))


def intake_box(request: HttpRequest) -> Panel | None:
    return Panel("assistant/_intake_box.html", {"api_url": reverse("api-assistant-ask")})


def precheck_after_commit(material: ApplicationMaterial) -> None:
    enqueue_on_commit(precheck_material, material.pk)


def precheck_panel(request: HttpRequest, application: Application) -> application_hooks.Panel:
    findings = application_findings(application)
    return application_hooks.Panel(
        "assistant/_precheck_panel.html",
        {
            "findings": findings,
            "warnings": sum(len(f.warnings) for f in findings),
            "pending": any(f.pending for f in findings),
            "item_name": item_title(application.item),
        },
    )


def register() -> None:
    catalogue_hooks.register(catalogue_hooks.publication_listeners, index_publication)
    catalogue_hooks.register(catalogue_hooks.home_page_panels, home_box)
    catalogue_hooks.register(catalogue_hooks.item_page_panels, item_box)
    hotline_hooks.register(hotline_hooks.article_listeners, passages_sync_article)
    hotline_hooks.register(hotline_hooks.intake_panels, intake_box)
    policy_hooks.register(policy_hooks.policy_listeners, passages_sync_policy)
    application_hooks.register(application_hooks.material_added_listeners, precheck_after_commit)
    application_hooks.register(application_hooks.review_panels, precheck_panel)
    application_hooks.register(application_hooks.staff_panels, precheck_panel)
