"""The online form on the applicant's pages (在线填报, Q2) and the check before submitting:
the summary page that lists the answers, the materials and everything still missing, by
name, and says plainly what happens if the application goes in incomplete (A4, A5).

Reading the post only reshapes it; the services check every value
(:mod:`apps.applications.services.answers`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.contrib import messages
from django.db.models import Prefetch
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from apps.applications import hooks, selectors, services
from apps.applications.completeness import (
    Completeness,
    answers_record,
    application_completeness,
)
from apps.applications.forms import new_key
from apps.applications.models import Application, ApplicationMaterial
from apps.applications.services.answers import form_of
from apps.applications.views._access import applicant_required
from apps.applications.workflow import State
from apps.catalogue.application_forms import (
    FormDefinition,
    answer_sections,
    fixed_values,
    merge_forms,
)
from apps.catalogue.application_forms.bound import answers_from_post, bind
from apps.common.errors import ApplicationError


@dataclass
class FormState:
    """What a page needs to draw the form: the definition and its bound sections."""

    form: FormDefinition | None
    sections: list = field(default_factory=list)
    errors: dict[str, str] = field(default_factory=dict)

    @property
    def fills_material(self) -> str:
        return self.form.fills_material if self.form else ""


def _locked_keys(form: FormDefinition, application: Application) -> set[str]:
    return set(fixed_values(form.fields, user=application.applicant, company=application.company))


def form_state(
    application: Application,
    *,
    posted: dict[str, Any] | None = None,
    errors: dict[str, str] | None = None,
    form: FormDefinition | None = None,
    values: dict[str, Any] | None = None,
    sources: dict[str, str] | None = None,
) -> FormState:
    """The form of ``application`` (or a merged ``form``) bound to the posted values after
    a refused save, else to the saved answers."""
    form = form or form_of(application)
    if form is None:
        return FormState(form=None)
    record = answers_record(application)
    if values is None:
        values = record.values if record else {}
    if sources is None:
        sources = record.prefill_sources if record else {}
    shown = posted if posted is not None else values
    sections = bind(
        form,
        shown,
        errors=errors,
        sources=sources,
        locked=_locked_keys(form, application),
    )
    return FormState(form=form, sections=sections, errors=errors or {})


def save_posted_answers(request: HttpRequest, application: Application) -> FormState | None:
    """Save the posted form of a single application. ``None`` when it has no form or the
    answers were saved; otherwise the state to redraw, with each field's message."""
    form = form_of(application)
    if form is None:
        return None
    posted = answers_from_post(form, request.POST)
    try:
        services.application_save_answers(
            application_id=application.pk, actor=request.user, answers=posted
        )
    except ApplicationError as exc:
        if exc.code != "invalid_answers":
            raise
        return form_state(application, posted=posted, errors=exc.extra)
    return None


# --- The summary before submitting ----------------------------------------------------------


@dataclass
class Summary:
    application: Application
    completeness: Completeness
    sections: list
    materials: list[ApplicationMaterial]


def summary_of(application: Application) -> Summary:
    completeness = application_completeness(application)
    sections = (
        answer_sections(
            completeness.form,
            completeness.answers,
            missing={f.key for f in completeness.missing_fields},
        )
        if completeness.form and completeness.form_applies
        else []
    )
    return Summary(
        application=application,
        completeness=completeness,
        sections=sections,
        materials=list(application.materials.all()),
    )


def _owned_with_parts(request: HttpRequest):
    return (
        selectors.application_list_for_applicant(user=request.user)
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
    )


@applicant_required
@require_http_methods(["GET", "POST"])
def application_review(request: HttpRequest, application_id: int) -> HttpResponse:
    """核对并提交: the answers, the materials, what is still missing and what happens then;
    one button sends it (idempotent, like the draft page's)."""
    application = _owned_with_parts(request).filter(pk=application_id).first()
    if application is None:
        raise Http404
    if application.state != State.DRAFT:
        return redirect("applications:detail", application.pk)
    if application.bundle_application_id:
        return redirect("applications:bundle_review", application.bundle_application_id)
    if request.method == "POST":
        key = (request.POST.get("idempotency_key") or "").strip()
        try:
            services.application_submit(
                application_id=application.pk, actor=request.user, idempotency_key=key or None
            )
        except ApplicationError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("申请已提交，请留意受理进度。"))
            return redirect("applications:detail", application.pk)
    context = {
        "application": application,
        "summary": summary_of(application),
        "edit_url": reverse("applications:edit", args=[application.pk]),
        "idempotency_key": new_key(),
        "panels": hooks.panels_for(hooks.review_panels, request, application),
    }
    return render(request, "applications/review.html", context)


def merged_form(members: list[Application]) -> FormDefinition | None:
    """C8: the members' forms as one (each shared key asked once)."""
    forms = [(m.item.name, form_of(m)) for m in members]
    present = [(name, form) for name, form in forms if form is not None]
    if not present:
        return None
    return merge_forms(_("一件事申请表"), present)


def merged_values(members: list[Application]) -> tuple[dict[str, Any], dict[str, str]]:
    """Saved answers and prefill sources of every member, the first member's winning."""
    values: dict[str, Any] = {}
    sources: dict[str, str] = {}
    for member in members:
        record = answers_record(member)
        if record is None:
            continue
        for key, value in record.values.items():
            values.setdefault(key, value)
        for key, source in record.prefill_sources.items():
            sources.setdefault(key, source)
    return values, sources


def submitted_answers(application: Application) -> dict | None:
    """The answers as filled in, section by section (the applicant's and staff's view)."""
    form = form_of(application)
    if form is None:
        return None
    record = answers_record(application)
    if record is None or not record.values:
        return None
    return {"title": form.title, "sections": answer_sections(form, record.values)}
