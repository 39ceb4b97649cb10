"""12345 intake on the embedded defaults of ``make run`` (SQLite): a second call from the
same caller points at the first (H9 并单), one call at a time and in a batch. The duplicate
search is a UNION of two index look-ups, which SQLite accepts only without an ORDER BY in
its parts."""

from __future__ import annotations

import pytest

from apps.hotline import services
from apps.hotline.services import ChannelTicket
from tests.hotline.factories import call, leaf_category

pytestmark = pytest.mark.django_db


def test_a_repeat_caller_is_flagged_one_at_a_time_and_in_a_batch_on_sqlite_h9(
    department, hotline_operator
):
    category = leaf_category(department=department)
    first = services.ticket_take_call(actor=hotline_operator, data=call(category))
    again = services.ticket_take_call(actor=hotline_operator, data=call(category))
    assert again.possible_duplicate_of_id == first.pk

    batch = services.ticket_intake_batch(
        actor=hotline_operator,
        items=[
            ChannelTicket(channel="phone", data=call(category, address="别处1号")),
            ChannelTicket(
                channel="phone", data=call(category, caller_phone="13900000009", address="别处2号")
            ),
        ],
    )
    assert [t.possible_duplicate_of_id for t in batch.tickets] == [first.pk, None]
