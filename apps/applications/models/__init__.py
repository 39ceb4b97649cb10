"""Applications (办件) and everything that happens to them (DOMAIN A1–A15, C5–C8, T1).

* ``Application`` is one request for one item under the guide version it was made under
  (C5); a ``BundleApplication`` groups the member applications of one 一件事 submission (C8).
* ``ApplicationMaterial`` is one submitted file (or a reuse of an earlier one, A3).
* ``CorrectionRequest`` is the one-time correction notice (A5), ``Suspension`` a special
  procedure (A8), ``Extension`` the once-only extension (A7, A7a).
* ``TimelineEvent`` is what the applicant sees and the audit of who did what and why (A10).
* ``SupervisionMark`` makes each reminder happen once per application and threshold (A15).

State changes go through :mod:`apps.applications.services` only.
"""

from apps.applications.models.answers import ApplicationAnswers, ApplicationKeyField
from apps.applications.models.audit import (
    ApplicationDocument,
    SupervisionFigure,
    SupervisionMark,
    TimelineEvent,
)
from apps.applications.models.cases import (
    ApplicantType,
    Application,
    BundleApplication,
    BundleOutcome,
    Channel,
    WarningLevel,
)
from apps.applications.models.materials import (
    ApplicationMaterial,
    ToleratedMaterial,
    private_storage,
)
from apps.applications.models.procedures import (
    CorrectionItem,
    CorrectionRequest,
    Extension,
    Suspension,
)

__all__ = [
    "ApplicantType",
    "Application",
    "ApplicationAnswers",
    "ApplicationDocument",
    "ApplicationKeyField",
    "ApplicationMaterial",
    "BundleApplication",
    "BundleOutcome",
    "Channel",
    "CorrectionItem",
    "CorrectionRequest",
    "Extension",
    "SupervisionFigure",
    "SupervisionMark",
    "Suspension",
    "TimelineEvent",
    "ToleratedMaterial",
    "WarningLevel",
    "private_storage",
]
