from django.apps import AppConfig


class ApplicationsConfig(AppConfig):
    name = "apps.applications"
    verbose_name = "办件"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # Models are loaded only now, so the hook modules are imported here.
        from apps.applications.selectors import application_counts_by_item
        from apps.catalogue import hooks

        # Search ranks more-applied-for items first (the catalogue cannot count them).
        hooks.register(hooks.demand_sources, application_counts_by_item)
