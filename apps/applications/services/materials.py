"""Materials of an application: uploads checked by content (C7, A17) and reuse (A3).

A failed upload leaves no row and no file: the file is written last, inside the
transaction, and removed if anything after the write fails.
"""

from __future__ import annotations

import hashlib
import logging
import uuid

import filetype
from django.core.files import File
from django.db import transaction
from django.utils.translation import gettext as _

from apps.accounts.models import User
from apps.applications import hooks
from apps.applications.models import Application, ApplicationMaterial, TimelineEvent
from apps.applications.selectors import application_is_owned_by
from apps.applications.services import _base
from apps.applications.workflow import State
from apps.catalogue.models import GuideMaterial
from apps.catalogue.services import assert_materials_from_guide
from apps.common.errors import ApplicationError

logger = logging.getLogger(__name__)

MB = 1024 * 1024
# Format names as guides write them → the extension ``filetype`` reports for that content.
_FORMAT_ALIASES = {"jpeg": "jpg", "tiff": "tif"}


# --- Materials ---------------------------------------------------------------------------


def _allowed_formats(guide_material: GuideMaterial) -> set[str]:
    formats = (f.strip().lower().lstrip(".") for f in guide_material.electronic_formats.split(","))
    return {_FORMAT_ALIASES.get(f, f) for f in formats if f}


def _sniff(upload: File, guide_material: GuideMaterial) -> filetype.Type:
    """The file's type read from its content, never from its name."""
    limit = guide_material.max_size_mb * MB
    if upload.size is None or upload.size > limit:
        raise ApplicationError(
            _("文件超过%(mb)d MB，请压缩后重新上传。") % {"mb": guide_material.max_size_mb},
            code="file_too_large",
        )
    if upload.size == 0:
        raise ApplicationError(_("文件为空。"), code="file_empty")
    upload.seek(0)
    head = upload.read(8192)
    upload.seek(0)
    kind = filetype.guess(head)
    allowed = _allowed_formats(guide_material)
    if kind is None or _FORMAT_ALIASES.get(kind.extension, kind.extension) not in allowed:
        raise ApplicationError(
            _("文件内容不是本材料接受的格式（%(formats)s）。")
            % {"formats": "、".join(sorted(allowed))},
            code="file_type_not_allowed",
        )
    return kind


def _sha256(upload: File) -> str:
    digest = hashlib.sha256()
    upload.seek(0)
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    return digest.hexdigest()


def _editable(application: Application) -> None:
    if application.state not in (State.DRAFT, State.CORRECTION_REQUESTED):
        raise ApplicationError(
            _("办件当前状态为“%(state)s”，不能修改材料。")
            % {"state": State(application.state).label},
            code="materials_locked",
        )


def guide_material_for(application: Application, guide_material_id: int) -> GuideMaterial:
    material = GuideMaterial.objects.filter(
        pk=guide_material_id, guide_id=application.guide_id
    ).first()
    if material is None:
        assert_materials_from_guide(application.guide, [guide_material_id])  # raises (C7)
    return material  # type: ignore[return-value]  # None raised just above


def store_upload(
    application: Application, *, guide_material: GuideMaterial, upload: File, actor: User
) -> ApplicationMaterial:
    """Validate, write the file, then the row. The caller's atomic block is open; if
    anything after the write fails the file is removed, so no orphan file or row remains."""
    kind = _sniff(upload, guide_material)
    sha = _sha256(upload)
    size = upload.size
    original = (getattr(upload, "name", "") or "").rsplit("/", 1)[-1][:255]
    storage = ApplicationMaterial._meta.get_field("file").storage
    path = f"applications/{application.pk}/{uuid.uuid4().hex}.{kind.extension}"
    try:
        name = storage.save(path, upload)
    except OSError as exc:
        # A full or failing disk: remove what was half written and refuse the upload (no
        # row is written; the caller's transaction rolls back).
        storage.delete(path)
        logger.error("material upload not stored: %s", exc.strerror or type(exc).__name__)
        raise ApplicationError(
            _("文件暂时无法保存，材料未上传，请稍后再试。"), code="storage_unavailable"
        ) from exc
    try:
        with transaction.atomic():
            material = ApplicationMaterial.objects.create(
                application=application,
                guide_material=guide_material,
                file=name,
                original_filename=original,
                content_type=kind.mime,
                extension=kind.extension,
                size=size,
                sha256=sha,
                uploaded_by=actor,
            )
            _base.timeline(
                application,
                kind=TimelineEvent.Kind.MATERIAL_ADDED,
                actor=actor,
                reason=guide_material.name,
                payload={"material_id": material.pk, "guide_material_id": guide_material.pk},
            )
            hooks.material_added(material)
    except BaseException:
        storage.delete(name)
        raise
    return material


