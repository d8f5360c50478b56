"""Inviting people, their replies, and reminders (sent through messaging)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from coproduce.core.models import AuditEntry
from coproduce.meetings import services
from coproduce.meetings.models import Invitation, RecordedVia, Rsvp
from coproduce.messaging import services as messaging
from coproduce.messaging.models import Message, Status
from coproduce.people.models import Person


@pytest.fixture
def alice(users):
    return Person.objects.get(user=users["alice"])


@pytest.fixture
def bob(users):
    return Person.objects.get(user=users["bob"])


def test_one_button_invites_every_project_member(login, meeting, members):
    response = login("fiona").post(reverse("meetings:invite", args=[meeting.pk]), {"members": "1"})
    assert response.status_code == 302
    assert set(Invitation.objects.values_list("person_id", flat=True)) == {p.pk for p in members}
    assert AuditEntry.objects.filter(action="session.invited").exists()


def test_inviting_twice_does_not_duplicate(login, meeting, members, alice):
    client = login("fiona")
    client.post(reverse("meetings:invite", args=[meeting.pk]), {"person": [alice.pk]})
    client.post(reverse("meetings:invite", args=[meeting.pk]), {"members": "1"})
    client.post(reverse("meetings:invite", args=[meeting.pk]), {"person": [alice.pk]})
    assert Invitation.objects.filter(meeting=meeting).count() == 2


def test_people_picker_finds_people_by_name_or_reference(login, meeting, alice, bob):
    client = login("fiona")
    body = client.get(reverse("meetings:invite", args=[meeting.pk]), {"q": "T-BOB"}).content
    assert b"Bob Example" in body and b"Alice Example" not in body
    body = client.get(reverse("meetings:invite", args=[meeting.pk]), {"q": "ali"}).content
    assert f'value="{alice.pk}"'.encode() in body


def test_inviting_nobody_is_a_clear_message(login, meeting):
    response = login("fiona").post(reverse("meetings:invite", args=[meeting.pk]), {}, follow=True)
    assert b"Choose at least one person to invite." in response.content


def test_tenant_replies_to_their_own_invitation_from_home(login, meeting, alice):
    invitation = Invitation.objects.create(meeting=meeting, person=alice)
    client = login("alice")
    home = client.get(reverse("home:home")).content.decode()
    assert meeting.title in home
    assert reverse("meetings:rsvp", args=[invitation.pk]) in home
    response = client.post(
        reverse("meetings:rsvp", args=[invitation.pk]), {"rsvp": "yes", "next": "/"}
    )
    assert response.status_code == 302 and response["Location"] == "/"
    invitation.refresh_from_db()
    assert invitation.rsvp == Rsvp.YES
    assert invitation.rsvp_via == RecordedVia.WEB
    assert invitation.rsvp_recorded_by is None


def test_tenant_cannot_reply_for_someone_else(login, meeting, bob):
    invitation = Invitation.objects.create(meeting=meeting, person=bob)
    response = login("alice").post(reverse("meetings:rsvp", args=[invitation.pk]), {"rsvp": "no"})
    assert response.status_code == 404
    invitation.refresh_from_db()
    assert invitation.rsvp == Rsvp.NO_REPLY


def test_reply_redirect_does_not_leave_the_site(login, meeting, alice):
    invitation = Invitation.objects.create(meeting=meeting, person=alice)
    response = login("alice").post(
        reverse("meetings:rsvp", args=[invitation.pk]),
        {"rsvp": "maybe", "next": "https://evil.example/"},
    )
    assert response["Location"] == reverse("meetings:detail", args=[meeting.pk])


def test_staff_record_a_reply_from_a_phone_call(login, meeting, bob, users):
    invitation = Invitation.objects.create(meeting=meeting, person=bob)
    login("adam").post(
        reverse("meetings:rsvp_on_behalf", args=[invitation.pk]),
        {"rsvp": "yes", "via": RecordedVia.PHONE},
    )
    invitation.refresh_from_db()
    assert invitation.rsvp == Rsvp.YES
    assert invitation.rsvp_via == RecordedVia.PHONE
    assert invitation.rsvp_recorded_by == users["adam"]
    assert AuditEntry.objects.filter(action="rsvp.recorded_on_behalf").exists()


def test_bad_reply_values_are_refused_cleanly(login, meeting, alice):
    invitation = Invitation.objects.create(meeting=meeting, person=alice)
    response = login("alice").post(
        reverse("meetings:rsvp", args=[invitation.pk]), {"rsvp": "perhaps"}, follow=True
    )
    assert response.status_code == 200
    assert b"Choose coming, maybe or not coming." in response.content


def _due_meeting(make_meeting):
    now = timezone.now()
    return make_meeting(
        starts_at=now + dt.timedelta(days=1),
        ends_at=now + dt.timedelta(days=1, hours=1),
        reminder_at=now - dt.timedelta(minutes=5),
    )


def test_reminders_go_once_to_people_who_may_come_and_agreed_to_contact(
    make_meeting, alice, bob, users
):
    meeting = _due_meeting(make_meeting)
    carla = Person.objects.create(first_name="Carla", last_name="NoConsent", email="c@example.org")
    dan = Person.objects.create(first_name="Dan", last_name="NoEmail", contact_consent=True)
    Person.objects.filter(pk__in=[alice.pk, bob.pk]).update(contact_consent=True)
    for p in (alice, bob, carla, dan):
        Invitation.objects.create(meeting=meeting, person=p)
    Invitation.objects.filter(person=bob).update(rsvp=Rsvp.NO)
    assert services.meeting_send_reminders(meeting_id=meeting.pk) == 1
    messaging.deliver_due()
    assert [m.to for m in mail.outbox] == [["alice@example.org"]]
    assert meeting.title in mail.outbox[0].subject
    # Carla (no consent) and Dan (no details) are recorded as not reached, for the coordinator.
    not_sent = Message.objects.filter(kind="reminder", status=Status.NOT_SENT)
    assert set(not_sent.values_list("person__first_name", flat=True)) == {"Carla", "Dan"}
    assert not Message.objects.filter(person=bob).exists()
    assert services.meeting_send_reminders(meeting_id=meeting.pk) == 0
    messaging.deliver_due()
    assert len(mail.outbox) == 1
    meeting.refresh_from_db()
    assert meeting.reminder_sent_at is not None


def test_reminders_are_not_sent_early(make_meeting, alice):
    meeting = make_meeting(reminder_at=timezone.now() + dt.timedelta(hours=1))
    Person.objects.filter(pk=alice.pk).update(contact_consent=True)
    Invitation.objects.create(meeting=meeting, person=alice)
    assert services.meeting_send_reminders(meeting_id=meeting.pk) == 0
    assert mail.outbox == []


def test_saving_a_session_with_a_reminder_queues_the_task(
    users, project, alice, settings, django_capture_on_commit_callbacks
):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    Person.objects.filter(pk=alice.pk).update(contact_consent=True)
    now = timezone.localtime()
    meeting = services.meeting_create(
        data={
            "project": project,
            "title": "Tomorrow",
            "channel": "in_person",
            "starts_at": now + dt.timedelta(days=1),
            "ends_at": now + dt.timedelta(days=1, hours=1),
            "reminder_at": now + dt.timedelta(minutes=1),
        },
        actor=users["fiona"],
    )
    services.invitations_create(meeting=meeting, people=[alice], actor=users["fiona"])
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        services.meeting_update(
            meeting=meeting,
            data={"reminder_at": now - dt.timedelta(minutes=1)},
            actor=users["fiona"],
        )
    # One reminder job (the dashboard refresh queued by the change is a separate job).
    reminders = [c for c in callbacks if "_enqueue_reminders" in c.__qualname__]
    assert len(reminders) == 1
    messaging.deliver_due()
    assert [m.to for m in mail.outbox] == [["alice@example.org"]]


def test_send_reminders_command_sends_due_ones(make_meeting, alice, capsys):
    meeting = _due_meeting(make_meeting)
    Person.objects.filter(pk=alice.pk).update(contact_consent=True)
    Invitation.objects.create(meeting=meeting, person=alice)
    call_command("send_reminders")
    assert "Sent 1 reminder." in capsys.readouterr().out
    call_command("send_reminders")
    messaging.deliver_due()
    assert len(mail.outbox) == 1


def test_replies_close_when_a_session_is_cancelled(login, make_meeting, alice):
    meeting = make_meeting(status="cancelled")
    invitation = Invitation.objects.create(meeting=meeting, person=alice)
    response = login("alice").post(
        reverse("meetings:rsvp", args=[invitation.pk]), {"rsvp": "yes"}, follow=True
    )
    assert b"replies are closed" in response.content
    invitation.refresh_from_db()
    assert invitation.rsvp == Rsvp.NO_REPLY


def test_home_shows_upcoming_sessions_in_uk_summer_time(login, make_meeting, alice):
    from tests.meetings.conftest import uk

    start = uk(timezone.localdate().year + 1, 7, 1, 10)
    meeting = make_meeting(
        title="Summer panel",
        channel="online",
        joining_link="https://meet.example/abc",
        starts_at=start,
        ends_at=start + dt.timedelta(hours=1),
    )
    Invitation.objects.create(meeting=meeting, person=alice)
    body = login("alice").get(reverse("home:home")).content.decode()
    assert "10:00am to 11:00am (UK time)" in body
    assert "https://meet.example/abc" in body
    assert "Online" in body
