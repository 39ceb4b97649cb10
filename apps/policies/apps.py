from django.apps import AppConfig


class PoliciesConfig(AppConfig):
    name = "apps.policies"
    verbose_name = "惠企利民政策"
    default_auto_field = "django.db.models.BigAutoField"
