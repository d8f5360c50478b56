"""The system admin's webhook pages: list, add (the secret shown once), change, rotate the
secret, the delivery log, "Send test" and "Try again". Modelled on the API token pages."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import OuterRef, Subquery
from django.http import HttpResponse, HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from coproduce.accounts import roles
from coproduce.accounts.reauth import reauth_required
from coproduce.accounts.types import AuthenticatedHttpRequest
from coproduce.core.forms import submit
from coproduce.webhooks import services
from coproduce.webhooks.forms import EndpointEditForm, EndpointForm
from coproduce.webhooks.models import DeliveryStatus, WebhookDelivery, WebhookEndpoint

# A new secret is kept in the session only until the page that shows it is read once.
SECRET_KEY = "webhooks_new_secret"


def _require(request: AuthenticatedHttpRequest) -> None:
    if not roles.can_manage_webhooks(request.user):
        raise PermissionDenied


def _admin_only(view: Callable[..., HttpResponseBase]) -> Callable[..., HttpResponseBase]:
    """Refuse everyone but the system admin before anything else (such as re-authentication)."""

    @wraps(view)
    def wrapped(request: AuthenticatedHttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        _require(request)
        return view(request, *args, **kwargs)

    return wrapped


def _show_once(request: AuthenticatedHttpRequest, endpoint: WebhookEndpoint, secret: str) -> None:
    request.session[SECRET_KEY] = [endpoint.pk, secret]


@login_required
def endpoint_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    _require(request)
    last = WebhookDelivery.objects.filter(endpoint=OuterRef("pk")).order_by("-created_at", "-pk")
    queryset = WebhookEndpoint.objects.annotate(
        last_status=Subquery(last.values("status")[:1]),
        last_at=Subquery(last.values("created_at")[:1]),
    )
    page = Paginator(queryset, 50).get_page(request.GET.get("page"))
    statuses = dict(DeliveryStatus.choices)
    rows = [(endpoint, statuses.get(endpoint.last_status or "", "")) for endpoint in page]
    return render(request, "webhooks/endpoint_list.html", {"page": page, "rows": rows})


@login_required
@_admin_only
@reauth_required
def endpoint_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = EndpointForm(request.POST or None)
    made: list[WebhookEndpoint] = []
    if request.method == "POST" and submit(
        form,
        lambda data: made.append(
            services.endpoint_create(
                url=data["url"],
                kinds=list(data["kinds"]),
                description=data["description"],
                actor=request.user,
                request=request,
            )
        ),
    ):
        _show_once(request, made[0], made[0].secret)
        return redirect("webhooks:endpoint_detail", pk=made[0].pk)
    return render(request, "webhooks/endpoint_form.html", {"form": form, "endpoint": None})


@login_required
def endpoint_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """The endpoint and its delivery log, newest first."""
    _require(request)
    endpoint = get_object_or_404(WebhookEndpoint, pk=pk)
    secret = None
    kept = request.session.get(SECRET_KEY)
    if isinstance(kept, list) and len(kept) == 2 and kept[0] == endpoint.pk:
        secret = kept[1]
        del request.session[SECRET_KEY]
    deliveries = endpoint.deliveries.select_related("event").only(
        "pk",
        "status",
        "attempts",
        "next_attempt_at",
        "last_status_code",
        "last_error",
        "delivered_at",
        "created_at",
        "endpoint_id",
        "event__id",
        "event__kind",
    )
    page = Paginator(deliveries, 50).get_page(request.GET.get("page"))
    kinds = [(kind, services.KINDS.get(kind, kind)) for kind in endpoint.kinds]
    return render(
        request,
        "webhooks/endpoint_detail.html",
        {
            "endpoint": endpoint,
            "secret": secret,
            "kinds": kinds,
            "page": page,
            "failed": DeliveryStatus.FAILED,
        },
    )


@login_required
@_admin_only
@reauth_required
def endpoint_edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    endpoint = get_object_or_404(WebhookEndpoint, pk=pk)
    initial = {
        "url": endpoint.url,
        "description": endpoint.description,
        "kinds": endpoint.kinds,
        "is_active": endpoint.is_active,
    }
    form = EndpointEditForm(request.POST or None, initial=initial)
    if request.method == "POST" and submit(
        form,
        lambda data: services.endpoint_update(
            endpoint=endpoint,
            url=data["url"],
            kinds=list(data["kinds"]),
            description=data["description"],
            is_active=data["is_active"],
            actor=request.user,
            request=request,
        ),
    ):
        messages.success(request, "Your changes are saved.")
        return redirect("webhooks:endpoint_detail", pk=endpoint.pk)
    return render(request, "webhooks/endpoint_form.html", {"form": form, "endpoint": endpoint})


@require_POST
@login_required
@_admin_only
@reauth_required
def endpoint_rotate(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    endpoint = get_object_or_404(WebhookEndpoint, pk=pk)
    secret = services.endpoint_rotate_secret(endpoint=endpoint, actor=request.user, request=request)
    _show_once(request, endpoint, secret)
    return redirect("webhooks:endpoint_detail", pk=endpoint.pk)


@require_POST
@login_required
@_admin_only
def endpoint_test(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    endpoint = get_object_or_404(WebhookEndpoint, pk=pk)
    if services.send_test(endpoint=endpoint, actor=request.user, request=request):
        messages.success(request, "A test event is on its way. It appears below.")
    else:
        messages.info(request, "A test sent moments ago is still waiting to go.")
    return redirect("webhooks:endpoint_detail", pk=endpoint.pk)


@require_POST
@login_required
@_admin_only
def delivery_retry(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    delivery = get_object_or_404(WebhookDelivery, pk=pk)
    if services.delivery_retry(delivery=delivery, actor=request.user, request=request):
        messages.success(request, "We will try to send it again now.")
    else:
        messages.info(request, "That delivery is not failed, so there is nothing to try again.")
    return redirect("webhooks:endpoint_detail", pk=delivery.endpoint_id)
