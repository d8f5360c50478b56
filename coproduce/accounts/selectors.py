"""Reads for accounts: sign-in history comes from the audit log, not a second table."""

from __future__ import annotations

from typing import Any

from django.db.models import Exists, OuterRef, QuerySet
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from coproduce.accounts.models import User
from coproduce.core.models import AuditEntry

# Audit actions that make up a sign-in history, with the words shown for each.
SIGN_IN_EVENTS = {
    "login": "Signed in",
    "login.failed": "Wrong password",
    "2fa.failed": "Wrong two-step code",
    "2fa.recovery_used": "Used a recovery code",
    "reauth": "Confirmed password",
    "reauth.failed": "Wrong password when confirming",
    "logout": "Signed out",
    "logout.idle": "Signed out (no activity)",
}
FAILURES = {"login.failed", "2fa.failed", "reauth.failed"}


def sign_in_history(*, user: User, limit: int = 20) -> list[dict[str, Any]]:
    entries = AuditEntry.objects.filter(
        object_type=User._meta.label_lower,
        object_id=str(user.pk),
        action__in=SIGN_IN_EVENTS,
    ).only("at", "action", "ip_address", "user_agent", "summary")[:limit]
    return [
        {
            "at": entry.at,
            "event": SIGN_IN_EVENTS[entry.action],
            "failed": entry.action in FAILURES,
            "ip_address": entry.ip_address or "Not known",
            "user_agent": entry.user_agent,
        }
        for entry in entries
    ]


def recovery_codes_left(user: User) -> int:
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


def accounts_for_admin() -> QuerySet[User]:
    confirmed = TOTPDevice.objects.filter(user=OuterRef("pk"), confirmed=True)
    return User.objects.annotate(two_step=Exists(confirmed)).order_by("full_name", "email")
