"""One form for a 一件事 (DOMAIN C8): the members' forms merged so that a field every
member asks for is asked once.

A field is the same field in two forms when it has the same key (docs/application-forms.md
names the common keys). The first member that asks for a key places it; later members
only add the keys not asked yet, under a section titled with their item. The merged form
is for showing and reading the page; each member's answers are still checked against its
own form (C5), so a shared key's value is checked by every member that asks for it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace

from apps.catalogue.application_forms.definition import Field, FormDefinition, Section


def merge_forms(title: str, members: Iterable[tuple[str, FormDefinition]]) -> FormDefinition:
    """``members``: (item name, form) in the bundle's order."""
    placed: list[tuple[str, list[str]]] = []
    by_key: dict[str, Field] = {}
    for item_name, form in members:
        for section in form.sections:
            keys = []
            for f in section.fields:
                if f.key in by_key:
                    if f.required and not by_key[f.key].required:
                        by_key[f.key] = replace(by_key[f.key], required=True)
                    continue
                by_key[f.key] = f
                keys.append(f.key)
            if keys:
                placed.append((f"{item_name} · {section.title}", keys))
    sections = tuple(
        Section(title=heading, fields=tuple(by_key[k] for k in keys)) for heading, keys in placed
    )
    return FormDefinition(title=title, sections=sections, by_key=by_key)


def shared_keys(forms: Iterable[FormDefinition]) -> set[str]:
    """Keys asked by more than one of ``forms`` (asked once on the merged form)."""
    seen: set[str] = set()
    shared: set[str] = set()
    for form in forms:
        for f in form.fields:
            (shared if f.key in seen else seen).add(f.key)
    return shared
