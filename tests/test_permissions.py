"""Every URL against every persona: who may open it, who is refused, who must sign in."""

from __future__ import annotations

import pytest
from django.urls import reverse

from coproduce.people.models import Interest, Person
from tests.conftest import PERSONAS

INVOLVEMENT = {"carol", "fiona", "adam"}
ALL = set(PERSONAS)
TENANTS = {"alice", "bob"}

# (name, kwargs-builder, roles allowed a 200 on GET)
PAGES = [
    ("home:home", None, ALL),
    ("accounts:security", None, ALL),
    ("people:list", None, INVOLVEMENT | {"dora"}),
    ("people:create", None, INVOLVEMENT),
    ("people:detail", "other_person", INVOLVEMENT | {"dora"}),
    ("people:edit", "other_person", INVOLVEMENT),
    ("people:my_profile", None, TENANTS),
    ("people:my_profile_edit", None, TENANTS),
    ("people:interest_list", None, {"carol", "adam"}),
    ("people:import", None, {"carol"}),
    ("home:audit_log", None, {"dora"}),
]
PUBLIC = [
    "people:get_involved",
    "people:get_involved_thanks",
    "accounts:login",
    "accounts:password_reset",
    "accounts:password_reset_done",
    "healthz",
]


def _url(name: str, kind: str | None, users) -> str:
    if kind == "other_person":
        # bob's record: alice must never see it through staff pages.
        return reverse(name, args=[Person.objects.get(user=users["bob"]).pk])
    return reverse(name)


@pytest.mark.parametrize(("name", "kind", "allowed"), PAGES, ids=[p[0] for p in PAGES])
@pytest.mark.parametrize("persona", sorted(PERSONAS))
def test_page_access_by_role(client, users, name, kind, allowed, persona):
    url = _url(name, kind, users)
    client.force_login(users[persona])
    response = client.get(url)
    expected = 200 if persona in allowed else 403
    assert response.status_code == expected, f"{persona} on {url}"


@pytest.mark.parametrize(("name", "kind", "allowed"), PAGES, ids=[p[0] for p in PAGES])
def test_anonymous_is_sent_to_sign_in(client, users, name, kind, allowed):
    url = _url(name, kind, users)
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


@pytest.mark.parametrize("name", PUBLIC)
def test_public_pages_open_without_sign_in(client, db, name):
    assert client.get(reverse(name)).status_code == 200


def test_tenant_cannot_see_another_persons_record(login, users):
    client = login("alice")
    bob = Person.objects.get(user=users["bob"])
    assert client.get(reverse("people:detail", args=[bob.pk])).status_code == 403
    assert client.get(reverse("people:edit", args=[bob.pk])).status_code == 403
    assert b"Bob" not in client.get(reverse("people:my_profile")).content


def test_staff_outside_involvement_team_cannot_list_people(login):
    for persona in ("frank", "brenda", "colin", "sam"):
        assert login(persona).get(reverse("people:list")).status_code == 403


def test_tenant_cannot_decide_sign_ups(login, users):
    interest = Interest.objects.create(name="Pat Jones", email="pat@example.org")
    client = login("alice")
    response = client.post(
        reverse("people:interest_decide", args=[interest.pk]), {"decision": "confirm"}
    )
    assert response.status_code == 403
    interest.refresh_from_db()
    assert interest.status == "new"


def test_facilitator_cannot_post_staff_edit_without_edit_right(login, users):
    bob = Person.objects.get(user=users["bob"])
    response = login("dora").post(reverse("people:edit", args=[bob.pk]), {"first_name": "X"})
    assert response.status_code == 403
    bob.refresh_from_db()
    assert bob.first_name == "Bob"
