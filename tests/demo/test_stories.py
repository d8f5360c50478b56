"""The demo's stories and impact: built once for the promises project, idempotent."""

from __future__ import annotations

import datetime as dt

from coproduce.accounts.models import User
from coproduce.accounts.roles import Role
from coproduce.demo.stories import build_stories_demo
from coproduce.people.models import Person
from coproduce.projects.models import Project, ProjectMember
from coproduce.stories.models import (
    ImpactChange,
    JournalEntry,
    JournalFile,
    SelfAssessment,
    Story,
    StorySource,
)


def test_it_builds_journal_stories_check_ins_and_impact_once(db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    coordinator = User.objects.create_user(
        "coordinator@demo.coproduce.test", "x" * 12, role=Role.COORDINATOR
    )
    project = Project.objects.create(title="Our customer promises", purpose="p", owner=coordinator)
    for i in range(12):
        person = Person.objects.create(first_name=f"T{i}")
        ProjectMember.objects.create(project=project, person=person, joined_on=dt.date(2024, 11, 5))

    first = build_stories_demo(seed=1)
    assert first["journal"] == 6 and first["stories"] == 3 and first["changes"] == 3
    assert JournalFile.objects.count() == 1
    assert Story.objects.filter(source=StorySource.TRANSCRIPT).count() == 1
    imported = Story.objects.get(source=StorySource.TRANSCRIPT)
    assert imported.answers.count() == 8
    counts = (
        JournalEntry.objects.count(),
        Story.objects.count(),
        SelfAssessment.objects.count(),
        ImpactChange.objects.count(),
    )
    assert build_stories_demo(seed=1) == {"journal": 0, "stories": 0, "check_ins": 0, "changes": 0}
    assert counts == (
        JournalEntry.objects.count(),
        Story.objects.count(),
        SelfAssessment.objects.count(),
        ImpactChange.objects.count(),
    )


def test_it_skips_without_the_promises_project(db):
    assert build_stories_demo(seed=1) == {"skipped": 1}
