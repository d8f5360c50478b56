from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import transaction
from django_otp.plugins.otp_totp.models import TOTPDevice

from coproduce.core import ratelimit
from coproduce.core.audit import audit_record

LOGIN_SCOPE_EMAIL = "login-email"
LOGIN_SCOPE_IP = "login-ip"


def login_is_throttled(*, email: str, ip: str | None) -> bool:
    limit = settings.LOGIN_FAILURE_LIMIT
    if ratelimit.count(LOGIN_SCOPE_EMAIL, email.lower()) >= limit:
        return True
    # An address may try several accounts, but not endlessly.
    return bool(ip) and ratelimit.count(LOGIN_SCOPE_IP, ip or "") >= limit * 4


def login_failure_record(*, email: str, ip: str | None) -> None:
    window = settings.LOGIN_FAILURE_WINDOW
    ratelimit.hit(LOGIN_SCOPE_EMAIL, email.lower(), window)
    if ip:
        ratelimit.hit(LOGIN_SCOPE_IP, ip, window)


def login_success_record(*, email: str) -> None:
    ratelimit.reset(LOGIN_SCOPE_EMAIL, email.lower())


def confirmed_totp_device(user: Any) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).first()


@transaction.atomic
def totp_enrolment_start(*, user: Any) -> TOTPDevice:
    """Return the user's unconfirmed device, creating one with a fresh key if needed."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=False)
    return device


@transaction.atomic
def totp_enrolment_confirm(*, user: Any, token: str, request: Any = None) -> bool:
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    if device is None or not device.verify_token(token):
        return False
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
    audit_record(
        action="2fa.enrolled",
        actor=user,
        obj=user,
        request=request,
        summary="Turned on two-step sign-in",
    )
    return True


@transaction.atomic
def totp_remove(*, user: Any, request: Any = None) -> None:
    TOTPDevice.objects.filter(user=user).delete()
    audit_record(
        action="2fa.removed",
        actor=user,
        obj=user,
        request=request,
        summary="Turned off two-step sign-in",
    )
