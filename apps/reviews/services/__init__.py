"""Every write of the reviews app (CONVENTIONS: one function per change).

* :mod:`.events` — the service events people rate, window tokens (R1, R7);
* :mod:`.submission` — giving a review and a follow-up (R1);
* :mod:`.batch` — many reviews in one request, all or nothing (R1);
* :mod:`.cases` — handling a real-name bad review (R3, R4, R7);
* :mod:`.appeals` — 申诉 and 覆核 (R4);
* :mod:`.supervision` — reminders and escalations, once each (R3, R7);
* :mod:`.rollups` — the counts kept with each change (R2, R6);
* :mod:`.tags` — the maintained list of bad-review reasons.
"""

from apps.reviews.services.appeals import appeal_decide, appeal_file
from apps.reviews.services.batch import ReviewBatchResult, ReviewItem, review_submit_batch
from apps.reviews.services.cases import (
    case_open,
    case_record_callback,
    case_rectify,
    case_revisit,
    case_supervise,
)
from apps.reviews.services.deadlines import callback_due_on, rectify_due_on
from apps.reviews.services.events import (
    counter_key,
    event_from_token,
    event_rating_url,
    event_token,
    review_event_open,
    window_event_open,
    window_from_counter_key,
)
from apps.reviews.services.submission import (
    review_follow_up,
    review_submit,
    review_submit_with_token,
)
from apps.reviews.services.supervision import CaseSupervisionReport, supervise_review_cases
from apps.reviews.services.tags import review_tag_save

__all__ = [
    "CaseSupervisionReport",
    "ReviewBatchResult",
    "ReviewItem",
    "appeal_decide",
    "appeal_file",
    "callback_due_on",
    "case_open",
    "case_record_callback",
    "case_rectify",
    "case_revisit",
    "case_supervise",
    "counter_key",
    "event_from_token",
    "event_rating_url",
    "event_token",
    "rectify_due_on",
    "review_event_open",
    "review_follow_up",
    "review_submit",
    "review_submit_batch",
    "review_submit_with_token",
    "review_tag_save",
    "supervise_review_cases",
    "window_event_open",
    "window_from_counter_key",
]
