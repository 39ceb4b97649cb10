"""One form for a 一件事 (DOMAIN C8): the members' forms merged so a shared field is asked
once, one upload box per material however many members need it (the same material: the
same name, see docs/application-forms.md), no box for what a member does not need, the
check before submitting across members, and one overall progress once submitted.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

from django.contrib import messages
from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from apps.applications import hooks, selectors, services
from apps.applications.bundle_stages import Stage, StageStatus, stage_plan
from apps.applications.completeness import application_completeness
from apps.applications.models import Application, ApplicationMaterial
from apps.applications.views._access import applicant_required
from apps.applications.views._slots import Slot, build_slots, reusable_by_name
from apps.applications.views.forms import form_state, merged_form, merged_values
from apps.applications.workflow import ACCEPTED_OPEN_STATES, FINISHED_STATES, State
from apps.catalogue.application_forms import answer_sections
from apps.catalogue.application_forms.bound import answers_from_post
from apps.catalogue.rules import bundle_limit
from apps.common.errors import ApplicationError


def material_key(name: str) -> str:
    """Two members need the same material when its name is the same once full-width and
    half-width forms and spaces are set aside (营业执照 / 营业执照 ; （） / ())."""
    return "".join(unicodedata.normalize("NFKC", name).split())


def _members(request: HttpRequest, group) -> list[Application]:
    return list(
        selectors.application_list_for_applicant(user=request.user)
        .filter(bundle_application=group)
        .select_related("company", "applicant")
        .prefetch_related(
            Prefetch(
                "materials",
                queryset=ApplicationMaterial.objects.select_related("guide_material").order_by(
                    "guide_material__order", "id"
                ),
            ),
            "guide__materials",
        )
        .order_by("pk")
    )


def shared_slots(request: HttpRequest, members: list[Application]) -> list[Slot]:
    """One box per material across members; the material an online form fills has none."""
    reusable = reusable_by_name(request.user)
    boxes: dict[str, Slot] = {}
    for member in members:
        filled = (member.guide.application_form or {}).get("fills_material", "")
        wanted = [m for m in member.guide.materials.all() if not filled or m.name != filled]
        for slot in build_slots(member, wanted, reusable=reusable):
            box = boxes.setdefault(material_key(slot.material.name), slot)
            box.members.append((member, slot.material))
    return list(boxes.values())


def _apply_box(request: HttpRequest, group_id: int, slot: Slot) -> None:
    upload = request.FILES.get(f"file_{slot.key}")
    reuse_id = (request.POST.get(f"reuse_{slot.key}") or "").strip()
    licence = (request.POST.get(f"licence_{slot.key}") or "").strip()
    if upload is not None:
        services.application_bundle_attach_material(
            bundle_application_id=group_id,
            actor=request.user,
            targets=[(a.pk, m.pk) for a, m in slot.members],
            upload=upload,
        )
        return
    for application, material in slot.members:
        if reuse_id.isdigit():
            services.application_reuse_material(
                application_id=application.pk,
                actor=request.user,
                guide_material_id=material.pk,
                source_material_id=int(reuse_id),
            )
        elif licence and slot.offers_e_licence:
            services.application_reuse_material(
                application_id=application.pk,
                actor=request.user,
                guide_material_id=material.pk,
                e_licence_reference=licence,
            )


def apply_shared_slots(request: HttpRequest, group_id: int, slots: list[Slot]) -> bool:
    ok = True
    for slot in slots:
        try:
            _apply_box(request, group_id, slot)
        except ApplicationError as exc:
            slot.error = exc.message
            ok = False
    return ok


# --- Progress (A10, C8) ----------------------------------------------------------------------


@dataclass(frozen=True)
class Progress:
    total: int
    finished: int
    accepted: int
    stages: list[Stage]
    promised_days: int
    computed_days: int

    @property
    def percent(self) -> int:
        return round(100 * self.finished / self.total) if self.total else 0


def bundle_progress(group, members: list[Application]) -> Progress:
    """One progress across members, stage by stage — which stage runs, which waits for the
    one before, which cannot proceed — and the bundle's own promised limit (never more than
    its stages add up to, C8)."""
    finished = [m for m in members if m.state in FINISHED_STATES or m.state == State.ARCHIVED]
    decided_after_intake = {
        State.APPROVED,
        State.DENIED,
        State.REVOKED,
        State.DECISION_REVOKED,
        State.RESULT_WITHHELD,
    }
    accepted = [
        m
        for m in members
        if m.accepted_at is not None
        or m.state in ACCEPTED_OPEN_STATES
        or m.outcome in decided_after_intake
    ]
    return Progress(
        total=len(members),
        finished=len(finished),
        accepted=len(accepted),
        stages=stage_plan(members),
        promised_days=group.bundle.promised_time_limit_days,
        computed_days=bundle_limit(group.bundle).computed_days,
    )


def _row(application: Application) -> dict:
    return {
        "application": application,
        "level": application.level,
        "days_left": selectors.remaining_working_days(application),
        "needs_action": application.state == State.CORRECTION_REQUESTED,
    }


def _progress_page(request: HttpRequest, group, members: list[Application]) -> HttpResponse:
    progress = bundle_progress(group, members)
    context = {
        "group": group,
        "rows": [_row(m) for m in members],
        "progress": progress,
        "stopped": any(s.status == StageStatus.STOPPED for s in progress.stages),
        "result": group.result_document if group.completed_at else None,
    }
    return render(request, "applications/bundle_detail.html", context)


# --- The one form ---------------------------------------------------------------------------


def _save_answers(request: HttpRequest, group, form) -> tuple[dict | None, dict]:
    """Save the merged form; on refusal the posted values and each field's message."""
    if form is None:
        return None, {}
    posted = answers_from_post(form, request.POST)
    try:
        services.application_bundle_save_answers(
            bundle_application_id=group.pk, actor=request.user, answers=posted
        )
    except ApplicationError as exc:
        if exc.code != "invalid_answers":
            raise
        return posted, exc.extra
    return None, {}


