"""An email's reply link: the person answers without signing in, as their own reply."""

from __future__ import annotations

import re

from django.core import mail

from coproduce.meetings.models import Invitation, RecordedVia, Rsvp
from coproduce.messaging import services as messaging
from coproduce.messaging.models import Message
from coproduce.people.models import Person
from tests.messaging.test_invitations import _invite, outbox, session  # noqa: F401


def test_the_link_in_an_invitation_email_records_the_answer_without_signing_in(
    users,
    session,  # noqa: F811
    outbox,  # noqa: F811
    client,
    django_capture_on_commit_callbacks,
):
    ada = Person.objects.create(first_name="Ada", email="ada@example.org", contact_consent=True)
    _invite(session, [ada], users["fiona"], django_capture_on_commit_callbacks)
    message = Message.objects.get(person=ada)
    messaging.deliver(message.pk)
    link = re.search(r"https?://\S+/messages/answer/\S+/", mail.outbox[0].body)
    assert link, mail.outbox[0].body
    path = link.group(0).split("://", 1)[1].split("/", 1)[1]
    page = client.get("/" + path)
    assert page.status_code == 200 and b"Not coming" in page.content
    # No answer chosen: a clear message, nothing recorded.
    refused = client.post("/" + path, {})
    assert refused.status_code == 400 and b"Choose one answer." in refused.content
    assert client.post("/" + path, {"answer": "no"}).status_code == 200
    invitation = Invitation.objects.get(person=ada)
    assert invitation.rsvp == Rsvp.NO and invitation.rsvp_via == RecordedVia.WEB
    assert invitation.rsvp_recorded_by is None
    # A changed link is not recognised, and changes nothing.
    assert client.post("/" + path.rstrip("/") + "x/", {"answer": "yes"}).status_code == 404
    assert Invitation.objects.get(person=ada).rsvp == Rsvp.NO
