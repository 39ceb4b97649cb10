"""Later apps add sections to an item's guide page through ``catalogue.hooks`` (C3, C9)."""

from __future__ import annotations

import copy

from django.urls import reverse

from apps.catalogue import hooks
from tests.catalogue.factories import PublishedGuideFactory


def test_a_registered_panel_shows_on_the_item_page(client, db, settings, tmp_path, monkeypatch):
    (tmp_path / "where.html").write_text(
        '<section id="where-panel">{{ panel.where }}</section>', encoding="utf-8"
    )
    templates = copy.deepcopy(settings.TEMPLATES)
    templates[0]["DIRS"] = [*templates[0]["DIRS"], tmp_path]
    settings.TEMPLATES = templates
    guide = PublishedGuideFactory()
    seen = []

    def where_to_go(request, shown_guide):
        seen.append(shown_guide.pk)
        return hooks.Panel(template="where.html", context={"where": "市民中心二楼综合窗口"})

    monkeypatch.setattr(hooks, "item_page_panels", [])
    hooks.register(hooks.item_page_panels, where_to_go)
    hooks.register(hooks.item_page_panels, where_to_go)  # ready() twice: still once

    html = client.get(reverse("catalogue:item", args=[guide.item.code])).content.decode()
    assert '<section id="where-panel">市民中心二楼综合窗口</section>' in html
    assert seen == [guide.pk]
