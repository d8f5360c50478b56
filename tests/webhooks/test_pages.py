"""The system admin's webhook pages: add (secret shown once), change, new secret, the delivery
log, "Send test" and "Try again"; nobody else reaches them."""

from __future__ import annotations

import re

import pytest
from django.utils import timezone

from coproduce.core.models import AuditEntry
from coproduce.webhooks import services
from coproduce.webhooks.models import (
    DeliveryStatus,
    WebhookDelivery,
    WebhookEndpoint,
    WebhookEvent,
)
from tests.conftest import PASSWORD

URL = "https://127.0.0.1:9443/hooks"


@pytest.fixture(autouse=True)
def _private_allowed(settings):
    settings.WEBHOOKS_ALLOW_PRIVATE_NETWORKS = True


def _fresh(client):
    """Confirm the password, as a system admin does before seeing or changing a secret."""
    client.post("/accounts/confirm-password/", {"password": PASSWORD})
    return client


def _form(**extra):
    data = {"url": URL, "description": "Housing system", "kinds": ["person.signed_up"]}
    data.update(extra)
    return data


def _secret(page: str) -> str:
    found = re.search(r'id="webhook-secret"[^>]*>([^<]+)<', page)
    assert found, "no secret on the page"
    return found.group(1)


def _endpoint(**extra) -> WebhookEndpoint:
    return services.endpoint_create(
        url=extra.pop("url", URL), kinds=extra.pop("kinds", ["person.signed_up"]), **extra
    )


def test_add_a_webhook_and_see_the_secret_once(login, users):
    client = _fresh(login("sam"))
    response = client.post("/webhooks/new/", _form(), follow=True)
    assert response.status_code == 200
    endpoint = WebhookEndpoint.objects.get()
    assert _secret(response.content.decode()) == endpoint.secret
    assert endpoint.kinds == ["person.signed_up"]
    assert endpoint.secret not in client.get(f"/webhooks/{endpoint.pk}/").content.decode()
    assert AuditEntry.objects.filter(
        action="webhooks.endpoint_created", object_id=str(endpoint.pk)
    ).exists()
    listing = client.get("/webhooks/").content.decode()
    assert URL in listing
    assert "Nothing sent yet" in listing


def test_the_form_offers_every_kind_but_ping(login, users):
    page = _fresh(login("sam")).get("/webhooks/new/").content.decode()
    for kind in services.KINDS:
        assert (f'value="{kind}"' in page) == (kind != "ping"), kind


def test_adding_needs_the_password_again(login, users, settings):
    settings.REAUTH_WINDOW = -1  # the password given at sign-in no longer counts
    response = login("sam").get("/webhooks/new/")
    assert response.status_code == 302
    assert "/accounts/confirm-password/" in response["Location"]


def test_bad_input_gets_a_message_and_makes_nothing(login, users):
    client = _fresh(login("sam"))
    for extra in (
        {"url": "https://example.org/\nhook"},
        {"url": "https://example.org/" + "x" * 100_000},
        {"description": "two\nlines"},
        {"description": "x" * 100_000},
        {"kinds": ["person.signed_up", "everything"]},
        {"kinds": ["ping"]},
        {"kinds": []},
        {"url": "ftp://example.org/hook"},
    ):
        response = client.post("/webhooks/new/", _form(**extra))
        assert response.status_code == 200, extra
        assert "govuk-error-summary" in response.content.decode(), extra
    assert not WebhookEndpoint.objects.exists()


def test_a_nul_byte_is_refused_before_the_form_and_makes_nothing(login, users):
    # The NUL middleware (core/middleware.py) answers every such request with a clear 400 page.
    client = _fresh(login("sam"))
    for extra in ({"url": "https://example.org/\x00hook"}, {"description": "nul\x00here"}):
        response = client.post("/webhooks/new/", _form(**extra))
        assert response.status_code == 400, extra
        assert "NUL" in response.content.decode(), extra
    assert not WebhookEndpoint.objects.exists()


def test_a_private_address_is_refused_with_check_urls_message(login, users, settings):
    settings.WEBHOOKS_ALLOW_PRIVATE_NETWORKS = False
    client = _fresh(login("sam"))
    response = client.post("/webhooks/new/", _form(url="http://10.0.0.5/hook"))
    assert "private or internal network" in response.content.decode()
    assert not WebhookEndpoint.objects.exists()


def test_adding_twice_makes_one_webhook(login, users):
    client = _fresh(login("sam"))
    first = client.post("/webhooks/new/", _form())
    second = client.post("/webhooks/new/", _form())
    assert first.status_code == 302
    assert second.status_code == 200
    assert "already a webhook for that address" in second.content.decode()
    assert WebhookEndpoint.objects.count() == 1


def test_change_a_webhook(login, users):
    endpoint = _endpoint()
    client = _fresh(login("sam"))
    response = client.post(
        f"/webhooks/{endpoint.pk}/edit/",
        _form(url=URL + "/v2", kinds=["payment.approved", "consent.withdrawn"], description=""),
    )
    assert response.status_code == 302
    endpoint.refresh_from_db()
    assert endpoint.url == URL + "/v2"
    assert endpoint.kinds == ["consent.withdrawn", "payment.approved"]
    assert endpoint.is_active is False  # the box was not ticked
    entry = AuditEntry.objects.get(action="webhooks.endpoint_updated")
    assert entry.summary == "Changed is_active, kinds, url"


