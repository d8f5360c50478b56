"""Writing to the audit log. Every staff view or change of a person's record goes through here."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.conf import settings

from coproduce.core.models import AuditEntry

if TYPE_CHECKING:
    from django.http import HttpRequest

    from coproduce.accounts.models import User


def client_ip(request: HttpRequest | None) -> str | None:
    if request is None:
        return None
    # Behind TRUSTED_PROXIES proxies, REMOTE_ADDR is the nearest proxy: the visitor is the
    # address that many entries from the right of X-Forwarded-For (each proxy appends the one
    # it saw). Entries further left are whatever the visitor chose to send, so never trusted.
    proxies = settings.TRUSTED_PROXIES
    if proxies:
        forwarded = [a.strip() for a in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
        forwarded = [a for a in forwarded if a]
        if len(forwarded) >= proxies:
            return forwarded[-proxies]
    return request.META.get("REMOTE_ADDR") or None


def audit_record(
    *,
    action: str,
    actor: User | None = None,
    obj: Any = None,
    object_type: str = "",
    object_id: str | int = "",
    summary: str = "",
    request: HttpRequest | None = None,
) -> AuditEntry:
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = object_id or obj.pk
    if actor is None and request is not None and request.user.is_authenticated:
        actor = request.user
    if actor is not None and not getattr(actor, "is_authenticated", False):
        actor = None
    return AuditEntry.objects.create(
        action=action,
        actor=actor,
        # Staff only: a tenant's email would outlive their erasure in this append-only log.
        # Their actions are still traceable through `actor`, a login renamed on erasure.
        actor_email=getattr(actor, "email", "")
        if actor and getattr(actor, "is_staff_member", False)
        else "",
        object_type=object_type,
        object_id=str(object_id),
        summary=summary[:500],
        ip_address=client_ip(request),
        user_agent=(request.META.get("HTTP_USER_AGENT", "")[:300] if request else ""),
    )
