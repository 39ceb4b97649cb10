from django.apps import AppConfig


class ApplicationsConfig(AppConfig):
    name = "apps.applications"
    verbose_name = "办件"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # Imported here, as Django requires for code that needs the app registry loaded.
        from apps.applications.selectors import application_counts_by_item
        from apps.applications.services.calendar_sync import (
            LISTENER_NAME,
            application_deadlines_follow_calendar,
        )
        from apps.catalogue import hooks as catalogue_hooks
        from apps.workdays.hooks import register_calendar_changed

        # DOMAIN A7: stored deadlines follow the working-day calendar when it changes.
        register_calendar_changed(LISTENER_NAME, application_deadlines_follow_calendar)
        # Search ranks more-applied-for items first (the catalogue cannot count them).
        catalogue_hooks.register(catalogue_hooks.demand_sources, application_counts_by_item)
