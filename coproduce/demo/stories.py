"""Stories and the difference it made: a journal for the customer promises project, three
recorded stories (one imported from a transcript file), check-ins before and after, and an
impact log, and so a value report. Deterministic for a seed; runs once."""

from __future__ import annotations

import datetime as dt
import random
import struct
import zlib
from pathlib import Path
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction

from coproduce.accounts.models import User
from coproduce.demo.riverside import DEMO_EMAIL_DOMAIN, PROMISES_TITLE, moved
from coproduce.people.models import Person
from coproduce.projects.models import Project
from coproduce.stories import services
from coproduce.stories.models import InterviewGuide, ShareConsent, Story, StoryConsent

COORDINATOR_EMAIL = f"coordinator@{DEMO_EMAIL_DOMAIN}"
FACILITATOR_EMAIL = f"facilitator@{DEMO_EMAIL_DOMAIN}"
TRANSCRIPT = Path(__file__).resolve().parent.parent / "stories" / "demo_interview.txt"
OPPORTUNITIES = ["training", "volunteering", "job", "other_group", "education"]
SKILLS_GAINED = [
    "Speaking in public",
    "Chairing a meeting",
    "Writing plainly",
    "Using video calls",
    "",
]


def _pixel_png() -> bytes:
    """A one-pixel PNG for the journal's photo (real photos come from people's phones)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    pixels = zlib.compress(b"\x00\x0b\x5c\x55")
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")
    )


JOURNAL = [
    (
        dt.date(2024, 11, 12),
        "First workshop. Fourteen of us round the table, half had never been to anything before.",
        "Nervous. Nobody knew if staff had already written the promises.",
        "",
        ShareConsent.INTERNAL,
    ),
    (
        dt.date(2025, 1, 21),
        "We threw out the staff draft and started again from a blank page.",
        "It felt like the room changed: people started talking to each other, not to staff.",
        "Tenants wanted each promise to start with 'We will', so you can check it was done.",
        ShareConsent.PUBLIC,
    ),
    (
        dt.date(2025, 4, 8),
        "Online group on a Tuesday evening for people who can't get to the hall.",
        "Carers said it was the first time they could take part at all.",
        "Run every session twice: once in the hall, once online.",
        ShareConsent.INTERNAL,
    ),
    (
        dt.date(2025, 7, 15),
        "Ranking day: we voted on the order of the promises with stickers and by phone.",
        "Fun, loud, a bit chaotic.",
        "Respect should come first, because everything else depends on it.",
        ShareConsent.PUBLIC,
    ),
    (
        dt.date(2025, 9, 30),
        "Tenants presented the promises to the board. One word was challenged and the tenants "
        "kept it.",
        "Proud and shaky. A year's work, our words.",
        "The board listens harder when tenants present, not staff.",
        ShareConsent.INTERNAL,
    ),
    (
        dt.date(2025, 10, 20),
        "Debrief: what we would do differently next time.",
        "Tired but we did it.",
        "",
        ShareConsent.PROJECT,
    ),
]

TYPED_STORIES: list[dict[str, Any]] = [
    {
        "title": "Finding our voice online",
        "storyteller_name": "Demo carer",
        "storyteller_role": "Tenant and carer",
        "consent": StoryConsent.INTERNAL,
        "recorded_on": dt.date(2025, 11, 4),
        "answers": {
            1: "I care for my mum, so evening meetings in the hall were never possible for me.",
            2: "I joined the online group of the customer promises project on Tuesday evenings.",
            3: "The organisation learned that online sessions reach people the hall never does.",
            4: "Six carers took part who had never been involved before.",
            5: "The internet dropped out, and papers came too late to read before meetings.",
            6: "Useful again, like my voice counts outside of caring.",
            7: "Send papers a week before. Let people join by phone or online.",
            8: "You hear from people who never come to the hall meetings.",
        },
    },
    {
        "title": "A facilitator's view",
        "storyteller_name": "Tom Hughes",
        "storyteller_role": "Facilitator",
        "consent": StoryConsent.INTERNAL,
        "recorded_on": dt.date(2025, 11, 18),
        "answers": {
            1: "I facilitate co-production sessions for the involvement team.",
            2: "I ran the workshops where tenants wrote the customer promises.",
            3: "I learned to stop steering. The best ideas came when I kept quiet.",
            4: "Other departments now ask us to facilitate their projects.",
            5: "Keeping it genuine: some managers wanted to sign things off early. And time.",
            6: "It is the best part of my job.",
            7: "Be ready for mess and uncertainty. Give something back that people want.",
            8: "Decisions stick because tenants made them.",
        },
    },
]

CHANGES = [
    (
        "policy",
        "The customer promises were adopted across the organisation",
        "Service standards written by staff, unknown to most tenants.",
        "Eight promises, written by tenants, used by every team and checked every year.",
        "'A promise stuck up in reception is worthless without action.'",
        dt.date(2025, 10, 15),
    ),
    (
        "communication",
        "Every standard letter is now read by tenant readers before it goes out",
        "Letters full of jargon.",
        "A tenant readers panel checks every new standard letter.",
        "'We can't understand your letters.'",
        dt.date(2025, 12, 1),
    ),
    (
        "service",
        "Every involvement session is offered online as well as in person",
        "Sessions only in the community hall on weekday evenings.",
        "Each session runs twice, once in person and once online.",
        "'I'm a carer; I can't get to the hall, but I can join a video call.'",
        dt.date(2025, 5, 1),
    ),
]


def _member_users(project: Project) -> list[User]:
    return [
        m.person.user
        for m in project.members.select_related("person__user").order_by("joined_on", "id")
        if m.person.user is not None
    ]


@transaction.atomic
def build_stories_demo(*, seed: int) -> dict[str, int]:
    project = Project.objects.filter(title=PROMISES_TITLE).first()
    coordinator = User.objects.filter(email=COORDINATOR_EMAIL).first()
    if project is None or coordinator is None:
        return {"skipped": 1}
    if Story.objects.filter(project=project).exists():
        return {"journal": 0, "stories": 0, "check_ins": 0, "changes": 0}
    facilitator = User.objects.filter(email=FACILITATOR_EMAIL).first() or coordinator
    guide = services.guide_ensure_default()
    rng = random.Random(seed)
    journal = _journal_write(project, [coordinator, facilitator, *_member_users(project)])
    stories = _stories_record(project, guide, facilitator)
    changes = _changes_log(project, coordinator)
    check_ins = _check_ins_record(project, rng)
    return {"journal": journal, "stories": stories, "check_ins": check_ins, "changes": changes}


def _journal_write(project: Project, authors: list[User]) -> int:
    """The project's journal, taking turns to write; a photo from the board day."""
    for index, (day, what, felt, lightbulb, consent) in enumerate(JOURNAL):
        files = []
        if index == 4:
            files = [SimpleUploadedFile("board-day.png", _pixel_png(), content_type="image/png")]
        services.journal_entry_create(
            project=project,
            author=authors[index % len(authors)],
            happened_on=moved(day),
            what_happened=what,
            how_it_felt=felt,
            lightbulb=lightbulb,
            consent=consent,
            files=files,
            descriptions=["Tenants presenting the promises to the board"] if files else [],
        )
    return len(JOURNAL)


