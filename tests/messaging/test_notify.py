"""Texts and letters through GOV.UK Notify, and Notify's delivery receipts coming back.

The real `notifications-python-client` talks HTTP to a local server that speaks Notify's API
(tests/support/notify_server.py, the `notify` fixture): what it received is what went on the wire.
"""

from __future__ import annotations

import datetime as dt
import json
from zoneinfo import ZoneInfo

import jwt
import pytest
import requests
from django.urls import reverse
from django.utils import timezone

from coproduce.messaging import services
from coproduce.messaging.models import Channel, ContactPreference, Message, Status
from coproduce.people.models import Person

UK = ZoneInfo("Europe/London")
NOON = dt.datetime(2026, 12, 4, 12, 0, tzinfo=UK)
CONTEXT = {
    "title": "Repairs panel",
    "when": "Tuesday 8 December, 6pm",
    "where": "Oak Hall",
    "reply_url": "http://localhost:8000/sessions/invitations/1/reply/",
}


def person(**fields) -> Person:
    values = {"first_name": "Ada", "last_name": "Lovelace", "contact_consent": True} | fields
    return Person.objects.create(**values)


def texter(**fields) -> Person:
    who = person(phone="07700 900123", address="1 Oak Street", postcode="AB1 2CD", **fields)
    ContactPreference.objects.create(person=who, channels=["text", "letter"])
    return who


def send(who: Person, key: str = "invitation:1") -> Message:
    return services.send(kind="invitation", person=who, key=key, context=CONTEXT, now=NOON)


# --- sending ---------------------------------------------------------------------------------


def test_a_text_goes_through_the_real_client_with_the_exact_wire_content(db, notify):
    m = send(texter())
    assert services.deliver(m.pk, now=NOON) == Status.SENT
    [wire] = notify.sent("sms")
    assert wire == {
        "phone_number": "+447700900123",
        "template_id": notify.sms_template_id,
        "personalisation": {"body": m.body},
        "reference": "invitation:1",
    }
    assert m.body.startswith('Hello Ada, you are invited to "Repairs panel"')
    m.refresh_from_db()
    assert m.provider_id in notify.notifications
    assert (m.status, m.sent_at, m.attempts) == (Status.SENT, NOON, 1)
    # The token was checked: HS256, issued by our service.
    [request] = notify.requests
    assert request.claims["iss"] == notify.service_id


def test_notify_answering_500_is_tried_again_and_then_sent(db, notify):
    m = send(texter())
    notify.fail_for("07700 900123", 500, times=1)
    assert services.deliver(m.pk, now=NOON) == Status.QUEUED
    m.refresh_from_db()
    assert m.failure == "Notify answered 500: Internal server error"
    assert m.send_after == NOON + services.BACKOFF[0]
    assert services.deliver(m.pk, now=m.send_after) == Status.SENT
    assert [r.status for r in notify.requests] == [500, 201]
    assert len(notify.sent("sms")) == 1


def test_notify_rate_limiting_is_tried_again(db, notify):
    m = send(texter())
    notify.fail_for("+447700900123", 429, times=1)
    assert services.deliver(m.pk, now=NOON) == Status.QUEUED
    m.refresh_from_db()
    assert m.failure.startswith("Notify answered 429: Exceeded rate limit")


def test_notify_refusing_the_number_falls_back_to_the_next_channel(db, notify):
    m = send(texter())
    notify.fail_for("07700 900123", 400, times=None)
    assert services.deliver(m.pk, now=NOON) == Status.FAILED
    m.refresh_from_db()
    assert m.failure == "Notify refused it (400): phone_number Not a UK mobile number"
    fallback = Message.objects.get(fallback_of=m)
    assert (fallback.channel, fallback.status) == (Channel.LETTER, Status.QUEUED)
    assert notify.sent("sms") == []


def test_a_wrong_api_key_is_not_the_persons_fault(db, notify, settings):
    other = f"coproduce_test-{notify.service_id}-00000000-0000-4000-8000-000000000000"
    settings.NOTIFY_API_KEY = other
    m = send(texter())
    assert services.deliver(m.pk, now=NOON) == Status.QUEUED  # tried again, no fallback yet
    m.refresh_from_db()
    assert "refused our API key (403)" in m.failure
    assert "Invalid token: signature, api token not found" in m.failure
    assert not Message.objects.filter(fallback_of=m).exists()


