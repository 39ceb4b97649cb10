"""Giving a review (DOMAIN R1, R7): five levels, 一事一评, reasons for a bad one, identity,
rate limits, window tokens; bad input changes nothing."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from apps.common.errors import ApplicationError
from apps.reviews import services
from apps.reviews.models import RectificationCase, Review, ReviewDayRollup, ReviewTag
from apps.reviews.selectors import raw
from apps.reviews.services import quotas, submission
from apps.reviews.workflow import BAD_LEVELS, LEVEL_ORDER, Channel, Level
from tests.accounts.factories import StaffFactory, UserFactory
from tests.reviews.factories import event_for, review, window_for
from tests.support.races import Rendezvous, race


def test_the_five_national_levels_and_the_last_two_are_bad():
    """R7: 非常满意 满意 基本满意 不满意 非常不满意; the last two are bad."""
    assert [level.label for level in LEVEL_ORDER] == [
        "非常满意",
        "满意",
        "基本满意",
        "不满意",
        "非常不满意",
    ]
    assert {Level.DISSATISFIED, Level.VERY_DISSATISFIED} == BAD_LEVELS


@pytest.mark.parametrize("level", [lv.value for lv in LEVEL_ORDER])
def test_each_level_is_accepted_and_counted(department, citizen, level):
    """R1: a review on every level is recorded and counted in the rollups."""
    given = review(department, citizen, level)
    assert given.level == level
    assert given.is_bad == (level in ("dissatisfied", "very_dissatisfied"))
    assert raw.rollup_counts(ReviewDayRollup) == raw.raw_day_counts()


def test_a_level_outside_the_five_is_refused_and_nothing_changes(department, citizen):
    """R7: only the five levels."""
    event = event_for(department, subject=citizen)
    with pytest.raises(ApplicationError) as exc:
        services.review_submit(
            event_id=event.pk, channel=Channel.MOBILE, level="excellent", reviewer=citizen
        )
    assert exc.value.code == "invalid_level"
    assert not Review.objects.exists()
    assert not ReviewDayRollup.objects.exists()
    event.refresh_from_db()
    assert event.reviewed_at is None


def test_one_review_per_event(department, citizen):
    """R7 一事一评: a second review of the same service is refused; the first stands."""
    event = event_for(department, subject=citizen)
    services.review_submit(
        event_id=event.pk, channel=Channel.MOBILE, level="satisfied", reviewer=citizen
    )
    with pytest.raises(ApplicationError) as exc:
        services.review_submit(
            event_id=event.pk,
            channel=Channel.WEB,
            level="very_dissatisfied",
            tags=["attitude"],
            text="再评一次试试看",
            reviewer=citizen,
        )
    assert exc.value.code == "already_reviewed"
    assert Review.objects.get().level == "satisfied"
    assert sum(r.count for r in ReviewDayRollup.objects.all()) == 1


def test_someone_elses_service_is_not_found(department, citizen, other_citizen):
    """R1: nobody rates a service given to someone else; its existence is not revealed."""
    event = event_for(department, subject=citizen)
    with pytest.raises(ApplicationError) as exc:
        services.review_submit(
            event_id=event.pk, channel=Channel.MOBILE, level="satisfied", reviewer=other_citizen
        )
    assert exc.value.status_code == 404
    assert not Review.objects.exists()


def test_a_bad_review_needs_reasons_and_text(department, citizen):
    """R1: a bad review asks for reasons from the maintained list and for text."""
    event = event_for(department, subject=citizen)
    common = {"event_id": event.pk, "channel": Channel.MOBILE, "reviewer": citizen}
    with pytest.raises(ApplicationError) as no_tags:
        services.review_submit(level="dissatisfied", text="等了两个小时没人理", **common)
    with pytest.raises(ApplicationError) as unknown_tag:
        services.review_submit(
            level="dissatisfied", tags=["nonsense"], text="等了两个小时没人理", **common
        )
    with pytest.raises(ApplicationError) as no_text:
        services.review_submit(level="dissatisfied", tags=["long_wait"], text=" ", **common)
    assert (no_tags.value.code, unknown_tag.value.code, no_text.value.code) == (
        "tags_required",
        "tags_required",
        "text_required",
    )
    assert not Review.objects.exists()
    given = services.review_submit(
        level="dissatisfied", tags=["long_wait"], text="等了两个小时没人理", **common
    )
    assert [t.code for t in given.tags.all()] == ["long_wait"]


def test_a_retired_tag_is_refused(department, citizen, system_admin):
    tag = ReviewTag.objects.get(code="fees")
    services.review_tag_save(
        actor=system_admin, label=tag.label, order=tag.order, is_active=False, tag_id=tag.pk
    )
    event = event_for(department, subject=citizen)
    with pytest.raises(ApplicationError):
        services.review_submit(
            event_id=event.pk,
            channel=Channel.MOBILE,
            level="dissatisfied",
            tags=["fees"],
            text="收了不该收的费用",
            reviewer=citizen,
        )


def test_real_name_bad_review_opens_a_case_anonymous_does_not(department, citizen, other_citizen):
    """R3: a real-name bad review opens a rectification case at once; an anonymous one
    cannot be called back."""
    named = review(department, citizen, "very_dissatisfied")
    anonymous = review(department, other_citizen, "very_dissatisfied", anonymous=True)
    assert RectificationCase.objects.filter(review=named).exists()
    assert not RectificationCase.objects.filter(review=anonymous).exists()


def test_a_good_review_opens_no_case(department, citizen):
    review(department, citizen, "basically_satisfied")
    assert not RectificationCase.objects.exists()


def test_rate_limit_per_person_per_day(settings, department, citizen):
    """R1: one person cannot give more than the daily limit."""
    settings.REVIEWS_PER_PERSON_PER_DAY = 2
    review(department, citizen)
    review(department, citizen)
    event = event_for(department, subject=citizen)
    with pytest.raises(ApplicationError) as exc:
        services.review_submit(
            event_id=event.pk, channel=Channel.MOBILE, level="satisfied", reviewer=citizen
        )
    assert exc.value.code == "rate_limited"
    assert Review.objects.count() == 2


def test_rate_limit_per_target_per_hour(settings, department):
    """R1: a window or staff member cannot be flooded with reviews (for or against)."""
    settings.REVIEWS_PER_TARGET_PER_HOUR = 2
    staff = StaffFactory(departments=[department])
    for _n in range(2):
        review(department, UserFactory(), staff=staff)
    with pytest.raises(ApplicationError) as exc:
        review(department, UserFactory(), staff=staff)
    assert exc.value.code == "rate_limited"
    with time_machine.travel(timezone.now() + timedelta(hours=1, minutes=1)):
        review(department, UserFactory(), staff=staff)
    assert Review.objects.filter(staff=staff).count() == 3


def test_hotline_operator_records_a_review_for_an_unnamed_caller(department, hotline_operator):
    """R1: the hotline's call-back becomes a review on the hotline channel."""
    event = event_for(department, kind="hotline_ticket")
    given = services.review_submit(
        event_id=event.pk,
        channel=Channel.HOTLINE,
        level="dissatisfied",
        tags=["unresolved"],
        text="来电人表示问题仍未解决",
        reviewer=None,
        actor=hotline_operator,
    )
    assert (given.channel, given.anonymous, given.reviewer_id) == ("hotline", True, None)


