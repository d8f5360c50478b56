"""A password reset for a login with a person record is a "password_reset" message, sent at
once; the link is not kept in our copy. Other logins get Django's own email."""

from __future__ import annotations

from django.core import mail
from django.urls import reverse
from django.utils import timezone

from coproduce.messaging.models import ContactPreference, Message, Status
from coproduce.people.models import Person


def ask(client, email):
    return client.post(reverse("accounts:password_reset"), {"email": email})


def test_a_tenants_reset_goes_through_messaging_and_the_link_is_not_kept(client, users):
    assert ask(client, "alice@example.org").status_code == 302
    assert len(mail.outbox) == 1
    sent = mail.outbox[0]
    assert sent.subject == "Reset your password" and sent.to == ["alice@example.org"]
    link = next(line for line in sent.body.splitlines() if "/accounts/reset/" in line)
    message = Message.objects.get()
    assert (message.kind, message.status) == ("password_reset", Status.SENT)
    assert message.person.user == users["alice"]
    assert link not in message.body and "/accounts/reset/" not in str(message.context)
    assert "removed from our copy" in message.body
    # The link works: it leads to the page where a new password is chosen.
    assert client.get(link.strip().removeprefix("http://testserver")).status_code == 302


def test_staff_and_people_with_email_switched_off_get_the_plain_email(client, users):
    alice = Person.objects.get(user=users["alice"])
    ContactPreference.objects.create(person=alice, email_opted_out_at=timezone.now())
    ask(client, "alice@example.org")
    ask(client, "carol@example.org")
    assert sorted(m.to[0] for m in mail.outbox) == ["alice@example.org", "carol@example.org"]
    assert all("/accounts/reset/" in m.body for m in mail.outbox)
    assert not Message.objects.exists()


def test_an_unknown_address_gets_nothing(client, users):
    assert ask(client, "nobody@example.org").status_code == 302
    assert mail.outbox == [] and not Message.objects.exists()
