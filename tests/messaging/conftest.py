"""`notify`: a local server that speaks GOV.UK Notify's API (tests/support/notify_server.py),
started for the test, with the settings pointing the real Notify client at it."""

from __future__ import annotations

import pytest

from tests.support.notify_server import NotifyServer


@pytest.fixture
def notify(settings):
    server = NotifyServer().start()
    settings.NOTIFY_API_KEY = server.api_key
    settings.NOTIFY_BASE_URL = server.base_url
    settings.NOTIFY_SMS_TEMPLATE_ID = server.sms_template_id
    settings.NOTIFY_CALLBACK_TOKEN = server.callback_token
    settings.LETTERS_BY_NOTIFY = False
    yield server
    server.stop()
