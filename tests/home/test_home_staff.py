"""Staff home: what needs them today, counted, linked, and only for the roles who may act."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse


def needs(body: str) -> dict[str, str]:
    """The "what needs you today" items: their words, and where each link goes."""
    if 'id="needs-you"' not in body:
        return {}
    block = body.split('id="needs-you"', 1)[1].split("What you can do", 1)[0]
    found = re.findall(
        r'class="govuk-link govuk-task-list__link" href="([^"]+)">([^<]+)</a>', block
    )
    return {text: href for href, text in found}


EXPECTED = {
    "carol": {
        "2 sign-ups to check": "people:interest_list",
        "2 texts to read": "messaging:inbound",
        "2 replies to record (by phone or post)": "meetings:list",
        "2 sessions in person without a room": "meetings:list",
        "2 rewards to check": "rewards:review",
        "2 messages that could not be delivered": "messaging:unreached",
        "1 person to phone": "messaging:phone_list",
    },
    "adam": {
        "2 sign-ups to check": "people:interest_list",
        "2 texts to read": "messaging:inbound",
        "2 sessions in person without a room": "meetings:list",
        "2 messages that could not be delivered": "messaging:unreached",
        "1 person to phone": "messaging:phone_list",
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
    ("persona", "queries"), [("carol", 2 + 8), ("frank", 2 + 1), ("dora", 2 + 1)]
)
def test_the_staff_home_runs_a_fixed_number_of_queries(
    login, queues, persona, queries, django_assert_num_queries
):
    client = login(persona)
    client.get(reverse("home:home"))  # warm up the session and the template cache
    with django_assert_num_queries(queries):
        assert client.get(reverse("home:home")).status_code == 200
