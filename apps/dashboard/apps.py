from django.apps import AppConfig


class DashboardConfig(AppConfig):
    name = "apps.dashboard"
    verbose_name = "监督管理驾驶舱"
    default_auto_field = "django.db.models.BigAutoField"
