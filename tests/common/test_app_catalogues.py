"""English edition (issue #17): the apps that keep their own catalogue
(``apps/<app>/locale/en``) translate every message their Python code marks.

``make lint`` compares the catalogues with a fresh ``makemessages``; this test proves the
compiled ``.mo`` files are the ones Django loads, by asking Django for each msgid in English.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest
from django.utils import translation

ROOT = Path(__file__).resolve().parents[2]
APPS_WITH_OWN_CATALOGUE = (
    "tolerance",
    "pledges",
    "reviews",
    "hotline",
    "policies",
    "halls",
    "dashboard",
    "assistant",
    "workdays",
    "notifications",
)
CJK = re.compile(r"[\u4e00-\u9fff]")
GETTEXT = {"_", "gettext", "gettext_lazy", "_lazy"}


def _msgids(app: str) -> set[str]:
    found = set()
    for path in (ROOT / "apps" / app).rglob("*.py"):
        if "migrations" in path.parts:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not (isinstance(node, ast.Call) and len(node.args) == 1):
                continue
            func = node.func
            name = func.id if isinstance(func, ast.Name) else getattr(func, "attr", "")
            arg = node.args[0]
            literal = arg.value if isinstance(arg, ast.Constant) else None
            if name in GETTEXT and isinstance(literal, str) and CJK.search(literal):
                found.add(literal)
    return found


@pytest.mark.parametrize("app", APPS_WITH_OWN_CATALOGUE)
def test_every_marked_message_of_the_app_reads_in_english(app):
    msgids = _msgids(app)
    assert msgids, f"no gettext messages found in apps/{app}"
    with translation.override("en"):
        untranslated = sorted(m for m in msgids if CJK.search(translation.gettext(m)))
    assert untranslated == []


def test_the_chinese_edition_is_unchanged():
    with translation.override("zh-hans"):
        assert translation.gettext("没有未读消息。") == "没有未读消息。"
    with translation.override("en"):
        assert translation.gettext("没有未读消息。") == "You have no unread messages."
