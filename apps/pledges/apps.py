from django.apps import AppConfig


class PledgesConfig(AppConfig):
    name = "apps.pledges"
    verbose_name = "告知承诺制"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # The hook modules read models, so they are imported once the registry is loaded.
        from apps.pledges import integrations

        integrations.register()