def test_a_citizen_cannot_record_for_someone_else(department, citizen, other_citizen):
    event = event_for(department, subject=other_citizen)
    with pytest.raises(ApplicationError):
        services.review_submit(
            event_id=event.pk,
            channel=Channel.HOTLINE,
            level="satisfied",
            reviewer=None,
            actor=citizen,
        )


def test_the_window_channel_needs_the_token(department, citizen):
    event = event_for(department, subject=citizen)
    with pytest.raises(ApplicationError) as exc:
        services.review_submit(
            event_id=event.pk, channel=Channel.WINDOW, level="satisfied", reviewer=citizen
        )
    assert exc.value.code == "invalid_channel"


# --- The window: a short-lived token tied to the visit (R1, R7 一次一评) ---------------------


def test_window_token_rates_that_visit_once(department, window_staff):
    window = window_for(department)
    event = services.window_event_open(actor=window_staff, window=window, department=department)
    token = services.event_token(event)
    given = services.review_submit_with_token(token=token, level="very_satisfied", source="1.2.3.4")
    assert (given.channel, given.window_id, given.staff_id) == (
        "window",
        window.pk,
        window_staff.pk,
    )
    assert given.anonymous and given.reviewer_id is None
    with pytest.raises(ApplicationError) as exc:
        services.review_submit_with_token(token=token, level="satisfied")
    assert exc.value.code == "already_reviewed"


def test_window_token_expires(settings, department, window_staff):
    settings.REVIEWS_WINDOW_TOKEN_MINUTES = 30
    window = window_for(department)
    event = services.window_event_open(actor=window_staff, window=window, department=department)
    token = services.event_token(event)
    with (
        time_machine.travel(timezone.now() + timedelta(minutes=31)),
        pytest.raises(ApplicationError) as exc,
    ):
        services.review_submit_with_token(token=token, level="satisfied")
    assert exc.value.code == "token_expired"
    assert not Review.objects.exists()


def test_a_forged_token_is_refused(department):
    with pytest.raises(ApplicationError) as exc:
        services.review_submit_with_token(token="abc:def", level="satisfied")
    assert exc.value.code == "token_invalid"


def test_window_staff_open_events_only_for_their_departments(
    department, other_department, window_staff
):
    window = window_for(other_department)
    with pytest.raises(ApplicationError):
        services.window_event_open(actor=window_staff, window=window, department=other_department)


