from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "apps.accounts"
    verbose_name = "账户与部门"

    def ready(self) -> None:
        from apps.accounts import (
            receivers,  # noqa: F401  (connects the session and access listeners)
            services,
        )
        from apps.common import hooks

        hooks.accessible_mode_savers.append(services.user_accessible_mode_set)
