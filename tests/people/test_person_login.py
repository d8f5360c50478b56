from django.core import mail
from django.urls import reverse

from coproduce.people.models import Person


def test_coordinator_gives_an_offline_person_a_login(
    login, users, django_capture_on_commit_callbacks
):
    person = Person.objects.create(first_name="Ivy", last_name="Offline", phone="01234 000000")
    client = login("carol")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("people:login_create", args=[person.pk]), {"email": "ivy@example.org"}
        )
    assert response.status_code == 302
    person.refresh_from_db()
    assert person.user.email == "ivy@example.org"
    assert person.user.role == "tenant"
    assert not person.user.has_usable_password()
    assert len(mail.outbox) == 1 and "/accounts/reset/" in mail.outbox[0].body


def test_an_email_already_in_use_is_refused(login, users):
    person = Person.objects.create(first_name="Ivy", last_name="Offline")
    response = login("carol").post(
        reverse("people:login_create", args=[person.pk]),
        {"email": "alice@example.org"},
        follow=True,
    )
    assert b"already used by another login" in response.content
    person.refresh_from_db()
    assert person.user is None


def test_only_coordinators_and_admin_support_give_logins(login, users):
    person = Person.objects.create(first_name="Ivy", last_name="Offline")
    for persona in ("alice", "fiona", "frank", "dora", "brenda", "colin", "sam"):
        response = login(persona).post(
            reverse("people:login_create", args=[person.pk]),
            {"email": f"ivy-{persona}@example.org"},
        )
        assert response.status_code == 403
    person.refresh_from_db()
    assert person.user is None


def test_the_person_page_offers_a_login_only_to_those_who_may_give_one(login, users):
    person = Person.objects.create(first_name="Ivy", last_name="Offline")
    url = reverse("people:detail", args=[person.pk])
    assert b"Give a login" in login("carol").get(url).content
    assert b"Give a login" not in login("fiona").get(url).content
    alice = Person.objects.get(user=users["alice"])
    assert (
        b"Give a login" not in login("carol").get(reverse("people:detail", args=[alice.pk])).content
    )
