"""What people read carries no rule ids, and every message goes through gettext.

DOMAIN rule ids (A5, C7 …) belong in code, tests and commits. This scans the message
arguments of the domain errors, form errors and flash messages in apps/, and the admin
templates, for an id or an untranslated Chinese literal.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CJK = re.compile(r"[\u4e00-\u9fff]")
RULE_ID = re.compile(r"[（(]\s*(?:[ACTPRHSQ]|PO)\d+[a-z]?(?:\(\d\))?\s*[，,、）)]")
GETTEXT = {"_", "gettext", "gettext_lazy", "ngettext", "pgettext"}
MESSAGE_CALLS = re.compile(
    r"(Error|ValidationError|success|warning|error|info|message_user|add_error)$"
)


def _call_name(node: ast.Call) -> str:
    func = node.func
    if isinstance(func, ast.Attribute) and getattr(func.value, "id", "") == "logger":
        return "logger"  # log lines are for operators, in English
    return func.id if isinstance(func, ast.Name) else getattr(func, "attr", "")


def _message_literals(path: Path):
    tree = ast.parse(path.read_text())
    parents = {child: node for node in ast.walk(tree) for child in ast.iter_child_nodes(node)}
    for node in ast.walk(tree):
        if not (isinstance(node, ast.Constant) and isinstance(node.value, str)):
            continue
        calls, parent = [], parents.get(node)
        while parent is not None:
            if isinstance(parent, ast.Call):
                calls.append(_call_name(parent))
            parent = parents.get(parent)
        if any(MESSAGE_CALLS.search(name) for name in calls):
            yield node.lineno, node.value, any(name in GETTEXT for name in calls)


def _app_modules() -> list[Path]:
    return [
        p
        for p in sorted((ROOT / "apps").rglob("*.py"))
        if "migrations" not in p.parts
        and "management" not in p.parts  # operators' command-line output
    ]


def test_messages_carry_no_rule_ids():
    found = [
        f"{path.relative_to(ROOT)}:{line}: {text}"
        for path in _app_modules()
        for line, text, _wrapped in _message_literals(path)
        if RULE_ID.search(text)
    ]
    found += [
        f"{path.relative_to(ROOT)}: {match.group(0)}"
        for path in sorted((ROOT / "templates").rglob("*.html"))
        for match in RULE_ID.finditer(re.sub(r"{#.*?#}", "", path.read_text()))
    ]
    assert found == []


def test_messages_in_chinese_go_through_gettext():
    untranslated = [
        f"{path.relative_to(ROOT)}:{line}: {text}"
        for path in _app_modules()
        for line, text, wrapped in _message_literals(path)
        if CJK.search(text) and not wrapped
    ]
    assert untranslated == []
