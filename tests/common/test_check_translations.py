"""The translations check of `make lint` (issue #17): what it counts as missing or fuzzy."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
_spec = importlib.util.spec_from_file_location(
    "check_translations", ROOT / "bin" / "check_translations.py"
)
assert _spec is not None and _spec.loader is not None
check = importlib.util.module_from_spec(_spec)
sys.modules[_spec.name] = check  # dataclasses look their module up
_spec.loader.exec_module(check)

PO = r"""
msgid ""
msgstr ""
"Content-Type: text/plain; charset=UTF-8\n"
"Plural-Forms: nplurals=2; plural=(n != 1);\n"

#: templates/base.html:11
msgid "跳到主要内容"
msgstr "Skip to main content"

#: apps/halls/views/public.py:3 templates/halls/list.html:2
#, fuzzy
msgid "政务服务大厅"
msgstr "Government service halls"

#: apps/halls/views/public.py:9
msgid "取号"
msgstr ""

#: templates/catalogue/search.html:22
#, python-format
msgid "找到 %(n)s 个事项"
msgid_plural "找到 %(n)s 个事项"
msgstr[0] "%(n)s service found"
msgstr[1] ""

#: apps/catalogue/views.py:1
msgid ""
"第一行\n"
"第二行"
msgstr ""
"First line\n"
"Second line"

#~ msgid "旧的"
#~ msgstr "Old"
"""


def test_entries_are_read_with_their_flags_plurals_and_continuations():
    entries = check.parse_po(PO)
    assert [e.msgid for e in entries] == [
        "",
        "跳到主要内容",
        "政务服务大厅",
        "取号",
        "找到 %(n)s 个事项",
        "第一行\n第二行",
    ]  # the obsolete entry is left out
    header, skip, halls, number, found, lines = entries
    assert header.is_header and not header.flags
    assert skip.translated and skip.refs == ["templates/base.html:11"]
    assert "fuzzy" in halls.flags
    assert not number.translated
    assert not found.translated  # one plural form missing is missing
    assert lines.msgstr[0] == "First line\nSecond line" and lines.translated
