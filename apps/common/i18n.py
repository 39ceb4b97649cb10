"""The English edition (issue #17): which address serves which language.

The URL prefix decides: ``/en/…`` is English, an unprefixed address is Chinese whatever the
browser's Accept-Language says (LocaleMiddleware does that with
``i18n_patterns(prefix_default_language=False)``). A visitor who chose English with the
header's switch (Django's ``set_language``, which sets the language cookie) is sent to the
English address of an unprefixed public page they open later, e.g. the bare home page.
Staff pages stay Chinese: under ``/en/`` they redirect to their Chinese address.
"""

from __future__ import annotations

from collections.abc import Callable
from fnmatch import fnmatchcase

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import translate_url
from django.utils.translation import (
    check_for_language,
    get_language,
    get_language_from_path,
    override,
)

ADMIN_NAMESPACE = "admin"
# The value of <html lang> for each edition (BCP 47).
HTML_LANG = {"zh-hans": "zh-CN", "en": "en"}


def record_language() -> override:
    """The language of the official record: timeline rows, documents, messages and SMS are
    written in Chinese even when the citizen acts from an English page (the English edition
    translates the pages, not the record). Errors raised to the citizen before the record is
    written stay in the page's language."""
    return override(settings.LANGUAGE_CODE)


def is_staff_url_name(view_name: str | None) -> bool:
    return bool(view_name) and any(
        fnmatchcase(view_name, pattern) for pattern in settings.STAFF_URL_NAMES
    )


def other_edition_url(request: HttpRequest, language: str) -> str | None:
    """The address of the current page in ``language``, or None when the page has no other
    edition (staff pages, the API, pages outside the i18n patterns)."""
    match = getattr(request, "resolver_match", None)
    # The admin site lies outside the i18n patterns: translating its address (a resolve and
    # a reverse on every console page) could only give it back unchanged.
    if match is None or ADMIN_NAMESPACE in match.namespaces or is_staff_url_name(match.view_name):
        return None
    current = request.get_full_path()
    target = translate_url(current, language)
    return target if target != current else None


class LanguageEditionMiddleware:
    """Redirects a staff page asked for under a language prefix to its Chinese address, and
    an unprefixed public page to the edition the visitor chose with the switch (GET and
    HEAD only: a form posted keeps its address)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(
        self, request: HttpRequest, view_func: object, view_args: object, view_kwargs: object
    ) -> HttpResponse | None:
        match = request.resolver_match
        if match is None or request.method not in ("GET", "HEAD"):
            return None
        prefixed = get_language_from_path(request.path_info)
        full_path = request.get_full_path()
        if is_staff_url_name(match.view_name):
            if prefixed and prefixed != settings.LANGUAGE_CODE:
                target = translate_url(full_path, settings.LANGUAGE_CODE)
                if target != full_path:
                    return HttpResponseRedirect(target)
            return None
        if prefixed:
            return None
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        if (
            chosen in dict(settings.LANGUAGES)
            and chosen != get_language()
            and check_for_language(chosen)
        ):
            target = translate_url(full_path, chosen)
            if target != full_path:
                return HttpResponseRedirect(target)
        return None
