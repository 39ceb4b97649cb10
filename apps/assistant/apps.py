from django.apps import AppConfig


class AssistantConfig(AppConfig):
    name = "apps.assistant"
    verbose_name = "智能问答与预审"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from apps.assistant import integrations

        integrations.register()
