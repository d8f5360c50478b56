"""Learning across stories (themes with quotes), its export, and the yearly value report."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from coproduce.stories import selectors
from coproduce.stories.models import StoryConsent

from .conftest import make_story

CHALLENGES = [
    "It takes so much time, everything moved slowly.",
    "Finding time was hard because volunteers have busy lives.",
    "Some colleagues thought it was a waste of time.",
    "Sceptical colleagues did not believe tenants could do it.",
    "Keeping it genuine and not just consultation was hard.",
    "Volunteers have jobs and caring, you cannot give them deadlines.",
]


@pytest.fixture
def stories(project, guide, users):
    made = []
    for i, text in enumerate(CHALLENGES):
        made.append(
            make_story(
                project,
                guide,
                users["fiona"],
                title=f"Story {i}",
                consent=StoryConsent.INTERNAL,
                answers={5: text, 8: f"Worth it because of reason {i}."},
            )
        )
    make_story(
        project, guide, users["fiona"], title="Secret", answers={5: "PRIVATE ANSWER about time"}
    )
    return made


def test_answers_to_each_question_are_themed_with_quotes(stories):
    learning = {item.question.number: item for item in selectors.learning()}
    challenges = learning[5]
    assert challenges.answers == 6  # the private story is left out
    assert challenges.themes
    assert sum(theme.size for theme in challenges.themes) == 6
    quoted = {q.text for theme in challenges.themes for q in theme.quotes}
    assert quoted and quoted <= set(CHALLENGES)
    assert learning[1].themes == []


def test_the_learning_page_and_download(login, stories):
    client = login("brenda")
    page = client.get(reverse("stories:learning")).content.decode()
    assert "The challenges" in page
    assert "PRIVATE ANSWER" not in page
    download = client.get(reverse("stories:learning_download") + "?format=html")
    assert download.status_code == 200
    assert download["Content-Disposition"] == 'attachment; filename="what-we-have-learned.html"'
    assert "What we've learned" in download.content.decode()


def test_the_learning_pdf(login, stories):
    pytest.importorskip("weasyprint")
    response = login("carol").get(reverse("stories:learning_download") + "?format=pdf")
    assert response.status_code == 200
    assert response.content.startswith(b"%PDF")


def test_the_value_report_shows_the_year(login, project, guide, users, journal_entry):
    from coproduce.meetings.models import TimeGiven
    from coproduce.people.models import Person
    from coproduce.stories import services

    TimeGiven.objects.create(
        person=Person.objects.get(user=users["alice"]),
        project=project,
        on=dt.date(2026, 2, 3),
        minutes=150,
        what="Read the draft promises",
    )

    make_story(
        project,
        guide,
        users["fiona"],
        consent=StoryConsent.INTERNAL,
        recorded_on=dt.date(2026, 3, 1),
        answers={8: "It changes what the organisation does."},
    )
    services.impact_change_record(
        project=project,
        kind="policy",
        title="Promises adopted by the board",
        after="All teams work to the promises",
        voices="These are the words we want.",
        changed_on=dt.date(2026, 5, 1),
    )
    page = login("brenda").get(reverse("stories:report", args=[2026])).content.decode()
    assert "The value of co-production in 2026" in page
    assert "Promises adopted by the board" in page
    assert "It changes what the organisation does." in page
    assert "Our customer promises" in page
    # one person took part: a small number is hidden; the hours are shown
    assert "hidden (small number)" in page
    assert ">2.5</td>" in page
    assert "Rewards paid" in page and ">£0.00</td>" in page  # nothing paid in 2026
    # a journal entry kept within the project does not reach the report
    assert "Tenants should present to the board themselves." not in page


def test_the_value_report_pdf_uses_the_same_content(login, project):
    pytest.importorskip("weasyprint")
    response = login("carol").get(reverse("stories:report_download", args=[2026]) + "?format=pdf")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    html = login("carol").get(reverse("stories:report_download", args=[2026]) + "?format=html")
    assert "The value of co-production in 2026" in html.content.decode()


def test_a_year_out_of_range_is_not_found(login, users):
    assert login("carol").get(reverse("stories:report", args=[1999])).status_code == 404
