from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.conf import settings
from django.contrib.auth import logout
from django.db import transaction
from django.utils import timezone
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from coproduce.core import ratelimit
from coproduce.core.audit import audit_record, client_ip

if TYPE_CHECKING:
    from django.http import HttpRequest

    from coproduce.accounts.models import User

LOGIN_SCOPE_EMAIL = "login-email"
LOGIN_SCOPE_IP = "login-ip"
RECOVERY_CODE_COUNT = 10
# When the password was last entered in this session (seconds since the epoch): see reauth.py.
REAUTH_SESSION_KEY = "reauth_at"


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


def sso_is_throttled(*, ip: str | None) -> bool:
    """Single sign-on has no address typed in: only the address of the browser is counted."""
    return (
        bool(ip) and ratelimit.count(LOGIN_SCOPE_IP, ip or "") >= settings.LOGIN_FAILURE_LIMIT * 4
    )


def sso_failure_record(*, ip: str | None) -> None:
    if ip:
        ratelimit.hit(LOGIN_SCOPE_IP, ip, settings.LOGIN_FAILURE_WINDOW)


def login_success_record(*, email: str) -> None:
    ratelimit.reset(LOGIN_SCOPE_EMAIL, email.lower())


def confirmed_totp_device(user: User) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).first()


@transaction.atomic
def totp_enrolment_start(*, user: User) -> TOTPDevice:
    """Return the user's unconfirmed device, creating one with a fresh key if needed."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=False)
    return device


@dataclass(frozen=True)
class Enrolment:
    device: TOTPDevice
    recovery_codes: list[str]


@transaction.atomic
def totp_enrolment_confirm(
    *, user: User, token: str, request: HttpRequest | None = None
) -> Enrolment | None:
    """Turn two-step sign-in on if the code is right; returns the device and the recovery codes."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    if device is None or not device.verify_token(token):
        return None
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
    codes = _recovery_codes_replace(user=user)
    audit_record(
        action="2fa.recovery_created",
        actor=user,
        obj=user,
        request=request,
        summary=f"{len(codes)} recovery codes made",
    )
    return Enrolment(device=device, recovery_codes=codes)


def _recovery_codes_replace(*, user: User) -> list[str]:
    # Deleting the old device voids every old code at once.
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name="Recovery codes", confirmed=True)
    codes: set[str] = set()
    while len(codes) < RECOVERY_CODE_COUNT:
        codes.add(StaticToken.random_token())
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return sorted(codes)


@transaction.atomic
def recovery_codes_regenerate(*, user: User, request: HttpRequest | None = None) -> list[str]:
    if confirmed_totp_device(user) is None:
        raise ValueError("Recovery codes need two-step sign-in to be on.")
    codes = _recovery_codes_replace(user=user)
    audit_record(
        action="2fa.recovery_regenerated",
        actor=user,
        obj=user,
        request=request,
        summary=f"{len(codes)} new recovery codes made; the old ones no longer work",
    )
    return codes


def recovery_code_normalise(code: str) -> str:
    return "".join(code.split()).replace("-", "").lower()


@transaction.atomic
def recovery_code_use(
    *, user: User, code: str, request: HttpRequest | None = None
) -> StaticDevice | None:
    """Spend one recovery code. Returns the device it belonged to, or None if it is not valid.

    One DELETE decides: two requests with the same code at once cannot both succeed.
    """
    code = recovery_code_normalise(code)
    device = StaticDevice.objects.filter(user=user, confirmed=True).first()
    if device is None or not code:
        return None
    deleted, _ = StaticToken.objects.filter(device=device, token=code).delete()
    if not deleted:
        return None
    left = device.token_set.count()
    audit_record(
        action="2fa.recovery_used",
        actor=user,
        obj=user,
        request=request,
        summary=f"Signed in with a recovery code ({left} left)",
    )
    return device


def two_step_failure_record(
    *, user: User, request: HttpRequest | None = None, recovery: bool = False
) -> None:
    """A wrong code at the second step counts against the same throttle as a wrong password."""
    login_failure_record(email=user.email, ip=client_ip(request))
    audit_record(
        action="2fa.failed",
        obj=user,
        request=request,
        summary="Wrong recovery code" if recovery else "Wrong two-step code",
    )


@transaction.atomic
def totp_remove(*, user: User, request: HttpRequest | None = None, by: User | None = None) -> None:
    """Turn two-step sign-in off (by the user, or by the system admin for a lost phone)."""
    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()
    by = by or user
    audit_record(
        action="2fa.removed" if by == user else "2fa.reset",
        actor=by,
        obj=user,
        request=request,
        summary=(
            "Turned off two-step sign-in"
            if by == user
            else f"Turned off two-step sign-in for {user.email}"
        ),
    )


def reauth_stamp(*, request: HttpRequest) -> None:
    request.session[REAUTH_SESSION_KEY] = int(timezone.now().timestamp())


@transaction.atomic
def reauth_confirm(*, user: User, password: str, request: HttpRequest) -> bool:
    """Check the password again before a sensitive page; failures count as failed sign-ins."""
    if not user.check_password(password):
        login_failure_record(email=user.email, ip=client_ip(request))
        audit_record(
            action="reauth.failed",
            obj=user,
            request=request,
            summary="Wrong password when asked to confirm it",
        )
        return False
    login_success_record(email=user.email)
    reauth_stamp(request=request)
    audit_record(
        action="reauth", actor=user, obj=user, request=request, summary="Confirmed password"
    )
    return True


def session_idle_end(*, request: HttpRequest) -> None:
    """Sign a staff member out after too long without activity (the logout signal audits it)."""
    # A flag for the logout signal (signals.py reads it with getattr), not a Django attribute.
    request.signed_out_idle = True  # type: ignore[attr-defined]
    logout(request)
