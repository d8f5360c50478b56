"""Every write in the stories app: keyword-only, atomic, audited."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.http import HttpRequest

from coproduce.core.audit import audit_record
from coproduce.people.models import Person
from coproduce.projects.models import Decision, Project
from coproduce.stories.models import (
    GuideQuestion,
    ImpactChange,
    InterviewGuide,
    JournalEntry,
    JournalFile,
    MediaKind,
    SelfAssessment,
    Story,
    StoryAnswer,
    StorySource,
)
from coproduce.stories.split import Part, answers_from_parts, split_transcript

# What may be uploaded to a journal: extension -> (kind, content types), and the size cap.
MEDIA_TYPES: dict[str, tuple[str, tuple[str, ...]]] = {
    "jpg": (MediaKind.PHOTO, ("image/jpeg",)),
    "jpeg": (MediaKind.PHOTO, ("image/jpeg",)),
    "png": (MediaKind.PHOTO, ("image/png",)),
    "webp": (MediaKind.PHOTO, ("image/webp",)),
    "mp3": (MediaKind.AUDIO, ("audio/mpeg", "audio/mp3")),
    "m4a": (MediaKind.AUDIO, ("audio/mp4", "audio/x-m4a", "audio/m4a")),
    "wav": (MediaKind.AUDIO, ("audio/wav", "audio/x-wav", "audio/wave")),
    "ogg": (MediaKind.AUDIO, ("audio/ogg",)),
    "mp4": (MediaKind.VIDEO, ("video/mp4",)),
    "webm": (MediaKind.VIDEO, ("video/webm", "audio/webm")),
    "mov": (MediaKind.VIDEO, ("video/quicktime",)),
}
MAX_SIZE: dict[str, int] = {
    str(MediaKind.PHOTO): 10 * 1024 * 1024,
    str(MediaKind.AUDIO): 50 * 1024 * 1024,
}
MAX_VIDEO_SIZE = 200 * 1024 * 1024
# The first bytes of each kind of file: a renamed .exe is not a photo.
MAGIC: dict[str, tuple[bytes, ...]] = {
    "jpg": (b"\xff\xd8\xff",),
    "jpeg": (b"\xff\xd8\xff",),
    "png": (b"\x89PNG\r\n\x1a\n",),
    "webp": (b"RIFF",),
    "wav": (b"RIFF",),
    "ogg": (b"OggS",),
    "webm": (b"\x1a\x45\xdf\xa3",),
    "mp3": (b"ID3", b"\xff\xfb", b"\xff\xf3", b"\xff\xf2"),
}

if TYPE_CHECKING:
    from coproduce.accounts.models import User


def validate_media(upload: UploadedFile) -> str:
    """Return the media kind, or raise ValidationError with a plain-words reason."""
    name = upload.name or ""
    ext = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if ext not in MEDIA_TYPES:
        raise ValidationError(
            f"{name}: upload a photo (JPG, PNG, WebP), audio (MP3, M4A, WAV, OGG) "
            "or video (MP4, WebM, MOV)."
        )
    kind, types = MEDIA_TYPES[ext]
    if upload.content_type and upload.content_type not in types:
        raise ValidationError(f"{name} does not look like a {ext.upper()} file.")
    limit = MAX_SIZE.get(kind, MAX_VIDEO_SIZE)
    if (upload.size or 0) > limit:
        raise ValidationError(f"{name} is too big: the limit is {limit // (1024 * 1024)} MB.")
    if not upload.size:
        raise ValidationError(f"{name} is empty.")
    head = upload.read(16)
    upload.seek(0)
    signatures = MAGIC.get(ext)
    if ext in ("mp4", "m4a", "mov"):
        ok = head[4:8] in (b"ftyp", b"moov", b"wide", b"mdat", b"free")
    else:
        ok = signatures is None or head.startswith(signatures)
    if not ok:
        raise ValidationError(f"{name} does not look like a {ext.upper()} file.")
    return str(kind)


@transaction.atomic
def journal_entry_create(
    *,
    project: Project,
    author: User,
    happened_on: dt.date,
    what_happened: str,
    how_it_felt: str = "",
    lightbulb: str = "",
    consent: str,
    files: Sequence[UploadedFile] = (),
    descriptions: Sequence[str] = (),
    request: HttpRequest | None = None,
) -> JournalEntry:
    entry = JournalEntry(
        project=project,
        author=author,
        happened_on=happened_on,
        what_happened=what_happened,
        how_it_felt=how_it_felt,
        lightbulb=lightbulb,
        consent=consent,
    )
    entry.full_clean()
    entry.save()
    for index, upload in enumerate(files):
        kind = validate_media(upload)
        item = JournalFile(
            entry=entry,
            kind=kind,
            content_type=upload.content_type or "application/octet-stream",
            size=upload.size or 0,
            original_name=(upload.name or "file")[:255],
            description=(descriptions[index] if index < len(descriptions) else "")[:300],
        )
        item.file.save(upload.name or "file", upload, save=False)
        item.save()
    audit_record(
        action="journal.add",
        actor=author,
        obj=entry,
        summary=f"Journal entry for {project} ({len(files)} file(s))",
        request=request,
    )
    return entry


@transaction.atomic
def guide_ensure_default() -> InterviewGuide:
    """The default co-production story guide (normally made by a migration; recreated here
    if a database was flushed)."""
    from coproduce.stories.guides import DEFAULT_GUIDE

    guide, made = InterviewGuide.objects.get_or_create(
        slug=DEFAULT_GUIDE.slug,
        defaults={"name": DEFAULT_GUIDE.name, "description": DEFAULT_GUIDE.description},
    )
    if made or not guide.questions.exists():
        for q in DEFAULT_GUIDE.questions:
            GuideQuestion.objects.get_or_create(
                guide=guide,
                number=q.number,
                defaults={"label": q.label, "text": q.text, "cues_text": "\n".join(q.cues)},
            )
    return guide


def _guide_questions(guide: InterviewGuide) -> list[GuideQuestion]:
    return list(guide.questions.order_by("number"))


@transaction.atomic
def story_create(
    *,
    project: Project,
    guide: InterviewGuide,
    title: str,
    storyteller_name: str,
    interviewer: User,
    recorded_on: dt.date,
    consent: str,
    storyteller: Person | None = None,
    storyteller_role: str = "",
    public_name: str = "",
    answers: dict[int, str] | None = None,
    transcript: str = "",
    transcript_format: str = "",
    request: HttpRequest | None = None,
) -> Story:
    """Record a story from typed answers ({question number: text}) or a transcript."""
    story = Story(
        project=project,
        guide=guide,
        title=title,
        storyteller=storyteller,
        storyteller_name=storyteller_name,
        storyteller_role=storyteller_role,
        public_name=public_name,
        interviewer=interviewer,
        recorded_on=recorded_on,
        consent=consent,
        source=StorySource.TRANSCRIPT if transcript else StorySource.TYPED,
        transcript=transcript,
        transcript_format=transcript_format,
    )
    questions = _guide_questions(guide)
    asked: dict[int, int] = {}
    if transcript:
        result = split_transcript(transcript, transcript_format, questions)
        story.parts = [p.as_dict() for p in result.parts]
        answers = result.answers()
        asked = result.asked
    story.full_clean()
    story.save()
    _write_answers(story, questions, answers or {}, asked)
    audit_record(
        action="story.create",
        actor=interviewer,
        obj=story,
        summary=f"Story “{title}” ({story.get_source_display()})",
        request=request,
    )
    return story


def _write_answers(
    story: Story,
    questions: list[GuideQuestion],
    answers: dict[int, str],
    asked: dict[int, int],
    shareable: dict[int, bool] | None = None,
) -> None:
    existing = {a.question.number: a for a in story.answers.select_related("question")}
    for question in questions:
        text = (answers.get(question.number) or "").strip()
        current = existing.get(question.number)
        if not text:
            if current is not None:
                current.delete()
            continue
        share = shareable.get(question.number, True) if shareable is not None else None
        if current is None:
            StoryAnswer.objects.create(
                story=story,
                question=question,
                text=text,
                asked_at=asked.get(question.number),
                shareable=True if share is None else share,
            )
        else:
            current.text = text
            current.asked_at = asked.get(question.number, current.asked_at)
            fields = ["text", "asked_at"]
            if share is not None:
                current.shareable = share
                fields.append("shareable")
            current.save(update_fields=fields)


@transaction.atomic
def story_update(
    *,
    story: Story,
    data: dict[str, Any],
    answers: dict[int, str],
    shareable: dict[int, bool],
    actor: User,
    request: HttpRequest | None = None,
) -> Story:
    """Change the details, consent and typed answers of a story."""
    before = story.consent
    for name in ("title", "storyteller_name", "storyteller_role", "public_name", "consent"):
        if name in data:
            setattr(story, name, data[name])
    story.full_clean()
    story.save(
        update_fields=[
            "title",
            "storyteller_name",
            "storyteller_role",
            "public_name",
            "consent",
            "updated_at",
        ]
    )
    _write_answers(story, _guide_questions(story.guide), answers, {}, shareable)
    audit_record(
        action="story.update",
        actor=actor,
        obj=story,
        summary=f"Story “{story.title}” changed"
        + (f"; consent {before} → {story.consent}" if before != story.consent else ""),
        request=request,
    )
    return story


@transaction.atomic
def story_correct_split(
    *,
    story: Story,
    assignments: dict[int, int | None],
    actor: User,
    request: HttpRequest | None = None,
) -> Story:
    """The interviewer says which question each part of the transcript answers."""
    numbers = {q.number for q in _guide_questions(story.guide)}
    parts = [dict(p) for p in story.parts]
    for index, question in assignments.items():
        if not 0 <= index < len(parts):
            raise ValidationError("That part of the transcript does not exist.")
        if question is not None and question not in numbers:
            raise ValidationError("Choose a question from the guide.")
        parts[index]["question"] = question
        parts[index]["asks"] = None
    # Where each question is now asked: just before the first part that answers it.
    asked: dict[int, int] = {}
    for index, part in enumerate(parts):
        question = part.get("question")
        if isinstance(question, int) and question not in asked:
            previous = parts[index - 1] if index else None
            if previous is not None and previous.get("question") is None:
                previous["asks"] = question
                asked[question] = int(previous.get("at", 0))
            else:
                asked[question] = int(part.get("at", 0))
    story.parts = parts
    story.save(update_fields=["parts", "updated_at"])
    _write_answers(story, _guide_questions(story.guide), answers_from_parts(parts), asked)
    audit_record(
        action="story.split",
        actor=actor,
        obj=story,
        summary=f"Transcript split corrected for “{story.title}”",
        request=request,
    )
    return story


@transaction.atomic
def self_assessment_record(
    *,
    person: Person,
    taken_on: dt.date,
    confidence: int,
    skills: int,
    listened_to: int,
    skills_gained: str = "",
    opportunities: Sequence[str] = (),
    project: Project | None = None,
    recorded_by: User | None = None,
    request: HttpRequest | None = None,
) -> SelfAssessment:
    check = SelfAssessment(
        person=person,
        project=project,
        taken_on=taken_on,
        confidence=confidence,
        skills=skills,
        listened_to=listened_to,
        skills_gained=skills_gained,
        opportunities=list(opportunities),
        recorded_by=recorded_by,
    )
    check.full_clean()
    check.save()
    audit_record(
        action="outcome.record",
        actor=recorded_by,
        obj=check,
        summary=f"Check-in for person {person.pk}",
        request=request,
    )
    return check


@transaction.atomic
def impact_change_record(
    *,
    project: Project,
    kind: str,
    title: str,
    after: str,
    voices: str,
    changed_on: dt.date,
    before: str = "",
    decisions: Sequence[Decision] = (),
    stories: Sequence[Story] = (),
    recorded_by: User | None = None,
    request: HttpRequest | None = None,
) -> ImpactChange:
    if any(d.project_id != project.pk for d in decisions):
        raise ValidationError("Link decisions from the same project.")
    change = ImpactChange(
        project=project,
        kind=kind,
        title=title,
        before=before,
        after=after,
        voices=voices,
        changed_on=changed_on,
        recorded_by=recorded_by,
    )
    change.full_clean()
    change.save()
    change.decisions.set(decisions)
    change.stories.set(stories)
    audit_record(
        action="impact.record",
        actor=recorded_by,
        obj=change,
        summary=f"Impact: {title}",
        request=request,
    )
    return change


def parts_for_display(story: Story) -> list[Part]:
    return [
        Part(
            text=str(p.get("text", "")),
            at=int(p.get("at", 0)),
            speaker=str(p.get("speaker", "")),
            question=p.get("question") if isinstance(p.get("question"), int) else None,
            asks=p.get("asks") if isinstance(p.get("asks"), int) else None,
        )
        for p in story.parts
    ]