def test_a_text_after_stop_is_not_sent_even_if_already_queued(db, notify):
    who = texter()
    m = send(who)
    services.opt_out(person=who, channel=Channel.TEXT, how="test")
    assert services.deliver(m.pk, now=NOON) == Status.NOT_SENT
    assert notify.requests == []
    assert Message.objects.get(fallback_of=m).channel == Channel.LETTER


def test_a_precompiled_letter_reaches_notify_as_a_pdf(db, notify, settings):
    import base64

    settings.LETTERS_BY_NOTIFY = True
    who = person(address="1 Oak Street, Northfield", postcode="AB1 2CD")
    ContactPreference.objects.create(person=who, channels=["letter"])
    m = send(who)
    assert m.channel == Channel.LETTER
    assert services.deliver(m.pk, now=NOON) == Status.SENT
    [wire] = notify.sent("letter")
    assert set(wire) == {"reference", "content"}
    assert wire["reference"] == "invitation:1"
    pdf = base64.b64decode(wire["content"])
    assert pdf.startswith(b"%PDF-")
    m.refresh_from_db()
    assert notify.notifications[m.provider_id]["type"] == "letter"


def test_without_letters_by_notify_a_letter_waits_to_be_printed(db, notify):
    who = person(address="1 Oak Street", postcode="AB1 2CD")
    ContactPreference.objects.create(person=who, channels=["letter"])
    assert services.deliver(send(who).pk, now=NOON) == Status.TO_PRINT
    assert notify.requests == []


# --- the local server is strict, as Notify is ------------------------------------------------


def _post(notify, token: str | None, body: dict) -> requests.Response:
    headers = {"Content-Type": "application/json"}
    if token is not None:
        headers["Authorization"] = f"Bearer {token}"
    return requests.post(
        f"{notify.base_url}/v2/notifications/sms", json=body, headers=headers, timeout=5
    )


SMS = {"phone_number": "07700900123", "template_id": "", "personalisation": {"body": "Hi"}}


def test_the_server_refuses_a_request_without_a_good_token(notify):
    body = SMS | {"template_id": notify.sms_template_id}
    now = int(timezone.now().timestamp())
    assert _post(notify, None, body).status_code == 401
    wrong = jwt.encode(
        {"iss": notify.service_id, "iat": now}, "not the secret, but just as long as one", "HS256"
    )
    answer = _post(notify, wrong, body)
    assert answer.status_code == 403
    assert answer.json() == {
        "status_code": 403,
        "errors": [
            {"error": "AuthError", "message": "Invalid token: signature, api token not found"}
        ],
    }
    stale = jwt.encode({"iss": notify.service_id, "iat": now - 31}, notify.secret, "HS256")
    assert _post(notify, stale, body).json()["errors"][0]["message"] == (
        "Error: Your system clock must be accurate to within 30 seconds"
    )
    other = jwt.encode({"iss": "someone-else", "iat": now}, notify.secret, "HS256")
    assert _post(notify, other, body).status_code == 403
    good = jwt.encode({"iss": notify.service_id, "iat": now}, notify.secret, "HS256")
    assert _post(notify, good, body).status_code == 201
    assert _post(notify, good, body | {"personalisation": {}}).status_code == 400


def test_the_server_answers_a_notification_by_id(db, notify):
    from notifications_python_client.errors import HTTPError
    from notifications_python_client.notifications import NotificationsAPIClient

    client = NotificationsAPIClient(notify.api_key, base_url=notify.base_url)
    sent = client.send_sms_notification(
        phone_number="07700900123",
        template_id=notify.sms_template_id,
        personalisation={"body": "Hello"},
        reference="k1",
    )
    assert sent["content"] == {"body": "Hello", "from_number": notify.from_number}
    found = client.get_notification_by_id(sent["id"])
    assert (found["id"], found["reference"], found["type"]) == (sent["id"], "k1", "sms")
    with pytest.raises(HTTPError) as missing:
        client.get_notification_by_id("0b6b6a55-0000-4000-8000-000000000000")
    assert missing.value.status_code == 404
    with pytest.raises(HTTPError) as not_pdf:
        import io

        client.send_precompiled_letter_notification(reference="k2", pdf_file=io.BytesIO(b"hi"))
    assert not_pdf.value.message == [
        {"error": "BadRequestError", "message": "Letter content is not a valid PDF"}
    ]


