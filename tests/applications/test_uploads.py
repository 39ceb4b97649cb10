"""Uploads: type by content (not by name), size limit, private storage, no orphans (A17)."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile

from apps.applications import services
from apps.applications.models import ApplicationMaterial
from apps.applications.services import _base
from apps.applications.workflow import State
from apps.common.errors import ApplicationError
from tests.applications.factories import (
    PDF_BYTES,
    PNG_BYTES,
    ApplicationFactory,
    guide_for,
    main_material,
    pdf_upload,
    png_upload,
    tolerable_material,
)


@pytest.fixture
def draft(guide, citizen):
    return services.application_create_draft(actor=citizen, item_id=guide.item_id)


def _files_of(application) -> list[Path]:
    root = Path(ApplicationMaterial._meta.get_field("file").storage.location)
    folder = root / "applications" / str(application.pk)
    return list(folder.glob("*")) if folder.exists() else []


def _attach(draft, actor, material, upload):
    return services.application_attach_material(
        application_id=draft.pk, actor=actor, guide_material_id=material.pk, upload=upload
    )


def test_pdf_stored_privately_with_sniffed_type_and_hash(draft, citizen, guide):
    material = _attach(draft, citizen, main_material(guide), pdf_upload("申请书.PDF"))
    assert material.content_type == "application/pdf" and material.extension == "pdf"
    assert material.original_filename == "申请书.PDF"
    assert material.sha256 == hashlib.sha256(PDF_BYTES).hexdigest()
    assert material.size == len(PDF_BYTES)
    path = Path(material.file.path)
    assert path.is_file() and str(path).startswith(str(settings.PRIVATE_FILES_ROOT))
    assert not str(path).startswith(str(settings.MEDIA_ROOT))
    assert material.file.name.endswith(".pdf") and "申请书" not in material.file.name


def test_png_content_named_pdf_is_refused_when_png_not_allowed(draft, citizen, guide):
    """The type is read from the bytes: a PNG called .pdf is a PNG."""
    disguised = SimpleUploadedFile("申请书.pdf", PNG_BYTES, content_type="application/pdf")
    with pytest.raises(ApplicationError) as err:
        _attach(draft, citizen, main_material(guide), disguised)
    assert err.value.code == "file_type_not_allowed"
    assert not ApplicationMaterial.objects.exists() and _files_of(draft) == []


def test_png_accepted_where_the_guide_allows_it(draft, citizen, guide):
    material = _attach(draft, citizen, tolerable_material(guide), png_upload("plan.bin"))
    assert material.extension == "png" and material.content_type == "image/png"


def test_unknown_content_refused(draft, citizen, guide):
    text = SimpleUploadedFile("a.pdf", "纯文本内容".encode() * 10, content_type="application/pdf")
    with pytest.raises(ApplicationError, match="格式"):
        _attach(draft, citizen, main_material(guide), text)


def test_size_limit_of_the_guide_material(draft, citizen, guide):
    """max_size_mb is 1 in the factory: one byte more is refused."""
    with pytest.raises(ApplicationError) as err:
        _attach(draft, citizen, main_material(guide), pdf_upload(size=1024 * 1024 + 1))
    assert err.value.code == "file_too_large"
    assert _attach(draft, citizen, main_material(guide), pdf_upload(size=1024 * 1024))
    assert len(_files_of(draft)) == 1


def test_material_of_another_guide_refused(draft, citizen, other_department):
    """C7: only materials the application's guide lists."""
    foreign = main_material(guide_for(other_department))
    with pytest.raises(ApplicationError) as err:
        _attach(draft, citizen, foreign, pdf_upload())
    assert err.value.code == "material_not_in_guide"


def test_failure_after_the_write_leaves_no_file_or_row(draft, citizen, guide, monkeypatch):
    """A failure after the file is written removes it; the row is rolled back."""

    def broken_timeline(*args, **kwargs):
        raise RuntimeError("simulated failure after the file write")

    monkeypatch.setattr(_base, "timeline", broken_timeline)
    with pytest.raises(RuntimeError):
        _attach(draft, citizen, main_material(guide), pdf_upload())
    assert not ApplicationMaterial.objects.exists()
    assert _files_of(draft) == []


def test_no_uploads_after_submission(draft, citizen, guide):
    services.application_submit(application_id=draft.pk, actor=citizen)
    with pytest.raises(ApplicationError, match="已提交"):
        _attach(draft, citizen, main_material(guide), pdf_upload())


def test_others_cannot_upload_to_my_application(guide, citizen, other_citizen, other_dept_staff):
    app = ApplicationFactory(guide=guide, applicant=citizen, state=State.DRAFT)
    with pytest.raises(services.ApplicationNotFoundError):
        _attach(app, other_citizen, main_material(guide), pdf_upload())
    from apps.common.errors import PermissionDeniedError

    with pytest.raises(PermissionDeniedError):
        _attach(app, other_dept_staff, main_material(guide), pdf_upload())
