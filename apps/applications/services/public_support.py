"""Small helpers the applicant's web pages need on top of the services (issue #4).

* :func:`application_create_draft_once`: a double click or a browser retry on "开始申请"
  must not leave two drafts behind, so the draft is made under an idempotency key.
"""

from __future__ import annotations

from django.db import IntegrityError
from django.utils.translation import gettext as _

from apps.accounts.models import User
from apps.applications.models import Application, Channel
from apps.applications.services.submission import application_create_draft
from apps.common.errors import ApplicationError


def _own_draft(actor: User, key: str) -> Application | None:
    return Application.objects.filter(idempotency_key=key, applicant=actor).first()


def application_create_draft_once(
    *, actor: User, item_id: int, idempotency_key: str, company_id: int | None = None
) -> Application:
    """:func:`application_create_draft` made idempotent by ``idempotency_key`` (C5, A1).

    The key is stored on the draft; submitting later replaces it with the submit key. A key
    that belongs to someone else's application is refused.
    """
    key = (idempotency_key or "").strip()[:64]
    if not key:
        raise ApplicationError(
            _("缺少提交标识，请刷新页面后重试。"), code="idempotency_key_missing"
        )
    # The key is unique: one look-up tells a retry of this person's own start (the draft
    # it made) from someone else's key; only the id is needed to send them to it.
    existing = Application.objects.filter(idempotency_key=key).only("pk", "applicant_id").first()
    if existing is not None:
        if existing.applicant_id == actor.pk:
            return existing
        raise ApplicationError(_("该提交标识已被使用。"), code="idempotency_key_reused")
    try:
        # The key goes in with the row, in the draft's own transaction (issue 16: a savepoint
        # and an UPDATE of the new row less).
        return application_create_draft(
            actor=actor,
            item_id=item_id,
            company_id=company_id,
            channel=Channel.ONLINE,
            idempotency_key=key,
        )
    except IntegrityError:
        # The same key committed by a concurrent request: that draft is the answer.
        existing = _own_draft(actor, key)
        if existing is None:
            raise
        return existing
