"""Signing the pledge (DOMAIN P1, P3a, P4, P5, P6, C12): the applicant reads the guide's
pledge and liability text in full and confirms with their name; the exact text, who, when
and from where are stored once and never edited, and the signed pledge becomes a sealed,
numbered, verifiable document of the application."""

from __future__ import annotations

from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from apps.accounts.models import User
from apps.applications import receipts
from apps.applications.models import Application
from apps.applications.selectors import application_is_owned_by
from apps.applications.services import ApplicationNotFoundError, application_create_draft
from apps.applications.services.public_support import application_create_draft_once
from apps.applications.workflow import State
from apps.catalogue.models import ItemType, ServiceGuide
from apps.common.errors import ApplicationError, InvalidTransitionError
from apps.documents.models import DocumentKind
from apps.pledges import selectors
from apps.pledges.identity import applicant_subject
from apps.pledges.models import Pledge, PledgeableCertificate, PledgeEvent, PledgeKind
from apps.pledges.services import _base


def _kind(application: Application) -> str:
    """P6: a company's pledge on a licensing item is the 涉企经营许可 kind; otherwise the
    pledge stands in for certificates (证明事项)."""
    if application.company_id and application.item.item_type == ItemType.LICENSING:
        return PledgeKind.LICENSING
    return PledgeKind.CERTIFICATE


def _document_body(guide: ServiceGuide, certificates: list[PledgeableCertificate]) -> str:
    lines = [_("一、承诺内容"), guide.pledge_text.strip()]
    if certificates:
        lines.append(_("二、以承诺替代的证明材料（部门不再索要）"))
        lines += [
            f"{n}. {c.material.name}：{c.certified_matter}"
            for n, c in enumerate(certificates, start=1)
        ]
    lines += [_("三、虚假承诺的法律责任"), guide.pledge_liability_text.strip()]
    return "\n".join(lines)


def pledge_sign(
    *,
    application_id: int,
    actor: User,
    signed_name: str,
    text_sha256: str,
    ip_address: str | None = None,
) -> Pledge:
    """Sign the guide's pledge for a draft of ``actor``. Refused: not the actor's draft, a
    second signature, an item not on the list or high-risk (C12, P5), a restricted
    applicant (P4), a text changed since it was shown, a name that is not the signer's."""
    signed_name = _base.require_text(
        signed_name, _("请输入您的姓名以确认承诺。"), field="signed_name"
    )
    with transaction.atomic():
        application = _base.lock_application(application_id)
        if not application_is_owned_by(actor, application):
            raise ApplicationNotFoundError()
        if Pledge.objects.filter(application=application).exists():
            raise InvalidTransitionError(
                _("该申请已签署告知承诺书，不能重复签署。"), code="already_signed"
            )
        if application.state != State.DRAFT:
            raise InvalidTransitionError(
                _("申请已提交，不能再选择告知承诺办理。"), code="not_a_draft"
            )
        guide = application.guide
        if guide.status != ServiceGuide.Status.PUBLISHED:
            raise ApplicationError(
                _("本事项的办事指南已更新，请按新版办事指南重新申请。"), code="guide_superseded"
            )
        offer = selectors.pledge_route_for(guide=guide, user=actor, company=application.company)
        if not offer.offered:
            raise ApplicationError(offer.reason, code="pledge_not_available")
        certificates = selectors.certificates_of(guide)
        digest = selectors.pledge_digest(guide, certificates)
        if (text_sha256 or "").strip() != digest:
            raise ApplicationError(
                _("承诺书内容已更新，请重新阅读后再签署。"), code="pledge_text_changed"
            )
        if signed_name != actor.full_name:
            raise ApplicationError(
                _("请输入与实名认证一致的姓名以确认承诺。"),
                code="name_mismatch",
                extra={"signed_name": "mismatch"},
            )
        subject = applicant_subject(actor, application.company)
        signed_at = timezone.now()
        # The pledge is a legal document: always in the portal's own language (Chinese),
        # whatever language the applicant read the page in (issue #17).
        with translation.override(settings.LANGUAGE_CODE):
            link = receipts.issue(
                application,
                kind=DocumentKind.PLEDGE_NOTICE,
                actor=actor,
                body=_document_body(guide, certificates),
                extra={
                    "fields": [
                        [_("承诺类型"), str(PledgeKind(_kind(application)).label)],
                        [_("承诺人"), subject.name],
                        [_("事项"), application.item.name],
                        [_("申请编号"), application.number],
                        [_("承诺人签名确认"), signed_name],
                        [
                            _("签署时间"),
                            timezone.localtime(signed_at).strftime("%Y-%m-%d %H:%M:%S"),
                        ],
                    ],
                },
            )
        pledge = Pledge.objects.create(
            application=application,
            guide=guide,
            kind=_kind(application),
            pledge_text=guide.pledge_text,
            liability_text=guide.pledge_liability_text,
            certificates=[
                {
                    "material_id": c.material_id,
                    "name": c.material.name,
                    "matter": c.certified_matter,
                }
                for c in certificates
            ],
            text_sha256=digest,
            signer=actor,
            signed_name=signed_name,
            subject_kind=subject.kind,
            subject_hash=subject.hash,
            subject_name=subject.name,
            signed_at=signed_at,
            ip_address=ip_address or None,
            document=link.document,
        )
        _base.event(
            PledgeEvent.Kind.SIGNED,
            actor=actor,
            application=application,
            payload={"pledge_id": pledge.pk, "document_id": link.document_id},
        )
        return pledge


def pledge_start(
    *,
    actor: User,
    item_id: int,
    company_id: int | None,
    signed_name: str,
    text_sha256: str,
    ip_address: str | None = None,
    idempotency_key: str = "",
) -> Pledge:
    """Start an application on the pledge route: the draft and the signature together, or
    neither (a refused signature leaves no draft behind). With ``idempotency_key`` a
    repeated post (double click, browser retry) returns the pledge already signed."""
    with transaction.atomic():
        if idempotency_key:
            application = application_create_draft_once(
                actor=actor, item_id=item_id, company_id=company_id, idempotency_key=idempotency_key
            )
            signed = Pledge.objects.filter(application=application, signer=actor).first()
            if signed is not None:
                return signed
        else:
            application = application_create_draft(
                actor=actor, item_id=item_id, company_id=company_id
            )
        return pledge_sign(
            application_id=application.pk,
            actor=actor,
            signed_name=signed_name,
            text_sha256=text_sha256,
            ip_address=ip_address,
        )


def waived_materials(application: Application) -> dict[int, str]:
    """``applications.hooks.material_waivers``: the certificates the applicant's pledge
    replaces are never asked for (P6). No query unless the guide offers the route."""
    if not application.guide.pledge_enabled:
        return {}
    cached = getattr(application, "_pledge_waived", None)
    if cached is None:
        pledge = Pledge.objects.filter(application_id=application.pk).only("certificates").first()
        cached = {
            int(c["material_id"]): _("已告知承诺") for c in (pledge.certificates if pledge else [])
        }
        application._pledge_waived = cached  # type: ignore[attr-defined]
    return cached
