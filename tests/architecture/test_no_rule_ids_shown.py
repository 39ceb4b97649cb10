"""Users never see rule ids (issue #8): no DOMAIN id (A4a, C8, T1, …) in the words of a
template or in a Chinese string of the code (labels, messages, choices, errors).

Comments, docstrings and template comments may cite rules; what renders may not.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
# The DOMAIN rule ids: a family letter and a number, maybe a letter (A4a, P3a).
RULE_ID = re.compile(r"(?<![A-Za-z0-9_#./-])[ACHPQRST]\d{1,2}[a-z]?(?![A-Za-z0-9_])")
CJK = re.compile(r"[\u4e00-\u9fff]")
TEMPLATE_COMMENTS = re.compile(
    r"{%\s*comment\s*%}.*?{%\s*endcomment\s*%}|{#.*?#}|<!--.*?-->", re.DOTALL
)
# Inline scripts and styles are code, not words.
CODE_BLOCKS = re.compile(r"<(script|style)\b.*?</\1>", re.DOTALL | re.IGNORECASE)
TAGS = re.compile(r"{%.*?%}|{{.*?}}", re.DOTALL)


def _templates() -> list[Path]:
    return sorted([*ROOT.glob("templates/**/*.html"), *ROOT.glob("apps/*/templates/**/*.html")])


def _shown_text(path: Path) -> str:
    text = TEMPLATE_COMMENTS.sub(" ", path.read_text(encoding="utf-8"))
    text = CODE_BLOCKS.sub(" ", text)
    # Words inside {% translate "…" %} are shown; variable names and tag syntax are not.
    words = " ".join(re.findall(r'"([^"]*)"', " ".join(TAGS.findall(text))))
    return TAGS.sub(" ", text) + " " + words


def test_no_template_shows_a_rule_id():
    found = [
        f"{path.relative_to(ROOT)}: {match.group(0)}"
        for path in _templates()
        for match in RULE_ID.finditer(_shown_text(path))
    ]
    assert found == []


def _docstrings(tree: ast.AST) -> set[int]:
    ids = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef):
            body = node.body
            if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
                ids.add(id(body[0].value))
    return ids


def _chinese_strings(path: Path):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    skip = _docstrings(tree)
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Constant)
            and isinstance(node.value, str)
            and id(node) not in skip
            and CJK.search(node.value)
        ):
            yield node.lineno, node.value


def test_no_chinese_string_in_the_code_carries_a_rule_id():
    """Labels, choices, messages and errors are the Chinese strings of the apps."""
    found = []
    for path in sorted(ROOT.glob("apps/**/*.py")):
        if "migrations" in path.parts:
            continue
        for line, value in _chinese_strings(path):
            for match in RULE_ID.finditer(value):
                found.append(f"{path.relative_to(ROOT)}:{line}: {match.group(0)} in {value!r}")
    assert found == []


def test_the_scan_finds_a_rule_id_where_one_would_show(tmp_path):
    page = tmp_path / "page.html"
    page.write_text(
        '{# A5 cited in a comment #}<p>{% translate "一次性告知（A5）" %}</p>', encoding="utf-8"
    )
    assert [m.group(0) for m in RULE_ID.finditer(_shown_text(page))] == ["A5"]
