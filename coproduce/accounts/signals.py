from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver
from django.utils import timezone

from coproduce.accounts import roles
from coproduce.accounts.middleware import LAST_SEEN_KEY
from coproduce.accounts.services import reauth_stamp
from coproduce.core.audit import audit_record

if TYPE_CHECKING:
    from django.http import HttpRequest

    from coproduce.accounts.models import User


@receiver(user_logged_in)
def _audit_login(sender: Any, request: HttpRequest | None, user: User, **kwargs: Any) -> None:
    audit_record(action="login", actor=user, obj=user, request=request, summary="Signed in")
    # Every way of signing in here takes the password, so a fresh sign-in also counts as
    # having just confirmed it (reauth.py).
    if request is not None and hasattr(request, "session"):
        reauth_stamp(request=request)
        if roles.is_staff_member(user):
            # Signing in is activity: the staff idle clock starts now, with no extra session
            # write on the first page.
            request.session[LAST_SEEN_KEY] = int(timezone.now().timestamp())


@receiver(user_logged_out)
def _audit_logout(sender: Any, request: HttpRequest, user: User | None, **kwargs: Any) -> None:
    if user is None:
        return
    if getattr(request, "signed_out_idle", False):
        minutes = settings.STAFF_IDLE_TIMEOUT // 60
        audit_record(
            action="logout.idle",
            actor=user,
            obj=user,
            request=request,
            summary=f"Signed out after {minutes} minutes without activity",
        )
        return
    audit_record(action="logout", actor=user, obj=user, request=request, summary="Signed out")


@receiver(user_login_failed)
def _audit_login_failed(
    sender: Any, credentials: dict[str, Any], request: HttpRequest | None = None, **kwargs: Any
) -> None:
    email = str(credentials.get("username") or credentials.get("email") or "")[:254]
    # Filed under the account it was aimed at (if there is one), so it shows in that
    # person's sign-in history.
    user_id = (
        get_user_model().objects.filter(email__iexact=email).values_list("pk", flat=True).first()
        if email
        else None
    )
    audit_record(
        action="login.failed",
        object_type="accounts.user",
        object_id=user_id or "",
        # An attempt on a real account is filed under it and names nobody, so an erased
        # person's email is not kept; an unknown address is kept as typed (security record).
        summary="Failed sign-in" if user_id else f"Failed sign-in for unknown address {email}",
        request=request,
    )