def application_attach_material(
    *, application_id: int, actor: User, guide_material_id: int, upload: File
) -> ApplicationMaterial:
    """Upload one file for one material of the guide (C7), checked by content and size."""
    with transaction.atomic():
        application = _base.lock_application(application_id)
        _base.can_edit_materials(actor, application)
        _editable(application)
        guide_material = guide_material_for(application, guide_material_id)
        return store_upload(application, guide_material=guide_material, upload=upload, actor=actor)


def application_reuse_material(
    *,
    application_id: int,
    actor: User,
    guide_material_id: int,
    source_material_id: int | None = None,
    e_licence_reference: str = "",
) -> ApplicationMaterial:
    """A3: use a file the applicant already submitted, or an e-licence, instead of a new upload."""
    with transaction.atomic():
        application = _base.lock_application(application_id)
        _base.can_edit_materials(actor, application)
        _editable(application)
        guide_material = guide_material_for(application, guide_material_id)
        values: dict = {}
        if source_material_id is not None:
            source = (
                ApplicationMaterial.objects.select_related("application")
                .filter(pk=source_material_id)
                .exclude(application__state=State.DRAFT)
                .first()
            )
            owner = application.applicant
            if (
                source is None
                or not application_is_owned_by(owner, source.application)
                or (source.application.company_id != application.company_id)
            ):
                raise ApplicationError(_("可复用的材料不存在。"), code="reuse_not_found")
            root = source.reused_from or source
            allowed = _allowed_formats(guide_material)
            if _FORMAT_ALIASES.get(root.extension, root.extension) not in allowed:
                raise ApplicationError(
                    _("已提交材料的格式不符合本材料的要求（%(formats)s）。")
                    % {"formats": "、".join(sorted(allowed))},
                    code="file_type_not_allowed",
                )
            values = {
                "file": root.file.name,
                "original_filename": root.original_filename,
                "content_type": root.content_type,
                "extension": root.extension,
                "size": root.size,
                "sha256": root.sha256,
                "reused_from": root,
            }
        elif e_licence_reference.strip():
            if guide_material.reuse != GuideMaterial.Reuse.E_LICENCE:
                raise ApplicationError(
                    _("该材料不能通过电子证照获取。"), code="e_licence_not_offered"
                )
            values = {"e_licence_reference": e_licence_reference.strip()[:100]}
        else:
            raise ApplicationError(
                _("请选择要复用的材料或电子证照。"), code="reuse_source_required"
            )
        material = ApplicationMaterial.objects.create(
            application=application, guide_material=guide_material, uploaded_by=actor, **values
        )
        _base.timeline(
            application,
            kind=TimelineEvent.Kind.MATERIAL_ADDED,
            actor=actor,
            reason=guide_material.name,
            payload={"material_id": material.pk, "reused": True},
        )
        hooks.material_added(material)
        return material


def share_material(
    root: ApplicationMaterial, application: Application, guide_material: GuideMaterial, *, actor
) -> ApplicationMaterial:
    """C8/A3: the file ``root`` (just uploaded for another member of the same 一件事) also
    serves ``guide_material`` of ``application``: a reuse row, no second file."""
    allowed = _allowed_formats(guide_material)
    if _FORMAT_ALIASES.get(root.extension, root.extension) not in allowed:
        raise ApplicationError(
            _("文件格式不符合“%(name)s”的要求（%(formats)s）。")
            % {"name": guide_material.name, "formats": "、".join(sorted(allowed))},
            code="file_type_not_allowed",
        )
    material = ApplicationMaterial.objects.create(
        application=application,
        guide_material=guide_material,
        file=root.file.name,
        original_filename=root.original_filename,
        content_type=root.content_type,
        extension=root.extension,
        size=root.size,
        sha256=root.sha256,
        reused_from=root,
        uploaded_by=actor,
    )
    _base.timeline(
        application,
        kind=TimelineEvent.Kind.MATERIAL_ADDED,
        actor=actor,
        reason=guide_material.name,
        payload={"material_id": material.pk, "reused": True, "shared_in_bundle": True},
    )
    hooks.material_added(material)
    return material
