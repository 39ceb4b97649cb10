"""Writes to the search synonym list (system administrators)."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from apps.accounts.models import User
from apps.catalogue.models import SynonymGroup
from apps.catalogue.search import parse_terms
from apps.catalogue.search.defaults import DEFAULT_SYNONYMS
from apps.catalogue.selectors import is_catalogue_admin
from apps.common.errors import ApplicationError, PermissionDeniedError
from apps.common.services import model_update

MIN_TERM_LENGTH = 2
MAX_TERM_LENGTH = 30


def _assert_can_manage(actor: User | None) -> None:
    if actor is not None and not is_catalogue_admin(actor):
        raise PermissionDeniedError(_("只有系统管理员可以维护检索同义词。"))


def synonym_terms_clean(terms: str, *, exclude_pk: int | None = None, active: bool = True) -> str:
    """The terms as stored ("社保,社会保险"), or :class:`ApplicationError` saying why not:
    fewer than two words, a word too short or long, a word already in another active group.
    Reads only (forms call it to show the reason inline)."""
    parsed = parse_terms(terms)
    if len(parsed) < 2:
        raise ApplicationError(_("同义词组至少需要两个不同的词"), code="synonym_too_few")
    bad = [t for t in parsed if not MIN_TERM_LENGTH <= len(t) <= MAX_TERM_LENGTH]
    if bad:
        raise ApplicationError(
            _("同义词须为%(min)s至%(max)s个字：%(terms)s")
            % {"min": MIN_TERM_LENGTH, "max": MAX_TERM_LENGTH, "terms": "、".join(bad)},
            code="synonym_length",
        )
    if not active:
        return ",".join(parsed)
    others = SynonymGroup.objects.filter(is_active=True)
    if exclude_pk is not None:
        others = others.exclude(pk=exclude_pk)
    taken = {t for group in others.values_list("terms", flat=True) for t in parse_terms(group)}
    clash = [t for t in parsed if t in taken]
    if clash:
        raise ApplicationError(
            _("以下词已在其他同义词组中：%(terms)s") % {"terms": "、".join(clash)},
            code="synonym_taken",
        )
    return ",".join(parsed)


@transaction.atomic
def synonym_group_save(
    *,
    actor: User | None,
    terms: str,
    note: str = "",
    is_active: bool = True,
    group: SynonymGroup | None = None,
) -> SynonymGroup:
    """Create (``group=None``) or change a synonym group. Terms are separated by commas
    (or 、 ; spaces); each word belongs to one active group only."""
    _assert_can_manage(actor)
    if group is None:
        group = SynonymGroup(
            terms=synonym_terms_clean(terms, exclude_pk=None, active=is_active),
            note=note,
            is_active=is_active,
        )
        group.full_clean()
        group.save()
        return group
    locked = SynonymGroup.objects.select_for_update().get(pk=group.pk)
    cleaned = synonym_terms_clean(terms, exclude_pk=locked.pk, active=is_active)
    locked, _changed = model_update(
        instance=locked,
        fields=["terms", "note", "is_active"],
        data={"terms": cleaned, "note": note, "is_active": is_active},
    )
    return locked


@transaction.atomic
def synonym_group_delete(*, actor: User | None, group: SynonymGroup) -> None:
    _assert_can_manage(actor)
    SynonymGroup.objects.filter(pk=group.pk).delete()


@transaction.atomic
def synonym_defaults_install(*, actor: User | None = None) -> int:
    """Add every shipped default group none of whose words is in use yet; return how many
    were added. Migration 0005 installs the same list; this refills an emptied database."""
    _assert_can_manage(actor)
    taken = {
        t
        for group in SynonymGroup.objects.values_list("terms", flat=True)
        for t in parse_terms(group)
    }
    added = 0
    for terms, note in DEFAULT_SYNONYMS:
        if not taken & set(parse_terms(terms)):
            synonym_group_save(actor=actor, terms=terms, note=note)
            taken.update(parse_terms(terms))
            added += 1
    return added
