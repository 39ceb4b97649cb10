from django.apps import AppConfig


class ReviewsConfig(AppConfig):
    name = "apps.reviews"
    verbose_name = "好差评"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from apps.reviews import integrations

        integrations.register()
