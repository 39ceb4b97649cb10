"""Demo service catalogue (issue #3): topics, about 160 items with published guides, a few
still in the basic catalogue or in draft (the work list, issue #9), and the 一件事 bundles,
loaded from ``demo_data/catalogue.json`` through the ordinary importer.

The file is in the import format of ``docs/catalogue-format.md``, so it goes through every
rule a real import does (C3, C4, C8, C11, C12, A7a). Running it again changes nothing: the
importer compares each record with what is stored and publishes a new guide version only
when the content differs (C5). The departments come from ``apps.accounts.demo``, which
``manage.py seed_demo`` runs first.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any, TextIO

from django.utils.translation import gettext as _

from apps.catalogue.models import ServiceItem
from apps.catalogue.services import item_update
from apps.catalogue.transfer import catalogue_import
from apps.common.errors import ApplicationError

DEMO_FILE = Path(__file__).resolve().parent / "demo_data" / "catalogue.json"
# The online forms and result templates of the demo guides whose materials are filled in
# online (在线填写/在线填报), by item code; merged into the guides before the import, so they
# go through the same rules (docs/application-forms.md).
FORMS_FILE = DEMO_FILE.with_name("forms.json")
# The English edition (issue #17): a few items carry an English name and summary; the others
# show their Chinese name on /en/ pages, marked "Chinese only".
DEMO_ENGLISH: dict[str, tuple[str, str]] = {
    "350100-SCJGJ-XK-0001": (
        "Company registration",
        "Register a new company and receive its business licence.",
    ),
    "350100-SCJGJ-XK-0006": (
        "Food business licence",
        "A licence to sell or serve food, e.g. for a restaurant, shop or canteen.",
    ),
    "350100-SCJGJ-XK-0004": (
        "Registration of a sole proprietorship",
        "Register an individual business (个体工商户) and receive its business licence.",
    ),
    "350100-GAJ-QR-0001": (
        "Renewal of the resident identity card",
        "Replace an expiring, damaged or outdated resident identity card.",
    ),
    "350100-GAJ-GG-0001": (
        "Certificate of no criminal record",
        "A certificate stating that the public security records show no criminal record.",
    ),
    "350100-GAJ-XK-0001": (
        "Ordinary passport",
        "Apply for a first passport, or renew or replace one.",
    ),
    "350100-GAJ-QR-0007": (
        "Residence permit",
        "For residents who have lived in the city for six months or more without local hukou.",
    ),
    "350100-RSJ-GG-0003": (
        "Social security card",
        "Apply for a social security card (社保卡) for insurance, medical and pension use.",
    ),
    "350100-YBJ-GG-0001": (
        "Registration for medical treatment in another city",
        "Register before seeking medical treatment outside the city so that costs are settled "
        "directly.",
    ),
    "350100-MZJ-QR-0001": (
        "Marriage registration",
        "Register a marriage; both parties attend in person.",
    ),
}


@cache
def _raw_text() -> str:
    return DEMO_FILE.read_text(encoding="utf-8")


@cache
def _forms_text() -> str:
    return FORMS_FILE.read_text(encoding="utf-8")


def demo_forms() -> dict[str, dict[str, Any]]:
    """``{item code: {"application_form": …, "result_fields": […]}}``."""
    return json.loads(_forms_text())


def demo_catalogue() -> dict[str, Any]:
    """A fresh copy of the demo catalogue in the import format, with its online forms."""
    data = json.loads(_raw_text())
    forms = demo_forms()
    for item in data.get("items", []):
        if item.get("code") in forms and item.get("guide"):
            item["guide"].update(forms[item["code"]])
    return data


def seed_demo(*, stdout: TextIO | None = None) -> None:
    """Import the demo catalogue; safe to run any number of times."""
    report = catalogue_import(demo_catalogue(), actor=None)
    if not report.ok:
        raise ApplicationError(
            _("演示事项目录导入失败：%(summary)s") % {"summary": report.summary()},
            code="demo_catalogue_invalid",
            extra={"problems": report.errors},
        )
    _seed_english_names()
    if stdout is not None:
        stdout.write(f"事项目录：{report.summary()}\n")


def _seed_english_names() -> None:
    """Give the demo items of DEMO_ENGLISH their English name and summary (idempotent: the
    service writes nothing when they are already set)."""
    for item in ServiceItem.objects.filter(code__in=DEMO_ENGLISH):
        name_en, summary_en = DEMO_ENGLISH[item.code]
        item_update(actor=None, item=item, data={"name_en": name_en, "summary_en": summary_en})
