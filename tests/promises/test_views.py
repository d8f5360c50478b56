"""One view per operation on proposals and the board page: a valid post, an invalid one shown
again with the error beside the field (nothing changed), and a persona who may not."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from coproduce.core.text import SINGLE_LINE_MESSAGE
from coproduce.promises import services
from coproduce.promises.models import (
    BoardMeeting,
    BoardPromiseDecision,
    CoDesigner,
    Comment,
    PromiseSet,
    SetStatus,
    Vote,
)


def _shows_error(response, field_id: str, message: str = "") -> None:
    html = response.content.decode()
    assert response.status_code == 200
    assert "govuk-error-summary" in html
    assert f'id="{field_id}-error"' in html
    if message:
        assert message in html


@pytest.fixture
def proposal(group):
    return services.proposal_create(
        promise_set=group["set"],
        kind="reword",
        promise=group["promise"],
        person=group["members"][0],
        actor=None,
        data={"title": "Listen", "wording": "We will really listen."},
    )


def test_a_vote_without_a_choice_is_shown_beside_the_field(login, proposal):
    response = login("bob").post(reverse("promises:vote", args=[proposal.pk]), {})
    _shows_error(response, "id_vote-choice", "This field is required.")
    assert not Vote.objects.exists()


@pytest.mark.parametrize("name", ["vote", "comment"])
def test_the_board_cannot_vote_or_comment(login, proposal, name):
    response = login("brenda").post(
        reverse(f"promises:{name}", args=[proposal.pk]),
        {"vote-choice": "for", "comment-text": "Hello"},
    )
    assert response.status_code == 403
    assert not Vote.objects.exists() and not Comment.objects.exists()


def test_a_tenant_comments_and_an_empty_comment_is_shown_beside_the_field(login, proposal):
    client = login("bob")
    url = reverse("promises:comment", args=[proposal.pk])
    _shows_error(client.post(url, {"comment-text": ""}), "id_comment-text")
    assert not Comment.objects.exists()
    assert client.post(url, {"comment-text": "Yes please"}).status_code == 302
    assert Comment.objects.get().text == "Yes please"


def test_staff_must_say_on_whose_behalf_they_vote(login, proposal):
    response = login("fiona").post(
        reverse("promises:vote", args=[proposal.pk]), {"vote-choice": "for", "vote-via": "phone"}
    )
    _shows_error(response, "id_vote-person", "This field is required.")
    assert not Vote.objects.exists()


def test_the_coordinator_records_a_board_meeting_and_a_decision(login, group):
    client = login("carol")
    promise_set = group["set"]
    response = client.post(
        reverse("promises:board_meeting", args=[promise_set.pk]),
        {"held_on": "2026-03-01", "presenters": [group["members"][0].pk], "notes": "Warm"},
    )
    assert response.status_code == 302
    meeting = BoardMeeting.objects.get()
    assert list(meeting.presenters.all()) == [group["members"][0]]
    promise = group["promise"]
    url = reverse("promises:board_decision", args=[promise_set.pk, promise.pk])
    invalid = client.post(url, {f"p{promise.pk}-decision": "change"})
    _shows_error(invalid, f"id_p{promise.pk}-requested_change", "Say what change the board")
    assert not BoardPromiseDecision.objects.exists()
    response = client.post(url, {f"p{promise.pk}-decision": "accept"})
    assert response.status_code == 302
    assert BoardPromiseDecision.objects.get(promise=promise).decision == "accept"


def test_a_board_meeting_without_a_date_is_shown_beside_the_field(login, group):
    response = login("carol").post(
        reverse("promises:board_meeting", args=[group["set"].pk]), {"held_on": "someday"}
    )
    _shows_error(response, "id_held_on", "Enter a valid date.")
    assert not BoardMeeting.objects.exists()


@pytest.mark.parametrize("persona", ["fiona", "brenda", "alice"])
def test_only_the_coordinator_records_the_board(login, group, persona):
    promise_set = group["set"]
    assert (
        login(persona)
        .post(reverse("promises:board_meeting", args=[promise_set.pk]), {"held_on": "2026-03-01"})
        .status_code
        == 403
    )
    assert not BoardMeeting.objects.exists()


def test_the_coordinator_starts_a_set_and_must_choose_a_project(login, group):
    client = login("carol")
    url = reverse("promises:list")
    invalid = client.post(url, {"title": "Next year", "decision_rule": "majority"})
    _shows_error(invalid, "id_project", "Choose a project.")
    assert PromiseSet.objects.count() == 1
    response = client.post(
        url, {"project": group["project"].pk, "title": "Next year", "decision_rule": "majority"}
    )
    assert response.status_code == 302
    assert PromiseSet.objects.filter(title="Next year").exists()


def test_co_designer_names_are_one_line(login, group):
    alice = group["members"][0]
    client = login("carol")
    url = reverse("promises:credits", args=[group["set"].pk])
    invalid = client.post(url, {f"consent_{alice.pk}": "on", f"name_{alice.pk}": "Alice\nE."})
    _shows_error(invalid, f"id_name_{alice.pk}", SINGLE_LINE_MESSAGE)
    assert not CoDesigner.objects.exists()
    assert client.post(url, {f"consent_{alice.pk}": "on", f"name_{alice.pk}": "Alice E."})
    credit = CoDesigner.objects.get(person=alice)
    assert credit.consent_to_be_named and credit.name_as == "Alice E."
    assert login("fiona").post(url, {}).status_code == 403


def test_a_set_moves_only_to_a_known_status(login, group):
    url = reverse("promises:status", args=[group["set"].pk])
    client = login("carol")
    response = client.post(url, {"to": "nowhere"}, follow=True)
    assert "Choose where the set moves to." in response.content.decode()
    group["set"].refresh_from_db()
    assert group["set"].status == SetStatus.DRAFTING
    assert login("brenda").post(url, {"to": "agreed"}).status_code == 403


def _membership_lookups(queries) -> int:
    return sum(
        1
        for q in queries
        if q["sql"].startswith('SELECT "people_person"') and "projects_projectmember" in q["sql"]
    )


def test_a_tenants_vote_and_the_proposal_page_look_up_their_membership_once(login, proposal):
    client = login("bob")
    with CaptureQueriesContext(connection) as page:
        assert client.get(reverse("promises:proposal", args=[proposal.pk])).status_code == 200
    with CaptureQueriesContext(connection) as vote:
        response = client.post(reverse("promises:vote", args=[proposal.pk]), {"vote-choice": "for"})
    assert response.status_code == 302
    assert Vote.objects.get(proposal=proposal).choice == "for"
    assert _membership_lookups(page.captured_queries) == 1
    assert _membership_lookups(vote.captured_queries) == 1


def test_the_proposal_page_reads_the_votes_once_for_the_list_the_count_and_my_vote(
    login, proposal, group
):
    """The votes are listed, counted and searched for the person's own in one query (the
    proposal page is one of a tenant's busiest, docs/benchmarks.md, issue #20)."""
    alice, bob = group["members"][0], group["members"][1]
    services.vote_cast(proposal=proposal, person=alice, choice="for", actor=None)
    services.vote_cast(proposal=proposal, person=bob, choice="against", actor=None)
    client = login("bob")
    with CaptureQueriesContext(connection) as page:
        html = client.get(reverse("promises:proposal", args=[proposal.pk])).content.decode()
    votes_read = [q for q in page.captured_queries if 'FROM "promises_vote"' in q["sql"]]
    assert len(votes_read) == 1
    assert "For: <strong>1</strong> · Against: <strong>1</strong>" in html
    assert "You voted against (I object). You can change your vote." in html
    assert login("alice").get(reverse("promises:proposal", args=[proposal.pk])).status_code == 200
    html = client.get(reverse("promises:proposal", args=[proposal.pk])).content.decode()
    assert f"{alice.full_name}: for</li><li>{bob.full_name}: against (I object)</li>" in html
