"""Staff sessions: signed out when idle, and kept to two-step set-up until it is done.

Runs after AuthenticationMiddleware, OTPMiddleware and MessageMiddleware.
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils import timezone

from coproduce.accounts import roles, services
from coproduce.accounts.redirects import current_path, redirect_to, with_next

LAST_SEEN_KEY = "staff_last_seen"
# Same value as sso.MFA_KEY (sso imports models, which this module must not).
SSO_MFA_KEY = "sso_mfa"


def idle_message(seconds: int) -> str:
    minutes = max(1, round(seconds / 60))
    plural = "" if minutes == 1 else "s"
    return f"You were signed out after {minutes} minute{plural} without activity."


class StaffSecurityMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if self._always_open(request.path_info):
            return self.get_response(request)
        user = request.user
        if user.is_authenticated and roles.is_staff_member(user):
            response = self._idle(request) or self._two_step(request)
            if response is not None:
                return response
        return self.get_response(request)

    @staticmethod
    def _always_open(path: str) -> bool:
        return path.startswith(settings.STATIC_URL) or path == reverse("healthz")

    def _idle(self, request: HttpRequest) -> HttpResponse | None:
        timeout = settings.STAFF_IDLE_TIMEOUT
        if timeout <= 0:
            return None
        now = int(timezone.now().timestamp())
        last_seen = request.session.get(LAST_SEEN_KEY)
        if isinstance(last_seen, int) and now - last_seen > timeout:
            back_to = current_path(request)
            services.session_idle_end(request=request)
            messages.info(request, idle_message(timeout))
            return redirect_to(request, with_next(reverse("accounts:login"), back_to))
        # Saving the session on every request would be a write per click; a minute's
        # precision is enough for a half-hour limit.
        if not isinstance(last_seen, int) or now - last_seen >= min(60, max(1, timeout // 30)):
            request.session[LAST_SEEN_KEY] = now
        return None

    def _two_step(self, request: HttpRequest) -> HttpResponse | None:
        user = request.user
        # An anonymous visitor has no role, so is never asked for a code.
        if (
            not settings.STAFF_TWO_STEP_REQUIRED
            or not user.is_authenticated
            or not roles.must_use_two_step(user)
        ):
            return None
        if getattr(user, "is_verified", lambda: False)():
            return None
        if request.session.get(SSO_MFA_KEY):
            # Signed in with the organisation's provider, which asked for its own second step
            # (sso.provider_did_mfa, docs/sso.md).
            return None
        path = request.path_info
        if services.confirmed_totp_device(user) is not None:
            # Set up already: the code (or a recovery code) is the only way on.
            target = reverse("accounts:login_verify")
            open_paths = {target, reverse("accounts:login_recovery")}
        else:
            target = reverse("accounts:security")
            open_paths = {target}
        open_paths.add(reverse("accounts:logout"))
        if path in open_paths:
            return None
        return redirect_to(request, with_next(target, current_path(request)))
