"""Every stories URL for every persona: anonymous people go to sign in, except public pages."""

from __future__ import annotations

import pytest
from django.urls import reverse

from coproduce.stories.models import StoryConsent
from tests.conftest import PERSONAS

from .conftest import make_story

EVERYONE = set(PERSONAS)
STORIES_TEAM = {"carol", "fiona", "adam", "brenda"}  # can_see_stories
MANAGERS = {"carol", "fiona", "adam"}  # can_manage_stories
TENANTS = {"alice", "bob"}
PROJECT_TEAM = {"carol", "fiona", "alice"}  # owner, facilitator, member

CASES = [
    ("home", {}, STORIES_TEAM),
    ("mine", {}, TENANTS),
    ("check_in", {}, TENANTS),
    # seeing the project: the involvement team, the board, and members
    ("journal", {"pk": "project"}, {"carol", "fiona", "adam", "brenda", "alice"}),
    # the file's entry is kept within the project: not the board
    ("journal_file", {"pk": "file"}, {"carol", "fiona", "adam", "alice"}),
    ("create", {}, MANAGERS),
    ("detail", {"pk": "story"}, PROJECT_TEAM),
    ("edit", {"pk": "story"}, {"carol", "fiona"}),
    ("split", {"pk": "story"}, {"carol", "fiona"}),
    ("learning", {}, STORIES_TEAM),
    ("learning_download", {}, STORIES_TEAM),
    ("impact", {}, STORIES_TEAM),
    ("impact_create", {}, MANAGERS),
    ("report", {"year": 2026}, STORIES_TEAM),
    ("report_download", {"year": 2026}, STORIES_TEAM),
]


@pytest.fixture
def objects(project, transcript_story, journal_entry):
    return {
        "project": project.pk,
        "story": transcript_story.pk,
        "file": journal_entry.files.get().pk,
    }


def _url(name, kwargs, objects):
    return reverse(
        f"stories:{name}",
        kwargs={k: objects.get(v, v) if isinstance(v, str) else v for k, v in kwargs.items()},
    )


@pytest.mark.parametrize(("name", "kwargs", "allowed"), CASES, ids=[c[0] for c in CASES])
@pytest.mark.parametrize("persona", sorted(EVERYONE))
def test_each_persona_gets_only_what_they_may(
    client, users, objects, name, kwargs, allowed, persona
):
    client.force_login(users[persona])
    response = client.get(_url(name, kwargs, objects))
    expected = 200 if persona in allowed else 403
    assert response.status_code == expected, (name, persona, response.status_code)


@pytest.mark.parametrize(("name", "kwargs", "allowed"), CASES, ids=[c[0] for c in CASES])
def test_anonymous_people_are_sent_to_sign_in(client, objects, name, kwargs, allowed):
    url = _url(name, kwargs, objects)
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_report_latest_redirects_to_this_year(login, users):
    response = login("brenda").get(reverse("stories:report_latest"))
    assert response.status_code == 302 and "/stories/report/" in response["Location"]
    assert login("frank").get(reverse("stories:report_latest")).status_code == 403


@pytest.mark.parametrize("persona", [None, *sorted(EVERYONE)])
def test_public_pages_need_no_login(client, users, project, guide, persona):
    story = make_story(project, guide, users["fiona"], consent=StoryConsent.PUBLIC)
    if persona:
        client.force_login(users[persona])
    assert client.get(reverse("stories:public_index")).status_code == 200
    assert client.get(reverse("stories:public", args=[story.public_id])).status_code == 200


def test_posts_are_refused_to_people_who_cannot_write(client, users, objects):
    client.force_login(users["brenda"])
    assert client.post(_url("journal", {"pk": "project"}, objects), {}).status_code == 403
    assert client.post(reverse("stories:create"), {}).status_code == 403
    assert client.post(_url("split", {"pk": "story"}, objects), {}).status_code == 403
    client.force_login(users["bob"])
    assert client.post(_url("journal", {"pk": "project"}, objects), {}).status_code == 403
