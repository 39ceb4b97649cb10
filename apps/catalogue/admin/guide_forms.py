"""The online form of a guide in the admin (在线申请表): edited as JSON beside a live
preview drawn by the very template the citizen sees (``catalogue/forms/_form.html``)."""

from __future__ import annotations

import json

from django import forms
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from apps.catalogue.application_forms import (
    form_definition_problems,
    parse_form,
    parse_result_fields,
    result_fields_problems,
)
from apps.catalogue.application_forms.bound import bind
from apps.catalogue.application_forms.definition import FormDefinition, Section

JSON_WIDGET_ATTRS = {
    "rows": 24,
    "cols": 100,
    "class": "vLargeTextField gs-json",
    "spellcheck": "false",
}


def json_field(label: str, help_text: str) -> forms.JSONField:
    return forms.JSONField(
        label=label,
        required=False,
        help_text=help_text,
        widget=forms.Textarea(attrs=JSON_WIDGET_ATTRS),
        encoder=None,
    )


def form_problems(cleaned: dict, material_names: list[str] | None) -> list[str]:
    """The admin form's check of both documents: the same rules as publishing."""
    problems = form_definition_problems(
        cleaned.get("application_form") or {}, material_names=material_names
    )
    problems += result_fields_problems(cleaned.get("result_fields") or [])
    return problems


def _preview_sections(definition, result_fields) -> tuple[list, list]:
    form = parse_form(definition)
    sections = bind(form, {}) if form else []
    fields = parse_result_fields(result_fields)
    decision = (
        bind(FormDefinition(title=_("决定事项"), sections=(Section(_("决定事项"), fields),)), {})
        if fields
        else []
    )
    return sections, decision


def preview_view(request: HttpRequest, *, can_view: bool) -> HttpResponse:
    """POST ``application_form`` / ``result_fields`` (JSON text): the page the applicant
    would see, or every problem of the definition."""
    if not can_view:
        raise PermissionDenied
    problems: list[str] = []
    documents = {}
    for name, default in (("application_form", {}), ("result_fields", [])):
        raw = (request.POST.get(name) or "").strip()
        try:
            documents[name] = json.loads(raw) if raw else default
        except json.JSONDecodeError as exc:
            problems.append(
                _("%(name)s 不是有效的JSON：第%(line)s行第%(column)s列 %(error)s")
                % {"name": name, "line": exc.lineno, "column": exc.colno, "error": exc.msg}
            )
            documents[name] = default
    if not problems:
        problems = form_definition_problems(documents["application_form"])
        problems += result_fields_problems(documents["result_fields"])
    sections, decision = (
        ([], [])
        if problems
        else _preview_sections(documents["application_form"], documents["result_fields"])
    )
    context = {
        "problems": problems,
        "title": (documents["application_form"] or {}).get("title", ""),
        "sections": sections,
        "decision": decision,
    }
    return render(request, "catalogue/forms/preview.html", context)
