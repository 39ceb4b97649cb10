"""``manage.py generate_scale_data 1000000``: scale data for benchmarks and load tests."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from apps.applications.scale_data import generate_scale_data


class Command(BaseCommand):
    help = "Grow the scale-test applications (with timelines) to COUNT rows; never on real data."

    def add_arguments(self, parser):
        parser.add_argument("count", type=int)
        parser.add_argument(
            "--i-know-this-is-not-production",
            action="store_true",
            dest="confirmed",
            help="required: the command adds test people and departments",
        )
        parser.add_argument(
            "--workers",
            type=int,
            default=1,
            help="chunks written at once, each on its own connection (default 1)",
        )

    def handle(self, *args, count: int, confirmed: bool, workers: int, **options):
        if not confirmed:
            raise CommandError("refusing without --i-know-this-is-not-production")
        if count < 1:
            raise CommandError("COUNT must be positive")
        generate_scale_data(
            count, progress=lambda line: self.stdout.write(line), workers=max(workers, 1)
        )
        self.stdout.write(self.style.SUCCESS(f"{count:,} scale applications"))
