"""Import and export of the whole catalogue (docs/catalogue-format.md, docs/catalogue-csv.md).

An import is all or nothing and reads its records in batches: a batch of records equal to
what is stored costs a fixed number of queries and writes nothing (no savepoint, no
history); only records that differ go through the services, each in its own savepoint, and
*every* bad record is reported with its position before the whole transaction is rolled
back. A guide becomes a new published version only when its content differs from the
published one (C5); an item may come without a guide or with a draft (C2).

``exchange_format`` names the fields; ``departments``, ``sections`` (topics, bundles),
``items`` and ``guides`` read the sections; ``json_import`` runs them; ``export`` writes
the file; ``csv_format`` is the same in one CSV row per item (or per department).
"""

from __future__ import annotations

from apps.catalogue.transfer.context import BATCH_SIZE, Locator
from apps.catalogue.transfer.csv_format import (
    CSV_COLUMNS,
    DEPARTMENT_CSV_COLUMNS,
    JSON_COLUMNS,
    catalogue_export_csv,
    catalogue_import_csv,
    csv_to_data,
    departments_export_csv,
)
from apps.catalogue.transfer.exchange_format import (
    DEPARTMENT_KEYS,
    GUIDE_SCALARS,
    ITEM_COLUMNS,
    MATERIAL_KEYS,
    PROCEDURE_KEYS,
    REQUIRED_ITEM_KEYS,
    STEP_KEYS,
    guide_to_dict,
)
from apps.catalogue.transfer.export import catalogue_export
from apps.catalogue.transfer.json_import import catalogue_import
from apps.catalogue.transfer.report import Counts, ImportReport, ItemOutcome

__all__ = [
    "BATCH_SIZE",
    "CSV_COLUMNS",
    "DEPARTMENT_CSV_COLUMNS",
    "DEPARTMENT_KEYS",
    "GUIDE_SCALARS",
    "ITEM_COLUMNS",
    "JSON_COLUMNS",
    "MATERIAL_KEYS",
    "PROCEDURE_KEYS",
    "REQUIRED_ITEM_KEYS",
    "STEP_KEYS",
    "Counts",
    "ImportReport",
    "ItemOutcome",
    "Locator",
    "catalogue_export",
    "catalogue_export_csv",
    "catalogue_import",
    "catalogue_import_csv",
    "csv_to_data",
    "departments_export_csv",
    "guide_to_dict",
]
