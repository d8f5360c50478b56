from __future__ import annotations

import base64
import secrets
from typing import Any
from urllib.parse import urlencode

import requests
import segno
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model, login, logout
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, SuspiciousOperation
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST
from django_otp import login as otp_login
from django_otp.models import Device

from coproduce.accounts import roles, selectors, services, sso
from coproduce.accounts.forms import LoginForm, ReauthForm, RecoveryCodeForm, TokenForm
from coproduce.accounts.models import User
from coproduce.accounts.reauth import reauth_required
from coproduce.accounts.redirects import with_next
from coproduce.accounts.types import AuthenticatedHttpRequest
from coproduce.core.audit import audit_record, client_ip

PENDING_KEY = "pending_2fa_user"
PASSWORDS_OFF = (
    "Staff sign in with their organisation account. Use the “Sign in with …” button on this page."
)
THROTTLED = (
    "Too many attempts to sign in. For your security, please wait 15 minutes and try "
    "again, or reset your password."
)


def _next_url(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return "/"


@sensitive_post_parameters("password")
@never_cache
def login_view(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect("home:home")
    form = LoginForm(request, data=request.POST or None)
    status = 200
    if request.method == "POST":
        email = request.POST.get("username", "").strip().lower()
        ip = client_ip(request)
        if services.login_is_throttled(email=email, ip=ip):
            form = LoginForm(request)
            form.is_bound = False
            messages.error(request, THROTTLED)
            status = 429
        elif form.is_valid() and sso.passwords_refused(form.get_user()):
            # Only someone who knows the password learns that this account uses SSO.
            form = LoginForm(request)
            form.is_bound = False
            messages.error(request, PASSWORDS_OFF)
            sso.refusal_record(
                request=request,
                provider=None,
                refused=sso.Refused(PASSWORDS_OFF, "password sign-in is off for staff", user=None),
            )
        elif form.is_valid():
            user = form.get_user()
            services.login_success_record(email=email)
            if services.confirmed_totp_device(user) is not None:
                request.session[PENDING_KEY] = user.pk
                request.session["pending_next"] = _next_url(request)
                return redirect("accounts:login_verify")
            login(request, user)
            return redirect(_next_url(request))
        else:
            services.login_failure_record(email=email, ip=ip)
    return render(
        request,
        "accounts/login.html",
        {"form": form, "next": _next_url(request), "sso_providers": sso.configured()},
        status=status,
    )


def _second_step_user(request: HttpRequest) -> User | None:
    """Who is at the second step: someone who just gave their password, or a signed-in
    staff member whose session has not had its code yet."""
    user = request.user
    if user.is_authenticated:
        return None if getattr(user, "is_verified", lambda: False)() else user
    user_id = request.session.get(PENDING_KEY)
    if not user_id:
        return None
    return get_user_model().objects.filter(pk=user_id, is_active=True).first()


def _second_step_done(request: HttpRequest, user: User, device: Device) -> HttpResponse:
    next_url = request.session.pop("pending_next", None) or _next_url(request)
    request.session.pop(PENDING_KEY, None)
    if not request.user.is_authenticated:
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
    otp_login(request, device)
    return redirect(next_url)


@never_cache
def login_verify(request: HttpRequest) -> HttpResponse:
    user = _second_step_user(request)
    if user is None:
        return redirect("home:home" if request.user.is_authenticated else "accounts:login")
    device = services.confirmed_totp_device(user)
    if device is None:
        return redirect("accounts:login")
    form = TokenForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if services.login_is_throttled(email=user.email, ip=client_ip(request)):
            messages.error(request, THROTTLED)
            status = 429
        elif form.is_valid() and device.verify_token(form.cleaned_data["token"]):
            return _second_step_done(request, user, device)
        else:
            services.two_step_failure_record(user=user, request=request)
            if form.is_valid():
                form.add_error("token", "That code is not right. Codes change every 30 seconds.")
    return render(
        request,
        "accounts/login_verify.html",
        {"form": form, "next": _next_url(request)},
        status=status,
    )


@never_cache
def login_recovery(request: HttpRequest) -> HttpResponse:
    user = _second_step_user(request)
    if user is None:
        return redirect("home:home" if request.user.is_authenticated else "accounts:login")
    form = RecoveryCodeForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if services.login_is_throttled(email=user.email, ip=client_ip(request)):
            messages.error(request, THROTTLED)
            status = 429
        elif form.is_valid() and (
            device := services.recovery_code_use(
                user=user, code=form.cleaned_data["code"], request=request
            )
        ):
            left = selectors.recovery_codes_left(user)
            messages.warning(
                request,
                f"You used a recovery code. You have {left} left. "
                "Make new ones on “Your account” if you are running low.",
            )
            return _second_step_done(request, user, device)
        else:
            services.two_step_failure_record(user=user, request=request, recovery=True)
            if form.is_valid():
                form.add_error(
                    "code", "That recovery code is not right, or it has been used already."
                )
    return render(
        request,
        "accounts/login_recovery.html",
        {"form": form, "next": _next_url(request)},
        status=status,
    )


@require_POST
def logout_view(request: HttpRequest) -> HttpResponse:
    logout(request)
    messages.success(request, "You have signed out.")
    return redirect("accounts:login")


def _two_step_required(user: User) -> bool:
    return bool(settings.STAFF_TWO_STEP_REQUIRED) and roles.must_use_two_step(user)


@login_required
def security(request: AuthenticatedHttpRequest) -> HttpResponse:
    user = request.user
    device = services.confirmed_totp_device(user)
    required = _two_step_required(user)
    context: dict[str, object] = {
        "device": device,
        "can_enrol": roles.is_staff_member(user),
        "required": required,
        "next": _next_url(request),
        "history": selectors.sign_in_history(user=user, limit=20),
        "can_manage_accounts": roles.can_manage_accounts(user),
    }
    if device is not None:
        context["codes_left"] = selectors.recovery_codes_left(user)
    if device is None and roles.is_staff_member(user):
        pending = services.totp_enrolment_start(user=user)
        qr = segno.make(pending.config_url, error="m")
        context["qr_svg"] = qr.svg_inline(scale=4, title="QR code for your authenticator app")
        context["secret"] = base64.b32encode(pending.bin_key).decode()
        form = TokenForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            enrolment = services.totp_enrolment_confirm(
                user=user, token=form.cleaned_data["token"], request=request
            )
            if enrolment is not None:
                # This session has just shown the code, so it counts as verified.
                otp_login(request, enrolment.device)
                return render(
                    request,
                    "accounts/recovery_codes.html",
                    {"codes": enrolment.recovery_codes, "next": _next_url(request), "new": True},
                )
            form.add_error(
                "token",
                "That code is not right. Check the time on your phone and try the newest code.",
            )
        context["form"] = form
    return render(request, "accounts/security.html", context)


@require_POST
@login_required
@reauth_required
def recovery_codes_regenerate(request: AuthenticatedHttpRequest) -> HttpResponse:
    try:
        codes = services.recovery_codes_regenerate(user=request.user, request=request)
    except ValueError:
        messages.error(request, "Turn on two-step sign-in first.")
        return redirect("accounts:security")
    return render(
        request, "accounts/recovery_codes.html", {"codes": codes, "next": "/", "new": False}
    )


@require_POST
@login_required
@reauth_required
def security_remove(request: AuthenticatedHttpRequest) -> HttpResponse:
    services.totp_remove(user=request.user, request=request)
    if _two_step_required(request.user):
        messages.success(
            request, "Your old phone no longer works for signing in. Set up your new one now."
        )
    else:
        messages.success(request, "Two-step sign-in is off.")
    return redirect("accounts:security")


@sensitive_post_parameters("password")
@never_cache
@login_required
def reauth(request: AuthenticatedHttpRequest) -> HttpResponse:
    user = request.user
    form = ReauthForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if sso.passwords_refused(user):
            # Their sign-in is the organisation's: a password here would be a way round it.
            form = ReauthForm()
            messages.error(request, "Confirm who you are with your organisation's account.")
            status = 400
        elif services.login_is_throttled(email=user.email, ip=client_ip(request)):
            form = ReauthForm()
            messages.error(request, THROTTLED)
            status = 429
        elif form.is_valid():
            if services.reauth_confirm(
                user=user, password=form.cleaned_data["password"], request=request
            ):
                return redirect(_next_url(request))
            form.add_error("password", "That password is not right. Check it and try again.")
    return render(
        request,
        "accounts/reauth.html",
        {
            "form": form,
            "next": _next_url(request),
            "providers": sso.providers_for(user),
            "password_refused": sso.passwords_refused(user),
        },
        status=status,
    )


# The system admin's view of accounts ---------------------------------------------------------


def _require_account_manager(request: HttpRequest) -> None:
    if not roles.can_manage_accounts(request.user):
        raise PermissionDenied


@login_required
def account_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    _require_account_manager(request)
    page = Paginator(selectors.accounts_for_admin(), 50).get_page(request.GET.get("page"))
    return render(request, "accounts/account_list.html", {"page": page, "query": ""})


@login_required
def account_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    _require_account_manager(request)
    account = get_object_or_404(selectors.accounts_for_admin(), pk=pk)
    return render(
        request,
        "accounts/account_detail.html",
        {
            "account": account,
            "history": selectors.sign_in_history(user=account, limit=50),
            "required": _two_step_required(account),
        },
    )


@require_POST
@login_required
@reauth_required
def account_two_step_reset(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    _require_account_manager(request)
    account = get_object_or_404(get_user_model(), pk=pk)
    services.totp_remove(user=account, request=request, by=request.user)
    messages.success(
        request,
        f"Two-step sign-in is off for {account}. They will set it up again when they next sign in.",
    )
    return redirect("accounts:account_detail", pk=account.pk)


# Single sign-on (sso.py, docs/sso.md) ---------------------------------------------------------


def _sso_provider_or_404(key: str) -> sso.Provider:
    if key not in settings.SSO_PROVIDERS:
        raise Http404
    try:
        provider = sso.provider_get(key)
    except (requests.RequestException, ValueError):
        provider = None
    if provider is None or not provider.authorization_endpoint:
        raise _SsoUnavailable(settings.SSO_PROVIDERS[key]["name"])
    return provider


class _SsoUnavailable(Exception):
    def __init__(self, name: str) -> None:
        super().__init__(name)
        self.name = name


def _back_to_login(request: HttpRequest, message: str, next_url: str = "") -> HttpResponse:
    messages.error(request, message)
    target = reverse("accounts:login")
    if next_url and next_url != "/":
        target = f"{target}?{urlencode({'next': next_url})}"
    return redirect(target)


@require_POST
@never_cache
def sso_start(request: HttpRequest, provider: str) -> HttpResponse:
    if not sso.is_on():
        raise Http404
    if request.user.is_authenticated:
        return redirect("home:home")
    try:
        chosen = _sso_provider_or_404(provider)
    except _SsoUnavailable as exc:
        return _back_to_login(request, sso.FAILED.format(provider=exc.name))
    if services.sso_is_throttled(ip=client_ip(request)):
        return _back_to_login(request, THROTTLED)
    redirect_uri = request.build_absolute_uri(reverse("accounts:sso_callback"))
    return redirect(
        sso.authorization_url(
            request=request, provider=chosen, redirect_uri=redirect_uri, next_url=_next_url(request)
        )
    )


@require_POST
@never_cache
@login_required
def sso_confirm(request: AuthenticatedHttpRequest, provider: str) -> HttpResponse:
    """Confirm who you are with the organisation's provider instead of a password (reauth.py):
    for staff whose sign-in is single sign-on. Only a provider this login has used is offered."""
    if provider not in dict(sso.providers_for(request.user)):
        raise Http404
    try:
        chosen = _sso_provider_or_404(provider)
    except _SsoUnavailable as exc:
        messages.error(request, sso.FAILED.format(provider=exc.name))
        return redirect(with_next(reverse("accounts:reauth"), _next_url(request)))
    redirect_uri = request.build_absolute_uri(reverse("accounts:sso_callback"))
    return redirect(
        sso.authorization_url(
            request=request,
            provider=chosen,
            redirect_uri=redirect_uri,
            next_url=_next_url(request),
            confirming=request.user.pk,
        )
    )


def _sso_confirmed(
    request: HttpRequest, flow: dict[str, Any], provider: sso.Provider, user: User
) -> HttpResponse:
    """The end of sso_confirm: the same person, signed in afresh at the provider."""
    next_url = str(flow.get("next") or "/")
    if not request.user.is_authenticated or request.user.pk != flow.get("confirming"):
        return _back_to_login(request, "Sign in again to carry on.", next_url)
    if user.pk != request.user.pk:
        sso.refusal_record(
            request=request,
            provider=provider,
            refused=sso.Refused(
                f"You confirmed as a different {provider.name} account. Use your own.",
                "confirmed as another account",
                user=request.user,
            ),
        )
        messages.error(
            request, f"You confirmed as a different {provider.name} account. Use your own."
        )
        return redirect(with_next(reverse("accounts:reauth"), next_url))
    services.reauth_stamp(request=request)
    audit_record(
        action="reauth",
        actor=user,
        obj=user,
        request=request,
        summary=f"Confirmed with {provider.name}",
    )
    return redirect(next_url)


def _sso_failed(
    request: HttpRequest, flow: dict[str, Any], message: str, next_url: str
) -> HttpResponse:
    """Back to where the person started: the sign-in page, or "confirm it is you" when they
    were confirming (they are still signed in)."""
    if flow.get("confirming") is not None and request.user.is_authenticated:
        messages.error(request, message)
        return redirect(with_next(reverse("accounts:reauth"), next_url))
    return _back_to_login(request, message, next_url)


@never_cache
def sso_callback(request: HttpRequest) -> HttpResponse:
    if not sso.is_on():
        raise Http404
    flow = request.session.pop(sso.FLOW_KEY, None)
    if not isinstance(flow, dict) or flow.get("provider") not in settings.SSO_PROVIDERS:
        return _back_to_login(
            request, "That sign-in link has expired or was already used. Start again."
        )
    next_url = str(flow.get("next") or "/")
    name = settings.SSO_PROVIDERS[flow["provider"]]["name"]
    state = request.GET.get("state", "")
    code = request.GET.get("code", "")
    ip = client_ip(request)
    if not state or not secrets.compare_digest(state, str(flow.get("state", ""))) or not code:
        # The person cancelled at the provider, or the link is not ours.
        return _sso_failed(request, flow, sso.FAILED.format(provider=name), next_url)
    provider: sso.Provider | None = None
    try:
        provider = _sso_provider_or_404(flow["provider"])
        claims = sso.ProviderBackend(provider).claims(
            code=code,
            redirect_uri=str(flow["redirect_uri"]),
            nonce=str(flow["nonce"]),
            verifier=str(flow["verifier"]),
        )
        user = sso.staff_match(provider, claims)
    except sso.Refused as refused:
        sso.refusal_record(request=request, provider=provider, refused=refused)
        services.sso_failure_record(ip=ip)
        return _sso_failed(request, flow, refused.message, next_url)
    except (_SsoUnavailable, requests.RequestException, SuspiciousOperation, ValueError) as exc:
        failed = sso.Refused(sso.FAILED.format(provider=name), f"failed: {type(exc).__name__}")
        sso.refusal_record(request=request, provider=provider, refused=failed)
        return _sso_failed(request, flow, failed.message, next_url)
    if flow.get("confirming") is not None:
        return _sso_confirmed(request, flow, provider, user)
    audit_record(
        action="sso.signed_in",
        actor=user,
        obj=user,
        request=request,
        summary=f"Signed in with {provider.name}",
    )
    if not sso.provider_did_mfa(claims) and services.confirmed_totp_device(user) is not None:
        # The provider did not say it asked for a second step: ours still applies.
        request.session[PENDING_KEY] = user.pk
        request.session["pending_next"] = next_url
        return redirect("accounts:login_verify")
    login(request, user, backend="django.contrib.auth.backends.ModelBackend")
    if sso.provider_did_mfa(claims):
        request.session[sso.MFA_KEY] = True
    return redirect(next_url)
