from django.apps import AppConfig


class PoliciesConfig(AppConfig):
    name = "apps.policies"
    verbose_name = "惠企利民政策"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # Models are loaded only now, so the hook modules are imported here.
        from apps.accounts import hooks as account_hooks
        from apps.applications import hooks as application_hooks
        from apps.policies.listeners import (
            applicant_page_flags,
            claim_panel,
            pushes_for_new_account,
            staff_page_flags,
        )

        application_hooks.register(application_hooks.applicant_panels, claim_panel)
        application_hooks.register(application_hooks.staff_panels, claim_panel)
        application_hooks.register(application_hooks.staff_page_flags, staff_page_flags)
        application_hooks.register(application_hooks.applicant_page_flags, applicant_page_flags)
        if pushes_for_new_account not in account_hooks.user_registered:
            account_hooks.user_registered.append(pushes_for_new_account)
