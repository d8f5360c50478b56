import datetime as dt

import pytest
from django.urls import reverse

from coproduce.core.models import AuditEntry
from coproduce.people.models import Person
from coproduce.projects.models import (
    Decision,
    Project,
    ProjectMember,
    RequestStatus,
    SupportRequest,
)
from tests.conftest import PERSONAS


@pytest.fixture
def project(users):
    project = Project.objects.create(
        title="Customer promises", purpose="Write our promises", owner=users["carol"]
    )
    alice = Person.objects.get(user=users["alice"])
    ProjectMember.objects.create(project=project, person=alice, joined_on=dt.date(2025, 1, 1))
    Decision.objects.create(
        project=project,
        decided_on=dt.date(2025, 2, 1),
        summary="Six promises",
        decided_by="tenants",
        tenant_views="Tenants chose six",
        feedback="We kept six",
    )
    return project


def _pages(project):
    return [
        (
            "projects:list",
            [],
            set(PERSONAS) - {"dora", "frank", "sam", "brenda", "colin"}
            | {"brenda", "colin", "frank", "dora", "sam"},
        ),
        ("projects:detail", [project.pk], {"alice", "carol", "fiona", "adam", "brenda"}),
        ("projects:edit", [project.pk], {"carol"}),
        ("projects:self_assessment", [project.pk], {"carol"}),
        ("projects:stage_create", [project.pk], {"carol"}),
        ("projects:decision_create", [project.pk], {"carol", "fiona"}),
        ("projects:member_add", [project.pk], {"carol"}),
        ("projects:staff_add", [project.pk], {"carol"}),
        ("projects:create", [], {"carol"}),
        ("projects:support_list", [], set(PERSONAS) - {"alice", "bob"}),
        ("projects:support_create", [], set(PERSONAS) - {"alice", "bob"}),
    ]


@pytest.mark.parametrize("persona", sorted(PERSONAS))
def test_every_project_page_checks_the_role(client, users, project, persona):
    client.force_login(users[persona])
    for name, args, allowed in _pages(project):
        if name == "projects:list":
            allowed = set(PERSONAS)  # everyone gets a list, filtered to what they may see
        response = client.get(reverse(name, args=args))
        expected = 200 if persona in allowed else 403
        assert response.status_code == expected, f"{persona} on {name}"


def test_anonymous_is_sent_to_sign_in_everywhere(client, users, project):
    for name, args, _ in _pages(project):
        response = client.get(reverse(name, args=args))
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_a_tenant_only_sees_projects_they_are_in(login, users, project):
    Project.objects.create(title="Secret staff project", purpose="x", owner=users["carol"])
    response = login("alice").get(reverse("projects:list"))
    assert b"Customer promises" in response.content
    assert b"Secret staff project" not in response.content
    assert login("bob").get(reverse("projects:detail", args=[project.pk])).status_code == 403


def test_the_project_page_shows_the_measure_beside_the_team_view(login, project):
    project.team_ladder = 7
    project.save()
    response = login("carol").get(reverse("projects:detail", args=[project.pk]))
    assert response.context["ladder"].label == "Co-production"
    assert b"What the team thinks" in response.content
    assert b"We kept six" in response.content


def test_a_team_claiming_more_than_the_record_is_warned(login, users, project):
    Decision.objects.create(
        project=project, decided_on=dt.date(2024, 12, 1), summary="Budget", decided_by="staff"
    )
    Decision.objects.create(
        project=project, decided_on=dt.date(2024, 12, 2), summary="Venue", decided_by="staff"
    )
    project.team_ladder = 7
    project.save()
    response = login("carol").get(reverse("projects:detail", args=[project.pk]))
    assert b"higher than the decision log shows" in response.content


def test_facilitator_records_a_decision_and_it_is_audited(login, project):
    response = login("fiona").post(
        reverse("projects:decision_create", args=[project.pk]),
        {
            "decided_on": "2025-03-01",
            "summary": "Promise 1 goes first",
            "decided_by": "together",
            "tenant_views": "Tenants ranked it first",
            "feedback": "Told at the March session",
            "feedback_on": "",
        },
    )
    assert response.status_code == 302
    decision = Decision.objects.get(summary="Promise 1 goes first")
    assert decision.feedback_on is not None
    assert AuditEntry.objects.filter(action="project.decision_recorded").exists()


