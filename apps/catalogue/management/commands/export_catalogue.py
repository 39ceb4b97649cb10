"""Export the catalogue (published guides only, C5) as JSON or CSV."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from apps.catalogue.transfer import catalogue_export, catalogue_export_csv, departments_export_csv


class Command(BaseCommand):
    help = "导出事项目录（部门、基本目录和已发布的办事指南）为 JSON 或 CSV。"

    def add_arguments(self, parser):
        parser.add_argument("--format", choices=["json", "csv"], default="json")
        parser.add_argument("-o", "--output", help="output file (default: standard output)")
        parser.add_argument(
            "--departments",
            action="store_true",
            help="with --format csv: the departments file instead of the items",
        )

    def handle(self, *args, format: str, output: str | None, departments: bool, **options):
        if departments and format != "csv":
            raise CommandError("--departments 仅用于 --format csv（JSON 文件已含部门）")
        if format == "csv":
            text = departments_export_csv() if departments else catalogue_export_csv()
        else:
            text = json.dumps(catalogue_export(), ensure_ascii=False, indent=2) + "\n"
        if output:
            Path(output).write_text(text, encoding="utf-8")
            self.stderr.write(f"已导出到 {output}")
        else:
            sys.stdout.write(text)