def _stories_record(project: Project, guide: InterviewGuide, facilitator: User) -> int:
    """One story imported from an interview transcript, two typed in."""
    services.story_create(
        project=project,
        guide=guide,
        title="How we wrote the promises",
        storyteller_name="Demo tenant",
        storyteller_role="Tenant, promises group",
        public_name="A tenant from the promises group",
        interviewer=facilitator,
        recorded_on=moved(dt.date(2025, 10, 28)),
        consent=StoryConsent.PUBLIC,
        transcript=TRANSCRIPT.read_text(encoding="utf-8"),
        transcript_format="txt",
    )
    for story in TYPED_STORIES:
        services.story_create(
            project=project,
            guide=guide,
            interviewer=facilitator,
            **{**story, "recorded_on": moved(story["recorded_on"])},
        )
    return 1 + len(TYPED_STORIES)


def _changes_log(project: Project, coordinator: User) -> int:
    """What changed because of the project, each tied to the decisions that led to it."""
    decisions = list(project.decisions.order_by("decided_on"))
    promise_story = Story.objects.get(project=project, title="How we wrote the promises")
    for index, (kind, title, before, after, voices, day) in enumerate(CHANGES):
        services.impact_change_record(
            project=project,
            kind=kind,
            title=title,
            before=before,
            after=after,
            voices=voices,
            changed_on=moved(day),
            decisions=decisions[-1 - index : len(decisions) - index] if decisions else [],
            stories=[promise_story] if index == 0 else [],
            recorded_by=coordinator,
        )
    return len(CHANGES)


def _check_ins_record(project: Project, rng: random.Random) -> int:
    """Check-ins when people joined and a year on: most feel more confident and listened to.
    Check-ins are optional, so some people have none. Returns how many."""
    made = 0
    for member in project.members.select_related("person").order_by("joined_on", "id"):
        if rng.random() < 0.15:
            continue
        start = [rng.randint(1, 3) for _ in range(3)]
        services.self_assessment_record(
            person=member.person,
            project=project,
            taken_on=member.joined_on,
            confidence=start[0],
            skills=start[1],
            listened_to=start[2],
        )
        _check_in_a_year_on(member.person, project, start, rng)
        made += 2
    return made


def _check_in_a_year_on(
    person: Person, project: Project, start: list[int], rng: random.Random
) -> None:
    # Confidence and feeling listened to rise for everyone here; skills are mixed, so the
    # skills row shows how small numbers are hidden.
    later = [
        start[0] + rng.choice([1, 1, 2]),
        min(5, start[1] + rng.choice([0, 0, 1, 2])),
        start[2] + rng.choice([1, 2]),
    ]
    services.self_assessment_record(
        person=person,
        project=project,
        taken_on=moved(dt.date(2025, 10, 31)),
        confidence=later[0],
        skills=later[1],
        listened_to=later[2],
        skills_gained=rng.choice(SKILLS_GAINED),
        opportunities=[o for o in OPPORTUNITIES if rng.random() < 0.3],
    )
