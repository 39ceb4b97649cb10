"""Seed every year the installed chinesecalendar package knows (2004–2026 in 1.11)."""

from django.db import migrations


def seed(apps, schema_editor):
    from apps.workdays.package import package_years, sync_from_package

    sync_from_package(
        day_model=apps.get_model("workdays", "CalendarDay"),
        year_model=apps.get_model("workdays", "CalendarYear"),
        years=package_years(),
    )


class Migration(migrations.Migration):
    dependencies = [("workdays", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
