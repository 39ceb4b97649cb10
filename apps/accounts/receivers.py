"""Technical listeners of the accounts app (no business rules here).

A staff member's session is made a browser session, with its idle clock started, in the
same save that signs them in (``user_logged_in``): the first page after signing in does not
write the session again. ``apps.accounts.middleware`` keeps the clock running and ends it.
"""

from __future__ import annotations

from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver

from apps.accounts.middleware import start_staff_session


@receiver(user_logged_in, dispatch_uid="accounts.staff_session_on_login")
def staff_session_on_login(sender, request, user, **kwargs) -> None:
    if request is not None and hasattr(request, "session"):
        start_staff_session(request.session, user)