def test_a_citizen_cannot_open_a_window_event(department, citizen):
    window = window_for(department)
    with pytest.raises(ApplicationError):
        services.window_event_open(actor=citizen, window=window, department=department)


def test_per_source_limit_for_anonymous_window_reviews(settings, department, window_staff):
    settings.REVIEWS_PER_SOURCE_PER_DAY = 1
    settings.REVIEWS_PER_TARGET_PER_HOUR = 100
    window = window_for(department)
    tokens = [
        services.event_token(
            services.window_event_open(actor=window_staff, window=window, department=department)
        )
        for _n in range(2)
    ]
    services.review_submit_with_token(token=tokens[0], level="satisfied", source="10.0.0.9")
    with pytest.raises(ApplicationError) as exc:
        services.review_submit_with_token(token=tokens[1], level="satisfied", source="10.0.0.9")
    assert exc.value.code == "rate_limited"


# --- 追评 ---------------------------------------------------------------------------------


def test_follow_up_once_within_the_period(settings, department, citizen):
    """R1: one follow-up within the configured period."""
    settings.REVIEWS_FOLLOW_UP_DAYS = 15
    given = review(department, citizen)
    services.review_follow_up(review_id=given.pk, actor=citizen, text="后来又补办了一次，很顺利")
    with pytest.raises(ApplicationError) as again:
        services.review_follow_up(review_id=given.pk, actor=citizen, text="再追一次")
    assert again.value.code == "already_followed_up"


def test_follow_up_after_the_period_is_refused(settings, department, citizen):
    settings.REVIEWS_FOLLOW_UP_DAYS = 15
    given = review(department, citizen)
    with (
        time_machine.travel(timezone.now() + timedelta(days=16)),
        pytest.raises(ApplicationError) as exc,
    ):
        services.review_follow_up(review_id=given.pk, actor=citizen, text="太晚了吗")
    assert exc.value.code == "follow_up_closed"


def test_only_the_reviewer_follows_up(department, citizen, other_citizen):
    given = review(department, citizen)
    with pytest.raises(ApplicationError) as exc:
        services.review_follow_up(review_id=given.pk, actor=other_citizen, text="冒充追评")
    assert exc.value.status_code == 404


# --- Concurrency (real Postgres transactions) ----------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_per_source_limit_holds_for_two_submissions_at_once_R1(
    settings, department, window_staff, monkeypatch
):
    """R1 ballot stuffing: with one review a day left for a source, two anonymous reviews
    from it at the same moment give one review and one refusal, never two reviews. Each
    submission, having counted, waits for the other to have counted too (or to be held at
    the quota's lock), so without the lock both would count zero and both write."""
    settings.REVIEWS_PER_SOURCE_PER_DAY = 1
    settings.REVIEWS_PER_TARGET_PER_HOUR = 100
    window = window_for(department)
    tokens = [
        services.event_token(
            services.window_event_open(actor=window_staff, window=window, department=department)
        )
        for _n in range(2)
    ]
    both_counted = Rendezvous(2)
    check = quotas.review_daily_quota_check

    def check_then_meet(**kwargs):
        check(**kwargs)
        both_counted.wait()

    monkeypatch.setattr(submission, "review_daily_quota_check", check_then_meet)
    results = race(
        *(
            lambda token=token: services.review_submit_with_token(
                token=token, level="satisfied", source="10.0.0.9"
            )
            for token in tokens
        )
    )
    assert Review.objects.count() == 1
    refused = [r for r in results if isinstance(r, ApplicationError)]
    assert len(refused) == 1 and refused[0].code == "rate_limited", results


@pytest.mark.django_db(transaction=True)
def test_per_target_limit_holds_for_two_submissions_at_once_R1(
    settings, department, window_staff, monkeypatch
):
    """R1 ballot stuffing against one window: with one review left in the window's hour, two
    reviews of it from two devices at the same moment give one review and one refusal, never
    two. Each, having counted the window's hour, waits for the other to have counted too (or
    to be held at the window's lock), so without the lock both would count zero."""
    settings.REVIEWS_PER_SOURCE_PER_DAY = 100
    settings.REVIEWS_PER_TARGET_PER_HOUR = 1
    window = window_for(department)
    tokens = [
        services.event_token(
            services.window_event_open(actor=window_staff, window=window, department=department)
        )
        for _n in range(2)
    ]
    both_counted = Rendezvous(2)
    check = quotas.review_target_quota_check

    def check_then_meet(**kwargs):
        check(**kwargs)
        both_counted.wait()

    monkeypatch.setattr(submission, "review_target_quota_check", check_then_meet)
    results = race(
        *(
            lambda token=token, source=source: services.review_submit_with_token(
                token=token, level="satisfied", source=source
            )
            for token, source in zip(tokens, ("10.0.0.8", "10.0.0.9"), strict=True)
        )
    )
    assert Review.objects.count() == 1
    refused = [r for r in results if isinstance(r, ApplicationError)]
    assert len(refused) == 1 and refused[0].code == "rate_limited", results
