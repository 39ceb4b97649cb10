"""Every write of the assistant: the passage index, the question log, the pre-checks."""

from apps.assistant.services.indexing import (
    passages_rebuild,
    passages_sync_article,
    passages_sync_bundles,
    passages_sync_guides,
    passages_sync_policy,
)
from apps.assistant.services.questions import (
    question_ask,
    question_feedback,
    question_handle,
)

__all__ = [
    "passages_rebuild",
    "passages_sync_article",
    "passages_sync_bundles",
    "passages_sync_guides",
    "passages_sync_policy",
    "question_ask",
    "question_feedback",
    "question_handle",
]