def _identity(request: HttpRequest, group) -> dict:
    if group.company is not None:
        return {"company": group.company}
    return {"name": request.user.full_name, "masked_id_number": request.user.masked_id_number}


@applicant_required
@require_http_methods(["GET", "POST"])
def bundle_edit(request: HttpRequest, group_id: int) -> HttpResponse:
    """One page for the whole 一件事: the merged form, one box per material, one 提交 (C8)."""
    group = selectors.bundle_application_get_for_applicant(
        user=request.user, bundle_application_id=group_id
    )
    members = _members(request, group)
    if not any(m.state == State.DRAFT for m in members):
        if request.method == "POST":
            return redirect("applications:list")
        return _progress_page(request, group, members)
    form = merged_form(members)
    slots = shared_slots(request, members)
    posted, errors, status = None, {}, 200
    if request.method == "POST":
        posted, errors = _save_answers(request, group, form)
        ok = apply_shared_slots(request, group.pk, slots) and not errors
        failed = {s.key: s.error for s in slots if s.error}
        members = _members(request, group)
        slots = shared_slots(request, members)
        for slot in slots:
            slot.error = failed.get(slot.key, "")
        action = request.POST.get("action")
        if ok and action == "review":
            return redirect("applications:bundle_review", group.pk)
        if ok and action == "submit":
            return _submit(request, group)
        if ok:
            messages.success(request, _("草稿已保存，可随时在“我的办件”中继续填写。"))
            return redirect("applications:bundle", group.pk)
        messages.error(request, _("部分内容未能保存，请查看各项旁的提示。"))
        status = 400
    values, sources = merged_values(members)
    context = {
        "group": group,
        "members": members,
        "identity": _identity(request, group),
        "form": form_state(
            members[0], form=form, values=values, sources=sources, posted=posted, errors=errors
        ),
        "slots": slots,
        "progress": bundle_progress(group, members),
    }
    return render(request, "applications/bundle_edit.html", context, status=status)


def _submit(request: HttpRequest, group) -> HttpResponse:
    try:
        services.application_bundle_submit(bundle_application_id=group.pk, actor=request.user)
    except ApplicationError as exc:
        messages.error(request, exc.message)
        return redirect("applications:bundle_review", group.pk)
    messages.success(request, _("“一件事”申请已提交，各部门将分别受理。"))
    return redirect("applications:bundle", group.pk)


@applicant_required
@require_http_methods(["GET", "POST"])
def bundle_review(request: HttpRequest, group_id: int) -> HttpResponse:
    """核对并提交 for a 一件事: the merged answers, every box, and what each member still
    misses, named; submitting sends every member (C8)."""
    group = selectors.bundle_application_get_for_applicant(
        user=request.user, bundle_application_id=group_id
    )
    members = _members(request, group)
    drafts = [m for m in members if m.state == State.DRAFT]
    if not drafts:
        return redirect("applications:bundle", group.pk)
    if request.method == "POST":
        return _submit(request, group)
    checks = [(m, application_completeness(m)) for m in drafts]
    form = merged_form(drafts)
    values, _sources = merged_values(drafts)
    missing_keys = {f.key for _m, c in checks for f in c.missing_fields}
    context = {
        "group": group,
        "checks": checks,
        "sections": answer_sections(form, values, missing=missing_keys) if form else [],
        "form_title": form.title if form else "",
        "slots": shared_slots(request, drafts),
        "allowed": all(m.guide.incomplete_submission_allowed for m in drafts),
        "complete": all(c.complete for _m, c in checks),
        "panels": [p for m in drafts for p in hooks.panels_for(hooks.review_panels, request, m)],
    }
    return render(request, "applications/bundle_review.html", context)
