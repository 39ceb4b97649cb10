from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest
from django.utils.translation import get_language

from apps.common.i18n import HTML_LANG, other_edition_url

ACCESSIBILITY_COOKIE = "a11y"


def portal(request: HttpRequest) -> dict[str, object]:
    """Site-wide values for the shell: portal name, hotline, 适老化 mode, and the address of
    the page in the other language (None on pages with one edition, e.g. staff pages)."""
    language = get_language() or settings.LANGUAGE_CODE
    english = language == "en"
    other = settings.LANGUAGE_CODE if english else "en"
    return {
        "PORTAL_NAME": settings.PORTAL_NAME_EN if english else settings.PORTAL_NAME,
        "HOTLINE_NUMBER": settings.HOTLINE_NUMBER,
        "accessible_mode": request.COOKIES.get(ACCESSIBILITY_COOKIE) == "1",
        "html_lang": HTML_LANG.get(language, language),
        "english_edition": english,
        "other_edition": other,
        "other_edition_url": other_edition_url(request, other),
    }
