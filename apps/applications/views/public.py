"""The applicant's pages (issue #4): start, draft, 我的办件, detail, correction, bundles.

Views are thin: they read through selectors, write through services, and turn a service's
:class:`ApplicationError` into a Chinese message on the page. Someone else's application
is a 404 (the selectors raise it), never a 403.
"""

from __future__ import annotations

from datetime import date, datetime

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from apps.accounts.models import User
from apps.applications import hooks, selectors, services
from apps.applications.forms import StartForm, WithdrawForm, new_key
from apps.applications.models import Application, ApplicationMaterial, CorrectionItem
from apps.applications.progress import application_progress
from apps.applications.services.public_support import application_create_draft_once
from apps.applications.views._access import applicant_required
from apps.applications.views._slots import (
    Slot,
    apply_slots,
    build_slots,
    carry_errors,
    reusable_by_name,
)
from apps.applications.views.forms import form_state, save_posted_answers, submitted_answers
from apps.applications.views.list_rows import rows_html
from apps.applications.workflow import (
    AFTER_DECISION_STATES,
    FINISHED_STATES,
    State,
    can_transition,
)
from apps.catalogue.eligibility import target_notice
from apps.catalogue.models import Bundle, ServiceItem
from apps.catalogue.selectors import guide_get_published, guide_is_published
from apps.catalogue.templatetags.catalogue_public import item_name
from apps.common.errors import ApplicationError

_WITH_REMEDIES = {State.DENIED, State.REJECTED, State.DECISION_REVOKED}


APPLICATIONS_PER_PAGE = 20


def _detail_url(application: Application) -> str:
    return reverse("applications:detail", args=[application.pk])


def _applicant_identity(user: User, company) -> dict:
    """What the applicant applies as, prefilled from the profile; ID number masked (A17)."""
    if company is not None:
        return {"company": company}
    return {"name": user.full_name, "masked_id_number": user.masked_id_number}


def _submitted_files(application: Application) -> list[tuple[ApplicationMaterial, bool]]:
    """Every upload is kept for the record; the newest one per guide material is the one in
    force, and earlier ones are shown as replaced (e.g. by a correction, A5)."""
    files = list(application.materials.all())
    newest: dict[int, int] = {}
    for upload in files:
        newest[upload.guide_material_id] = max(newest.get(upload.guide_material_id, 0), upload.pk)
    return [(upload, upload.pk != newest[upload.guide_material_id]) for upload in files]


def _materials_prefetch() -> Prefetch:
    return Prefetch(
        "materials",
        queryset=ApplicationMaterial.objects.select_related("guide_material").order_by(
            "guide_material__order", "id"
        ),
    )


# --- Start -------------------------------------------------------------------------------


@applicant_required
@require_http_methods(["GET", "POST"])
def application_new(request: HttpRequest, code: str) -> HttpResponse:
    """Start an application under the item's published guide (C5); a company agent picks
    the company that applies (A1)."""
    item = get_object_or_404(ServiceItem, code=code, is_active=True)
    # A start posted reads the guide in the service: here only whether there is one (issue
    # 16); the page, drawn for a GET or a refused start, reads it whole.
    if request.method == "POST" and not guide_is_published(item):
        raise Http404
    form = StartForm(request.POST or None, user=request.user, target=item.target)
    if request.method == "POST" and form.is_valid():
        try:
            application = application_create_draft_once(
                actor=request.user,
                item_id=item.pk,
                company_id=form.company_id,
                idempotency_key=form.cleaned_data["idempotency_key"],
            )
        except ApplicationError as exc:
            form.add_error(None, exc.message)
        else:
            return redirect("applications:edit", application.pk)
    guide = guide_get_published(item)
    if guide is None:
        raise Http404
    context = {
        "item": item,
        "guide": guide,
        "materials": list(guide.materials.all()),
        "form": form,
        "identity": _applicant_identity(request.user, None),
        "target_notice": target_notice(target=item.target, user=request.user),
        "panels": hooks.apply_panels_for(request, guide),
    }
    return render(request, "applications/new.html", context)


# --- Draft -------------------------------------------------------------------------------


def _application_page(request: HttpRequest, application_id: int) -> Application:
    return selectors.application_page_for_applicant(
        user=request.user, application_id=application_id
    )


# The inputs of an upload slot (:func:`apply_slots`): a file, an earlier file, an e-licence.
_SLOT_INPUTS = ("file_", "reuse_", "licence_")


