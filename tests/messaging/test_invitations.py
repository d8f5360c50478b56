"""A session's messages go through messaging: one invitation each, on each person's own channel,
and replies by text or by post become the invitation's RSVP."""

from __future__ import annotations

import datetime as dt
from collections import Counter

import pytest
from django.core import mail
from django.utils import timezone

from coproduce.core.models import AuditEntry
from coproduce.meetings import services
from coproduce.meetings.models import Invitation, Meeting, RecordedVia, Rsvp, SessionChannel
from coproduce.messaging import services as messaging
from coproduce.messaging.models import Channel, ContactPreference, Message, Status
from coproduce.people.models import Person
from coproduce.projects.models import Project

# (how many, what we know about them, the channel their invitation must go by)
MIX = [
    (10, {"email": "e{n}@example.org"}, Channel.EMAIL),
    (6, {"phone": "07700 900{n:03d}"}, Channel.TEXT),
    (
        4,
        {"email": "t{n}@example.org", "phone": "07700 901{n:03d}", "preferred_channels": ["text"]},
        Channel.TEXT,
    ),
    (
        6,
        {
            "address": "{n} Oak Street, Northfield",
            "postcode": "RV1 2AB",
            "preferred_channels": ["paper"],
        },
        Channel.LETTER,
    ),
    (
        4,
        {
            "email": "p{n}@example.org",
            "address": "{n} Elm Road",
            "postcode": "RV2 3CD",
            "prefer": ["letter", "email"],
        },
        Channel.LETTER,
    ),
    (8, {"phone": "01632 960{n:03d}"}, Channel.PHONE),
    (
        6,
        {"email": "nc{n}@example.org", "phone": "07700 902{n:03d}", "contact_consent": False},
        None,
    ),
    (6, {}, None),
]


def _people() -> list[tuple[Person, str | None]]:
    made = []
    n = 0
    for count, fields, channel in MIX:
        for _ in range(count):
            n += 1
            values = {k: v.format(n=n) if isinstance(v, str) else v for k, v in fields.items()}
            prefer = values.pop("prefer", None)
            values = {"contact_consent": True} | values
            person = Person.objects.create(first_name=f"P{n}", last_name="Mixed", **values)
            if prefer:
                ContactPreference.objects.create(person=person, channels=prefer)
            made.append((person, channel))
    assert len(made) == 50
    return made


