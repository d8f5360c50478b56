"""Impact on people (check-ins, suppressed aggregates) and on the organisation (impact log)."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse

from coproduce.people.models import Person
from coproduce.projects.models import DecidedBy, Decision
from coproduce.stories import selectors, services
from coproduce.stories.models import ImpactChange


def _people(n, area):
    return [
        Person.objects.create(first_name=f"P{i}", last_name="Test", area=area) for i in range(n)
    ]


def _two_check_ins(person, before, after, opportunities=()):
    services.self_assessment_record(
        person=person, taken_on=dt.date(2026, 1, 1), confidence=before, skills=2, listened_to=2
    )
    services.self_assessment_record(
        person=person,
        taken_on=dt.date(2026, 6, 1),
        confidence=after,
        skills=2,
        listened_to=3,
        opportunities=list(opportunities),
    )


def test_outcome_aggregates_are_suppressed_under_the_threshold(users, area, settings):
    settings.SUPPRESSION_THRESHOLD = 10
    people = _people(14, area)
    for person in people[:12]:
        _two_check_ins(person, 2, 4, ["training"])
    for person in people[12:]:
        _two_check_ins(person, 3, 2, ["job"])
    summary = selectors.outcomes_summary()
    confidence = summary.rows[0]
    assert confidence.label == "Confidence"
    # 12 better, 0 same, 2 worse: the 2 is hidden, and so is the 12 (it would give the 2 away)
    assert confidence.worse is None
    assert confidence.better is None
    assert confidence.same == 0
    assert summary.people_compared == 14
    opportunities = dict(summary.opportunities)
    assert opportunities["A job or work experience"] is None
    assert opportunities["Training or a course"] is None


def test_small_groups_show_nothing_countable(users, area):
    for person in _people(3, area):
        _two_check_ins(person, 1, 5)
    summary = selectors.outcomes_summary()
    assert summary.people_checked_in is None
    assert summary.people_compared is None
    for row in summary.rows:
        assert {row.better, row.same, row.worse, row.total} <= {None, 0}, row


def test_big_enough_groups_are_shown(users, area, settings):
    settings.SUPPRESSION_THRESHOLD = 10
    for person in _people(20, area):
        _two_check_ins(person, 2, 4)
    row = selectors.outcomes_summary().rows[0]
    assert (row.better, row.same, row.worse, row.total) == (20, 0, 0, 20)


def test_the_impact_page_shows_hidden_for_small_numbers(login, users, area):
    for person in _people(3, area):
        _two_check_ins(person, 1, 5)
    page = login("brenda").get(reverse("stories:impact")).content.decode()
    assert "hidden (small number)" in page


def test_a_tenant_checks_in_and_sees_their_own_change(login, users):
    client = login("alice")
    for confidence in ("2", "4"):
        response = client.post(
            reverse("stories:check_in"),
            {
                "confidence": confidence,
                "skills": "3",
                "listened_to": "3",
                "opportunities": ["training"],
            },
        )
        assert response.status_code == 302
    page = client.get(reverse("stories:mine")).content.decode()
    assert "Since your first check-in" in page
    assert "Up 2" in page
    # Bob sees nothing of Alice's
    assert (
        "Since your first check-in"
        not in login("bob").get(reverse("stories:mine")).content.decode()
    )


def test_a_check_in_score_must_be_on_the_scale(login, users):
    response = login("alice").post(
        reverse("stories:check_in"), {"confidence": "9", "skills": "3", "listened_to": "3"}
    )
    assert response.status_code == 200
    assert not Person.objects.get(user=users["alice"]).self_assessments.exists()


def test_a_coordinator_logs_a_change_linked_to_decisions_and_voices(login, project, users):
    decision = Decision.objects.create(
        project=project,
        decided_on=dt.date(2026, 2, 1),
        summary="Letters in plain English",
        decided_by=DecidedBy.TOGETHER,
        tenant_views="Tenants said letters were full of jargon.",
    )
    response = login("carol").post(
        reverse("stories:impact_create"),
        {
            "project": project.pk,
            "kind": "communication",
            "title": "Repair letters rewritten by tenants",
            "before": "Two pages of jargon",
            "after": "One page in plain English",
            "voices": "We can't understand your letters.",
            "changed_on": "2026-04-01",
            "decisions": [decision.pk],
        },
    )
    assert response.status_code == 302
    change = ImpactChange.objects.get()
    assert list(change.decisions.all()) == [decision]
    page = login("brenda").get(reverse("stories:impact")).content.decode()
    assert "Repair letters rewritten by tenants" in page
    assert "Letters in plain English" in page
    # and Alice, a member, sees what changed because of her project
    assert (
        "Repair letters rewritten by tenants"
        in login("alice").get(reverse("stories:mine")).content.decode()
    )


def test_decisions_from_another_project_cannot_be_linked(login, project, users):
    from coproduce.projects.models import Project

    other = Project.objects.create(title="Repairs", purpose="x", owner=users["carol"])
    decision = Decision.objects.create(
        project=other, decided_on=dt.date(2026, 2, 1), summary="x", decided_by=DecidedBy.STAFF
    )
    response = login("carol").post(
        reverse("stories:impact_create"),
        {
            "project": project.pk,
            "kind": "policy",
            "title": "t",
            "after": "a",
            "voices": "v",
            "changed_on": "2026-04-01",
            "decisions": [decision.pk],
        },
    )
    assert response.status_code == 200
    assert not ImpactChange.objects.exists()


def test_support_requests_over_time_are_on_the_impact_page(login, users):
    from coproduce.projects.models import SupportRequest

    SupportRequest.objects.create(requested_by=users["colin"], team="Repairs", what="w", why="y")
    page = login("carol").get(reverse("stories:impact")).content.decode()
    assert "1 in the last 12 months" in page
