from django.apps import AppConfig


class DocumentsConfig(AppConfig):
    name = "apps.documents"
    verbose_name = "电子文书"
    default_auto_field = "django.db.models.BigAutoField"
