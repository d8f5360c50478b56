from __future__ import annotations

from typing import Any

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from coproduce.core.audit import audit_record


@receiver(user_logged_in)
def _audit_login(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    audit_record(action="login", actor=user, obj=user, request=request, summary="Signed in")


@receiver(user_logged_out)
def _audit_logout(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    if user is not None:
        audit_record(action="logout", actor=user, obj=user, request=request, summary="Signed out")


@receiver(user_login_failed)
def _audit_login_failed(
    sender: Any, credentials: dict[str, Any], request: Any = None, **kwargs: Any
) -> None:
    email = str(credentials.get("username") or credentials.get("email") or "")[:254]
    audit_record(
        action="login.failed",
        object_type="accounts.user",
        summary=f"Failed sign-in for {email}",
        request=request,
    )
