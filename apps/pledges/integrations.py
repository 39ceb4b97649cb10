"""Where the pledge route plugs into the apps below it (CONVENTIONS: hooks, not signals).

* ``applications.hooks.case_closed_listeners`` → :func:`services.on_case_closed`: an
  approved pledged case gets its verification task (P3).
* ``applications.hooks.material_waivers`` → :func:`services.waived_materials`: pledged
  certificates are never asked for (P6).
* ``applications.hooks.apply_page_panels`` and ``catalogue.hooks.item_page_panels`` →
  :func:`panels.apply_panel` / :func:`panels.item_panel`: "告知承诺办理" offered, or why
  not (C12, P4, P5).
* ``applications.hooks.applicant_panels`` / ``staff_panels`` → :func:`panels.
  application_panel`: the pledge, its verification and its documents on the case pages.
"""

from __future__ import annotations

from apps.applications import hooks as application_hooks
from apps.catalogue import hooks as catalogue_hooks
from apps.pledges import panels, services


def register() -> None:
    application_hooks.register(application_hooks.case_closed_listeners, services.on_case_closed)
    application_hooks.register(application_hooks.material_waivers, services.waived_materials)
    application_hooks.register(application_hooks.apply_page_panels, panels.apply_panel)
    application_hooks.register(application_hooks.applicant_panels, panels.application_panel)
    application_hooks.register(application_hooks.staff_panels, panels.application_panel)
    catalogue_hooks.register(catalogue_hooks.item_page_panels, panels.item_panel)
