"""A decision's "you said, we did" goes to the project's members when staff press "Tell
participants": each member once, on their own channel."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from coproduce.core.models import AuditEntry
from coproduce.messaging.models import Channel, Message, Status
from coproduce.people.models import Person
from coproduce.projects.models import Decision, Project, ProjectMember


@pytest.fixture
def decision(users) -> Decision:
    project = Project.objects.create(
        title="Customer promises", purpose="Write our promises", owner=users["carol"]
    )
    alice, bob = (Person.objects.get(user=users[n]) for n in ("alice", "bob"))
    Person.objects.filter(pk=alice.pk).update(contact_consent=True)
    Person.objects.filter(pk=bob.pk).update(contact_consent=True)
    ProjectMember.objects.create(project=project, person=alice, joined_on=dt.date(2025, 1, 1))
    ProjectMember.objects.create(
        project=project, person=bob, joined_on=dt.date(2025, 1, 1), left_on=dt.date(2025, 6, 1)
    )
    return Decision.objects.create(
        project=project,
        decided_on=dt.date(2025, 2, 1),
        summary="Six promises, not ten",
        decided_by="tenants",
        tenant_views="Ten was too many to remember.",
        feedback="We kept six, and put them on every letter.",
    )


def tell(client, decision):
    url = reverse("projects:decision_tell", args=[decision.project_id, decision.pk])
    return client.post(url, follow=True)


def test_staff_tell_the_members_once(login, decision, users):
    client = login("fiona")
    page = client.get(reverse("projects:detail", args=[decision.project_id])).content.decode()
    assert "Tell participants" in page
    body = tell(client, decision).content.decode()
    assert "is on its way to 1 person" in body
    message = Message.objects.get()
    assert message.person.user == users["alice"]  # bob has left the project
    assert (message.kind, message.channel, message.status) == (
        "you_said_we_did",
        Channel.EMAIL,
        Status.QUEUED,
    )
    assert message.subject == "You said, we did: Six promises, not ten"
    assert "You said: Ten was too many to remember." in message.body
    assert "We did: We kept six, and put them on every letter." in message.body
    assert AuditEntry.objects.filter(action="project.decision_told", actor=users["fiona"]).exists()

    assert "Nobody new to tell" in tell(client, decision).content.decode()
    assert Message.objects.count() == 1
    page = client.get(reverse("projects:detail", args=[decision.project_id])).content.decode()
    assert "Members told on" in page and "Tell new members" in page


def test_a_decision_without_feedback_is_not_sent(login, decision):
    Decision.objects.filter(pk=decision.pk).update(feedback="")
    body = tell(login("carol"), decision).content.decode()
    assert "Write what we did" in body
    assert not Message.objects.exists()


def test_tenants_cannot_tell_members(login, decision):
    assert tell(login("alice"), decision).status_code == 403
    assert not Message.objects.exists()
