"""The pledges app plugs into the apps below it through their named hooks."""

from __future__ import annotations

from apps.applications import hooks as application_hooks
from apps.catalogue.hooks import item_page_panels


def test_the_pledges_app_is_registered_in_the_hooks():
    registered = application_hooks.registered()
    assert (
        "apps.pledges.services.verification.on_case_closed" in registered["case_closed_listeners"]
    )
    assert "apps.pledges.services.signing.waived_materials" in registered["material_waivers"]
    assert "apps.pledges.panels.apply_panel" in registered["apply_page_panels"]
    assert "apps.pledges.panels.application_panel" in registered["applicant_panels"]
    assert "apps.pledges.panels.application_panel" in registered["staff_panels"]
    assert any(f.__qualname__ == "item_panel" for f in item_page_panels)
