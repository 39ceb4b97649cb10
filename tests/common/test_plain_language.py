"""Plain language for citizens (issue #17; DOMAIN Q1): what a citizen reads is short, says
what to do next, and shows no rule id (A5, PO3 …) and no internal state code (``draft``,
``pending_review`` …).

The test lists every translatable citizen-facing message: the msgids of the citizen-facing
templates (everything under ``templates/`` and the apps' own templates except the staff
console, the supervisors' dashboard and the window desk) and the messages of the errors the
services raise (``ApplicationError`` and its subclasses, ``ValidationError``), then flags
any with a rule id, a raw state code, or past the length limit.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

from django.apps import apps as django_apps
from django.db import models

ROOT = Path(__file__).resolve().parents[2]
# Characters a reader reads (placeholders and tags not counted). Chinese carries about three
# times the meaning per character of English: an error is one or two short sentences, a help
# text on a page at most three.
MAX_ERROR_LENGTH = 60
MAX_PAGE_TEXT_LENGTH = 80

# A DOMAIN rule id as a standalone token: a family and a number, maybe a letter (A4a, PO3).
RULE_ID = re.compile(r"(?<![A-Za-z0-9_#./%-])(?:PO|[ACHPQRST])\d{1,2}[a-z]?(?![A-Za-z0-9_])")
SNAKE_CASE = re.compile(r"(?<![A-Za-z0-9_./%-])[a-z]+(?:_[a-z0-9]+)+(?![A-Za-z0-9_])")
WORD = re.compile(r"(?<![A-Za-z0-9_./%@-])[a-z]+(?![A-Za-z0-9_./@-])")
# What a reader never sees literally: placeholders, template variables, HTML tags.
PLACEHOLDERS = re.compile(r"%\([^)]*\)[sdif]|%[sdif]|\{\{.*?\}\}|\{[A-Za-z_0-9]*\}|<[^>]+>", re.S)

# Staff-only templates: the admin console, the supervisors' dashboard, the window desk, the
# hard-case window, the staff figures and work lists, the operators' intake box.
STAFF_PARTS = {"admin", "dashboard"}
STAFF_TEMPLATES = {
    "accounts/admin_reveal.html",
    "assistant/_intake_box.html",
    "assistant/worklist.html",
    "halls/desk.html",
    "halls/my_windows.html",
    "halls/hard_case.html",
    "halls/hard_case_new.html",
    "halls/hard_cases.html",
    "tolerance/figures.html",
}

# Long help texts kept whole on purpose: each is a legal or procedural text the citizen
# must read in full before signing or submitting, and splitting it would lose its sense.
LONG_ALLOWED: set[str] = set()


TRANS = re.compile(r"{%\s*(?:translate|trans)\s+(?P<q>[\"'])(?P<msg>.*?)(?P=q)[^%]*%}", re.S)
BLOCK = re.compile(
    r"{%\s*(?:blocktranslate|blocktrans)\b[^%]*%}(?P<msg>.*?){%\s*(?:endblocktranslate|endblocktrans)\s*%}",
    re.S,
)
INLINE = re.compile(r"\b_\((?P<q>[\"'])(?P<msg>.*?)(?P=q)\)")
TEMPLATE_COMMENTS = re.compile(r"{%\s*comment\s*%}.*?{%\s*endcomment\s*%}|{#.*?#}", re.S)
GETTEXT = {"_", "gettext", "gettext_lazy", "ngettext", "ngettext_lazy", "pgettext", "pgettext_lazy"}


def _citizen_templates() -> list[Path]:
    found = []
    for base in [ROOT / "templates", *sorted(ROOT.glob("apps/*/templates"))]:
        for path in sorted(base.rglob("*.html")):
            relative = path.relative_to(base)
            if STAFF_PARTS & set(relative.parts) or relative.as_posix() in STAFF_TEMPLATES:
                continue
            found.append(path)
    return found


def _template_messages(path: Path):
    text = TEMPLATE_COMMENTS.sub(" ", path.read_text(encoding="utf-8"))
    for pattern in (TRANS, BLOCK, INLINE):
        for match in pattern.finditer(text):
            for part in re.split(r"{%\s*plural\s*%}", match.group("msg")):
                yield " ".join(part.split())


def _gettext_literals(node: ast.AST):
    for inner in ast.walk(node):
        if not isinstance(inner, ast.Call):
            continue
        func = inner.func
        name = func.id if isinstance(func, ast.Name) else getattr(func, "attr", "")
        if name in GETTEXT:
            for arg in inner.args:
                if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
                    yield arg.value


FLASH_CALLS = {"success", "error", "warning", "info", "add_message", "add_error"}


def _error_messages(path: Path):
    """The gettext messages a citizen is told: ``raise XError(_("…"))``, a form's
    ``add_error(…, _("…"))`` and a flash message ``messages.success(request, _("…"))``."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.Raise) and isinstance(node.exc, ast.Call):
            func = node.exc.func
            name = func.id if isinstance(func, ast.Name) else getattr(func, "attr", "")
            if name.endswith("Error"):
                yield from _gettext_literals(node.exc)
        elif (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr in FLASH_CALLS
        ):
            yield from _gettext_literals(node)


