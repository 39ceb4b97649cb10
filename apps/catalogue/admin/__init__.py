"""Catalogue administration (事项目录管理).

Department catalogue managers (staff holding the catalogue permissions) see and edit only
their departments' items and bundles; system administrators see everything. Every save,
publish and revision goes through :mod:`apps.catalogue.services`; forms run
:mod:`apps.catalogue.rules` in ``clean`` so C4/C8/C12 problems appear inline in Chinese.

Importing this package registers every model admin (one module a screen family).
"""

from __future__ import annotations

from apps.catalogue.admin.bundles import BundleAdmin, BundleStepFormSet, BundleStepInline
from apps.catalogue.admin.guides import (
    DraftOnlyInline,
    GuideMaterialForm,
    GuideMaterialInline,
    GuideStepInline,
    ServiceGuideAdmin,
    ServiceGuideForm,
    SpecialProcedureInline,
)
from apps.catalogue.admin.items import GuideVersionInline, ServiceItemAdmin, ServiceItemForm
from apps.catalogue.admin.synonyms import SynonymGroupAdmin, SynonymGroupForm
from apps.catalogue.admin.topics import TopicAdmin

__all__ = [
    "BundleAdmin",
    "BundleStepFormSet",
    "BundleStepInline",
    "DraftOnlyInline",
    "GuideMaterialForm",
    "GuideMaterialInline",
    "GuideStepInline",
    "GuideVersionInline",
    "ServiceGuideAdmin",
    "ServiceGuideForm",
    "ServiceItemAdmin",
    "ServiceItemForm",
    "SpecialProcedureInline",
    "SynonymGroupAdmin",
    "SynonymGroupForm",
    "TopicAdmin",
]
