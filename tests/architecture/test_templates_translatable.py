"""Every Chinese text a template shows is marked for translation (issue #17): the msgid is
the Chinese, its English is in the catalogues, so translators see every string and the staff
console can get an English edition later (staff pages are served in Chinese only today).

The scan drops what is not shown (template and HTML comments) and what is already marked
(``{% blocktranslate %}…{% endblocktranslate %}``, ``{% translate "…" %}``, ``_("…")`` in a
filter argument), then reports any Han character left in the text or in a string literal of
another tag (``{{ x|default:"系统" }}``, ``{% include … with label="…" %}``).
"""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")
NOT_SHOWN = re.compile(r"{%\s*comment\s*%}.*?{%\s*endcomment\s*%}|{#.*?#}|<!--.*?-->", re.DOTALL)
# The words of a blocktranslate are marked; its opening tag may still hold a bare literal.
BLOCKTRANSLATE_BODY = re.compile(
    r"({%\s*blocktrans(?:late)?\b.*?%}).*?{%\s*endblocktrans(?:late)?\s*%}", re.DOTALL
)
TAG = re.compile(r"{%.*?%}|{{.*?}}", re.DOTALL)
TRANSLATE_TAG = re.compile(r"{%\s*trans(?:late)?\s")
MARKED_LITERAL = re.compile(r"""_\(\s*(?:"[^"]*"|'[^']*')\s*\)""")
LITERAL = re.compile(r""""[^"]*"|'[^']*'""")

# Exact texts that stay as they are, with the reason.
ALLOWED = {
    # The language switch names each language in itself (an endonym), in every edition.
    ("templates/base.html", "中文"),
    # The logo mark: one decorative character, aria-hidden, the same in every edition.
    ("templates/base.html", "政"),
    ("templates/500.html", "政"),
    # The icon glyphs of the person / company cards on the home page (aria-hidden, beside
    # the translated headings "个人办事" / "法人办事"): decoration like the logo mark, and the
    # cached fragment stays byte-identical in both editions.
    ("templates/catalogue/_home_catalogue.html", "个"),
    ("templates/catalogue/_home_catalogue.html", "企"),
}

# Templates not converted yet (none left): one added here while it is being converted leaves
# once it has no bare text (the test below fails otherwise).
PENDING: tuple[str, ...] = ()


def _templates() -> list[Path]:
    return sorted([*ROOT.glob("templates/**/*.html"), *ROOT.glob("apps/*/templates/**/*.html")])


def _blank(match: re.Match[str]) -> str:
    """Blanks a match out but keeps its newlines, so line numbers stay right."""
    return re.sub(r"[^\n]", " ", match.group(0))


def _blank_body(match: re.Match[str]) -> str:
    """Blanks a blocktranslate's words out, keeping its opening tag for the scan."""
    opening = match.group(1)
    return opening + re.sub(r"[^\n]", " ", match.group(0)[len(opening) :])


def bare_chinese(text: str) -> list[tuple[int, str]]:
    """(line, text) of every Chinese run a template shows without marking it."""
    text = NOT_SHOWN.sub(_blank, text)
    text = BLOCKTRANSLATE_BODY.sub(_blank_body, text)
    found: list[tuple[int, str]] = []

    def literal_in_tag(match: re.Match[str]) -> str:
        tag = match.group(0)
        if not TRANSLATE_TAG.match(tag):
            for literal in LITERAL.finditer(MARKED_LITERAL.sub(" ", tag)):
                for run in HAN.finditer(literal.group(0)):
                    found.append((match.start(), run.group(0)))
        return _blank(match)

    text = TAG.sub(literal_in_tag, text)
    found += [(m.start(), m.group(0)) for m in HAN.finditer(text)]
    return sorted((text.count("\n", 0, offset) + 1, run) for offset, run in found)


def _findings() -> dict[str, list[tuple[int, str]]]:
    result = {}
    for path in _templates():
        name = str(path.relative_to(ROOT))
        runs = [
            (line, run)
            for line, run in bare_chinese(path.read_text(encoding="utf-8"))
            if (name, run) not in ALLOWED
        ]
        if runs:
            result[name] = runs
    return result


def test_every_chinese_text_of_a_template_is_translatable():
    found = [
        f"{name}:{line}: {run}"
        for name, runs in _findings().items()
        if name not in PENDING
        for line, run in runs
    ]
    assert found == [], "bare Chinese, mark it with {% translate %}:\n" + "\n".join(found)


def test_pending_templates_still_have_bare_text():
    """A converted template leaves PENDING, so the list cannot outlive its reason."""
    findings = _findings()
    done = [name for name in PENDING if name not in findings]
    assert done == [], f"no bare Chinese left: remove from PENDING: {done}"


def test_every_allowed_exception_is_still_there():
    present = {
        (str(path.relative_to(ROOT)), run)
        for path in _templates()
        for _, run in bare_chinese(path.read_text(encoding="utf-8"))
    }
    assert ALLOWED - present == set()


def test_the_scan_finds_bare_text_and_passes_marked_text():
    template = (
        "{% load i18n %}{# 注释 #}{% comment %}说明{% endcomment %}<!-- 备注 -->\n"
        '<p>{% translate "已标记" %}</p><p>{% translate "事项" context "timeline" %}</p>\n'
        "{% blocktranslate with n=count %}共 {{ n }} 件{% endblocktranslate %}\n"
        '<td>{{ actor|default:_("系统") }}</td>\n'
        "<h2>未标记</h2>\n"
        '<td>{{ actor|default:"系统" }}</td>\n'
        '{% blocktranslate with d=day|date:"Y年n月" %}{{ d }}{% endblocktranslate %}\n'
        '<input placeholder="请输入">\n'
    )
    assert bare_chinese(template) == [
        (5, "未标记"),
        (6, "系统"),
        (7, "年"),
        (7, "月"),
        (8, "请输入"),
    ]
