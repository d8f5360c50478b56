"""One session invitation to 50 people with mixed preferences, through the real senders: email
to a real SMTP server (aiosmtpd) and texts to a local server speaking GOV.UK Notify's API, driven
by the real Notify client; then what comes back: a hard bounce, a STOP, a "YES" by text, a text
from a number we do not know, and a reply slip typed in by admin support."""

from __future__ import annotations

import json
from collections import Counter

from django.urls import reverse

from coproduce.meetings.models import Invitation, RecordedVia, Rsvp
from coproduce.messaging import references
from coproduce.messaging.models import (
    Channel,
    ContactPreference,
    InboundStatus,
    InboundText,
    Message,
    Status,
)
from tests.messaging.test_email import smtp  # noqa: F401  (the real SMTP server fixture)
from tests.messaging.test_invitations import _deliver_all, _invite, _people, session  # noqa: F401


def text_in(client, notify, number: str, words: str) -> InboundText:
    payload = notify.received_text_payload(number, words)
    response = client.post(
        reverse("messaging:notify_inbound"),
        data=json.dumps(payload),
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {notify.callback_token}",
    )
    assert response.status_code == 200, response.content
    return InboundText.objects.get(provider_id=payload["id"])


def test_fifty_people_each_get_one_message_on_their_channel_and_replies_come_back(
    smtp,  # noqa: F811
    notify,
    users,
    session,  # noqa: F811
    client,
    django_capture_on_commit_callbacks,
):
    people = _people()
    smtp.refuse("e1@example.org", "550 5.1.1 No such user")
    _invite(session, [p for p, _ in people], users["fiona"], django_capture_on_commit_callbacks)
    _deliver_all()
    _deliver_all()  # a second run sends nothing more

    # Exactly one message each, on the right channel (the refused address bounced).
    assert Message.objects.count() == 50
    by_channel = Counter(Message.objects.values_list("channel", "status"))
    assert by_channel == {
        (Channel.EMAIL, Status.SENT): 9,
        (Channel.EMAIL, Status.BOUNCED): 1,
        (Channel.TEXT, Status.SENT): 10,
        (Channel.LETTER, Status.TO_PRINT): 10,
        (Channel.PHONE, Status.TO_PHONE): 8,
        (Channel.PHONE, Status.NOT_SENT): 12,
    }
    arrived = sorted(r for m in smtp.received for r in m.rcpt_tos)
    expected = sorted(
        Message.objects.filter(channel=Channel.EMAIL, status=Status.SENT).values_list(
            "to", flat=True
        )
    )
    assert arrived == expected and len(arrived) == 9
    texts = notify.sent("sms")
    assert len(texts) == 10
    assert {t["reference"] for t in texts} == set(
        Message.objects.filter(channel=Channel.TEXT).values_list("key", flat=True)
    )
    assert all("Reply YES, NO or MAYBE" in t["personalisation"]["body"] for t in texts)

    # The bounce stops emails to that person.
    bounced = Message.objects.get(status=Status.BOUNCED)
    assert ContactPreference.objects.get(person=bounced.person).email_bounced_at is not None

    texted = list(Message.objects.filter(channel=Channel.TEXT).select_related("person"))
    # A "YES" by text becomes the invitation's RSVP, recorded as the person's own reply.
    yes = text_in(client, notify, texted[0].to, "Yes")
    assert yes.status == InboundStatus.MATCHED
    invitation = Invitation.objects.get(meeting=session, person=texted[0].person)
    assert invitation.rsvp == Rsvp.YES and invitation.rsvp_via == RecordedVia.TEXT
    # STOP stops texts for that person.
    text_in(client, notify, texted[1].to, "STOP")
    assert ContactPreference.objects.get(person=texted[1].person).text_opted_out_at is not None
    # A number we never texted waits for a person.
    stranger = text_in(client, notify, "07700 999999", "who is this")
    assert stranger.status == InboundStatus.WAITING

    # A reply slip: admin support types the code and the ticked box; recorded on behalf.
    letter = Message.objects.filter(channel=Channel.LETTER).first()
    client.force_login(users["adam"])
    response = client.post(
        reverse("messaging:reply_slips"),
        {"reference": references.shown(letter.reference).lower(), "ticked": "3"},
    )
    assert response.status_code == 302
    invitation = Invitation.objects.get(meeting=session, person=letter.person)
    assert invitation.rsvp == Rsvp.NO
    assert invitation.rsvp_recorded_by == users["adam"]
    # Nothing was sent twice.
    assert len(notify.sent("sms")) == 10 and len(smtp.received) == 9