def test_a_decision_whose_recorder_is_gone_can_still_be_edited(login, project):
    decision = Decision.objects.create(
        project=project, decided_on="2025-03-01", summary="Old one", decided_by="together"
    )
    assert decision.recorded_by is None  # the login that wrote it down is no longer linked
    response = login("carol").post(
        reverse("projects:decision_edit", args=[project.pk, decision.pk]),
        {"decided_on": "2025-03-01", "summary": "Old one, reworded", "decided_by": "together"},
    )
    assert response.status_code == 302
    decision.refresh_from_db()
    assert decision.summary == "Old one, reworded"


def test_a_decision_without_who_decided_is_refused(login, project):
    response = login("fiona").post(
        reverse("projects:decision_create", args=[project.pk]),
        {"decided_on": "2025-03-01", "summary": "Something"},
    )
    assert response.status_code == 200
    assert not Decision.objects.filter(summary="Something").exists()


def test_stage_dates_are_targets_and_must_be_in_order(login, project):
    client = login("carol")
    response = client.post(
        reverse("projects:stage_create", args=[project.pk]),
        {
            "kind": "co_design",
            "name": "Drafting",
            "target_start": "2025-05-01",
            "target_end": "2025-04-01",
            "status": "not_started",
            "notes": "",
        },
    )
    assert b"The target end must be on or after the target start" in response.content
    response = client.post(
        reverse("projects:stage_create", args=[project.pk]),
        {
            "kind": "co_design",
            "name": "Drafting",
            "target_start": "2020-05-01",
            "target_end": "2020-06-01",
            "status": "under_way",
            "notes": "",
        },
    )
    assert response.status_code == 302  # a past target date blocks nothing


def test_coordinator_adds_and_removes_a_member(login, users, project):
    bob = Person.objects.get(user=users["bob"])
    client = login("carol")
    found = client.get(reverse("projects:member_add", args=[project.pk]), {"q": "Example"})
    assert b"Bob Example" in found.content
    client.post(
        reverse("projects:member_add", args=[project.pk]),
        {"person": bob.pk, "role": "member", "joined_on": "2025-06-01"},
    )
    member = ProjectMember.objects.get(project=project, person=bob)
    response = client.post(
        reverse("projects:member_add", args=[project.pk]),
        {"person": bob.pk, "role": "member", "joined_on": "2025-06-01"},
        follow=True,
    )
    assert b"already a member" in response.content
    client.post(reverse("projects:member_leave", args=[project.pk, member.pk]))
    member.refresh_from_db()
    assert member.left_on is not None


def test_a_colleague_asks_for_help_and_the_coordinator_takes_it_on(login, users):
    colin = login("colin")
    colin.post(
        reverse("projects:support_create"),
        {
            "team": "Repairs",
            "what": "A new repairs charter",
            "why": "Complaints are rising",
            "when": "Spring",
            "who_affected": "All tenants",
        },
    )
    support = SupportRequest.objects.get()
    assert colin.get(reverse("projects:support_triage", args=[support.pk])).status_code == 403
    carol = login("carol")
    response = carol.post(
        reverse("projects:support_triage", args=[support.pk]),
        {"decision": "accept", "project": "", "note": "Happy to help"},
    )
    support.refresh_from_db()
    assert support.status == RequestStatus.ACCEPTED
    assert support.project.title == "A new repairs charter"
    assert response["Location"] == reverse("projects:detail", args=[support.project.pk])
    # The colleague can now follow the project they asked for.
    colin = login("colin")
    assert colin.get(reverse("projects:detail", args=[support.project.pk])).status_code == 200


def test_declining_needs_a_reason(login, users):
    support = SupportRequest.objects.create(
        requested_by=users["colin"], team="Rents", what="x", why="y"
    )
    response = login("carol").post(
        reverse("projects:support_triage", args=[support.pk]), {"decision": "decline", "note": ""}
    )
    assert b"Say why" in response.content
    support.refresh_from_db()
    assert support.status == RequestStatus.NEW


def test_demand_is_counted_per_month(login, users):
    for _ in range(3):
        SupportRequest.objects.create(requested_by=users["colin"], team="Rents", what="x", why="y")
    response = login("carol").get(reverse("projects:support_list"))
    demand = response.context["demand"]
    assert len(demand) >= 12
    assert demand[-1]["count"] == 3


def test_project_list_query_count_is_constant(login, users, django_assert_max_num_queries):
    for i in range(25):
        Project.objects.create(title=f"P{i}", purpose="x", owner=users["carol"])
    client = login("carol")
    with django_assert_max_num_queries(6):
        response = client.get(reverse("projects:list"))
    assert response.status_code == 200
    assert b"P24" in response.content
