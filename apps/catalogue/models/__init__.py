"""The service-item catalogue (DOMAIN C1–C14).

* ``ServiceItem`` is the basic catalogue entry (基本目录, C2): what the item is and who does it.
* ``ServiceGuide`` is one version of its implementation list and guide (实施清单 / 办事指南,
  C3): drafted, published, then superseded by a newer version (C5). Only a published guide
  can be applied for, and an application keeps the guide version it was made under.
* ``GuideMaterial`` / ``GuideStep`` / ``SpecialProcedure`` belong to one guide version: the
  guide is the only list of what may be asked (C4, C7).
* ``Bundle`` is a 一件事: several items in serial stages of parallel steps (C8).
"""

from apps.catalogue.models.bundles import Bundle, BundleStep
from apps.catalogue.models.guides import GuideMaterial, GuideStep, ServiceGuide, SpecialProcedure
from apps.catalogue.models.items import (
    ItemType,
    RiskArea,
    ServiceItem,
    ServiceTarget,
    TongbanScope,
    Topic,
)
from apps.catalogue.models.search import SynonymGroup

__all__ = [
    "Bundle",
    "BundleStep",
    "GuideMaterial",
    "GuideStep",
    "ItemType",
    "RiskArea",
    "ServiceGuide",
    "ServiceItem",
    "ServiceTarget",
    "SpecialProcedure",
    "SynonymGroup",
    "TongbanScope",
    "Topic",
]