# --- delivery receipts -----------------------------------------------------------------------


def _sent_text(notify, who: Person | None = None) -> Message:
    m = send(who or texter())
    services.deliver(m.pk, now=NOON)
    m.refresh_from_db()
    return m


def _callback(client, notify, payload: dict, *, token: str | None = None, name="notify_status"):
    token = notify.callback_token if token is None else token
    headers = {"HTTP_AUTHORIZATION": f"Bearer {token}"} if token else {}
    return client.post(
        reverse(f"messaging:{name}"),
        data=json.dumps(payload),
        content_type="application/json",
        **headers,
    )


def test_delivered_is_recorded_once(db, client, notify):
    m = _sent_text(notify)
    payload = notify.status_payload(m.provider_id, "delivered")
    assert payload["reference"] == "invitation:1" and payload["to"] == "+447700900123"
    first = _callback(client, notify, payload)
    assert first.status_code == 200 and first.json()["result"] == "delivered"
    m.refresh_from_db()
    assert m.status == Status.DELIVERED and m.delivered_at is not None
    delivered_at = m.delivered_at
    assert _callback(client, notify, payload).status_code == 200
    m.refresh_from_db()
    assert (m.status, m.delivered_at) == (Status.DELIVERED, delivered_at)


@pytest.mark.parametrize(
    ("notify_status", "words"),
    [
        ("permanent-failure", "wrong or no longer in use"),
        ("temporary-failure", "phone was off"),
        ("technical-failure", "technical problem"),
    ],
)
def test_a_failure_falls_back_to_the_next_channel_once(db, client, notify, notify_status, words):
    m = _sent_text(notify)
    payload = notify.status_payload(m.provider_id, notify_status)
    assert _callback(client, notify, payload).status_code == 200
    assert _callback(client, notify, payload).status_code == 200  # Notify retried: no change
    m.refresh_from_db()
    assert m.status == Status.FAILED and words in m.failure
    [fallback] = Message.objects.filter(fallback_of=m)
    assert fallback.channel == Channel.LETTER
    assert Message.objects.count() == 2


def test_a_returned_letter_is_recorded_as_returned(db, client, notify, settings):
    settings.LETTERS_BY_NOTIFY = True
    who = person(address="1 Oak Street", postcode="AB1 2CD", phone="0113 496 0000")
    ContactPreference.objects.create(person=who, channels=["letter", "phone"])
    m = send(who)
    services.deliver(m.pk, now=NOON)
    m.refresh_from_db()
    assert _callback(client, notify, notify.returned_letter_payload(m.provider_id)).json() == {
        "type": "about:blank",
        "title": "Recorded",
        "status": 200,
        "result": "returned",
    }
    m.refresh_from_db()
    assert m.status == Status.RETURNED
    assert Message.objects.get(fallback_of=m).channel == Channel.PHONE
    # The same news as a delivery receipt with status "returned-letter" changes nothing more.
    again = notify.status_payload(m.provider_id, "returned-letter")
    assert _callback(client, notify, again).status_code == 200
    assert Message.objects.count() == 2


def test_a_receipt_for_a_notification_we_do_not_know_is_taken_and_logged(
    db, client, notify, caplog
):
    payload = notify.status_payload("4f9d0a27-0000-4000-8000-000000000000", "delivered")
    response = _callback(client, notify, payload)
    assert response.status_code == 200 and response.json()["result"] == "unknown"
    assert "which we did not send" in caplog.text


