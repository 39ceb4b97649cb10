from __future__ import annotations

import pytest

from apps.notifications.sms import LocmemSmsBackend


@pytest.fixture
def sms_outbox(settings):
    """SMS sent in the test, like ``mailoutbox`` for email."""
    settings.SMS_BACKEND = "apps.notifications.sms.LocmemSmsBackend"
    LocmemSmsBackend.outbox = []
    yield LocmemSmsBackend.outbox
    LocmemSmsBackend.outbox = []
