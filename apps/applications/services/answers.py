"""Answers to the online application form (DOMAIN A3, A17, C5, C8, Q2).

Every value is checked by :func:`apps.catalogue.application_forms.check_answers` against
the form of the application's own guide version (C5), for the web pages, the API and the
window alike (C6). A draft may be saved with required fields still empty; a wrong value is
refused with the field's own Chinese message, and nothing is saved.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from apps.accounts.models import User
from apps.applications.completeness import answers_record
from apps.applications.models import (
    Application,
    ApplicationAnswers,
    ApplicationKeyField,
    TimelineEvent,
)
from apps.applications.services import _base
from apps.applications.workflow import State
from apps.catalogue.application_forms import (
    AnswerCheck,
    FormDefinition,
    account_values,
    check_answers,
    fixed_values,
    parse_form,
)
from apps.catalogue.application_forms.answers import is_empty
from apps.common.errors import ApplicationError
from apps.common.history import set_history_user
from apps.common.pii import keyed_hash

_PERSONAL_TYPES = {"id_number", "phone"}
HISTORY_DEPTH = 20


def form_of(application: Application) -> FormDefinition | None:
    return parse_form(application.guide.application_form)


def _require_form(application: Application) -> FormDefinition:
    form = form_of(application)
    if form is None:
        raise ApplicationError(_("本事项没有在线申请表。"), code="no_form")
    return form


def _editable(application: Application) -> None:
    if application.state not in (State.DRAFT, State.CORRECTION_REQUESTED):
        raise ApplicationError(
            _("办件当前状态为“%(state)s”，不能修改申请表。")
            % {"state": State(application.state).label},
            code="answers_locked",
        )


def _raise(check: AnswerCheck) -> None:
    raise ApplicationError(check.message(), code="invalid_answers", extra=dict(check.errors))


def key_field_value(field_type: str, value: Any) -> str:
    """How a key answer is kept for search: personal numbers as their keyed hash (A17)."""
    text = str(value).strip().upper()
    return keyed_hash(text) if field_type in _PERSONAL_TYPES else text[:200]


def _store(
    application: Application,
    form: FormDefinition,
    cleaned: dict[str, Any],
    *,
    actor: User | None,
    sources: dict[str, str] | None = None,
) -> ApplicationAnswers:
    record = answers_record(application) or ApplicationAnswers(application=application)
    record.values = cleaned
    if sources is not None:
        record.prefill_sources = sources
    declared = any(f.type == "declaration" and cleaned.get(f.key) for f in form.fields)
    record.declared_at = (record.declared_at or _base.stamp()) if declared else None
    set_history_user(record, actor)
    record.save()
    ApplicationKeyField.objects.filter(application=application).delete()
    ApplicationKeyField.objects.bulk_create(
        ApplicationKeyField(
            application=application, key=f.key, value=key_field_value(f.type, cleaned[f.key])
        )
        for f in form.key_fields
        if not is_empty(cleaned.get(f.key))
    )
    return record


def _checked(application: Application, form: FormDefinition, answers: Any) -> AnswerCheck:
    fixed = fixed_values(form.fields, user=application.applicant, company=application.company)
    return check_answers(form.fields, answers, partial=True, fixed=fixed)


def application_save_answers(
    *, application_id: int, actor: User, answers: dict[str, Any]
) -> ApplicationAnswers:
    """Save the whole form of a draft (or of an application sent back for correction, A5).
    Prefilled fields the form does not let the applicant edit keep the account's value."""
    with transaction.atomic():
        application = _base.lock_application(application_id)
        _base.can_edit_materials(actor, application)
        _editable(application)
        form = _require_form(application)
        check = _checked(application, form, answers)
        if not check.ok:
            _raise(check)
        record = _store(application, form, check.cleaned, actor=actor)
        _base.timeline(
            application,
            kind=TimelineEvent.Kind.FORM_SAVED,
            actor=actor,
            reason=form.title,
            payload={"fields": len(check.cleaned), "missing": len(check.missing)},
            visible_to_applicant=False,
        )
        return record


def application_bundle_save_answers(
    *, bundle_application_id: int, actor: User, answers: dict[str, Any]
) -> list[ApplicationAnswers]:
    """C8: the one form of a 一件事. Each member takes the answers its own form asks for and
    checks them (C5), so a field several members share is answered once for all."""
    if not isinstance(answers, dict):
        raise ApplicationError(_("申请表数据格式不正确。"), code="invalid_answers")
    with transaction.atomic():
        members = list(
            Application.objects.select_for_update(of=("self",))
            .select_related("guide", "item", "applicant", "company")
            .filter(bundle_application_id=bundle_application_id, state=State.DRAFT)
            .order_by("pk")
        )
        if not members:
            raise _base.NotFoundError(_("没有可填写的一件事申请。"), code="not_found")
        for member in members:
            _base.check_applicant(actor, member)
        forms = [(m, form_of(m)) for m in members]
        merged = AnswerCheck()
        asked = {f.key for _m, form in forms if form for f in form.fields}
        for key in answers:
            if key not in asked:
                merged.errors[key] = _("本申请表没有这一项")
        checks = []
        for member, form in forms:
            if form is None:
                continue
            own = {k: v for k, v in answers.items() if form.get(k) is not None}
            check = _checked(member, form, own)
            merged.labels.update(check.labels)
            for key, message in check.errors.items():
                merged.errors.setdefault(key, message)
            checks.append((member, form, check))
        if not merged.ok:
            _raise(merged)
        return [_store(m, form, check.cleaned, actor=actor) for m, form, check in checks]


# --- Prefill (A3, Q2) ----------------------------------------------------------------------


def earlier_answers(application: Application, keys: set[str]) -> dict[str, Any]:
    """The applicant's own most recent answers to ``keys`` in earlier, submitted
    applications (the company's, for an agent): one query, newest first."""
    if not keys:
        return {}
    records = (
        ApplicationAnswers.objects.filter(
            application__applicant=application.applicant,
            application__company=application.company,
        )
        .exclude(application__state=State.DRAFT)
        .exclude(application=application)
        .order_by("-application__submitted_at", "-pk")[:HISTORY_DEPTH]
    )
    found: dict[str, Any] = {}
    for record in records:
        for key, value in record.values.items():
            if key in keys and key not in found and not is_empty(value):
                found[key] = value
    return found


def prefill_new_application(application: Application, *, actor: User | None) -> None:
    """A new draft starts with what the portal already knows: the account's identity and
    contact, the company's register data, and earlier answers to the same fields (Q2).
    Values that no longer pass the form's checks are left out."""
    form = form_of(application)
    if form is None:
        return
    values = account_values(form.fields, user=application.applicant, company=application.company)
    sources = {
        key: "company" if form.by_key[key].prefill.startswith("company.") else "account"
        for key in values
    }
    # A declaration is confirmed anew on every application, never carried over.
    askable = {f.key for f in form.fields if f.type != "declaration"}
    history = earlier_answers(application, askable - set(values))
    values.update(history)
    sources.update({key: "history" for key in history})
    check = check_answers(form.fields, values, partial=True)
    cleaned = {k: v for k, v in check.cleaned.items() if k not in check.errors}
    _store(
        application,
        form,
        cleaned,
        actor=actor,
        sources={k: v for k, v in sources.items() if k in cleaned},
    )