def test_bad_input_on_change_changes_nothing(login, users):
    endpoint = _endpoint()
    client = _fresh(login("sam"))
    for extra in ({"url": "https://a.example/\r\nx"}, {"description": "x" * 100_000}):
        response = client.post(f"/webhooks/{endpoint.pk}/edit/", _form(is_active="on", **extra))
        assert "govuk-error-summary" in response.content.decode(), extra
    assert WebhookEndpoint.objects.get().url == URL
    assert not AuditEntry.objects.filter(action="webhooks.endpoint_updated").exists()


def test_a_new_secret_is_shown_once_and_the_old_one_stops(login, users):
    endpoint = _endpoint()
    old = endpoint.secret
    client = _fresh(login("sam"))
    response = client.post(f"/webhooks/{endpoint.pk}/rotate-secret/", follow=True)
    endpoint.refresh_from_db()
    assert _secret(response.content.decode()) == endpoint.secret != old
    assert endpoint.secret not in client.get(f"/webhooks/{endpoint.pk}/").content.decode()
    assert AuditEntry.objects.filter(action="webhooks.secret_rotated").count() == 1


def test_send_test_pings_just_that_endpoint(login, users, django_capture_on_commit_callbacks):
    endpoint = _endpoint()
    other = _endpoint(url=URL + "/other", kinds=["ping"])
    client = login("sam")
    with django_capture_on_commit_callbacks() as queued:
        response = client.post(f"/webhooks/{endpoint.pk}/test/", follow=True)
    assert "on its way" in response.content.decode()
    delivery = WebhookDelivery.objects.select_related("event").get()
    assert delivery.endpoint == endpoint
    assert delivery.event.kind == "ping"
    assert delivery.event.payload["data"] == {"endpoint_id": endpoint.pk}
    assert len(queued) == 1
    assert not other.deliveries.exists()
    # Clicking twice sends one test.
    again = client.post(f"/webhooks/{endpoint.pk}/test/", follow=True)
    assert "still waiting" in again.content.decode()
    assert WebhookDelivery.objects.count() == 1
    assert "ping" in client.get(f"/webhooks/{endpoint.pk}/").content.decode()


def test_try_again_puts_a_failed_delivery_back(login, users, django_capture_on_commit_callbacks):
    endpoint = _endpoint()
    event = WebhookEvent.objects.create(kind="person.signed_up", payload={})
    delivery = WebhookDelivery.objects.create(
        endpoint=endpoint, event=event, status=DeliveryStatus.FAILED, attempts=8
    )
    client = login("sam")
    page = client.get(f"/webhooks/{endpoint.pk}/").content.decode()
    assert f"/webhooks/deliveries/{delivery.pk}/try-again/" in page
    before = timezone.now()
    with django_capture_on_commit_callbacks() as queued:
        client.post(f"/webhooks/deliveries/{delivery.pk}/try-again/")
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.PENDING
    assert delivery.next_attempt_at >= before
    assert len(queued) == 1
    # A second click changes nothing more.
    response = client.post(f"/webhooks/deliveries/{delivery.pk}/try-again/", follow=True)
    assert "nothing to try again" in response.content.decode()
    assert AuditEntry.objects.filter(action="webhooks.delivery_retried").count() == 1


def test_the_delivery_log_is_newest_first_and_paged(login, users, django_assert_max_num_queries):
    endpoint = _endpoint()
    for number in range(55):
        event = WebhookEvent.objects.create(kind="person.signed_up", payload={"n": number})
        WebhookDelivery.objects.create(endpoint=endpoint, event=event)
    client = login("sam")
    with django_assert_max_num_queries(12):
        page = client.get(f"/webhooks/{endpoint.pk}/").content.decode()
    newest = str(WebhookEvent.objects.order_by("-created_at").first().id)
    assert newest in page
    assert "Page 1 of 2" in page
    assert "Page 2 of 2" in client.get(f"/webhooks/{endpoint.pk}/?page=2").content.decode()


def test_the_admins_menu_links_to_webhooks(login, users):
    assert 'href="/webhooks/"' in login("sam").get("/").content.decode()
    assert 'href="/webhooks/"' not in login("carol").get("/").content.decode()


@pytest.mark.parametrize("persona", ["carol", "alice", "dora", "frank"])
def test_nobody_else_reaches_the_pages(login, users, persona):
    endpoint = _endpoint()
    client = _fresh(login(persona))
    assert client.get("/webhooks/").status_code == 403
    assert client.get(f"/webhooks/{endpoint.pk}/").status_code == 403
    assert client.post("/webhooks/new/", _form(url=URL + "/x")).status_code == 403
    assert client.post(f"/webhooks/{endpoint.pk}/rotate-secret/").status_code == 403
    assert client.post(f"/webhooks/{endpoint.pk}/test/").status_code == 403
    assert WebhookEndpoint.objects.count() == 1
    assert not WebhookDelivery.objects.exists()


def test_anonymous_visitors_are_sent_to_sign_in(client, users):
    response = client.get("/webhooks/")
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]
