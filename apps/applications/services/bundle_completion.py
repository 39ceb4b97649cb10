"""一件事 completion (C8, A10, A11, A16): once the last member application ends, the bundle
records its outcome and the lead department returns ONE combined result notice.

Called by :func:`apps.applications.services.closing.close_case`, which every final
transition goes through.
"""

from __future__ import annotations

from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from apps.accounts.models import User
from apps.applications.models import (
    Application,
    ApplicationDocument,
    BundleApplication,
    BundleOutcome,
)
from apps.applications.services import _base
from apps.applications.workflow import FINISHED_STATES, State
from apps.documents.models import DocumentKind
from apps.documents.services import document_issue
from apps.notifications.services import notify

# A member is finished once it has an outcome; archiving (A12) keeps that outcome.
_ENDED_STATES = FINISHED_STATES | {State.ARCHIVED}

# The result documents of a member, by its outcome, named in the combined notice (A16: the
# decisions and licences already issued are reused, not issued again).
_RESULT_KINDS: dict[str, tuple[str, ...]] = {
    State.APPROVED: (DocumentKind.APPROVAL_DECISION, DocumentKind.LICENCE),
    State.DENIED: (DocumentKind.DENIAL_DECISION,),
    State.REJECTED: (DocumentKind.REJECTION_NOTICE,),
    State.TRANSFERRED: (DocumentKind.REJECTION_NOTICE,),
    State.REVOKED: (DocumentKind.REVOCATION_NOTICE,),
    # P3, P6: the decision revoked before the bundle completed; its revocation is the result.
    State.DECISION_REVOKED: (DocumentKind.DECISION_REVOCATION,),
}


def _member_outcome(member: Application) -> str:
    return member.outcome or member.state


def _bundle_outcome(members: list[Application]) -> str:
    approved = sum(_member_outcome(m) == State.APPROVED for m in members)
    if approved == len(members):
        return BundleOutcome.ALL_APPROVED
    return BundleOutcome.PARTLY_APPROVED if approved else BundleOutcome.NONE_APPROVED


def _result_numbers(members: list[Application]) -> dict[int, list[str]]:
    """Each member's result document numbers, in the order they were issued."""
    numbers: dict[int, list[str]] = {m.pk: [] for m in members}
    wanted = {m.pk: _RESULT_KINDS.get(_member_outcome(m), ()) for m in members}
    links = (
        ApplicationDocument.objects.filter(application__in=members)
        .select_related("document")
        .order_by("created_at", "id")
    )
    for link in links:
        if link.kind in wanted[link.application_id]:
            numbers[link.application_id].append(link.document.number)
    return numbers


def _result_body(group: BundleApplication, members: list[Application], outcome: str) -> str:
    numbers = _result_numbers(members)
    lines = [
        _(
            "你（单位）提交的“%(bundle)s”一件事申请（一件事编号：%(number)s）所含%(count)d个"
            "事项均已办结，办结结果：%(outcome)s。各事项办理结果如下："
        )
        % {
            "bundle": group.bundle.name,
            "number": group.number,
            "count": len(members),
            "outcome": BundleOutcome(outcome).label,
        }
    ]
    for i, member in enumerate(members, 1):
        lines.append(
            _(
                "%(i)d. %(item)s（申请编号：%(number)s，%(department)s）：%(result)s；"
                "结果文书：%(docs)s"
            )
            % {
                "i": i,
                "item": member.item.name,
                "number": member.number,
                "department": member.department.name,
                # "准予许可/办结" → "准予许可": the notice names the decision.
                "result": str(State(_member_outcome(member)).label).split("/")[0],
                "docs": "、".join(numbers[member.pk]) or _("无"),
            }
        )
    lines.append(
        _(
            "各事项的决定书、电子证照与本通知书具有同等效力，可在“我的办件”中下载。对不予受理、"
            "不予许可决定不服的，可按该决定书载明的途径申请行政复议或者提起行政诉讼。"
            "本通知书由牵头部门%(lead)s综合窗口统一出具。"
        )
        % {"lead": group.bundle.lead_department.name}
    )
    return "\n".join(lines)


def bundle_application_complete_if_done(
    *, bundle_application_id: int, actor: User | None
) -> BundleApplication:
    """C8: once the last member is finished (approved, denied, rejected, transferred,
    withdrawn or revoked), the 一件事 is completed exactly once: its outcome is recorded, the
    lead department issues ONE 一件事办结通知书 listing every member's result (A11 one window
    out, A16) and the applicant is told once (A10).

    Called at the end of every service that finishes a member, inside its transaction. The
    bundle row lock serialises members decided at the same moment: the second caller waits
    for the first to commit, then reads the members afresh (READ COMMITTED) and either
    completes the bundle or finds it completed. Running it again is a no-op.
    """
    with transaction.atomic():
        group = (
            BundleApplication.objects.select_for_update(of=("self",))
            .select_related("bundle__lead_department", "applicant")
            .filter(pk=bundle_application_id)
            .first()
        )
        if group is None:
            raise _base.NotFoundError(_("一件事申请不存在。"), code="not_found")
        if group.completed_at is not None:
            return group
        members = list(
            Application.objects.filter(bundle_application=group)
            .select_related("item", "department")
            .order_by("pk")
        )
        if not members or any(m.state not in _ENDED_STATES for m in members):
            return group
        outcome = _bundle_outcome(members)
        # Staff (or the system) sign the notice; an applicant's withdrawal does not.
        issuer = actor if actor is not None and actor.kind == User.Kind.STAFF else None
        group.result_document = document_issue(
            kind=DocumentKind.BUNDLE_RESULT,
            department=group.bundle.lead_department,
            applicant_name=members[0].applicant_name,
            title=_("一件事办结通知书（%(bundle)s）") % {"bundle": group.bundle.name},
            body=_result_body(group, members, outcome),
            reference=group.number,
            actor=issuer,
        )
        group.completed_at = _base.stamp()
        group.outcome = outcome
        group.save(update_fields=["result_document", "completed_at", "outcome", "updated_at"])
        notify(
            recipient=group.applicant,
            title=_("您的“一件事”已办结"),
            body=_("一件事 %(bundle)s（编号 %(number)s）已全部办结，结果：%(outcome)s。")
            % {
                "bundle": group.bundle.name,
                "number": group.number,
                "outcome": BundleOutcome(outcome).label,
            },
            category=_base.NOTIFICATION_CATEGORY,
            link=reverse("applications:bundle", args=[group.pk]),
            channels=("inbox", "sms"),
            dedupe_key=f"bundle-done:{group.pk}",
        )
        return group


def complete_bundle_of(application: Application, *, actor: User | None) -> None:
    """The hook the member-finishing services call last, inside their transaction."""
    if application.bundle_application_id is not None:
        bundle_application_complete_if_done(
            bundle_application_id=application.bundle_application_id, actor=actor
        )