# Not for citizens: operators' commands, the staff console, the catalogue import (staff), and
# the Open311 API, whose errors name the GeoReport v2 parameters for the developers calling it.
SKIPPED_PARTS = {"migrations", "management", "tests", "open311", "transfer"}


def _service_modules() -> list[Path]:
    return [
        p
        for p in sorted((ROOT / "apps").rglob("*.py"))
        if not SKIPPED_PARTS & set(p.parts)
        and not p.name.startswith("admin")
        and "admin" not in p.parent.name
    ]


def citizen_messages() -> dict[str, tuple[int, set[str]]]:
    """Every citizen-facing msgid, with its length limit and where it is used."""
    found: dict[str, tuple[int, set[str]]] = {}
    sources = [
        (MAX_PAGE_TEXT_LENGTH, path, _template_messages(path)) for path in _citizen_templates()
    ]
    sources += [(MAX_ERROR_LENGTH, path, _error_messages(path)) for path in _service_modules()]
    for limit, path, messages in sources:
        for message in messages:
            old_limit, where = found.get(message, (limit, set()))
            where.add(path.relative_to(ROOT).as_posix())
            found[message] = (min(old_limit, limit), where)
    return found


def _state_codes() -> set[str]:
    codes = set()
    for model in django_apps.get_models():
        for field in model._meta.get_fields():
            for value, _label in getattr(field, "flatchoices", None) or []:
                if isinstance(value, str) and re.fullmatch(r"[a-z]+(?:_[a-z0-9]+)*", value):
                    codes.add(value)
    for choices in _text_choices(models.TextChoices):
        codes.update(v for v in choices.values if re.fullmatch(r"[a-z]+(?:_[a-z0-9]+)*", v))
    return codes


def _text_choices(cls):
    for sub in cls.__subclasses__():
        yield sub
        yield from _text_choices(sub)


def problems(message: str, state_codes: set[str], limit: int) -> list[str]:
    found = [f"rule id {m.group(0)}" for m in RULE_ID.finditer(message)]
    words = PLACEHOLDERS.sub(" ", message)
    found += [f"state code {m.group(0)}" for m in SNAKE_CASE.finditer(words)]
    found += [
        f"state code {m.group(0)}"
        for m in WORD.finditer(words)
        if m.group(0) in state_codes and "_" not in m.group(0)
    ]
    length = len("".join(words.split()))
    if length > limit and message not in LONG_ALLOWED:
        found.append(f"{length} characters (limit {limit})")
    return found


def test_citizen_messages_are_plain():
    """Issue #17: no rule id, no raw state code, within the length limit."""
    codes = _state_codes()
    flagged = [
        f"{', '.join(sorted(where))}: {message!r}: {'; '.join(found)}"
        for message, (limit, where) in sorted(citizen_messages().items())
        if (found := problems(message, codes, limit))
    ]
    assert flagged == [], "\n".join(flagged)


def test_the_scan_flags_a_rule_id_a_state_code_and_a_long_message(tmp_path):
    page = tmp_path / "page.html"
    page.write_text(
        '{# A5 in a comment #}<p>{% translate "一次性告知（A5）" %}</p>'
        "{% blocktranslate with s=state %}状态：pending_review，{{ s }}{% endblocktranslate %}"
        '{% translate "您的办件仍是 draft。" %}',
        encoding="utf-8",
    )
    messages = list(_template_messages(page))
    codes = {"draft"}

    assert [problems(m, codes, MAX_PAGE_TEXT_LENGTH) for m in messages] == [
        ["rule id A5"],
        ["state code draft"],
        ["state code pending_review"],
    ]
    assert problems("请" * (MAX_ERROR_LENGTH + 1), codes, MAX_ERROR_LENGTH) == [
        f"{MAX_ERROR_LENGTH + 1} characters (limit {MAX_ERROR_LENGTH})"
    ]
    assert problems("请于%(date)s前补齐 %(names)s。", codes, MAX_ERROR_LENGTH) == []


def test_the_list_covers_templates_and_service_errors():
    """The scan reads both sources: a guide page's words and a raised service error."""
    where = {path for _limit, paths in citizen_messages().values() for path in paths}

    assert "templates/catalogue/item_detail.html" in where
    assert any(path.startswith("apps/applications/services/") for path in where)
    assert not any("/admin/" in path or path.startswith("templates/admin") for path in where)
