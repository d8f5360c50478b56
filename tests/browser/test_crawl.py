"""Every page a role can reach by following links fits a 320 px screen and a 1280 px one, and
passes axe-core, in real headless Chromium.

The pages are those the link crawl finds (tests/support/crawl.py) in the permission matrix's
world, for anonymous visitors and every persona. Every page found is measured at both widths;
axe-core, the slow part, runs on the first page of each route (e.g. one project page, not every
project's), which share one template.
"""

from __future__ import annotations

import logging
import time

import pytest
from django.conf import settings
from django.test import Client

from tests.browser.conftest import axe_violations
from tests.support.crawl import crawl, start_pages
from tests.support.world import build_world
from tests.test_permissions import ALL, ANONYMOUS

pytestmark = pytest.mark.browser

WIDTHS = (320, 1280)
# Anonymous visitors on the public pages, and every persona of the permission matrix.
ROLES = ALL


@pytest.fixture
def world(transactional_db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    quiet = logging.getLogger("django.request")
    level = quiet.level
    quiet.setLevel(logging.ERROR)
    yield build_world()
    quiet.setLevel(level)


def overflow(page) -> int:
    return page.evaluate("document.documentElement.scrollWidth")


def sign_in(page, live_server, client: Client, user) -> None:
    page.context.clear_cookies()
    if user is None:
        return
    client.force_login(user)
    page.context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            }
        ]
    )


def check_role(page, live_server, world, role: str) -> list[str]:
    """What is wrong on the pages `role` can reach, one line each, naming role, route and width."""
    client = Client()
    sign_in(page, live_server, client, world["users"].get(role))
    found = crawl(client, start_pages(role, world), signed_in=role != ANONYMOUS)
    problems = [f"{role}: {d.page}: a link to {d.link} answers {d.answer}" for d in found.dead_ends]
    pages = found.html_pages()
    first_of_route = {id(p) for p in found.one_per_route()}
    if len(first_of_route) < 5:
        problems.append(f"{role}: the crawl found too little: {[p.url for p in pages]}")
    started = time.perf_counter()
    for visit in pages:
        where = f"{role}: {visit.route} {visit.url}"
        for width in WIDTHS:
            page.set_viewport_size({"width": width, "height": 800})
            if width == WIDTHS[0]:
                response = page.goto(visit.url)
                if response is None or response.status != 200:
                    problems.append(f"{where}: answers {response and response.status}")
                    break
            wide = overflow(page)
            if wide > width:
                problems.append(f"{where} at {width} px: the page is {wide} px wide")
            if id(visit) not in first_of_route:
                continue
            for v in axe_violations(page):
                problems.append(
                    f"{where} at {width} px: axe {v['impact']} {v['id']}: {v['help']} {v['nodes']}"
                )
    elapsed = time.perf_counter() - started
    print(f"{role}: {len(pages)} pages ({len(first_of_route)} routes) in {elapsed:.0f} s")
    return problems


def test_every_page_fits_the_screen_and_passes_axe(page, live_server, world):
    problems = []
    for role in ROLES:
        problems += check_role(page, live_server, world, role)
    assert not problems, "\n".join(problems)
