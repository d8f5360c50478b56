"""Making, finding and revoking API tokens. Secrets look like ``cp_<prefix>_<random>``."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone

from coproduce.api.models import ApiToken
from coproduce.api.scopes import SCOPES
from coproduce.core.audit import audit_record

if TYPE_CHECKING:
    from django.http import HttpRequest

    from coproduce.accounts.models import User

PREFIX = "cp_"
MAX_DAYS = 366


def _hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


@dataclass(frozen=True)
class NewToken:
    token: ApiToken
    secret: str


def token_create(
    *,
    name: str,
    kind: str,
    owner: User,
    scopes: list[str],
    days: int,
    created_by: User | None,
    request: HttpRequest | None = None,
) -> NewToken:
    unknown = sorted(set(scopes) - set(SCOPES))
    if unknown:
        raise ValueError(f"Unknown scope: {', '.join(unknown)}")
    if not 1 <= days <= MAX_DAYS:
        raise ValueError(f"A token lasts between 1 and {MAX_DAYS} days")
    prefix = secrets.token_hex(4)
    secret = f"{PREFIX}{prefix}_{secrets.token_urlsafe(32)}"
    with transaction.atomic():
        token = ApiToken.objects.create(
            name=name,
            kind=kind,
            owner=owner,
            created_by=created_by,
            scopes=sorted(set(scopes), key=list(SCOPES).index),
            prefix=prefix,
            key_hash=_hash(secret),
            expires_at=timezone.now() + dt.timedelta(days=days),
        )
        audit_record(
            action="api.token_created",
            actor=created_by,
            obj=token,
            summary=f"{token.name}: {', '.join(token.scopes)}; owner {owner.email}",
            request=request,
        )
    return NewToken(token=token, secret=secret)


def token_revoke(*, token: ApiToken, by: User | None, request: HttpRequest | None = None) -> bool:
    """Revoke at once; True if this call revoked it (revoking twice is one outcome)."""
    with transaction.atomic():
        changed = ApiToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(
            revoked_at=timezone.now()
        )
        if changed:
            audit_record(
                action="api.token_revoked", actor=by, obj=token, summary=token.name, request=request
            )
    token.refresh_from_db()
    return bool(changed)


def token_find(secret: str) -> ApiToken | None:
    """The live token for this secret, or None (unknown, revoked, expired, owner switched off)."""
    if not secret.startswith(PREFIX) or len(secret) > 200:
        return None
    token = (
        ApiToken.objects.select_related("owner")
        .filter(key_hash=_hash(secret), revoked_at__isnull=True, expires_at__gt=timezone.now())
        .first()
    )
    if token is None or not token.owner.is_active:
        return None
    return token
