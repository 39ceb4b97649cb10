from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "apps.notifications"
    verbose_name = "消息通知"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # Models are loaded only now, so the hook modules are imported here.
        from apps.accounts import hooks
        from apps.notifications import receivers
        from apps.notifications.welcome import welcome_on_commit

        receivers.connect()

        if welcome_on_commit not in hooks.user_registered:
            hooks.user_registered.append(welcome_on_commit)
