from django.apps import AppConfig


class ApplicationsConfig(AppConfig):
    name = "apps.applications"
    verbose_name = "办件"
    default_auto_field = "django.db.models.BigAutoField"
