"""Delete stored PDFs whose issuing transaction rolled back (no row points at them)."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from apps.documents.services import document_files_sweep


class Command(BaseCommand):
    help = "删除未被任何电子文书引用的 PDF 文件（出具事务已回滚）。"

    def add_arguments(self, parser) -> None:
        parser.add_argument("--min-age-minutes", type=int, default=60)
        parser.add_argument("--dry-run", action="store_true")

    def handle(self, *args, min_age_minutes: int, dry_run: bool, **options) -> None:
        removed = document_files_sweep(min_age_minutes=min_age_minutes, dry_run=dry_run)
        self.stdout.write(f"{'将删除' if dry_run else '已删除'} {removed} 个无引用的文书文件。")
