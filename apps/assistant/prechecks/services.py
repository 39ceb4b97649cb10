"""Pre-checking uploaded files after the upload commits (DOMAIN Q2, C7).

:func:`material_precheck` reads one stored file and records what it found; it is what the
Celery task runs, and running it twice leaves one row with the same content. The file is
read with no lock held; only the write of the result row is a transaction.
:func:`materials_precheck_pending` is the sweep for files whose task was lost.
"""

from __future__ import annotations

from django.db import IntegrityError, transaction

from apps.applications.models import ApplicationMaterial
from apps.applications.workflow import State
from apps.assistant.models import MaterialCheck
from apps.assistant.prechecks.inspect import FileFacts, inspect_file

# The file is read whole to inspect it; uploads are capped by each material's size limit.
OPEN_STATES = (State.DRAFT, State.CORRECTION_REQUESTED)
SWEEP_BATCH = 100


def _facts(material: ApplicationMaterial) -> FileFacts:
    if not material.file:
        return FileFacts()  # an e-licence: checked when the findings are read
    try:
        with material.file.open("rb") as handle:
            data = handle.read()
    except OSError:
        return FileFacts()
    return inspect_file(data, (material.extension or "").lower())


def material_precheck(*, material_id: int) -> MaterialCheck | None:
    """Check the file of material ``material_id`` and store the result (idempotent)."""
    material = ApplicationMaterial.objects.filter(pk=material_id).first()
    if material is None:
        return None
    facts = _facts(material)
    values = {
        "application_id": material.application_id,
        "pages": facts.pages,
        "width": facts.width,
        "height": facts.height,
        "findings": [{"code": f.code, "message": f.message} for f in facts.findings],
        "numbers": facts.numbers,
    }
    try:
        with transaction.atomic():
            check, _created = MaterialCheck.objects.update_or_create(
                material_id=material.pk, defaults=values
            )
    except IntegrityError:  # a concurrent run wrote the row first: same file, same result
        check = MaterialCheck.objects.get(material_id=material.pk)
    return check


def materials_precheck_pending(*, limit: int = SWEEP_BATCH) -> int:
    """Check up to ``limit`` files of open applications that have no result yet."""
    ids = list(
        ApplicationMaterial.objects.filter(
            application__state__in=OPEN_STATES, precheck__isnull=True
        )
        .order_by("id")
        .values_list("pk", flat=True)[:limit]
    )
    for material_id in ids:
        material_precheck(material_id=material_id)
    return len(ids)
