"""The pre-check's findings as plain warnings, read when a page shows them (DOMAIN Q2, A3).

What was found in each file is stored (:mod:`.services`); what depends on the rest of the
application is decided here, at the moment the page is read, so that it follows the
applicant's corrections: an ID or credit-code number in a file that differs from every
one in the form (and the applicant's own), the same file given for two materials, an
e-licence issued here that has since expired or been revoked. A constant number of
queries for an application, however many materials it has.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import prefetch_related_objects
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from apps.applications.models import Application, ApplicationAnswers, ApplicationMaterial
from apps.assistant.prechecks.inspect import numbers_in
from apps.common.pii import keyed_hash
from apps.documents.models import DocumentKind, DocumentStatus, IssuedDocument

KIND_LABELS = {"id": gettext_lazy("身份证号码"), "uscc": gettext_lazy("统一社会信用代码")}
EXPIRY_LABELS = ("有效期至", "有效期限至", "有效期截止")
_DATE = re.compile(r"(\d{4})\D(\d{1,2})\D(\d{1,2})")


@dataclass
class MaterialFindings:
    material: ApplicationMaterial
    warnings: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    pending: bool = False


def _strings(value: Any) -> Iterable[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for v in value.values():
            yield from _strings(v)
    elif isinstance(value, list):
        for v in value:
            yield from _strings(v)


def _form_numbers(application: Application) -> dict[str, set[str]]:
    """Hashes of the numbers the application states: in its form, the applicant's own ID
    number and the company's credit code, by kind."""
    found: dict[str, set[str]] = {"id": set(), "uscc": set()}
    # The pages that show findings read the answers with the application (one-to-one).
    try:
        answers: ApplicationAnswers | None = application.answers
    except ApplicationAnswers.DoesNotExist:
        answers = None
    texts = list(_strings(answers.values)) if answers is not None else []
    for number in numbers_in(" ".join(texts)):
        found[number["kind"]].add(number["hash"])
    if application.applicant_id and application.applicant.id_number:
        found["id"].add(keyed_hash(application.applicant.id_number.upper()))
    if application.company_id and application.company.credit_code:
        found["uscc"].add(keyed_hash(application.company.credit_code.upper()))
    return found


def _expiry(document: IssuedDocument) -> datetime.date | None:
    for row in (document.extra or {}).get("fields", []):
        if isinstance(row, list | tuple) and len(row) == 2 and str(row[0]) in EXPIRY_LABELS:
            match = _DATE.search(str(row[1]))
            if match:
                try:
                    return datetime.date(*(int(g) for g in match.groups()))
                except ValueError:
                    return None
    return None


def _licence_warnings(materials: list[ApplicationMaterial], today: datetime.date) -> dict[int, str]:
    refs = {m.e_licence_reference: m.pk for m in materials if m.e_licence_reference}
    if not refs:
        return {}
    warnings: dict[int, str] = {}
    documents = IssuedDocument.objects.filter(number__in=list(refs), kind=DocumentKind.LICENCE)
    for document in documents:
        material_id = refs[document.number]
        if document.status == DocumentStatus.REVOKED:
            warnings[material_id] = _("电子证照%(number)s已被撤销，不能作为申请材料，请更换。") % {
                "number": document.number
            }
            continue
        expiry = _expiry(document)
        if expiry is not None and expiry < today:
            warnings[material_id] = _(
                "电子证照%(number)s已于%(date)s过期，请先办理延续或换证，或上传有效的证照。"
            ) % {"number": document.number, "date": _expiry_date(expiry)}
    return warnings


def _expiry_date(day: datetime.date) -> str:
    # The Chinese edition keeps its long-standing form; other languages use their own.
    return _("%(y)d年%(m)02d月%(d)02d日") % {"y": day.year, "m": day.month, "d": day.day}


def _number_warning(material: ApplicationMaterial, stated: dict[str, set[str]]) -> str | None:
    numbers = getattr(getattr(material, "precheck", None), "numbers", None) or []
    for kind, label in KIND_LABELS.items():
        in_file = [n for n in numbers if n["kind"] == kind]
        if in_file and stated[kind] and not any(n["hash"] in stated[kind] for n in in_file):
            masked = "、".join(n["masked"] for n in in_file[:2])
            return _(
                "材料中的%(label)s（%(masked)s）与申请表或申请人信息中的不一致，"
                "请核对是否上传了他人的材料或填错了号码。"
            ) % {"label": label, "masked": masked}
    return None


def application_findings(
    application: Application, *, today: datetime.date | None = None
) -> list[MaterialFindings]:
    """Every material of ``application`` with its warnings, in the guide's order."""
    today = today or timezone.localdate()
    # The pages that show findings load the materials with their guide materials (issue 16:
    # no query for an application without materials); the pre-checks are read here.
    materials = list(application.materials.all())
    if not materials:
        return []
    prefetch_related_objects(materials, "guide_material", "precheck")
    materials.sort(key=lambda m: (m.guide_material.order, m.pk))
    stated = _form_numbers(application)
    licences = _licence_warnings(materials, today)
    first_by_file: dict[str, ApplicationMaterial] = {}
    results = []
    for material in materials:
        result = MaterialFindings(material)
        check = getattr(material, "precheck", None)
        if material.file and check is None:
            result.pending = True
        if check is not None:
            result.warnings += [f["message"] for f in check.findings]
            if check.pages:
                result.notes.append(
                    ngettext("共%(n)d页", "共%(n)d页", check.pages) % {"n": check.pages}
                )
        if (warning := _number_warning(material, stated)) is not None:
            result.warnings.append(warning)
        if material.pk in licences:
            result.warnings.append(licences[material.pk])
        if material.sha256:
            first = first_by_file.setdefault(material.sha256, material)
            if first.guide_material_id != material.guide_material_id:
                result.warnings.append(
                    _("与“%(name)s”上传的是同一个文件，请确认没有传错。")
                    % {"name": first.guide_material.name}
                )
        results.append(result)
    return results