def _gives_materials(request: HttpRequest) -> bool:
    """Whether a post gives a material at all: without one, :func:`apply_slots` has nothing
    to take and the slots need not be read (issue 16: 提交申请 with nothing to upload)."""
    return bool(request.FILES) or any(
        key.startswith(_SLOT_INPUTS) and value.strip() for key, value in request.POST.items()
    )


def _draft_slots(request: HttpRequest, application_id: int, *, shown: bool = True):
    """The draft and its upload slots. ``shown=False`` for a post's own use (which slots
    take a file, reuse or e-licence): the slots are drawn only from a fresh read, so the
    reuse offers (A3) and the files given so far are not read for it, and a post that
    gives no material reads no slot at all."""
    taking = shown or _gives_materials(request)
    application = selectors.application_draft_get_for_applicant(
        user=request.user, application_id=application_id, for_page=shown, materials=taking
    )
    if not taking:
        return application, []
    # The material the online form fills in has no upload box: the form is that material.
    filled = (application.guide.application_form or {}).get("fills_material", "")
    # P6: a certificate the applicant pledged instead of bringing has no upload box either.
    waived = hooks.waived_materials(application)
    materials = [
        m
        for m in application.guide.materials.all()
        if (not filled or m.name != filled) and m.pk not in waived
    ]
    if not shown:
        return application, [Slot(application=application, material=m) for m in materials]
    reusable = reusable_by_name(request.user) if materials else {}
    return application, build_slots(application, materials, reusable=reusable)


@applicant_required
@require_http_methods(["GET", "POST"])
def application_edit(request: HttpRequest, application_id: int) -> HttpResponse:
    """The draft: one slot per guide material (C7), save and resume, submit once."""
    is_post = request.method == "POST"
    application, slots = _draft_slots(request, application_id, shown=not is_post)
    key = (request.POST.get("idempotency_key") or "").strip()
    if application.state != State.DRAFT:
        # A double click or a browser retry of 提交申请 lands here: already on its way.
        return redirect(_detail_url(application))
    if application.bundle_application_id:
        # C8: a member is filled in and submitted with its 一件事, never alone.
        return redirect("applications:bundle", application.bundle_application_id)
    status = 200
    refused_form = None
    if is_post:
        refused_form = save_posted_answers(request, application)
        ok = apply_slots(request, slots) and refused_form is None
        action = request.POST.get("action")
        if ok and action == "submit":
            # The service reads the draft afresh under its lock: no second read here unless
            # the page is drawn again.
            try:
                services.application_submit(
                    application_id=application.pk, actor=request.user, idempotency_key=key or None
                )
            except ApplicationError as exc:
                messages.error(request, exc.message)
            else:
                messages.success(request, _("申请已提交，请留意受理进度。"))
                return redirect(_detail_url(application))
        application, fresh = _draft_slots(request, application_id)
        slots = carry_errors(slots, fresh)
        if application.state != State.DRAFT and key and key == application.idempotency_key:
            return redirect(_detail_url(application))  # a concurrent twin submitted it
        if ok and action == "review":
            return redirect("applications:review", application.pk)
        if ok and action != "submit":
            messages.success(request, _("草稿已保存，可随时在“我的办件”中继续填写。"))
            return redirect("applications:edit", application.pk)
        if not ok:
            messages.error(request, _("部分内容未能保存，请查看各项旁的提示。"))
        status = 400
    context = {
        "application": application,
        "identity": _applicant_identity(request.user, application.company),
        "form": refused_form or form_state(application),
        "slots": slots,
        "idempotency_key": new_key(),
    }
    return render(request, "applications/edit.html", context, status=status)


# --- 我的办件 -----------------------------------------------------------------------------


def _row(application: Application, actions: dict[int, list], today: date, urls: dict) -> dict:
    """Everything a 我的办件 row shows, worked out here once: the row template only prints
    (no include, filter, ``with`` or translation per cell), which is most of a list page's
    cost (issue 16). ``urls`` are the page's URL patterns, reversed once."""
    days_left = selectors.remaining_working_days(application, today)
    state = application.state
    detail_url = urls["detail"].format(application.pk)
    if state == State.DRAFT:
        bundle_id = application.bundle_application_id
        link = (
            urls["bundle"].format(bundle_id) if bundle_id else urls["edit"].format(application.pk),
            _("继续填写"),
        )
    elif state == State.CORRECTION_REQUESTED:
        link = (f"{detail_url}#correction", _("去补正"))
    else:
        link = (detail_url, _("查看"))
    if days_left is None:
        left = ""
    elif days_left < 0:
        left = _("已超期 %(n)s 个工作日") % {"n": -days_left}
    else:
        left = _("剩余 %(n)s 个工作日") % {"n": days_left}
    submitted = application.submitted_at
    return {
        "number": application.number,
        "item": item_name(application.item),
        "company_applicant": application.applicant_name if application.company_id else "",
        "state": state,
        "state_label": State(state).label,
        "submitted": timezone.localtime(submitted).date().isoformat() if submitted else "",
        "due": application.due_date.isoformat() if application.due_date else "",
        "provisional": application.deadline_provisional,
        "level": application.level,
        "left": left,
        "needs_action": state == State.CORRECTION_REQUESTED,
        "link_url": link[0],
        "link_label": link[1],
        "actions": actions.get(application.pk, []),
    }


