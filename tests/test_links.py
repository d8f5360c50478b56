"""No dead ends: every link and button a persona is shown works for that persona.

For every persona (and anonymous visitors), starting at the home page (and, for anonymous
visitors, the public pages), follow every link and GET form breadth-first in the world of the
permission matrix (tests/support/world.py), and fail naming the page and the link wherever a
link answers an error (403, 404, 405, 5xx) or sends a signed-in persona to sign in. Every POST
button is checked twice: its route must not be refused to the persona in the permission matrix
(EXPECTED in tests/test_permissions.py), and pressing it (the form sent as it stands, rolled
back) must not be refused either (the same permission question for this very record).
"""

from __future__ import annotations

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from tests.conftest import PERSONAS
from tests.support.crawl import Crawl, PostButton, crawl, matrix_url, post_probe, start_pages
from tests.test_permissions import ALL, ANONYMOUS, EXPECTED, REFUSALS, PostOnly
from tests.test_permissions import world as world  # noqa: F401  (the shared module fixture)

REFUSED_STATUS = {403, 404, 405}


def client_for(persona: str, world) -> Client:
    client = Client()
    if persona != ANONYMOUS:
        client.cookies[settings.SESSION_COOKIE_NAME] = world["sessions"][persona]
    return client


def crawl_as(persona: str, world) -> tuple[Client, Crawl]:
    client = client_for(persona, world)
    return client, crawl(client, start_pages(persona, world), signed_in=persona != ANONYMOUS)


@pytest.fixture(scope="module")
def crawls(world):
    """crawls(persona): one crawl per persona for the whole module (it only reads)."""
    done: dict[str, tuple[Client, Crawl]] = {}

    def get(persona: str) -> tuple[Client, Crawl]:
        if persona not in done:
            done[persona] = crawl_as(persona, world)
        return done[persona]

    return get


def refused_buttons(persona: str, client: Client, found: Crawl, world) -> list[str]:
    problems = []
    probed: set[PostButton] = set()
    for button in found.post_buttons:
        rule = EXPECTED.get(button.route)
        if rule is None:
            problems.append(f"{button.page}: a button posts to {button.action}, which is no route")
            continue
        access = rule.access if isinstance(rule, PostOnly) else rule
        # The matrix speaks of its own world's records: it decides for the very same URL.
        if button.action == matrix_url(button.route, world) and access[persona] in REFUSALS:
            problems.append(
                f"{button.page}: a button posts to {button.action} ({button.route}), "
                f"which the permission matrix refuses {persona}: {access[persona]}"
            )
            continue
        same = PostButton("", button.action, button.route, button.fields)
        if same in probed:
            continue
        probed.add(same)
        status = post_probe(client, button)
        if status in REFUSED_STATUS or status >= 500:
            problems.append(
                f"{button.page}: a button posts to {button.action} ({button.route}), "
                f"which answers {persona} {status}"
            )
    return problems


@pytest.mark.parametrize("persona", ALL)
def test_no_link_or_button_leads_to_an_error(world, crawls, db, persona):
    client, found = crawls(persona)
    problems = [
        f"{dead.page}: a link to {dead.link} answers {persona} {dead.answer}"
        for dead in found.dead_ends
    ]
    problems += refused_buttons(persona, client, found, world)
    assert not problems, f"Dead ends for {persona}:\n" + "\n".join(problems)


def test_every_persona_reaches_the_pages_of_their_work(crawls, db):
    """The crawl is only as good as what it reaches: each persona gets past the home page."""
    reached = {
        persona: {p.route for p in crawls(persona)[1].pages.values() if p.status == 200}
        for persona in ALL
    }
    assert {"stories:detail", "promises:rank", "rewards:receipt"} <= reached["alice"]
    assert {"people:detail", "meetings:detail", "stories:detail"} <= reached["carol"]
    assert {"privacy:detail", "home:audit_log"} <= reached["dora"]
    assert {"people:get_involved", "stories:public"} <= reached[ANONYMOUS]
    for persona in PERSONAS:
        assert len(reached[persona]) >= 5, (persona, sorted(reached[persona]))


def test_the_crawl_reports_a_link_that_is_refused(world, db):
    project = reverse("projects:detail", kwargs={"pk": world["project"].pk})
    found = crawl(client_for("bob", world), [project], signed_in=True)
    assert [(d.link, d.answer) for d in found.dead_ends] == [(project, "403 Forbidden")]
