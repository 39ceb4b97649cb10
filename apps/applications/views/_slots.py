"""Upload slots: one per guide material (C7), shared by the draft, correction and bundle
pages. A slot offers an upload, a file already submitted (A3) or an e-licence (A3, A16)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.http import HttpRequest

from apps.applications import selectors, services
from apps.applications.models import Application, ApplicationMaterial
from apps.catalogue.models import GuideMaterial
from apps.common.errors import ApplicationError

_ALIASES = {"jpeg": "jpg", "tiff": "tif"}


def _formats(material: GuideMaterial) -> set[str]:
    names = (f.strip().lower().lstrip(".") for f in material.electronic_formats.split(","))
    return {_ALIASES.get(f, f) for f in names if f}


@dataclass
class Slot:
    application: Application
    material: GuideMaterial
    submitted: list[ApplicationMaterial] = field(default_factory=list)
    reusable: list[ApplicationMaterial] = field(default_factory=list)
    reason: str = ""  # the correction reason, on the correction page
    error: str = ""
    # On a 一件事 page: every (member, its guide material) this one box serves (C8).
    members: list[tuple[Application, GuideMaterial]] = field(default_factory=list)

    @property
    def member_names(self) -> str:
        if len(self.members) < 2:
            return ""
        return "、".join(application.item.name for application, _m in self.members)

    @property
    def key(self) -> str:
        return str(self.material.pk)

    @property
    def formats(self) -> str:
        return "、".join(f.upper() for f in self.material.electronic_formats.split(",") if f)

    @property
    def accept(self) -> str:
        return ",".join(
            f".{f.strip().lower()}" for f in self.material.electronic_formats.split(",")
        )

    @property
    def offers_e_licence(self) -> bool:
        return self.material.reuse == GuideMaterial.Reuse.E_LICENCE

    @property
    def shared_data(self) -> bool:
        return self.material.reuse == GuideMaterial.Reuse.SHARED_DATA


def reusable_by_name(user) -> dict[str, list[ApplicationMaterial]]:
    """A3: the applicant's earlier submitted files, by the name of the material they were
    for (the same material keeps its name across guide versions and items)."""
    by_name: dict[str, list[ApplicationMaterial]] = defaultdict(list)
    for material in selectors.reusable_materials_for(user=user)[:200]:
        by_name[material.guide_material.name].append(material)
    return by_name


def build_slots(
    application: Application,
    guide_materials: Iterable[GuideMaterial],
    *,
    reusable: dict[str, list[ApplicationMaterial]],
    reasons: dict[int, str] | None = None,
) -> list[Slot]:
    """``application.materials`` should be prefetched with their guide materials."""
    submitted: dict[int, list[ApplicationMaterial]] = defaultdict(list)
    for material in application.materials.all():
        submitted[material.guide_material_id].append(material)
    slots = []
    for gm in guide_materials:
        allowed = _formats(gm)
        candidates = [
            m
            for m in reusable.get(gm.name, [])
            if m.application_id != application.pk
            and _ALIASES.get(m.extension, m.extension) in allowed
            and m.application.company_id == application.company_id
        ]
        slots.append(
            Slot(
                application=application,
                material=gm,
                submitted=submitted.get(gm.pk, []),
                reusable=candidates,
                reason=(reasons or {}).get(gm.pk, ""),
            )
        )
    return slots


def apply_slots(request: HttpRequest, slots: list[Slot]) -> bool:
    """Store what the applicant gave for each slot; errors go next to the slot, in Chinese.
    Each upload is its own atomic service call, so a refused file changes nothing.
    Returns True when every slot went through."""
    ok = True
    for slot in slots:
        upload = request.FILES.get(f"file_{slot.key}")
        reuse_id = (request.POST.get(f"reuse_{slot.key}") or "").strip()
        licence = (request.POST.get(f"licence_{slot.key}") or "").strip()
        try:
            if upload is not None:
                services.application_attach_material(
                    application_id=slot.application.pk,
                    actor=request.user,
                    guide_material_id=slot.material.pk,
                    upload=upload,
                )
            elif reuse_id.isdigit():
                services.application_reuse_material(
                    application_id=slot.application.pk,
                    actor=request.user,
                    guide_material_id=slot.material.pk,
                    source_material_id=int(reuse_id),
                )
            elif licence and slot.offers_e_licence:
                services.application_reuse_material(
                    application_id=slot.application.pk,
                    actor=request.user,
                    guide_material_id=slot.material.pk,
                    e_licence_reference=licence,
                )
        except ApplicationError as exc:
            slot.error = exc.message
            ok = False
    return ok


def carry_errors(old: list[Slot], new: list[Slot]) -> list[Slot]:
    errors = {s.material.pk: s.error for s in old if s.error}
    for slot in new:
        slot.error = errors.get(slot.material.pk, "")
    return new
