"""Import the catalogue from JSON (docs/catalogue-format.md) or CSV (docs/catalogue-csv.md)."""

from __future__ import annotations

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from apps.catalogue.transfer import catalogue_import, catalogue_import_csv


class Command(BaseCommand):
    help = "导入事项目录（.json 或 .csv）；任何一条记录有误则全部不导入，并列出每处错误。"

    def add_arguments(self, parser):
        parser.add_argument("file", help="JSON or CSV file")

    def handle(self, *args, file: str, **options):
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"文件不存在：{path}")
        text = path.read_text(encoding="utf-8-sig")
        if path.suffix.lower() == ".csv":
            report = catalogue_import_csv(text)
        else:
            try:
                data = json.loads(text)
            except json.JSONDecodeError as exc:
                raise CommandError(
                    f"JSON 格式错误：第{exc.lineno}行第{exc.colno}列：{exc.msg}"
                ) from None
            report = catalogue_import(data)
        if not report.ok:
            self.stderr.write(report.summary())
            raise CommandError(f"导入失败：{len(report.errors)} 处错误，未做任何修改。")
        self.stdout.write(self.style.SUCCESS(report.summary()))
