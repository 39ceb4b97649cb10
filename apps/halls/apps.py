from django.apps import AppConfig


class HallsConfig(AppConfig):
    name = "apps.halls"
    verbose_name = "政务服务大厅"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # Models are loaded only now, so the hook modules are imported here.
        from apps.applications import hooks as application_hooks
        from apps.catalogue import hooks as catalogue_hooks
        from apps.halls import receivers
        from apps.halls.integrations import (
            assistance_applicant_panel,
            assistance_staff_panel,
            intake_departments,
            item_panel,
            staff_page_flags,
        )
        from apps.halls.services.hand_outs import on_case_closed

        receivers.connect()

        catalogue_hooks.register(catalogue_hooks.item_page_panels, item_panel)
        application_hooks.register(application_hooks.intake_departments, intake_departments)
        application_hooks.register(application_hooks.applicant_panels, assistance_applicant_panel)
        application_hooks.register(application_hooks.staff_panels, assistance_staff_panel)
        application_hooks.register(application_hooks.staff_page_flags, staff_page_flags)
        # A11 综合窗口出件: a case taken in at a comprehensive window comes back there.
        application_hooks.register(application_hooks.case_closed_listeners, on_case_closed)
