from django.apps import AppConfig

from apps.common.local_folders import ensure_embedded_folders


class CommonConfig(AppConfig):
    name = "apps.common"
    verbose_name = "公共"

    def ready(self) -> None:
        # Every process (web, manage.py, Celery worker and beat) loads the apps before it
        # opens the database or the broker; a fresh clone has neither folder yet.
        ensure_embedded_folders()