@pytest.fixture
def outbox(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.NOTIFY_API_KEY = ""
    return mail.outbox


@pytest.fixture
def session(users) -> Meeting:
    project = Project.objects.create(
        title="Repairs", purpose="Better repairs", owner=users["carol"]
    )
    start = (timezone.localtime() + dt.timedelta(days=7)).replace(
        hour=18, minute=0, second=0, microsecond=0
    )
    return Meeting.objects.create(
        project=project,
        created_by=users["fiona"],
        title="Repairs panel",
        channel=SessionChannel.ONLINE,
        joining_link="https://meet.example.org/repairs",
        starts_at=start,
        ends_at=start + dt.timedelta(hours=2),
    )


def _invite(session, people, actor, capture) -> int:
    with capture(execute=True):
        return services.invitations_create(meeting=session, people=people, actor=actor)


def _deliver_all() -> int:
    # Half a day on: any text held back by quiet hours (21:00-08:00) is due by then.
    return messaging.deliver_due(now=timezone.now() + dt.timedelta(hours=12))


def test_an_invitation_to_50_people_sends_one_message_each_on_their_own_channel(
    users, session, outbox, django_capture_on_commit_callbacks
):
    people = _people()
    assert (
        _invite(session, [p for p, _ in people], users["fiona"], django_capture_on_commit_callbacks)
        == 50
    )

    messages = {m.person_id: m for m in Message.objects.all()}
    assert len(messages) == Message.objects.count() == 50
    for person, channel in people:
        message = messages[person.pk]
        assert message.kind == "invitation"
        invitation = Invitation.objects.get(meeting=session, person=person)
        assert (message.key, message.about) == (
            f"invitation:{invitation.pk}",
            f"meetings.invitation:{invitation.pk}",
        )
        if channel is None:
            assert message.status == Status.NOT_SENT and message.failure
        else:
            assert (message.channel, message.status) == (channel, Status.QUEUED)
    counted = Counter(
        Message.objects.exclude(status=Status.NOT_SENT).values_list("channel", flat=True)
    )
    assert counted == {Channel.EMAIL: 10, Channel.TEXT: 10, Channel.LETTER: 10, Channel.PHONE: 8}

    assert _deliver_all() == 38
    statuses = Counter(Message.objects.values_list("channel", "status"))
    assert statuses == {
        (Channel.EMAIL, Status.SENT): 10,
        (Channel.TEXT, Status.SENT): 10,  # no Notify key: kept in the outbox
        (Channel.LETTER, Status.TO_PRINT): 10,
        (Channel.PHONE, Status.TO_PHONE): 8,
        (Channel.PHONE, Status.NOT_SENT): 12,
    }
    assert len(outbox) == 10
    assert outbox[0].subject.startswith("You are invited: Repairs panel, ")
    assert "https://meet.example.org/repairs" in outbox[0].body
    text = Message.objects.filter(channel=Channel.TEXT).first()
    assert text.body.endswith("Reply YES, NO or MAYBE.") and len(text.body) <= 459
    assert Message.objects.filter(channel=Channel.LETTER).exclude(reference=None).count() == 10

    # Inviting them again (and sending again) sends nothing more.
    assert (
        _invite(session, [p for p, _ in people], users["fiona"], django_capture_on_commit_callbacks)
        == 0
    )
    ids = list(Invitation.objects.values_list("pk", flat=True))
    assert services.invitations_send(meeting_id=session.pk, ids=ids) == []
    assert Message.objects.count() == 50
    assert _deliver_all() == 0
    assert len(outbox) == 10


def _one_of_each(users, session, capture):
    texted = Person.objects.create(first_name="Tess", phone="07700 900111", contact_consent=True)
    posted = Person.objects.create(
        first_name="Percy",
        address="1 Oak Street",
        postcode="RV1 2AB",
        preferred_channels=["paper"],
        contact_consent=True,
    )
    _invite(session, [texted, posted], users["fiona"], capture)
    return Message.objects.get(person=texted), Message.objects.get(person=posted)


def test_a_text_yes_becomes_the_persons_own_rsvp(
    users, session, outbox, django_capture_on_commit_callbacks
):
    text, _ = _one_of_each(users, session, django_capture_on_commit_callbacks)
    done = messaging.record_reply(message=text, code="yes", actor=None)
    assert done == "Reply 'Coming' recorded for 'Repairs panel'."
    invitation = Invitation.objects.get(person=text.person)
    assert (invitation.rsvp, invitation.rsvp_via) == (Rsvp.YES, RecordedVia.TEXT)
    assert invitation.rsvp_recorded_by is None and invitation.responded_at is not None
    text.refresh_from_db()
    assert text.replied_at == invitation.responded_at
    assert AuditEntry.objects.filter(action="rsvp.recorded").exists()


def test_a_reply_slip_typed_in_by_staff_is_marked_on_behalf(
    users, session, outbox, django_capture_on_commit_callbacks
):
    _, letter = _one_of_each(users, session, django_capture_on_commit_callbacks)
    messaging.record_reply(message=letter, code="no", actor=users["adam"])
    invitation = Invitation.objects.get(person=letter.person)
    assert (invitation.rsvp, invitation.rsvp_via) == (Rsvp.NO, RecordedVia.PAPER)
    assert invitation.rsvp_recorded_by == users["adam"]
    assert AuditEntry.objects.filter(action="rsvp.recorded_on_behalf", actor=users["adam"]).exists()


def test_a_text_reply_after_the_session_is_refused_plainly(
    users, session, outbox, django_capture_on_commit_callbacks
):
    text, _ = _one_of_each(users, session, django_capture_on_commit_callbacks)
    with pytest.raises(ValueError, match="replies are closed"):
        messaging.record_reply(
            message=text, code="yes", now=session.ends_at + dt.timedelta(minutes=1)
        )
    with pytest.raises(ValueError, match="not one of the choices"):
        messaging.record_reply(message=text, code="perhaps")
    assert Invitation.objects.get(person=text.person).rsvp == Rsvp.NO_REPLY


def test_a_change_of_time_or_place_is_told_once_to_those_who_have_not_said_no(
    users, session, outbox, django_capture_on_commit_callbacks
):
    yes, no, quiet = (
        Person.objects.create(first_name=n, email=f"{n}@example.org", contact_consent=True)
        for n in ("yes", "no", "quiet")
    )
    _invite(session, [yes, no, quiet], users["fiona"], django_capture_on_commit_callbacks)
    Invitation.objects.filter(person=yes).update(rsvp=Rsvp.YES)
    Invitation.objects.filter(person=no).update(rsvp=Rsvp.NO)
    later = session.starts_at + dt.timedelta(hours=1)

    def change(**data):
        with django_capture_on_commit_callbacks(execute=True):
            services.meeting_update(meeting=session, data=data, actor=users["fiona"])

    change(agenda="Something people need not be told")
    assert not Message.objects.filter(kind="session_changed").exists()
    change(starts_at=later, ends_at=later + dt.timedelta(hours=2))
    change(starts_at=later, ends_at=later + dt.timedelta(hours=2))  # the same again: no change
    changed = Message.objects.filter(kind="session_changed")
    assert sorted(changed.values_list("person__first_name", flat=True)) == ["quiet", "yes"]
    assert all(m.key.endswith(":1") for m in changed)
    assert "now" in changed.first().subject

    change(joining_link="https://meet.example.org/other")  # a second change is told again
    assert Message.objects.filter(kind="session_changed", key__endswith=":2").count() == 2

    change(status="cancelled")
    cancelled = Message.objects.filter(kind="session_cancelled")
    assert sorted(cancelled.values_list("person__first_name", flat=True)) == ["quiet", "yes"]
    assert "is cancelled" in cancelled.first().body
    change(agenda="Cancelled, and changed again")
    assert Message.objects.filter(kind="session_cancelled").count() == 2


def test_a_session_that_is_over_sends_no_invitations(users, session, outbox):
    Meeting.objects.filter(pk=session.pk).update(
        starts_at=timezone.now() - dt.timedelta(days=2),
        ends_at=timezone.now() - dt.timedelta(days=2) + dt.timedelta(hours=1),
    )
    person = Person.objects.create(
        first_name="Late", email="late@example.org", contact_consent=True
    )
    invitation = Invitation.objects.create(meeting=session, person=person)
    assert services.invitations_send(meeting_id=session.pk, ids=[invitation.pk]) == []
