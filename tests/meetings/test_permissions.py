"""Every sessions page and action against every persona: who may, who is refused, who must sign in.

Board members may read sessions (list, detail, printable page, calendar file) but change nothing.
Tenants see only sessions they are invited to, and reply only to their own invitations.
"""

from __future__ import annotations

import pytest
from django.urls import reverse

from coproduce.meetings.models import CalendarFeed, Invitation, SessionStaff
from coproduce.people.models import Person
from tests.conftest import PERSONAS

INVOLVEMENT = {"carol", "fiona", "adam"}
READERS = INVOLVEMENT | {"brenda"}
VENUE_MANAGERS = {"carol", "adam"}

# (url name, which object the URL takes, personas allowed a 200 on GET)
PAGES = [
    ("meetings:list", None, READERS | {"alice", "bob"}),
    ("meetings:create", None, INVOLVEMENT),
    ("meetings:detail", "meeting", READERS | {"alice"}),
    ("meetings:edit", "meeting", INVOLVEMENT),
    ("meetings:print", "meeting", READERS | {"alice"}),
    ("meetings:ics", "meeting", READERS | {"alice"}),
    ("meetings:invite", "meeting", INVOLVEMENT),
    ("meetings:register", "meeting", INVOLVEMENT),
    ("meetings:person_history", "bob_person", INVOLVEMENT | {"dora"}),
    ("meetings:venue_list", None, INVOLVEMENT),
    ("meetings:venue_create", None, VENUE_MANAGERS),
    ("meetings:venue_detail", "venue", INVOLVEMENT),
    ("meetings:venue_edit", "venue", VENUE_MANAGERS),
    ("meetings:room_create", "venue", VENUE_MANAGERS),
    ("meetings:room_edit", "room", VENUE_MANAGERS),
    ("meetings:resourcing", "project", {"carol", "adam", "frank"}),
]

# (url name, object, personas allowed, status for everyone else)
ACTIONS = [
    ("meetings:book_room", "meeting", INVOLVEMENT, 403),
    ("meetings:release_room", "meeting", INVOLVEMENT, 403),
    ("meetings:assign_staff", "meeting", INVOLVEMENT, 403),
    ("meetings:remove_staff", "staff", INVOLVEMENT, 403),
    ("meetings:rsvp", "alice_invitation", {"alice"}, 404),
    ("meetings:rsvp_on_behalf", "alice_invitation", INVOLVEMENT, 403),
    ("meetings:my_calendar", None, {"alice", "bob"}, 403),
    ("meetings:room_delete", "room", VENUE_MANAGERS, 403),
]


@pytest.fixture
def objects(users, meeting, room, project):
    alice = Person.objects.get(user=users["alice"])
    invitation = Invitation.objects.create(meeting=meeting, person=alice)
    staff = SessionStaff.objects.create(
        meeting=meeting,
        user=users["adam"],
        role="admin_support",
        starts_at=meeting.starts_at,
        ends_at=meeting.ends_at,
    )
    return {
        "meeting": [meeting.pk],
        "bob_person": [Person.objects.get(user=users["bob"]).pk],
        "venue": [room.venue_id],
        "room": [room.pk],
        "project": [project.pk],
        "staff": [meeting.pk, staff.pk],
        "alice_invitation": [invitation.pk],
        None: [],
    }


@pytest.mark.parametrize(("name", "kind", "allowed"), PAGES, ids=[p[0] for p in PAGES])
@pytest.mark.parametrize("persona", sorted(PERSONAS))
def test_page_access_by_role(client, users, objects, name, kind, allowed, persona):
    url = reverse(name, args=objects[kind])
    client.force_login(users[persona])
    response = client.get(url)
    expected = 200 if persona in allowed else 403
    assert response.status_code == expected, f"{persona} on {url}"


@pytest.mark.parametrize(("name", "kind", "allowed"), PAGES, ids=[p[0] for p in PAGES])
def test_anonymous_is_sent_to_sign_in(client, objects, name, kind, allowed):
    response = client.get(reverse(name, args=objects[kind]))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


@pytest.mark.parametrize(
    ("name", "kind", "allowed", "refused"), ACTIONS, ids=[a[0] for a in ACTIONS]
)
@pytest.mark.parametrize("persona", sorted(PERSONAS))
def test_action_access_by_role(client, users, objects, name, kind, allowed, refused, persona):
    url = reverse(name, args=objects[kind])
    client.force_login(users[persona])
    response = client.post(url, {})
    expected = 302 if persona in allowed else refused
    assert response.status_code == expected, f"{persona} on {url}"


@pytest.mark.parametrize(
    ("name", "kind", "allowed", "refused"), ACTIONS, ids=[a[0] for a in ACTIONS]
)
def test_anonymous_actions_are_sent_to_sign_in(client, objects, name, kind, allowed, refused):
    response = client.post(reverse(name, args=objects[kind]), {})
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


@pytest.mark.parametrize(
    ("name", "kind", "allowed", "refused"), ACTIONS, ids=[a[0] for a in ACTIONS]
)
def test_actions_refuse_get(login, objects, name, kind, allowed, refused):
    assert login("carol").get(reverse(name, args=objects[kind])).status_code == 405


def test_the_secret_feed_opens_without_sign_in(client, users):
    feed = CalendarFeed.objects.create(person=Person.objects.get(user=users["alice"]))
    assert client.get(reverse("meetings:feed", args=[feed.token])).status_code == 200


def test_tenant_does_not_see_sessions_they_are_not_invited_to(login, make_meeting, objects):
    make_meeting(title="Secret board away day")
    body = login("alice").get(reverse("meetings:list")).content.decode()
    assert "Promises workshop" in body
    assert "Secret board away day" not in body
    assert (
        "Secret board away day" not in login("bob").get(reverse("meetings:list")).content.decode()
    )


def test_board_reads_sessions_without_change_buttons(login, objects):
    body = login("brenda").get(reverse("meetings:detail", args=objects["meeting"])).content
    assert b"Change session" not in body
    assert b"Record who took part" not in body


def test_missing_session_is_not_found_for_staff(login, db, users):
    assert login("carol").get(reverse("meetings:detail", args=[99999])).status_code == 404
