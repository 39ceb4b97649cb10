from django.apps import AppConfig


class CatalogueConfig(AppConfig):
    name = "apps.catalogue"
    verbose_name = "政务服务事项目录"

    def ready(self) -> None:
        from apps.catalogue import receivers

        receivers.connect()
