"""Where the tolerance app takes part in the applications app, through its named hooks
(CONVENTIONS: hooks, not signals). Registered from :meth:`ToleranceConfig.ready`.

* ``tolerant_acceptance_listeners`` → :func:`on_tolerant_acceptance`: the acceptance needs a
  recorded pledge (T1); one supply row per tolerated material, in its transaction (T2);
* ``case_closed_listeners`` → :func:`on_case_closed`: a case ended without a result owes
  nothing more;
* ``result_release_guards`` → :func:`withhold_result`: the result waits for every
  supplement (T1), "结果待容缺材料补齐后发放";
* ``applicant_panels`` → :func:`applicant_panel`: the pledge to sign, then the supplements;
* ``staff_panels`` → :func:`staff_panel`: tolerant acceptance with a paper pledge, and the
  check of every supplement; ``staff_page_flags`` → :func:`staff_page_flags`: whether the
  case has supplies or a pledge at all, read with the application.
"""

from __future__ import annotations

from django.http import HttpRequest
from django.utils import timezone

from apps.accounts.models import User
from apps.applications import hooks as application_hooks
from apps.applications.models import Application, ToleratedMaterial
from apps.applications.workflow import State
from apps.catalogue.models import GuideMaterial
from apps.tolerance import selectors
from apps.tolerance.forms import PledgeForm, SupplementUploadForm, TolerantAcceptForm
from apps.tolerance.models import MaterialSupply, Pledge
from apps.tolerance.services import pledges, supplies_close, supplies_create

PLEDGE_STATES = frozenset({State.SUBMITTED, State.CORRECTION_REQUESTED})
BEFORE_INTAKE = PLEDGE_STATES | {State.DRAFT, State.WAITING}


def on_tolerant_acceptance(
    application: Application, tolerated: list[ToleratedMaterial], actor: User
) -> None:
    """T1: refused without a recorded pledge naming every tolerated material (whatever
    form or API accepted it); then one supply row per material (T2)."""
    pledges.assert_pledged(application, [row.guide_material_id for row in tolerated])
    supplies_create(application, tolerated, actor)


def on_case_closed(application: Application, actor: User | None) -> None:
    supplies_close(application, actor)


def withhold_result(application: Application) -> str | None:
    return selectors.result_withheld_reason(application)


def _pledge_offer(application: Application) -> dict | None:
    """The pledge to read and sign, while the application waits for intake with only
    tolerable materials missing (T1); ``None`` when there is nothing to pledge. Under a
    guide that lists no tolerable material there never is: the page's flag says so, and
    the guide's list is not read (issue 16: every just-submitted case read it)."""
    if application.state not in PLEDGE_STATES or not application_hooks.page_flag(
        application, "tolerance_guide_tolerates"
    ):
        return None
    materials = pledges.pledge_materials(application)
    if not materials:
        return None
    text = pledges.pledge_text(application, materials)
    return {
        "materials": materials,
        "text": text,
        "reading_aid": pledges.pledge_reading_aid(application, materials),
        "form": PledgeForm(initial={"text_sha256": pledges.pledge_digest(text)}),
    }


def applicant_page_flags() -> dict:
    """The applicant's page asks the same (its pledge and supplies panels), and whether the
    guide lists a tolerable material at all (the pledge offer)."""
    tolerable = (("importance", GuideMaterial.Importance.TOLERABLE.value),)
    return {
        **staff_page_flags(),
        "tolerance_guide_tolerates": application_hooks.RowsOf(GuideMaterial, "guide", tolerable),
    }


def applicant_panel(request: HttpRequest, application: Application):
    pledge = (
        selectors.pledge_for(application)
        if application_hooks.page_flag(application, "tolerance_has_pledge")
        else None
    )
    # Supplies are owed from a tolerant acceptance on (T2: :func:`on_tolerant_acceptance`),
    # and no edge leads from it back to intake: a case waiting for intake owes none.
    rows = (
        []
        if application.state in BEFORE_INTAKE
        or not application_hooks.page_flag(application, "tolerance_has_supplies")
        else selectors.supply_rows(application=application, today=timezone.localdate())
    )
    offer = None if pledge or rows else _pledge_offer(application)
    if not (pledge or rows or offer):
        return None
    return application_hooks.Panel(
        template="tolerance/_applicant_panel.html",
        context={
            "application": application,
            "pledge": pledge,
            "rows": rows,
            "offer": offer,
            "withheld": selectors.result_withheld_reason(application) if rows else None,
            "upload_form": SupplementUploadForm(),
        },
    )


def staff_page_flags() -> dict:
    return {"tolerance_has_supplies": MaterialSupply, "tolerance_has_pledge": Pledge}


def staff_panel(request: HttpRequest, application: Application):
    if not request.user.has_perm("applications.intake_application"):
        return None
    rows = (
        selectors.supply_rows(application=application, today=timezone.localdate())
        if application_hooks.page_flag(application, "tolerance_has_supplies")
        else []
    )
    pledge = (
        selectors.pledge_for(application)
        if application_hooks.page_flag(application, "tolerance_has_pledge")
        else None
    )
    accept_form = None
    if application.state == State.SUBMITTED and not rows:
        materials = pledges.pledge_materials(application)
        if materials:
            accept_form = TolerantAcceptForm(materials=materials, pledge=pledge)
    if not (rows or pledge or accept_form):
        return None
    return application_hooks.Panel(
        template="tolerance/admin/_staff_panel.html",
        context={
            "application": application,
            "pledge": pledge,
            "rows": rows,
            "accept_form": accept_form,
            "withheld": selectors.result_withheld_reason(application) if rows else None,
        },
        # The console's generic 容缺受理 form only ticks "pledge signed"; this panel's form
        # records the pledge itself (online, or paper witnessed with its scan).
        replaces_actions=frozenset({"accept_tolerant"}) if accept_form else frozenset(),
    )


def register() -> None:
    application_hooks.register(
        application_hooks.tolerant_acceptance_listeners, on_tolerant_acceptance
    )
    application_hooks.register(application_hooks.case_closed_listeners, on_case_closed)
    application_hooks.register(application_hooks.result_release_guards, withhold_result)
    application_hooks.register(application_hooks.applicant_panels, applicant_panel)
    application_hooks.register(application_hooks.staff_panels, staff_panel)
    application_hooks.register(application_hooks.staff_page_flags, staff_page_flags)
    application_hooks.register(application_hooks.applicant_page_flags, applicant_page_flags)
