"""Staff sessions end after inactivity and when the browser closes (issue 16; GB/T 22239
session management). Citizens keep the normal session.

A staff session's cookie carries no Max-Age/Expires (it dies with the browser), and a staff
session not used for ``STAFF_SESSION_IDLE_MINUTES`` is ended on its next request: a page is
sent to the staff login with the page to return to, an API call continues as anonymous (and
is refused like any unsigned request).
"""

from __future__ import annotations

import time
from collections.abc import Callable

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from apps.accounts.models import User

LAST_SEEN = "_staff_last_seen"
# The last-seen time is refreshed when this share of the idle limit has passed (a minute of
# the default 30), not on every request: a session write per page would cost queries.
TOUCH_SHARE = 30


def is_staff_account(user) -> bool:
    return bool(
        user is not None
        and user.is_authenticated
        and (user.is_staff or getattr(user, "kind", "") == User.Kind.STAFF)
    )


def start_staff_session(session, user) -> None:
    """A staff member's session: a browser session (no Max-Age/Expires on its cookie) whose
    idle clock starts now. Citizens' sessions are left as they are."""
    if is_staff_account(user):
        session.set_expiry(0)
        session[LAST_SEEN] = int(time.time())


class StaffSessionMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        now = int(time.time())
        idle_limit = settings.STAFF_SESSION_IDLE_MINUTES * 60
        if is_staff_account(getattr(request, "user", None)):
            last_seen = request.session.get(LAST_SEEN)
            if last_seen is not None and now - int(last_seen) > idle_limit:
                logout(request)
                if not request.path_info.startswith("/api/"):
                    messages.info(
                        request, _("您已较长时间未操作，为保护数据安全已自动退出，请重新登录。")
                    )
                    login = reverse("staff-login")
                    return redirect(f"{login}?{urlencode({'next': request.get_full_path()})}")
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if is_staff_account(user) and hasattr(request, "session"):
            session = request.session
            last_seen = session.get(LAST_SEEN)
            if last_seen is None or session.get("_session_expiry") != 0:
                start_staff_session(session, user)  # a session older than this rule
            elif now - int(last_seen) >= idle_limit // TOUCH_SHARE:
                session[LAST_SEEN] = now
        return response
