"""Is an application complete? What the summary page lists before submission, what submission
checks, and what intake's plain 受理 requires (DOMAIN A4(1), A5, C7, Q2).

Read-only: the services and pages call :func:`application_completeness` and decide.

* A required material is missing when nothing was submitted for it, unless the department
  obtains it through data sharing (A3) or it is the material the online form fills in.
* A material a later app waives (``hooks.material_waivers``: a certificate replaced by a
  signed 告知承诺, P6) is never missing.
* The online form counts for the material it fills (its ``fills_material``): complete when
  every required field is answered; a paper 申请书 uploaded for that material (at the
  window, A13) stands in for the online form.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ObjectDoesNotExist

from apps.applications.hooks import waived_materials
from apps.applications.models import Application, ApplicationAnswers, ApplicationMaterial
from apps.catalogue.application_forms import (
    AnswerCheck,
    Field,
    FormDefinition,
    check_answers,
    parse_form,
)
from apps.catalogue.models import GuideMaterial, ServiceGuide
from apps.common.compiled import CompiledRead


def answers_record(application: Application) -> ApplicationAnswers | None:
    try:
        return application.answers
    except ObjectDoesNotExist:
        return None


def answers_of(application: Application) -> dict[str, Any]:
    record = answers_record(application)
    return record.values if record is not None else {}


@dataclass
class Completeness:
    form: FormDefinition | None
    form_applies: bool
    answers: dict[str, Any]
    check: AnswerCheck | None
    missing_materials: list[GuideMaterial] = field(default_factory=list)
    form_material: GuideMaterial | None = None

    @property
    def missing_fields(self) -> list[Field]:
        return list(self.check.missing) if self.check else []

    @property
    def answer_errors(self) -> dict[str, str]:
        return dict(self.check.errors) if self.check else {}

    @property
    def declarations_missing(self) -> list[Field]:
        return [f for f in self.missing_fields if f.type == "declaration"]

    @property
    def form_complete(self) -> bool:
        return not self.form_applies or not (self.missing_fields or self.answer_errors)

    @property
    def complete(self) -> bool:
        return self.form_complete and not self.missing_materials

    @property
    def main_missing(self) -> list[str]:
        """Names of missing *main* (non-tolerable) materials, the incomplete form counting
        as its material (A4(1), T1): while any is missing, nothing can be accepted."""
        names = [m.name for m in self.missing_materials if not m.is_tolerable]
        if not self.form_complete and (
            self.form_material is None or not self.form_material.is_tolerable
        ):
            names.insert(0, self.form_title)
        return names

    @property
    def form_title(self) -> str:
        return self.form.title if self.form else ""

    def missing_names(self) -> list[str]:
        """Everything missing, named: materials, and the form's empty required fields."""
        names = [m.name for m in self.missing_materials]
        if self.missing_fields:
            labels = "、".join(f.label for f in self.missing_fields)
            names.insert(0, f"{self.form_title}（{labels}）")
        return names


def _present_material_ids(application: Application) -> set[int]:
    """The guide materials something was submitted for: from the rows a page prefetched, or
    by a read compiled once per process (issue 16)."""
    if "materials" in getattr(application, "_prefetched_objects_cache", {}):
        return {m.guide_material_id for m in application.materials.all()}
    return {m.guide_material_id for m in _PRESENT.fetch(application_id=application.pk)}


def _guide_materials(guide: ServiceGuide) -> list[GuideMaterial]:
    """The guide's materials: as a page prefetched them, or by the compiled read."""
    if "materials" in getattr(guide, "_prefetched_objects_cache", {}):
        return list(guide.materials.all())
    return _GUIDE_MATERIALS.fetch(guide_id=guide.pk)


# 受理 and every other intake decision ask these on each call: compiled to SQL once per
# process (issue 16: compiling cost more CPU than running them).
_PRESENT = CompiledRead(
    ApplicationMaterial,
    lambda application_id: ApplicationMaterial.objects.filter(application_id=application_id),
)
_GUIDE_MATERIALS = CompiledRead(
    GuideMaterial, lambda guide_id: GuideMaterial.objects.filter(guide_id=guide_id)
)


def application_completeness(application: Application) -> Completeness:
    """``application.materials`` and ``application.guide.materials`` are used as loaded
    (prefetch them on list pages)."""
    guide = application.guide
    guide_materials = _guide_materials(guide)
    present = _present_material_ids(application)
    # P6: a certificate replaced by the applicant's pledge is never asked for.
    waived = waived_materials(application)
    form = parse_form(guide.application_form)
    filled_name = form.fills_material if form else ""
    form_material = next((m for m in guide_materials if m.name == filled_name), None)
    paper_form = form_material is not None and form_material.pk in present
    form_applies = form is not None and not paper_form
    answers = answers_of(application) if form_applies else {}
    check = check_answers(form.fields, answers, partial=True) if form_applies else None
    missing = [
        m
        for m in guide_materials
        if m.is_required
        and m.pk not in present
        and m.pk not in waived
        and m.reuse != GuideMaterial.Reuse.SHARED_DATA
        and not (form_applies and m.pk == getattr(form_material, "pk", None))
    ]
    return Completeness(
        form=form,
        form_applies=form_applies,
        answers=answers,
        check=check,
        missing_materials=missing,
        form_material=form_material,
    )
