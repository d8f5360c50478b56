"""A tenant's home: the next things to do first, then what is coming up, then what they've done."""

from __future__ import annotations

import datetime as dt
import re

from django.urls import reverse

from coproduce.meetings.models import Rsvp, TimeGiven
from coproduce.promises.models import Vote, VoteChoice
from coproduce.rewards.models import RewardChoice, RewardForm
from tests.home.conftest import session


def _next_things(body: str) -> list[str]:
    """The links in the "Things to do next" list, in order."""
    block = body.split('id="next"', 1)[1].split('id="coming-up"', 1)[0]
    return re.findall(r'class="govuk-link govuk-task-list__link" href="([^"]+)"', block)


def test_each_next_thing_is_listed_with_a_link_that_works_for_the_tenant(login, busy_alice):
    client = login("alice")
    body = client.get(reverse("home:home")).content.decode()
    links = _next_things(body)
    assert links == [
        reverse("meetings:detail", args=[busy_alice["invitation"].meeting_id]),
        reverse("diversity:quick_answer_public", args=[busy_alice["recipient"].token]),
        reverse("promises:proposal", args=[busy_alice["proposal"].pk]),
        reverse("rewards:mine_choice"),
    ]
    assert "Reply to “Repairs workshop”" in body
    assert "Answer a quick question: “Evening or daytime?”" in body
    assert "Vote on “Add a new promise: Call back within a day”" in body
    assert "Choose how you would like your thank-you reward" in body
    for link in links:
        assert client.get(link).status_code == 200, link


def test_done_things_leave_the_list_and_a_plain_sentence_says_so(login, busy_alice, users):
    alice = busy_alice["person"]
    invitation = busy_alice["invitation"]
    invitation.rsvp = Rsvp.YES
    invitation.save(update_fields=["rsvp"])
    recipient = busy_alice["recipient"]
    recipient.answer_1 = "Evenings"
    recipient.answered_at = invitation.invited_at
    recipient.save(update_fields=["answer_1", "answered_at"])
    Vote.objects.create(proposal=busy_alice["proposal"], person=alice, choice=VoteChoice.FOR)
    RewardChoice.objects.create(person=alice, form=RewardForm.BANK_TRANSFER)

    body = login("alice").get(reverse("home:home")).content.decode()
    assert _next_things(body) == []
    assert "There is nothing for you to do right now." in body
    # The session they said yes to is still coming up.
    coming_up = body.split('id="coming-up"', 1)[1].split('id="done"', 1)[0]
    assert "Repairs workshop" in coming_up


def test_a_tenant_with_nothing_at_all_is_told_so_plainly(login):
    body = login("bob").get(reverse("home:home")).content.decode()
    assert "There is nothing for you to do right now." in body
    assert "Nothing is booked for you yet." in body
    assert "The sessions you take part in and the time you give will show here." in body


def test_a_vote_in_another_group_or_after_leaving_is_not_theirs(login, busy_alice, project):
    from coproduce.projects.models import ProjectMember

    ProjectMember.objects.filter(project=project).update(left_on=dt.date(2025, 1, 1))
    body = login("alice").get(reverse("home:home")).content.decode()
    assert reverse("promises:proposal", args=[busy_alice["proposal"].pk]) not in body
    assert "There is nothing" not in body  # the reply, question and reward are still theirs
    body = login("bob").get(reverse("home:home")).content.decode()
    assert _next_things(body) == []


def test_coming_up_shows_the_next_three_and_points_to_the_rest(login, busy_alice, project):
    from coproduce.meetings.models import Invitation

    for days in (6, 7, 8):
        meeting = session(project, f"Later session {days}", days)
        Invitation.objects.create(meeting=meeting, person=busy_alice["person"], rsvp=Rsvp.YES)
    body = login("alice").get(reverse("home:home")).content.decode()
    coming_up = body.split('id="coming-up"', 1)[1].split('id="done"', 1)[0]
    assert coming_up.count('class="govuk-summary-card__title"') == 3
    assert "Later session 8" not in coming_up
    assert "1 more coming up" in coming_up
    assert reverse("meetings:list") in coming_up


def test_what_ive_done_is_a_short_summary_with_a_link_to_everything(login, busy_alice, project):
    alice = busy_alice["person"]
    TimeGiven.objects.create(
        person=alice, project=project, on=project.created_at.date(), minutes=30, what="Read papers"
    )
    body = login("alice").get(reverse("home:home")).content.decode()
    done = body.split('id="done"', 1)[1]
    assert "<table" not in body
    assert 'Sessions in all</dt><dd class="govuk-summary-list__value">1</dd>' in done
    assert "1.5 hours" in done
    assert "Kick-off meeting" in done and "Read papers" in done
    assert reverse("home:history") in done
    assert reverse("rewards:mine") in done
