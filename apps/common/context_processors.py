from __future__ import annotations

from functools import lru_cache

from django.conf import settings
from django.http import HttpRequest
from django.urls import get_script_prefix, get_urlconf, reverse
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
        "shell_urls": _shell_urls(language, get_script_prefix(), get_urlconf()),
    }


# The addresses base.html links to on every page, by the name it uses for each.
_SHELL_URLS = {
    "accessibility": ("accessibility", ()),
    "set_language": ("set_language", ()),
    "inbox": ("notifications:list", ()),
    "logout": ("accounts:logout", ()),
    "login": ("accounts:login", ()),
    "register": ("accounts:register", ()),
    "home": ("home", ()),
    "person": ("catalogue:audience", ("person",)),
    "company": ("catalogue:audience", ("company",)),
    "policies": ("policies:list", ()),
    "mine": ("applications:list", ()),
    "my_policies": ("policies:mine", ()),
}


@lru_cache(maxsize=32)
def _shell_urls(language: str, script_prefix: str, urlconf: str | None) -> dict[str, str]:
    """base.html's links, reversed once per language, script prefix and URLconf (issue 16:
    a dozen ``{% url %}`` tags on every page); the arguments are what ``reverse`` reads
    besides the URL patterns, which do not change while the process runs."""
    return {key: reverse(name, args=args) for key, (name, args) in _SHELL_URLS.items()}
