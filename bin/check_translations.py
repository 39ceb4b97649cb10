#!/usr/bin/env python
"""`make lint`: the English catalogues are complete and compiled (issue #17).

Runs ``makemessages -l en`` on a temporary copy of the code (the working tree is not
touched), so every msgid the code base marks today is looked up in the catalogues as they
would be after a fresh extraction. Fails when

* a msgid has no English translation, or its translation is fuzzy (header included);
* a committed ``.po`` does not pass ``msgfmt --check`` (placeholders, plural forms);
* a committed ``.mo`` is missing or differs from what its ``.po`` compiles to.

Both domains: ``django`` (Python and templates) and ``djangojs`` (our JavaScript files, served
by ``/jsi18n/``).

Django puts an app's msgids into ``apps/<app>/locale/`` when that directory exists, else into
the project catalogue ``locale/``.
"""

from __future__ import annotations

import ast
import gettext
import os
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LANGUAGE = "en"
# What makemessages reads, copied into the temporary tree.
SOURCES = ("apps", "templates", "govservice", "locale", "static", "manage.py")
# Directories with no UI strings (tests, benchmarks) are not extracted.
MAKEMESSAGES_ARGS = ("--ignore=tests", "--ignore=benchmarks", "--ignore=var", "--no-obsolete")
# Our JavaScript files' strings go to the ``djangojs`` catalogue (the vendored libraries have none).
MAKEMESSAGES_JS_ARGS = ("-d", "djangojs", "--ignore=static/vendor", "--ignore=staticfiles")


@dataclass
class Entry:
    msgid: str = ""
    msgid_plural: str | None = None
    msgctxt: str | None = None
    msgstr: dict[int, str] = field(default_factory=dict)
    refs: list[str] = field(default_factory=list)
    flags: set[str] = field(default_factory=set)
    comments: list[str] = field(default_factory=list)
    obsolete: bool = False

    @property
    def is_header(self) -> bool:
        return self.msgid == "" and self.msgctxt is None

    @property
    def translated(self) -> bool:
        return bool(self.msgstr) and all(self.msgstr.values())


def _unquote(text: str) -> str:
    return ast.literal_eval(text.strip())


def parse_po(text: str) -> list[Entry]:
    """The entries of a PO file as gettext writes them (enough for our own catalogues)."""
    entries: list[Entry] = []
    current = Entry()
    key: tuple[str, int] | None = None
    started = False

    def flush() -> None:
        nonlocal current, key, started
        if started:
            entries.append(current)
        current, key, started = Entry(), None, False

    for line in text.splitlines():
        if not line.strip():
            flush()
            continue
        if line.startswith("#~"):
            current.obsolete = True
            continue
        if line.startswith("#:"):
            current.refs.extend(line[2:].split())
        elif line.startswith("#,"):
            current.flags |= {f.strip() for f in line[2:].split(",") if f.strip()}
        elif line.startswith("#"):
            current.comments.append(line)
        elif line.startswith("msgctxt "):
            key, started = ("msgctxt", 0), True
            current.msgctxt = _unquote(line[8:])
        elif line.startswith("msgid_plural "):
            key = ("msgid_plural", 0)
            current.msgid_plural = _unquote(line[13:])
        elif line.startswith("msgid "):
            key, started = ("msgid", 0), True
            current.msgid = _unquote(line[6:])
        elif line.startswith("msgstr["):
            index = int(line[7 : line.index("]")])
            key = ("msgstr", index)
            current.msgstr[index] = _unquote(line[line.index("]") + 1 :])
        elif line.startswith("msgstr "):
            key = ("msgstr", 0)
            current.msgstr[0] = _unquote(line[7:])
        elif line.startswith('"') and key is not None:
            part = _unquote(line)
            name, index = key
            if name == "msgstr":
                current.msgstr[index] += part
            elif name == "msgid_plural":
                current.msgid_plural = (current.msgid_plural or "") + part
            elif name == "msgctxt":
                current.msgctxt = (current.msgctxt or "") + part
            else:
                current.msgid += part
    flush()
    return [e for e in entries if not e.obsolete]


def _catalogues(root: Path) -> list[Path]:
    found = sorted((root / "locale").glob(f"{LANGUAGE}/LC_MESSAGES/django*.po"))
    found += sorted((root / "apps").glob(f"*/locale/{LANGUAGE}/LC_MESSAGES/django.po"))
    return found


def _extract(tmp: Path) -> None:
    for name in SOURCES:
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(
                source, tmp / name, ignore=shutil.ignore_patterns("__pycache__", "*.pyc")
            )
        elif source.exists():
            shutil.copy2(source, tmp / name)
    (tmp / "locale").mkdir(exist_ok=True)
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "govservice.settings.base"}
    env.pop("DATABASE_URL", None)
    for extra in ((), MAKEMESSAGES_JS_ARGS):
        subprocess.run(  # noqa: S603 - our own interpreter and arguments
            [
                sys.executable,
                "manage.py",
                "makemessages",
                "-l",
                LANGUAGE,
                *MAKEMESSAGES_ARGS,
                *extra,
            ],
            cwd=tmp,
            env=env,
            check=True,
            capture_output=True,
        )


def _untranslated(tmp: Path) -> list[str]:
    problems = []
    for po in _catalogues(tmp):
        where = po.relative_to(tmp)
        for entry in parse_po(po.read_text(encoding="utf-8")):
            if "fuzzy" in entry.flags:
                what = "header" if entry.is_header else repr(entry.msgid)
                problems.append(f"{where}: fuzzy {what} ({' '.join(entry.refs[:1])})")
            elif not entry.is_header and not entry.translated:
                problems.append(
                    f"{where}: no translation for {entry.msgid!r} ({' '.join(entry.refs[:1])})"
                )
    return problems


def _compiled(tmp: Path) -> list[str]:
    problems = []
    for po in _catalogues(ROOT):
        where = po.relative_to(ROOT)
        fresh = tmp / f"{abs(hash(str(po)))}.mo"
        result = subprocess.run(  # noqa: S603 - gettext's msgfmt on our own files
            ["msgfmt", "--check", "-o", str(fresh), str(po)],  # noqa: S607
            capture_output=True,
            text=True,
        )
        if result.returncode:
            problems.append(f"{where}: msgfmt --check failed:\n{result.stderr.strip()}")
            continue
        mo = po.with_suffix(".mo")
        if not mo.exists():
            problems.append(f"{mo.relative_to(ROOT)}: missing (run `make messages`)")
            continue
        with mo.open("rb") as committed, fresh.open("rb") as compiled:
            if gettext.GNUTranslations(committed)._catalog != (  # type: ignore[attr-defined]
                gettext.GNUTranslations(compiled)._catalog  # type: ignore[attr-defined]
            ):
                problems.append(f"{mo.relative_to(ROOT)}: stale, differs from its .po")
    return problems


def main() -> int:
    if shutil.which("msgfmt") is None:
        print("gettext is missing: `bin/system-deps` installs it.", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory(prefix="check-translations-") as name:
        tmp = Path(name)
        (tmp / "tree").mkdir()
        _extract(tmp / "tree")
        problems = _untranslated(tmp / "tree") + _compiled(tmp)
    if problems:
        print(f"Translations ({LANGUAGE}): {len(problems)} problem(s)", file=sys.stderr)
        for problem in problems:
            print(f"  {problem}", file=sys.stderr)
        print("Fix the catalogues, then `make messages` to recompile.", file=sys.stderr)
        return 1
    print(f"Translations ({LANGUAGE}): complete, compiled")
    return 0


if __name__ == "__main__":
    sys.exit(main())
