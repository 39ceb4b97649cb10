"""Import and export of the whole catalogue (docs/catalogue-format.md, docs/catalogue-csv.md).

An import is all or nothing: every record is tried in its own savepoint so that *every*
bad record is reported with its position, then the whole transaction is rolled back if
anything failed. Importing the same file twice changes nothing: items and topics are
compared field by field, and a guide is compared with the published one; only a guide
whose content differs becomes a new published version (C5).

``exchange_format`` names the fields, ``json_import`` / ``records`` / ``normalise`` read a
file, ``export`` writes one, ``csv_format`` is the same in one CSV row per item.
"""

from __future__ import annotations

from apps.catalogue.transfer.csv_format import (
    CSV_COLUMNS,
    JSON_COLUMNS,
    catalogue_export_csv,
    catalogue_import_csv,
    csv_to_data,
)
from apps.catalogue.transfer.exchange_format import (
    GUIDE_SCALARS,
    ITEM_COLUMNS,
    MATERIAL_KEYS,
    PROCEDURE_KEYS,
    REQUIRED_ITEM_KEYS,
    STEP_KEYS,
    guide_to_dict,
)
from apps.catalogue.transfer.export import catalogue_export
from apps.catalogue.transfer.json_import import Locator, catalogue_import
from apps.catalogue.transfer.report import ImportReport

__all__ = [
    "CSV_COLUMNS",
    "GUIDE_SCALARS",
    "ITEM_COLUMNS",
    "JSON_COLUMNS",
    "MATERIAL_KEYS",
    "PROCEDURE_KEYS",
    "REQUIRED_ITEM_KEYS",
    "STEP_KEYS",
    "ImportReport",
    "Locator",
    "catalogue_export",
    "catalogue_export_csv",
    "catalogue_import",
    "catalogue_import_csv",
    "csv_to_data",
    "guide_to_dict",
]
