from __future__ import annotations

import base64

import segno
from django.contrib import messages
from django.contrib.auth import get_user_model, login, logout
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST
from django_otp import login as otp_login

from coproduce.accounts import roles, services
from coproduce.accounts.forms import LoginForm, TokenForm
from coproduce.core.audit import client_ip

PENDING_KEY = "pending_2fa_user"
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
        return redirect("core:home")
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
        request, "accounts/login.html", {"form": form, "next": _next_url(request)}, status=status
    )


@never_cache
def login_verify(request: HttpRequest) -> HttpResponse:
    user_id = request.session.get(PENDING_KEY)
    user = get_user_model().objects.filter(pk=user_id, is_active=True).first() if user_id else None
    if user is None:
        return redirect("accounts:login")
    form = TokenForm(request.POST or None)
    status = 200
    if request.method == "POST":
        ip = client_ip(request)
        device = services.confirmed_totp_device(user)
        if services.login_is_throttled(email=user.email, ip=ip):
            messages.error(request, THROTTLED)
            status = 429
        elif (
            form.is_valid()
            and device is not None
            and device.verify_token(form.cleaned_data["token"])
        ):
            next_url = request.session.pop("pending_next", "/")
            request.session.pop(PENDING_KEY, None)
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            otp_login(request, device)
            return redirect(next_url)
        else:
            services.login_failure_record(email=user.email, ip=ip)
            if form.is_valid():
                form.add_error("token", "That code is not right. Codes change every 30 seconds.")
    return render(request, "accounts/login_verify.html", {"form": form}, status=status)


@require_POST
def logout_view(request: HttpRequest) -> HttpResponse:
    logout(request)
    messages.success(request, "You have signed out.")
    return redirect("accounts:login")


@login_required
def security(request: HttpRequest) -> HttpResponse:
    user = request.user
    device = services.confirmed_totp_device(user)
    context: dict[str, object] = {"device": device, "can_enrol": roles.is_staff_member(user)}
    if device is None and roles.is_staff_member(user):
        pending = services.totp_enrolment_start(user=user)
        qr = segno.make(pending.config_url, error="m")
        context["qr_svg"] = qr.svg_inline(scale=4, title="QR code for your authenticator app")
        context["secret"] = base64.b32encode(pending.bin_key).decode()
        form = TokenForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            if services.totp_enrolment_confirm(
                user=user, token=form.cleaned_data["token"], request=request
            ):
                messages.success(request, "Two-step sign-in is on.")
                return redirect("accounts:security")
            form.add_error(
                "token",
                "That code is not right. Check the time on your phone and try the newest code.",
            )
        context["form"] = form
    return render(request, "accounts/security.html", context)


@require_POST
@login_required
def security_remove(request: HttpRequest) -> HttpResponse:
    services.totp_remove(user=request.user, request=request)
    messages.success(request, "Two-step sign-in is off.")
    return redirect("accounts:security")
