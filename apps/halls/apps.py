from django.apps import AppConfig


class HallsConfig(AppConfig):
    name = "apps.halls"
    verbose_name = "政务服务大厅"
    default_auto_field = "django.db.models.BigAutoField"
