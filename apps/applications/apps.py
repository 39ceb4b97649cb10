from django.apps import AppConfig


class ApplicationsConfig(AppConfig):
    name = "apps.applications"
    verbose_name = "办件"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from apps.applications.selectors import application_counts_by_item
        from apps.catalogue.hooks import register_demand_source

        # Search ranks more-applied-for items first (the catalogue cannot count them).
        register_demand_source(application_counts_by_item)