def _row_urls() -> dict[str, str]:
    return {
        name: reverse(f"applications:{name}", args=[0]).replace("/0/", "/{}/")
        for name in ("detail", "edit", "bundle")
    }


@applicant_required
def application_list(request: HttpRequest) -> HttpResponse:
    """我的办件: every application with its status and clock (A10, A15); 一件事 members are
    grouped under their submission (C8). Paged, so a company agent with hundreds of cases
    gets a page as fast as anyone; the query count does not grow with the rows."""
    page = Paginator(
        selectors.application_rows_for_applicant(user=request.user), APPLICATIONS_PER_PAGE
    ).get_page(request.GET.get("page"))
    applications = list(page.object_list)
    actions = hooks.list_actions_for(request, applications)
    today = timezone.localdate()
    urls = _row_urls()
    groups: list[dict] = []
    by_bundle: dict[int, dict] = {}
    for application in applications:
        row = _row(application, actions, today, urls)
        group_id = application.bundle_application_id
        if group_id is None:
            groups.append({"bundle": None, "rows": [row]})
            continue
        if group_id not in by_bundle:
            by_bundle[group_id] = {"bundle": application.bundle_application, "rows": []}
            groups.append(by_bundle[group_id])
        by_bundle[group_id]["rows"].append(row)
    rows_html(groups)
    return render(request, "applications/list.html", {"groups": groups, "page": page})


# --- Detail ------------------------------------------------------------------------------


def _open_correction(application: Application):
    if application.state != State.CORRECTION_REQUESTED:
        return None
    items = CorrectionItem.objects.select_related("guide_material").order_by(
        "guide_material__order", "id"
    )
    return (
        application.corrections.filter(answered_at=None)
        .prefetch_related(Prefetch("items", queryset=items))
        .first()
    )


def _correction_slots(request: HttpRequest, application: Application, correction):
    """Re-upload slots for exactly the materials the notice lists (A5, C7); the material
    the online form fills is corrected in the form instead."""
    filled = (application.guide.application_form or {}).get("fills_material", "")
    items = [i for i in correction.items.all() if not filled or i.guide_material.name != filled]
    return build_slots(
        application,
        [i.guide_material for i in items],
        reusable=reusable_by_name(request.user),
        reasons={i.guide_material_id: i.reason for i in items},
    )


def _form_corrected(application: Application, correction) -> bool:
    """Whether the notice asks to correct the material the online form fills."""
    filled = (application.guide.application_form or {}).get("fills_material", "")
    return bool(filled) and any(i.guide_material.name == filled for i in correction.items.all())


def _decision(application: Application, timeline: list) -> dict | None:
    """A9: the outcome with its reasons, and the remedies for a refusal or a denial."""
    outcome = application.outcome or (
        application.state if application.state in FINISHED_STATES else ""
    )
    if not outcome:
        return None
    event = next((e for e in reversed(timeline) if e.to_state == outcome), None)
    remedies = ""
    if outcome in _WITH_REMEDIES:
        remedies = (event.payload.get("remedies") if event else "") or str(services.REMEDIES)
    payload = event.payload if event else {}
    return {
        "state": State(outcome),
        "approved": outcome == State.APPROVED,
        # What was decided (the result template's fields, e.g. 经营项目 and validity).
        "fields": payload.get("decision_rows") or [],
        "reasons": event.reason if event else "",
        "remedies": remedies,
        "at": _decided_at(application, outcome, event),
    }


def _decided_at(application: Application, outcome: str, event) -> datetime | None:
    """When the outcome shown was reached: a revocation or a withheld result (P3, P6, T3)
    at its own time, not the approval's."""
    if outcome in AFTER_DECISION_STATES and event is not None:
        return event.created_at
    return application.decided_at or (event.created_at if event else None)


