"""No inline code in templates (issue 16): the Content-Security-Policy allows scripts and
styles from the portal's own files only, so an inline ``<script>``, ``<style>``, ``style="…"``
attribute or ``on…=`` handler would be refused by the browser. This catches a new one before
the browser test (tests/e2e/test_content_security_policy.py) does."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
TEMPLATE_COMMENTS = re.compile(
    r"{%\s*comment\s*%}.*?{%\s*endcomment\s*%}|{#.*?#}|<!--.*?-->", re.DOTALL
)
# A <script> that runs (no src, not a JSON data island) and any <style> element.
INLINE_SCRIPT = re.compile(r"<script\b(?![^>]*\bsrc=)(?![^>]*application/(ld\+)?json)[^>]*>", re.I)
STYLE_ELEMENT = re.compile(r"<style\b", re.IGNORECASE)
STYLE_ATTRIBUTE = re.compile(r"<[a-z][^>]*\sstyle\s*=", re.IGNORECASE)
HANDLER_ATTRIBUTE = re.compile(r"<[a-z][^>]*\son[a-z]+\s*=", re.IGNORECASE)
JAVASCRIPT_URL = re.compile(r"""(href|src|action)\s*=\s*["']\s*javascript:""", re.IGNORECASE)


def _templates() -> list[Path]:
    return sorted([*ROOT.glob("templates/**/*.html"), *ROOT.glob("apps/*/templates/**/*.html")])


def test_no_template_has_inline_scripts_styles_or_handlers():
    found = []
    for path in _templates():
        text = TEMPLATE_COMMENTS.sub(" ", path.read_text(encoding="utf-8"))
        for name, pattern in (
            ("inline <script>", INLINE_SCRIPT),
            ("<style> element", STYLE_ELEMENT),
            ("style attribute", STYLE_ATTRIBUTE),
            ("on… handler", HANDLER_ATTRIBUTE),
            ("javascript: URL", JAVASCRIPT_URL),
        ):
            for match in pattern.finditer(text):
                line = text.count("\n", 0, match.start()) + 1
                found.append(f"{path.relative_to(ROOT)}:{line}: {name}")
    assert found == [], "\n".join(found)


def test_the_scan_finds_what_it_looks_for():
    """The patterns are not vacuous: each finds its sample."""
    assert INLINE_SCRIPT.search("<script>alert(1)</script>")
    assert not INLINE_SCRIPT.search('<script src="/static/js/portal.js" defer></script>')
    assert STYLE_ELEMENT.search("<style>p{}</style>")
    assert STYLE_ATTRIBUTE.search('<span style="width: 5%">')
    assert HANDLER_ATTRIBUTE.search('<button type="button" onclick="window.print()">')
    assert not HANDLER_ATTRIBUTE.search('<button type="button" data-print>')
    assert JAVASCRIPT_URL.search('<a href="javascript:void(0)">')
