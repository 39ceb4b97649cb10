"""一件事 (C8): one submission, one application per member item, each handled by its
own department under its own published guide. Serial stages: :mod:`.bundle_release`;
completion: :mod:`.bundle_completion`."""

from __future__ import annotations

import uuid

from django.core.files import File
from django.db import transaction
from django.utils.translation import gettext as _

from apps.accounts.models import User
from apps.applications.bundle_stages import first_stage, member_stage
from apps.applications.models import (
    Application,
    ApplicationMaterial,
    BundleApplication,
    Channel,
)
from apps.applications.services import _base
from apps.applications.services._base import NotFoundError
from apps.applications.services.bundle_release import hold_locked
from apps.applications.services.materials import guide_material_for, share_material, store_upload
from apps.applications.services.submission import new_application, submit_locked
from apps.applications.workflow import State
from apps.catalogue.models import Bundle
from apps.common.errors import ApplicationError, PermissionDeniedError
from apps.workdays.calendar import local_date


def application_bundle_create_drafts(
    *, actor: User, bundle_id: int, company_id: int | None = None
) -> BundleApplication:
    """Start a 一件事: one draft per item of the published bundle, each under its item's
    published guide and handled by its own department (C5, C8)."""
    if actor.kind == User.Kind.STAFF or not actor.is_authenticated:
        raise PermissionDeniedError(_("工作人员请通过窗口受理功能代为申请。"))
    bundle = Bundle.objects.filter(pk=bundle_id, status=Bundle.Status.PUBLISHED).first()
    if bundle is None:
        raise NotFoundError(_("一件事不存在或未发布。"), code="not_found")
    company = None
    if company_id is not None:
        company = actor.companies.filter(pk=company_id).first()
        if company is None:
            raise PermissionDeniedError(_("您不是该单位的经办人。"))
    steps = list(bundle.steps.select_related("item__implementing_department"))
    with transaction.atomic():
        group = BundleApplication.objects.create(
            number=f"TMP{uuid.uuid4().hex[:24]}", bundle=bundle, applicant=actor, company=company
        )
        group.number = f"YJS{local_date(group.created_at):%Y%m%d}{group.pk:06d}"
        group.save(update_fields=["number"])
        for step in steps:
            new_application(
                item=step.item,
                applicant=actor,
                company=company,
                channel=Channel.ONLINE,
                actor=actor,
                bundle_application=group,
                bundle_stage=step.stage,
            )
        return group


def application_bundle_submit(*, bundle_application_id: int, actor: User) -> list[Application]:
    """C8: one submission. The members of the first stage go to their departments' intake;
    those of later stages are checked the same way and wait for the earlier stages
    (:mod:`.bundle_release` sends them on). Submitting again returns the members unchanged."""
    with transaction.atomic():
        members = list(
            Application.objects.select_for_update(of=("self",))
            .select_related("guide", "item", "department", "applicant")
            .filter(bundle_application_id=bundle_application_id)
            .order_by("pk")
        )
        if not members:
            raise NotFoundError(_("一件事申请不存在。"), code="not_found")
        for member in members:
            _base.check_applicant(actor, member)
        first = first_stage(members)
        for member in members:
            if member.state != State.DRAFT:
                continue
            try:
                if member_stage(member) == first:
                    submit_locked(member, actor=actor, idempotency_key=None)
                else:
                    hold_locked(member, actor=actor, stage=member_stage(member))
            except ApplicationError as exc:
                # Say which member stopped the submission; nothing was submitted.
                raise ApplicationError(
                    f"{member.item.name}：{exc.message}", code=exc.code, extra=exc.extra
                ) from exc
        return members


def application_bundle_attach_material(
    *, bundle_application_id: int, actor: User, targets: list[tuple[int, int]], upload: File
) -> list[ApplicationMaterial]:
    """C8/A3: one upload for a material several members need (the same material, see
    docs/application-forms.md): stored once on the first member, the others reuse it.
    ``targets``: (application id, guide material id) pairs of the one 一件事."""
    with transaction.atomic():
        members = {
            m.pk: m
            for m in Application.objects.select_for_update(of=("self",))
            .select_related("guide", "item", "department", "applicant")
            .filter(bundle_application_id=bundle_application_id)
        }
        if not members or not targets:
            raise NotFoundError(_("一件事申请不存在。"), code="not_found")
        stored: list[ApplicationMaterial] = []
        for application_id, guide_material_id in targets:
            member = members.get(application_id)
            if member is None:
                raise NotFoundError(_("一件事申请不存在。"), code="not_found")
            _base.can_edit_materials(actor, member)
            if member.state != State.DRAFT:
                raise ApplicationError(_("该一件事已提交，不能修改材料。"), code="materials_locked")
            guide_material = guide_material_for(member, guide_material_id)
            if not stored:
                stored.append(
                    store_upload(member, guide_material=guide_material, upload=upload, actor=actor)
                )
            else:
                stored.append(share_material(stored[0], member, guide_material, actor=actor))
        return stored
