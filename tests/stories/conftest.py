from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from coproduce.people.models import Person
from coproduce.projects.models import Project, ProjectMember, ProjectStaff, StaffRole
from coproduce.stories import services
from coproduce.stories.models import InterviewGuide, StoryConsent

FIXTURES = Path(__file__).parent / "fixtures"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def project(users) -> Project:
    """Carol owns it, Fiona facilitates it, Alice is a member; Bob is not in it."""
    project = Project.objects.create(
        title="Our customer promises", purpose="Write the promises together.", owner=users["carol"]
    )
    ProjectStaff.objects.create(project=project, user=users["fiona"], role=StaffRole.FACILITATOR)
    ProjectMember.objects.create(
        project=project,
        person=Person.objects.get(user=users["alice"]),
        joined_on=dt.date(2026, 1, 5),
    )
    return project


@pytest.fixture
def guide(db) -> InterviewGuide:
    return services.guide_ensure_default()


def make_story(project, guide, interviewer, *, consent=StoryConsent.PRIVATE, **kwargs):
    answers = kwargs.pop("answers", {1: "I'm Maureen, a tenant.", 5: "It took a long time."})
    return services.story_create(
        project=project,
        guide=guide,
        title=kwargs.pop("title", "How we wrote the promises"),
        storyteller_name=kwargs.pop("storyteller_name", "Maureen Private-Surname"),
        interviewer=interviewer,
        recorded_on=kwargs.pop("recorded_on", dt.date(2026, 3, 1)),
        consent=consent,
        answers=answers,
        **kwargs,
    )


@pytest.fixture
def private_story(project, guide, users):
    return make_story(project, guide, users["fiona"])


@pytest.fixture
def transcript_story(project, guide, users):
    text = (FIXTURES / "interview_speakers.vtt").read_text()
    return make_story(
        project,
        guide,
        users["fiona"],
        title="Amira's story",
        answers=None,
        transcript=text,
        transcript_format="vtt",
    )


@pytest.fixture
def journal_entry(project, users, media):
    return services.journal_entry_create(
        project=project,
        author=users["alice"],
        happened_on=dt.date(2026, 2, 1),
        what_happened="We agreed the first promise.",
        how_it_felt="Nervous, then proud.",
        lightbulb="Tenants should present to the board themselves.",
        consent="project",
        files=[SimpleUploadedFile("board.png", PNG, content_type="image/png")],
        descriptions=["Tenants at the board meeting"],
    )
