"""Helpers for the sign-in security tests."""

from __future__ import annotations

import pytest
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice


def code_for(device: TOTPDevice) -> str:
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


def age_session(client, key: str, seconds: int) -> None:
    """Move a timestamp kept in the test client's session back in time."""
    session = client.session
    session[key] = int(session[key]) - seconds
    session.save()


@pytest.fixture
def two_step_required(settings):
    settings.STAFF_TWO_STEP_REQUIRED = True
    # django-otp's own back-off between wrong codes is not under test here.
    settings.OTP_TOTP_THROTTLE_FACTOR = 0
    settings.OTP_STATIC_THROTTLE_FACTOR = 0
    return settings


@pytest.fixture
def device_for():
    def _make(user, confirmed: bool = True) -> TOTPDevice:
        return TOTPDevice.objects.create(user=user, name="phone", confirmed=confirmed)

    return _make