def _mark_unanswered(slots, error: ApplicationError) -> None:
    """Put the service's refusal next to each material the answer left out (A5)."""
    missing = set(error.extra.get("material_ids", ()))
    if not missing:
        raise error
    for slot in slots:
        if slot.material.pk in missing:
            slot.error = _("请上传补正后的材料。")


@applicant_required
@require_http_methods(["GET", "POST"])
def application_detail(request: HttpRequest, application_id: int) -> HttpResponse:
    """Progress at every step (A10), the correction to answer (A5), documents and the
    decision (A9), withdrawal while allowed."""
    application = _application_page(request, application_id)
    if application.state == State.DRAFT:
        return redirect("applications:edit", application.pk)
    correction = _open_correction(application)
    slots = _correction_slots(request, application, correction) if correction else []
    refused_form = None
    withdraw_form = WithdrawForm()
    status = 200
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "withdraw":
                withdraw_form = WithdrawForm(request.POST)
                if withdraw_form.is_valid():
                    services.application_withdraw(
                        application_id=application.pk,
                        actor=request.user,
                        reason=withdraw_form.cleaned_data["reason"],
                    )
                    messages.success(request, _("申请已撤回。"))
                    return redirect(_detail_url(application))
            elif action == "correction" and correction is not None:
                refused_form = (
                    save_posted_answers(request, application)
                    if _form_corrected(application, correction)
                    else None
                )
                ok = apply_slots(request, slots) and refused_form is None
                application = _application_page(request, application_id)
                fresh = carry_errors(slots, _correction_slots(request, application, correction))
                slots = fresh
                if ok:
                    try:
                        services.application_resubmit_correction(
                            application_id=application.pk,
                            actor=request.user,
                            note=request.POST.get("note", "")[:1000],
                        )
                    except ApplicationError as exc:
                        _mark_unanswered(slots, exc)
                    else:
                        messages.success(request, _("补正材料已提交，部门将重新审核。"))
                        return redirect(_detail_url(application))
                messages.error(request, _("补正材料未能提交，请查看材料旁的提示。"))
            else:
                messages.error(request, _("当前状态下不能执行该操作。"))
        except ApplicationError as exc:
            messages.error(request, exc.message)
        status = 400
    correction_form = None
    if correction is not None and _form_corrected(application, correction):
        correction_form = refused_form or form_state(application)
    # The applicant's page does not name who acted (the API names staff by role): no join.
    events = selectors.application_timeline(application=application, for_applicant=True)
    timeline = list(events.select_related(None))
    context = {
        "application": application,
        "state": State(application.state),
        "timeline": timeline,
        "progress": application_progress(application, timeline),
        "level": application.level,
        "days_left": selectors.remaining_working_days(application),
        "correction": correction,
        "correction_form": correction_form,
        "slots": slots,
        "documents": (
            selectors.application_documents(application=application, for_applicant=True)
            if application.has_documents  # type: ignore[attr-defined]
            else []
        ),
        "panels": hooks.panels_for(hooks.applicant_panels, request, application),
        "submitted_files": _submitted_files(application),
        "decision": _decision(application, timeline),
        "answers": submitted_answers(application),
        "can_withdraw": can_transition(application.state, State.WITHDRAWN),
        "withdraw_form": withdraw_form,
    }
    return render(request, "applications/detail.html", context, status=status)


# --- 一件事 (C8) ---------------------------------------------------------------------------


@applicant_required
@require_http_methods(["GET", "POST"])
def bundle_new(request: HttpRequest, code: str) -> HttpResponse:
    """Start a 一件事: one draft per member item, each under its published guide (C5, C8)."""
    bundle = get_object_or_404(
        Bundle.objects.prefetch_related("steps__item"), code=code, status=Bundle.Status.PUBLISHED
    )
    form = StartForm(request.POST or None, user=request.user, target=bundle.target)
    if request.method == "POST" and form.is_valid():
        try:
            group = services.application_bundle_create_drafts(
                actor=request.user, bundle_id=bundle.pk, company_id=form.company_id
            )
        except ApplicationError as exc:
            form.add_error(None, exc.message)
        else:
            return redirect("applications:bundle", group.pk)
    context = {
        "bundle": bundle,
        "steps": list(bundle.steps.all()),
        "form": form,
        "identity": _applicant_identity(request.user, None),
    }
    return render(request, "applications/bundle_new.html", context)
