"""Ask staff for their password again before exports and before equality answers.

A sign-in counts as entering the password (signals.py); after REAUTH_WINDOW seconds the next
protected page asks again. The two-step code is not asked again: the session already has it.
Tenants are not asked: the pages they reach this way hold only their own data.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest
from django.http.response import HttpResponseBase
from django.urls import reverse
from django.utils import timezone

from coproduce.accounts import roles
from coproduce.accounts.redirects import current_path, redirect_to, with_next
from coproduce.accounts.services import REAUTH_SESSION_KEY


def reauth_is_fresh(request: HttpRequest) -> bool:
    stamped = request.session.get(REAUTH_SESSION_KEY)
    if not isinstance(stamped, int):
        return False
    age = int(timezone.now().timestamp()) - stamped
    return 0 <= age <= settings.REAUTH_WINDOW


def reauth_required(view: Callable[..., HttpResponseBase]) -> Callable[..., HttpResponseBase]:
    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if roles.is_staff_member(request.user) and not reauth_is_fresh(request):
            return redirect_to(
                request, with_next(reverse("accounts:reauth"), current_path(request))
            )
        return view(request, *args, **kwargs)

    return wrapped
