from django.apps import AppConfig


class ToleranceConfig(AppConfig):
    name = "apps.tolerance"
    verbose_name = "容缺受理"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # Models are loaded only now, so the hook registrations are imported here.
        from apps.tolerance import integrations

        integrations.register()
