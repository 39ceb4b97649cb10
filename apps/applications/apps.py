from django.apps import AppConfig


class ApplicationsConfig(AppConfig):
    name = "apps.applications"
    verbose_name = "办件"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # Imported here, as Django requires for code that needs the app registry loaded.
        from apps.applications import hooks
        from apps.applications.selectors import application_counts_by_item
        from apps.applications.services.bundle_release import on_member_closed
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
        # C8: a 一件事's later stage goes to intake when the earlier one is approved (the
        # listener ends cases through close_case, which therefore cannot call it directly).
        hooks.register(hooks.case_closed_listeners, on_member_closed)
