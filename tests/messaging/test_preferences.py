"""Contact preferences: a tenant's own page, and staff on their behalf."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone

from coproduce.core.models import AuditEntry
from coproduce.messaging import services
from coproduce.messaging.models import Channel, ContactPreference
from coproduce.people.models import Person

MINE = "messaging:my_preferences"


def alice(users) -> Person:
    return Person.objects.get(user=users["alice"])


def form(**fields) -> dict[str, str]:
    return {"first": "email", "second": "", "third": "", "fourth": ""} | fields


def test_a_tenant_chooses_their_order_large_print_and_a_supporter(login, users):
    who = alice(users)
    who.phone, who.address, who.postcode = "07700 900123", "1 Oak Street", "AB1 2CD"
    who.save()
    client = login("alice")
    assert "How we contact you" in client.get(reverse(MINE)).content.decode()
    response = client.post(
        reverse(MINE),
        form(
            first="letter",
            second="text",
            third="email",
            large_print="on",
            supporter_name="Grace Hopper",
            supporter_email="grace@example.org",
        ),
    )
    assert response.status_code == 302 and response.url == reverse("people:my_profile")
    pref = ContactPreference.objects.get(person=who)
    assert pref.channels == ["letter", "text", "email"] and pref.large_print
    assert (pref.supporter_name, pref.supporter_email) == ("Grace Hopper", "grace@example.org")
    entry = AuditEntry.objects.get(action="messages.preferences_changed")
    assert entry.actor == users["alice"] and "by the person" in entry.summary
    # The next message follows the new order.
    who.contact_consent = True
    who.save()
    m = services.send(
        kind="invitation",
        person=who,
        key="p:2",
        context={"title": "T", "when": "W", "where": "X", "reply_url": "u"},
    )
    assert m.channel == Channel.LETTER and m.large_print
    # The page shows what was saved.
    body = client.get(reverse(MINE)).content.decode()
    assert 'value="Grace Hopper"' in body


def test_the_profile_links_to_the_page(login):
    assert reverse(MINE) in login("alice").get(reverse("people:my_profile")).content.decode()


@pytest.mark.parametrize(
    ("fields", "error"),
    [
        (form(first="text"), "We have no mobile number for you to text."),
        (form(first="letter"), "We have no full postal address (with a postcode) for you."),
        (form(first="phone"), "We have no phone number for you."),
        (form(first=""), "Choose at least one way for us to contact you."),
        (form(first="pigeon"), "Select a valid choice"),
        (form(second="email"), "You chose email more than once."),
        (form(second="", third="email"), "Leave the later choices as"),
        (form(supporter_name="Grace\nHopper", supporter_email="g@example.org"), "line break"),
        (form(supporter_name="G" * 100_000, supporter_email="g@example.org"), "at most 100"),
        (form(supporter_name="Grace"), "Enter the supporter's email address"),
        (form(supporter_email="g@example.org"), "Enter the supporter's name."),
        (form(supporter_name="Grace", supporter_email="not an email"), "valid email"),
    ],
)
def test_bad_choices_are_refused_plainly_and_nothing_changes(login, users, fields, error):
    response = login("alice").post(reverse(MINE), fields)
    assert response.status_code == 400
    body = response.content.decode()
    assert error in body.replace("&#x27;", "'"), body[body.find("error-summary") :][:1500]
    assert not ContactPreference.objects.exists()
    assert not AuditEntry.objects.filter(action="messages.preferences_changed").exists()


def test_a_nul_is_refused(login):
    response = login("alice").post(reverse(MINE), form(supporter_name="Gr\x00ace"))
    assert response.status_code == 400
    assert not ContactPreference.objects.exists()


def test_turn_emails_back_on_after_a_bounce(login, users):
    who = alice(users)
    ContactPreference.objects.create(person=who, email_bounced_at=timezone.now())
    client = login("alice")
    body = client.get(reverse(MINE)).content.decode()
    assert "Send emails again" in body and "did not work" in body
    refused = client.post(reverse(MINE), form())
    assert refused.status_code == 400
    assert "To choose email, tick" in refused.content.decode().replace("&#x27;", "'")
    assert client.post(reverse(MINE), form(email_back_on="on")).status_code == 302
    pref = ContactPreference.objects.get(person=who)
    assert pref.email_bounced_at is None and pref.email_opted_out_at is None


def test_turn_texts_back_on_after_stop(login, users):
    who = alice(users)
    who.phone = "07700 900123"
    who.save()
    ContactPreference.objects.create(person=who, text_opted_out_at=timezone.now())
    client = login("alice")
    assert client.post(reverse(MINE), form(first="text")).status_code == 400
    assert client.post(reverse(MINE), form(first="text", text_back_on="on")).status_code == 302
    assert ContactPreference.objects.get(person=who).text_opted_out_at is None


def test_the_same_post_twice_is_one_preference(login, users):
    client = login("alice")
    client.post(reverse(MINE), form())
    client.post(reverse(MINE), form())
    assert ContactPreference.objects.filter(person=alice(users)).count() == 1


def test_staff_edit_on_behalf_and_it_is_audited(login, users):
    who = alice(users)
    client = login("carol")
    detail = client.get(reverse("people:detail", args=[who.pk])).content.decode()
    assert reverse("messaging:preferences", args=[who.pk]) in detail
    url = reverse("messaging:preferences", args=[who.pk])
    body = client.get(url).content.decode()
    assert "How we contact Alice Example" in body
    assert AuditEntry.objects.filter(action="messages.preferences_viewed").count() == 1
    refused = client.post(url, form(first="text"))
    assert "We have no mobile number for Alice to text. Add it to their record" in (
        refused.content.decode()
    )
    response = client.post(url, form(first="email", second="phone") | {"second": ""})
    assert response.status_code == 302 and response.url == reverse("people:detail", args=[who.pk])
    entry = AuditEntry.objects.get(action="messages.preferences_changed")
    assert entry.actor == users["carol"] and "by staff" in entry.summary


def test_the_facilitator_gets_no_link_and_no_page(login, users):
    who = alice(users)
    client = login("fiona")
    detail = client.get(reverse("people:detail", args=[who.pk])).content.decode()
    assert reverse("messaging:preferences", args=[who.pk]) not in detail
    assert client.get(reverse("messaging:preferences", args=[who.pk])).status_code == 403
    assert client.post(reverse("messaging:preferences", args=[who.pk]), form()).status_code == 403
    assert not ContactPreference.objects.exists()


def test_a_missing_person_is_not_found(login):
    assert login("adam").get(reverse("messaging:preferences", args=[999])).status_code == 404
