"""Staff home: what needs them today, counted, linked, and only for the roles who may act."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from coproduce.meetings.models import Invitation, SessionChannel, SessionStaff, SupportRole
from coproduce.people.models import Interest, Person
from coproduce.privacy.models import DataRequest, RequestKind
from coproduce.rewards import services as rewards
from coproduce.rewards.models import LineStatus, RewardChoice, RewardForm, RewardLine
from tests.home.conftest import OFFER, session


def needs(body: str) -> dict[str, str]:
    """The "what needs you today" items: their words, and where each link goes."""
    if 'id="needs-you"' not in body:
        return {}
    block = body.split('id="needs-you"', 1)[1].split("What you can do", 1)[0]
    found = re.findall(
        r'class="govuk-link govuk-task-list__link" href="([^"]+)">([^<]+)</a>', block
    )
    return {text: href for href, text in found}


@pytest.fixture
def queues(users, project):
    """Two sign-ups; an upcoming session in person with no room, run by fiona, with one person
    who replies by post and alice (who replies online) not yet answered; a second session for
    nobody in particular; two rewards to check and one to approve; one data request due."""
    Interest.objects.create(name="New One")
    Interest.objects.create(name="New Two")
    Interest.objects.create(name="Done Already", status="confirmed")

    offline = Person.objects.create(first_name="Pat", last_name="Post")
    alice = Person.objects.get(user=users["alice"])
    runs = session(project, "Estate walk", 3, channel=SessionChannel.IN_PERSON)
    SessionStaff.objects.create(
        meeting=runs,
        user=users["fiona"],
        role=SupportRole.FACILITATOR,
        starts_at=runs.starts_at,
        ends_at=runs.ends_at,
    )
    Invitation.objects.create(meeting=runs, person=offline)
    Invitation.objects.create(meeting=runs, person=alice)
    other = session(project, "Tenants' forum", 4, channel=SessionChannel.HYBRID)
    Invitation.objects.create(meeting=other, person=offline)
    session(
        project, "Somewhere known", 4, channel=SessionChannel.IN_PERSON, location_notes="Flat 2"
    )

    rewards.offer_save(project=project, data=OFFER, actor=users["carol"])
    RewardChoice.objects.create(person=alice, form=RewardForm.BANK_TRANSFER)
    RewardChoice.objects.create(person=offline, form=RewardForm.BANK_TRANSFER)
    ProjectMember = project.members.model
    ProjectMember.objects.create(project=project, person=offline, joined_on=dt.date(2024, 1, 1))
    for title, days in (("First", -10), ("Second", -9), ("Third", -8)):
        held = session(project, title, days)
        held.attendances.create(person=offline, took_part_via="online", minutes=60)
    rewards.rewards_accrue(actor=users["carol"])
    first = RewardLine.objects.order_by("on").first()
    rewards.lines_review(line_ids=[first.pk], actor=users["carol"])

    today = timezone.localdate()
    DataRequest.objects.create(
        kind=RequestKind.ACCESS, person=offline, received_on=today, due_on=today + dt.timedelta(3)
    )
    DataRequest.objects.create(
        kind=RequestKind.ERASURE, person=alice, received_on=today, due_on=today + dt.timedelta(30)
    )
    assert RewardLine.objects.filter(status=LineStatus.TO_REVIEW).count() == 2


EXPECTED = {
    "carol": {
        "2 sign-ups to check": "people:interest_list",
        "2 replies to record (by phone or post)": "meetings:list",
        "2 sessions in person without a room": "meetings:list",
        "2 rewards to check": "rewards:review",
    },
    "adam": {
        "2 sign-ups to check": "people:interest_list",
        "2 sessions in person without a room": "meetings:list",
    },
    "fiona": {
        "1 reply to record (by phone or post)": "meetings:list",
        "1 session in person without a room": "meetings:list",
    },
    "frank": {"1 reward to approve": "rewards:home"},
    "dora": {"1 data-protection request due soon": "privacy:register"},
    "brenda": {},
    "colin": {},
    "sam": {},
}


@pytest.mark.parametrize("persona", sorted(EXPECTED))
def test_each_role_sees_only_what_it_may_act_on_with_counts_and_links_that_work(
    login, queues, persona
):
    client = login(persona)
    response = client.get(reverse("home:home"))
    assert response.status_code == 200
    shown = needs(response.content.decode())
    assert shown == {text: reverse(name) for text, name in EXPECTED[persona].items()}
    for href in shown.values():
        assert client.get(href).status_code == 200, href
    if not shown:
        assert "Nothing is waiting for you today." in response.content.decode()


def test_nothing_waiting_is_said_plainly(login, users):
    body = login("carol").get(reverse("home:home")).content.decode()
    assert needs(body) == {}
    assert "Nothing is waiting for you today." in body


# Two to read the session and the user, then one COUNT for each item the role may act on.
@pytest.mark.parametrize(
    ("persona", "queries"), [("carol", 2 + 4), ("frank", 2 + 1), ("dora", 2 + 1)]
)
def test_the_staff_home_runs_a_fixed_number_of_queries(
    login, queues, persona, queries, django_assert_num_queries
):
    client = login(persona)
    client.get(reverse("home:home"))  # warm up the session and the template cache
    with django_assert_num_queries(queries):
        assert client.get(reverse("home:home")).status_code == 200
