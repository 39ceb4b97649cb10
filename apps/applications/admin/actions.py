"""The staff console's action forms: one per transition, each calling exactly one service.

Read :data:`ACTIONS` top to bottom for every button the detail page can show. Whether a
button shows is decided from :data:`workflow.ALLOWED_TRANSITIONS` and the user's
permissions (:func:`available_actions`); whether the action happens is decided by the
service alone, so a stale page or a forged POST gets the service's own message.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django import forms
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from apps.accounts.models import User
from apps.applications import admin_forms as f
from apps.applications import services
from apps.applications.completeness import application_completeness
from apps.applications.models import Application, Extension
from apps.applications.workflow import ACCEPTED_OPEN_STATES, ALLOWED_TRANSITIONS, State

INTAKE = "applications.intake_application"
HANDLE = "applications.change_application"
DECIDE = "applications.decide_application"
APPROVE_EXTENSION = "applications.approve_extension"


@dataclass(frozen=True)
class Context:
    """What the visibility checks need beyond the application row (read once per page)."""

    pending_extension: Extension | None
    extension_used: bool
    has_tolerable: bool
    has_procedures: bool
    # A4(1): main materials (or the online form) still missing: plain 受理 is not offered.
    main_missing: tuple[str, ...] = ()


@dataclass(frozen=True)
class Action:
    name: str
    label: str | Promise
    form_class: type[f.ConsoleForm]
    permission: str
    run: Callable[[Application, User, forms.Form], str]
    # Shown when this state is reachable from the current one (ALLOWED_TRANSITIONS)...
    target: State | None = None
    # ...and, for edges that several actions share, only from these states.
    sources: frozenset[State] | None = None
    when: Callable[[Application, Context], bool] | None = None
    danger: bool = False
    rule: str = ""
    group: str | Promise = ""

    def visible(self, application: Application, user: User, ctx: Context) -> bool:
        state = State(application.state)
        if self.target is not None and self.target not in ALLOWED_TRANSITIONS[state]:
            return False
        if self.sources is not None and state not in self.sources:
            return False
        if self.when is not None and not self.when(application, ctx):
            return False
        return user.has_perm(self.permission)


def _d(form: forms.Form, name: str):
    return form.cleaned_data.get(name)


# --- What each action does (one service call each) ------------------------------------------


def _accept(app: Application, user: User, form) -> str:
    services.application_accept(application_id=app.pk, actor=user, note=_d(form, "note") or "")
    return _("已受理，受理通知书已出具。")


def _transfer(app: Application, user: User, form) -> str:
    department = _d(form, "right_department")
    services.application_transfer_not_ours(
        application_id=app.pk,
        actor=user,
        right_department_id=department.pk,
        reason=_d(form, "reason"),
    )
    return _("已告知申请人向%(department)s申请。") % {"department": department.name}


def _correct_on_spot(app: Application, user: User, form) -> str:
    services.application_correct_on_spot_and_accept(
        application_id=app.pk, actor=user, corrections=_d(form, "corrections")
    )
    return _("已当场更正并受理。")


def _accept_tolerant(app: Application, user: User, form) -> str:
    services.application_accept_tolerant(
        application_id=app.pk,
        actor=user,
        missing_material_ids=[m.pk for m in _d(form, "missing_materials")],
        pledge_signed=bool(_d(form, "pledge_signed")),
        note=_d(form, "note") or "",
    )
    return _("已容缺受理，并一次性告知了容缺材料及补齐期限。")


def _reject(app: Application, user: User, form) -> str:
    services.application_reject(
        application_id=app.pk, actor=user, ground=_d(form, "ground"), reasons=_d(form, "reasons")
    )
    return _("已作出不予受理决定，不予受理通知书已出具。")


def _request_correction(app: Application, user: User, form) -> str:
    correction = services.application_request_correction(
        application_id=app.pk,
        actor=user,
        items=form.items(),
        deadline=_d(form, "deadline"),
        note=_d(form, "note") or "",
    )
    return _("已一次性告知补正（%(n)s项），补正期限%(deadline)s。") % {
        "n": correction.items.count(),
        "deadline": correction.deadline,
    }


def _decide_immediately(app: Application, user: User, form) -> str:
    services.application_decide_immediately(
        application_id=app.pk,
        actor=user,
        result_text=_d(form, "result_text") or "",
        decision=form.decision(),
    )
    return _("即办件已当场办结。")


def _start_review(app: Application, user: User, form) -> str:
    services.application_start_review(application_id=app.pk, actor=user)
    return _("已开始审查。")


def _suspend(app: Application, user: User, form) -> str:
    suspension = services.application_suspend(
        application_id=app.pk, actor=user, kind=_d(form, "kind"), reason=_d(form, "reason")
    )
    return _("已启动%(kind)s，办理时限暂停计算。") % {"kind": suspension.get_kind_display()}


def _resume(app: Application, user: User, form) -> str:
    services.application_resume(application_id=app.pk, actor=user, note=_d(form, "note") or "")
    return _("特别程序已结束，恢复审查并重新计算办结期限。")


def _request_extension(app: Application, user: User, form) -> str:
    extension = services.application_request_extension(
        application_id=app.pk, actor=user, days=_d(form, "days"), reason=_d(form, "reason")
    )
    return _("已提交延期%(days)s个工作日的申请，等待审批负责人审批。") % {"days": extension.days}


def _decide_extension(app: Application, user: User, form) -> str:
    approved = _d(form, "decision") == "approve"
    services.application_approve_extension(
        extension_id=_d(form, "extension_id"),
        actor=user,
        approved=approved,
        note=_d(form, "note") or "",
    )
    return _("已批准延期，办结期限已顺延。") if approved else _("已驳回延期申请。")


def _approve(app: Application, user: User, form) -> str:
    services.application_approve(
        application_id=app.pk,
        actor=user,
        result_text=_d(form, "result_text") or "",
        decision=form.decision(),
    )
    return _("已准予许可，结果文书已出具。")


def _deny(app: Application, user: User, form) -> str:
    services.application_deny(application_id=app.pk, actor=user, reasons=_d(form, "reasons"))
    return _("已作出不予许可决定，决定书（含救济途径）已出具。")


def _revoke(app: Application, user: User, form) -> str:
    services.application_revoke_acceptance(
        application_id=app.pk, actor=user, reason=_d(form, "reason")
    )
    return _("已撤销受理，撤销受理通知书已出具。")


def _archive(app: Application, user: User, form) -> str:
    services.application_archive(application_id=app.pk, actor=user)
    return _("已归档。")


_SUBMITTED = frozenset({State.SUBMITTED})
_REVIEWABLE = frozenset({State.ACCEPTED, State.TOLERANT_ACCEPTED})


def _immediate(app: Application, ctx: Context) -> bool:
    return app.is_immediate


def _extension_can_be_asked(app: Application, ctx: Context) -> bool:
    return app.state in ACCEPTED_OPEN_STATES and not ctx.extension_used


def _extension_pending(app: Application, ctx: Context) -> bool:
    return ctx.pending_extension is not None and app.state in ACCEPTED_OPEN_STATES


ACTIONS: tuple[Action, ...] = (
    # Intake (A4 five outcomes, A5, A6).
    Action(
        "accept",
        gettext_lazy("受理"),
        f.NoteForm,
        INTAKE,
        _accept,
        State.ACCEPTED,
        _SUBMITTED,
        when=lambda a, c: not c.main_missing,
        rule="A4(1)",
        group=gettext_lazy("受理"),
    ),
    Action(
        "transfer",
        gettext_lazy("非本部门"),
        f.TransferForm,
        INTAKE,
        _transfer,
        State.TRANSFERRED,
        rule="A4(2)",
        group=gettext_lazy("受理"),
    ),
    Action(
        "correct_on_spot",
        gettext_lazy("当场更正后受理"),
        f.CorrectOnSpotForm,
        INTAKE,
        _correct_on_spot,
        State.ACCEPTED,
        _SUBMITTED,
        when=lambda a, c: not c.main_missing,
        rule="A4(3)",
        group=gettext_lazy("受理"),
    ),
    Action(
        "accept_tolerant",
        gettext_lazy("容缺受理"),
        f.TolerantForm,
        INTAKE,
        _accept_tolerant,
        State.TOLERANT_ACCEPTED,
        when=lambda a, c: c.has_tolerable,
        rule="A4(4)",
        group=gettext_lazy("受理"),
    ),
    Action(
        "request_correction",
        gettext_lazy("一次性告知补正"),
        f.CorrectionForm,
        INTAKE,
        _request_correction,
        State.CORRECTION_REQUESTED,
        rule="A5 C7",
        group=gettext_lazy("受理"),
    ),
    Action(
        "decide_immediately",
        gettext_lazy("即办件办结"),
        f.ResultForm,
        INTAKE,
        _decide_immediately,
        State.ACCEPTED,
        _SUBMITTED,
        when=_immediate,
        rule="A6",
        group=gettext_lazy("受理"),
    ),
    Action(
        "reject",
        gettext_lazy("不予受理"),
        f.RejectForm,
        INTAKE,
        _reject,
        State.REJECTED,
        danger=True,
        rule="A4(5)",
        group=gettext_lazy("受理"),
    ),
    # Review (A7, A8).
    Action(
        "start_review",
        gettext_lazy("开始审查"),
        f.ConfirmForm,
        HANDLE,
        _start_review,
        State.UNDER_REVIEW,
        _REVIEWABLE,
        group=gettext_lazy("审查"),
    ),
    Action(
        "suspend",
        gettext_lazy("特别程序中止"),
        f.SuspendForm,
        HANDLE,
        _suspend,
        State.SUSPENDED,
        when=lambda a, c: c.has_procedures,
        rule="A8",
        group=gettext_lazy("审查"),
    ),
    Action(
        "resume",
        gettext_lazy("恢复审查"),
        f.NoteForm,
        HANDLE,
        _resume,
        State.UNDER_REVIEW,
        frozenset({State.SUSPENDED}),
        rule="A8",
        group=gettext_lazy("审查"),
    ),
    Action(
        "request_extension",
        gettext_lazy("申请延期"),
        f.ExtensionForm,
        HANDLE,
        _request_extension,
        when=_extension_can_be_asked,
        rule="A7 A7a",
        group=gettext_lazy("审查"),
    ),
    Action(
        "decide_extension",
        gettext_lazy("审批延期"),
        f.ExtensionDecisionForm,
        APPROVE_EXTENSION,
        _decide_extension,
        when=_extension_pending,
        rule="A7",
        group=gettext_lazy("审查"),
    ),
    # Decision (A9), revocation (A4), archive (A12).
    Action(
        "approve",
        gettext_lazy("准予"),
        f.ResultForm,
        DECIDE,
        _approve,
        State.APPROVED,
        frozenset({State.ACCEPTED, State.UNDER_REVIEW}),
        group=gettext_lazy("决定"),
    ),
    Action(
        "deny",
        gettext_lazy("不予许可"),
        f.DenyForm,
        DECIDE,
        _deny,
        State.DENIED,
        danger=True,
        rule="A9",
        group=gettext_lazy("决定"),
    ),
    Action(
        "revoke",
        gettext_lazy("撤销受理"),
        f.RevokeForm,
        DECIDE,
        _revoke,
        State.REVOKED,
        danger=True,
        rule="A4",
        group=gettext_lazy("决定"),
    ),
    Action(
        "archive",
        gettext_lazy("归档"),
        f.ConfirmForm,
        HANDLE,
        _archive,
        State.ARCHIVED,
        rule="A12",
        group=gettext_lazy("决定"),
    ),
)

BY_NAME = {action.name: action for action in ACTIONS}


def action_context(application: Application) -> Context:
    # The staff page says whether there are any (``application_page_for_staff``).
    has_extensions = getattr(application, "has_extensions", True)
    extensions = list(application.extensions.all()) if has_extensions else []
    pending = next((e for e in extensions if e.status == Extension.Status.PENDING), None)
    guide = application.guide
    completeness = application_completeness(application)
    procedures = getattr(application, "has_special_procedures", None)
    return Context(
        pending_extension=pending,
        extension_used=any(e.status != Extension.Status.REFUSED for e in extensions),
        has_tolerable=any(m.is_tolerable for m in guide.materials.all()),
        has_procedures=guide.special_procedures.exists() if procedures is None else procedures,
        main_missing=tuple(completeness.main_missing),
    )


def available_actions(*, user: User, application: Application, ctx: Context) -> list[Action]:
    """The actions this user may take on this application now (the buttons to show)."""
    return [a for a in ACTIONS if a.visible(application, user, ctx)]