def test_a_status_still_on_its_way_changes_nothing(db, client, notify):
    m = _sent_text(notify)
    response = _callback(client, notify, notify.status_payload(m.provider_id, "sending"))
    assert response.json()["result"] == "ignored"
    m.refresh_from_db()
    assert m.status == Status.SENT


# --- callbacks we must not trust or cannot read ----------------------------------------------


@pytest.mark.parametrize("name", ["notify_status", "notify_inbound"])
def test_a_callback_without_the_token_is_refused_and_changes_nothing(db, client, notify, name):
    m = _sent_text(notify)
    payload = (
        notify.status_payload(m.provider_id, "delivered")
        if name == "notify_status"
        else notify.received_text_payload("07700900123", "STOP")
    )
    for token in ("", "wrong-token", notify.callback_token + "x"):
        response = _callback(client, notify, payload, token=token, name=name)
        assert response.status_code == 401
        assert response["Content-Type"] == "application/problem+json"
        assert response["WWW-Authenticate"].startswith("Bearer")
        assert response.json()["title"] == "Not signed"
    basic = client.post(
        reverse(f"messaging:{name}"),
        data=json.dumps(payload),
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Basic {notify.callback_token}",
    )
    assert basic.status_code == 401
    m.refresh_from_db()
    assert m.status == Status.SENT
    assert not ContactPreference.objects.filter(text_opted_out_at__isnull=False).exists()


def test_with_no_token_configured_every_callback_is_refused(db, client, notify, settings, caplog):
    m = _sent_text(notify)
    settings.NOTIFY_CALLBACK_TOKEN = ""
    payload = notify.status_payload(m.provider_id, "delivered")
    for token in ("", "anything"):
        response = _callback(client, notify, payload, token=token)
        assert response.status_code == 503
        assert "NOTIFY_CALLBACK_TOKEN is not set" in response.json()["detail"]
    assert "NOTIFY_CALLBACK_TOKEN is not set" in caplog.text
    m.refresh_from_db()
    assert m.status == Status.SENT


@pytest.mark.parametrize(
    ("body", "detail"),
    [
        (b"", "The callback is empty"),
        (b"{not json", "not valid JSON"),
        (b"[1, 2]", "must be a JSON object"),
        (b'{"status": "delivered"}', "no 'id'"),
        (b'{"id": "abc"}', "no 'status'"),
        (b'{"id": 7, "status": "delivered"}', "no 'id'"),
        (b'{"id": "' + b"x" * 101 + b'", "status": "delivered"}', "'id' is too long"),
    ],
)
def test_a_malformed_receipt_is_a_clear_400(db, client, notify, body, detail):
    response = client.post(
        reverse("messaging:notify_status"),
        data=body,
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {notify.callback_token}",
    )
    assert response.status_code == 400
    assert detail in response.json()["detail"]


def test_a_callback_bigger_than_64_kb_is_refused(db, client, notify):
    payload = notify.received_text_payload("07700900123", "x" * (65 * 1024))
    response = _callback(client, notify, payload, name="notify_inbound")
    assert response.status_code == 400
    assert response.json()["detail"] == "At most 64 KB is read from a callback."


@pytest.mark.parametrize("name", ["notify_status", "notify_inbound"])
def test_a_get_is_refused(db, client, name):
    response = client.get(reverse(f"messaging:{name}"))
    assert response.status_code == 405 and response["Allow"] == "POST"


# --- Notify calling a real server --------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_notify_posts_a_receipt_and_a_stop_to_a_live_server(live_server, notify):
    m = _sent_text(notify)
    status_url = live_server.url + reverse("messaging:notify_status")
    inbound_url = live_server.url + reverse("messaging:notify_inbound")
    assert notify.post_status(status_url, m.provider_id, "delivered").status_code == 200
    m.refresh_from_db()
    assert m.status == Status.DELIVERED
    answer = notify.post_received_text(inbound_url, "07700 900123", "Stop.")
    assert answer.status_code == 200 and answer.json()["result"] == "matched"
    assert ContactPreference.objects.get(person=m.person).text_opted_out_at is not None
    wrong = notify.post(status_url, notify.status_payload(m.provider_id, "delivered"), token="x")
    assert wrong.status_code == 401
