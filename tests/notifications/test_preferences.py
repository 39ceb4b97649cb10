"""Channel choices and opt-out per category (issue #14; DOMAIN A14)."""

from __future__ import annotations

import pytest

from apps.common.errors import ApplicationError
from apps.notifications.models import NotificationPreference
from apps.notifications.preferences import (
    channels_for_users,
    notification_preference_get,
    notification_preference_set,
)
from tests.accounts.factories import UserFactory

pytestmark = pytest.mark.django_db

ALL = ("inbox", "email", "sms")


def test_default_is_every_proposed_channel():
    user = UserFactory()
    assert notification_preference_get(user=user, category="policy").channels() == ALL
    assert channels_for_users(user_ids=[user.pk], category="policy", proposed=ALL) == {user.pk: ALL}


def test_choices_and_opt_out_are_honoured_per_category():
    sms_only, out, default = UserFactory.create_batch(3)
    notification_preference_set(user=sms_only, category="policy", channels=["sms"])
    notification_preference_set(user=out, category="policy", channels=[], opted_out=True)
    notification_preference_set(user=default, category="application", channels=["inbox"])
    result = channels_for_users(
        user_ids=[sms_only.pk, out.pk, default.pk], category="policy", proposed=("inbox", "sms")
    )
    assert result == {sms_only.pk: ("sms",), out.pk: (), default.pk: ("inbox", "sms")}


def test_setting_again_updates_the_one_row():
    user = UserFactory()
    notification_preference_set(user=user, category="policy", channels=["sms"])
    notification_preference_set(user=user, category="policy", channels=["inbox", "email"])
    row = NotificationPreference.objects.get(user=user, category="policy")
    assert row.channels() == ("inbox", "email")


def test_no_channel_without_opting_out_and_unknown_channels_are_refused():
    user = UserFactory()
    with pytest.raises(ApplicationError, match="至少选择一个"):
        notification_preference_set(user=user, category="policy", channels=[])
    with pytest.raises(ApplicationError, match="无效"):
        notification_preference_set(user=user, category="policy", channels=["fax"])
    assert not NotificationPreference.objects.exists()
