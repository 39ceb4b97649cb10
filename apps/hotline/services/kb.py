"""Knowledge-base articles (DOMAIN H2): written by departments, reviewed and published by
the centre, withdrawn or left to expire. A small transition table like the tickets'."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils.translation import gettext as _

from apps.accounts.models import User
from apps.common.errors import ApplicationError, InvalidTransitionError, PermissionDeniedError
from apps.common.history import set_history_user
from apps.hotline import hooks
from apps.hotline.kb_search import article_search_fields
from apps.hotline.models import Category, KnowledgeArticle
from apps.hotline.services import _base

Status = KnowledgeArticle.Status

ARTICLE_TRANSITIONS: dict[str, frozenset[str]] = {
    Status.DRAFT: frozenset({Status.PENDING_REVIEW}),
    Status.PENDING_REVIEW: frozenset({Status.PUBLISHED, Status.DRAFT}),
    Status.PUBLISHED: frozenset({Status.WITHDRAWN}),
    Status.WITHDRAWN: frozenset({Status.DRAFT}),
}
REVIEW_PERMISSION = "hotline.review_article"


def _check_author(actor: User, department_id: int | None) -> None:
    """Department staff maintain their own department's articles."""
    if not actor.is_authenticated or not actor.is_active:
        raise PermissionDeniedError()
    if actor.is_superuser:
        return
    if not actor.has_perm("hotline.change_knowledgearticle"):
        raise PermissionDeniedError()
    if department_id is None or not actor.departments.filter(pk=department_id).exists():
        raise PermissionDeniedError(_("只能维护本部门的知识库文章。"))


def _move(article: KnowledgeArticle, target: str, action: str) -> None:
    if target not in ARTICLE_TRANSITIONS[Status(article.status)]:
        raise InvalidTransitionError(
            _("文章当前状态为“%(state)s”，不能%(action)s。")
            % {"state": Status(article.status).label, "action": action}
        )
    article.status = target


def _lock(article_id: int) -> KnowledgeArticle:
    article = KnowledgeArticle.objects.select_for_update().filter(pk=article_id).first()
    if article is None:
        raise ApplicationError(_("知识库文章不存在。"), code="not_found")
    return article


def _save(article: KnowledgeArticle, actor: User) -> None:
    article.search_text, article.pinyin_initials = article_search_fields(
        title=article.title, keywords=article.keywords, body=article.body
    )
    set_history_user(article, actor)
    article.full_clean(exclude=["search_text", "pinyin_initials"])
    article.save()
    hooks.article_changed(article)


def article_save(
    *,
    actor: User,
    article_id: int | None = None,
    title: str,
    body: str,
    department_id: int,
    category_id: int | None = None,
    keywords: str = "",
    expires_on: datetime.date | None = None,
) -> KnowledgeArticle:
    """Create or edit a draft. Text is kept plain: surrounding whitespace trimmed, lines
    kept, so the article reads the same to an operator and to a question-answering model."""
    title = _base.require_text(title, _("请填写标题。"), code="title_required")
    body = _base.require_text(body, _("请填写答复口径。"), code="body_required")
    _check_author(actor, department_id)
    if category_id and not Category.objects.filter(pk=category_id).exists():
        raise ApplicationError(_("诉求分类不存在。"), code="unknown_category")
    with transaction.atomic():
        if article_id:
            article = _lock(article_id)
            _check_author(actor, article.department_id)
            if article.status not in (Status.DRAFT, Status.WITHDRAWN):
                raise ApplicationError(
                    _("已提交审核或已发布的文章不能直接修改，请先下线。"), code="not_editable"
                )
            article.status = Status.DRAFT
        else:
            article = KnowledgeArticle(author=actor)
        article.title = title[:120]
        article.body = "\n".join(line.rstrip() for line in body.splitlines()).strip()
        article.department_id = department_id
        article.category_id = category_id or None
        article.keywords = (keywords or "").strip()[:200]
        article.expires_on = expires_on
        _save(article, actor)
    return article


def article_submit(*, article_id: int, actor: User) -> KnowledgeArticle:
    with transaction.atomic():
        article = _lock(article_id)
        _check_author(actor, article.department_id)
        _move(article, Status.PENDING_REVIEW, _("提交审核"))
        _save(article, actor)
    return article


def article_review(
    *, article_id: int, actor: User, approve: bool, note: str = ""
) -> KnowledgeArticle:
    """The centre publishes a reviewed article, or sends it back with a note."""
    if not actor.is_authenticated or not actor.has_perm(REVIEW_PERMISSION):
        raise PermissionDeniedError()
    if not approve:
        note = _base.require_text(note, _("请填写退回意见。"))
    with transaction.atomic():
        article = _lock(article_id)
        if approve and article.expires_on and article.expires_on < _base.now().date():
            raise ApplicationError(_("文章已过有效期，不能发布。"), code="expired")
        _move(article, Status.PUBLISHED if approve else Status.DRAFT, _("审核"))
        article.reviewed_by = actor
        article.review_note = (note or "")[:300]
        if approve:
            article.published_at = _base.now()
        _save(article, actor)
    return article


def article_withdraw(*, article_id: int, actor: User) -> KnowledgeArticle:
    with transaction.atomic():
        article = _lock(article_id)
        if not actor.has_perm(REVIEW_PERMISSION):
            _check_author(actor, article.department_id)
        _move(article, Status.WITHDRAWN, _("下线"))
        _save(article, actor)
    return article
