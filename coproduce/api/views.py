"""The system admin's pages for API tokens: list, make (the secret shown once), see, revoke."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpResponse, HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from coproduce.accounts import roles
from coproduce.accounts.reauth import reauth_required
from coproduce.accounts.types import AuthenticatedHttpRequest
from coproduce.api import tokens
from coproduce.api.forms import TokenForm
from coproduce.api.models import ApiToken
from coproduce.api.scopes import SCOPES
from coproduce.core.forms import submit

# The new secret is kept in the session only until the page that shows it is read once.
SECRET_KEY = "api_new_token_secret"


def _require(request: AuthenticatedHttpRequest) -> None:
    if not roles.can_manage_accounts(request.user):
        raise PermissionDenied


def _admin_only(view: Callable[..., HttpResponseBase]) -> Callable[..., HttpResponseBase]:
    """Refuse everyone but the system admin before anything else (such as re-authentication)."""

    @wraps(view)
    def wrapped(request: AuthenticatedHttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        _require(request)
        return view(request, *args, **kwargs)

    return wrapped


@login_required
def token_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    _require(request)
    queryset = ApiToken.objects.select_related("owner")
    page = Paginator(queryset, 50).get_page(request.GET.get("page"))
    return render(request, "api/token_list.html", {"page": page})


@login_required
@_admin_only
@reauth_required
def token_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = TokenForm(request.POST or None)
    made: list[tokens.NewToken] = []
    if request.method == "POST" and submit(
        form,
        lambda data: made.append(
            tokens.token_create(
                name=data["name"],
                kind=data["kind"],
                owner=data["owner"],
                scopes=list(data["scopes"]),
                days=data["days"],
                created_by=request.user,
                request=request,
            )
        ),
    ):
        request.session[SECRET_KEY] = [made[0].token.pk, made[0].secret]
        return redirect("api:token_detail", pk=made[0].token.pk)
    return render(request, "api/token_form.html", {"form": form})


@login_required
def token_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    _require(request)
    token = get_object_or_404(ApiToken.objects.select_related("owner", "created_by"), pk=pk)
    secret = None
    kept = request.session.get(SECRET_KEY)
    if isinstance(kept, list) and len(kept) == 2 and kept[0] == token.pk:
        secret = kept[1]
        del request.session[SECRET_KEY]
    scopes = [(scope, SCOPES.get(scope, scope)) for scope in token.scopes]
    return render(
        request, "api/token_detail.html", {"token": token, "secret": secret, "scopes": scopes}
    )


@require_POST
@login_required
@_admin_only
@reauth_required
def token_revoke(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    token = get_object_or_404(ApiToken, pk=pk)
    if tokens.token_revoke(token=token, by=request.user, request=request):
        messages.success(request, f"{token.name} is revoked. It stopped working at once.")
    else:
        messages.info(request, f"{token.name} was already revoked.")
    return redirect("api:token_detail", pk=token.pk)
