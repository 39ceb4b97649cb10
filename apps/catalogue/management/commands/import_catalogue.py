"""Import the catalogue from JSON (docs/catalogue-format.md) or CSV (docs/catalogue-csv.md)."""

from __future__ import annotations

import csv
import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from apps.catalogue.transfer import ImportReport, catalogue_import, catalogue_import_csv


def write_outcomes(report: ImportReport, path: Path) -> None:
    """One line per item of the file: public or not, and what it lacks (C5)."""
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["事项编码", "事项名称", "实施部门", "是否公开", "尚缺"])
        for o in report.outcomes:
            writer.writerow(
                [o.code, o.name, o.department, "是" if o.public else "否", "；".join(o.lacks)]
            )


class Command(BaseCommand):
    help = (
        "导入事项目录（.json 或 .csv）；任何一条记录有误则全部不导入，并列出每处错误。"
        "导入后列出未公开的事项及其尚缺内容。"
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="JSON or CSV file")
        parser.add_argument(
            "--report", help="CSV file to write every item's public state and what it lacks"
        )

    def handle(self, *args, file: str, report: str | None = None, **options):
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"文件不存在：{path}")
        text = path.read_text(encoding="utf-8-sig")
        if path.suffix.lower() == ".csv":
            result = catalogue_import_csv(text)
        else:
            try:
                data = json.loads(text)
            except json.JSONDecodeError as exc:
                raise CommandError(
                    f"JSON 格式错误：第{exc.lineno}行第{exc.colno}列：{exc.msg}"
                ) from None
            result = catalogue_import(data)
        if not result.ok:
            self.stderr.write(result.summary())
            raise CommandError(f"导入失败：{len(result.errors)} 处错误，未做任何修改。")
        self.stdout.write(self.style.SUCCESS(result.summary()))
        for line in [*result.outcome_lines(), *result.notes]:
            self.stdout.write(line)
        if report:
            write_outcomes(result, Path(report))
            self.stdout.write(f"逐项公开情况已写入 {report}")
