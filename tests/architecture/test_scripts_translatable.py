"""Every Chinese text our JavaScript shows goes through the JavaScript catalogue (issue #16):
``gettext("…")`` / ``ngettext("…", "…", n)`` with ``interpolate`` for values, the English in
``locale/en/LC_MESSAGES/djangojs.po`` (``bin/check_translations.py`` holds it complete), served
per language by ``/jsi18n/``. And every template that loads such a script loads the catalogue
before it, so ``gettext`` is defined when the script runs.
"""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")
COMMENT = re.compile(r"/\*.*?\*/|(?<![:\"'])//[^\n]*", re.DOTALL)
MARKED = re.compile(r"""\b(?:gettext|ngettext)\(\s*(?:"[^"]*"\s*,?\s*)+""")
CATALOGUE_TAG = "{% url 'javascript-catalog' %}"


def _scripts() -> list[Path]:
    return sorted(p for p in (ROOT / "static").rglob("*.js") if "vendor" not in p.parts)


def _bare_chinese(source: str) -> list[str]:
    shown = MARKED.sub("", COMMENT.sub("", source))
    return HAN.findall(shown)


def test_scripts_show_no_bare_chinese():
    found = {
        str(path.relative_to(ROOT)): bare
        for path in _scripts()
        if (bare := _bare_chinese(path.read_text(encoding="utf-8")))
    }
    assert found == {}


def test_the_scan_finds_a_bare_string_and_passes_a_marked_one():
    assert _bare_chinese('el("p", "暂无数据"); // 注释') == ["暂无数据"]
    assert _bare_chinese('el("p", gettext("暂无数据")); /* 注释 */') == []
    assert _bare_chinese('ngettext("共 %(n)s 件", "共 %(n)s 件", n)') == []


def test_templates_load_the_catalogue_before_a_translated_script():
    translated = {
        str(path.relative_to(ROOT / "static"))
        for path in _scripts()
        if "gettext(" in path.read_text(encoding="utf-8")
    }
    assert translated, "no script uses the catalogue: the scan is looking in the wrong place"
    templates = [*ROOT.glob("templates/**/*.html"), *ROOT.glob("apps/*/templates/**/*.html")]
    missing = []
    for template in templates:
        text = template.read_text(encoding="utf-8")
        for script in translated:
            at = text.find(f"{{% static '{script}' %}}")
            if at >= 0 and not 0 <= text.find(CATALOGUE_TAG) < at:
                missing.append(f"{template.relative_to(ROOT)}: {script}")
    assert missing == []
