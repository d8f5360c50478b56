"""Bearer tokens with scopes. No token (or a dead one) is 401; a live token without the
operation's scope is 403. Every authenticated use is audited and counted against the token's
rate limit."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.utils import timezone
from ninja.security import HttpBearer

from coproduce.api.models import ApiToken
from coproduce.api.problems import ApiProblem
from coproduce.api.scopes import SCOPES
from coproduce.api.tokens import token_find
from coproduce.core import ratelimit
from coproduce.core.audit import audit_record

WINDOW_SECONDS = 60
LAST_USED_EVERY = 60  # seconds: don't write last_used_at on every call


class Scoped(HttpBearer):
    """Auth for one operation: a live token carrying ``scope``."""

    def __init__(self, scope: str) -> None:
        if scope not in SCOPES:
            raise ValueError(f"Unknown scope {scope}")
        self.scope = scope
        super().__init__()

    def authenticate(self, request: HttpRequest, token: str) -> ApiToken | None:
        found = token_find(token.strip())
        if found is None:
            return None
        limit = int(getattr(settings, "API_RATE_LIMIT", 600))
        if ratelimit.hit("api", str(found.pk), WINDOW_SECONDS) > limit:
            raise ApiProblem(
                429,
                f"This token made more than {limit} requests in a minute. Wait a minute and "
                "try again.",
                headers={"Retry-After": str(WINDOW_SECONDS)},
            )
        audit_record(
            action="api.request",
            actor=found.owner,
            obj=found,
            summary=f"{request.method} {request.path}"[:500],
            request=request,
        )
        now = timezone.now()
        if found.last_used_at is None or (now - found.last_used_at).total_seconds() > (
            LAST_USED_EVERY
        ):
            ApiToken.objects.filter(pk=found.pk).update(last_used_at=now)
        if self.scope not in found.scopes:
            raise ApiProblem(
                403,
                f"This token does not have the {self.scope} scope. Ask the system admin for a "
                "token that has it.",
                slug="missing-scope",
            )
        return found


def scoped(scope: str) -> Any:
    return Scoped(scope)


def token_of(request: HttpRequest) -> ApiToken:
    token = getattr(request, "auth", None)
    assert isinstance(token, ApiToken)
    return token
