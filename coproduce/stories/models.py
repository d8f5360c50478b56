from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models

from coproduce.people.models import Person
from coproduce.projects.models import Decision, Project


class ShareConsent(models.TextChoices):
    """What the contributor agreed to, for a journal entry."""

    PROJECT = "project", "Only people in this project"
    INTERNAL = "internal", "Also in the organisation's own reports"
    PUBLIC = "public", "Anywhere, including public reports"


class JournalEntry(models.Model):
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="journal")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="journal_entries"
    )
    happened_on = models.DateField("When did it happen?")
    what_happened = models.TextField("What happened?")
    how_it_felt = models.TextField("How did it feel?", blank=True)
    lightbulb = models.TextField(
        "Lightbulb moment",
        blank=True,
        help_text="An idea or insight nobody would have had on their own.",
    )
    consent = models.CharField(
        "Who may see this?",
        max_length=20,
        choices=ShareConsent.choices,
        default=ShareConsent.PROJECT,
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-happened_on", "-id"]
        verbose_name_plural = "journal entries"
        indexes = [models.Index(fields=["project", "happened_on"])]

    def __str__(self) -> str:
        return f"{self.project}: {self.what_happened[:40]}"


class MediaKind(models.TextChoices):
    PHOTO = "photo", "Photo"
    AUDIO = "audio", "Audio"
    VIDEO = "video", "Video"


def _journal_path(instance: JournalFile, filename: str) -> str:
    suffix = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return f"stories/journal/{uuid.uuid4().hex}.{suffix}"


class JournalFile(models.Model):
    entry = models.ForeignKey(JournalEntry, on_delete=models.CASCADE, related_name="files")
    file = models.FileField(upload_to=_journal_path)
    kind = models.CharField(max_length=10, choices=MediaKind.choices)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    original_name = models.CharField(max_length=255)
    description = models.CharField(
        "Describe the file", max_length=300, blank=True, help_text="For people who cannot see it."
    )

    class Meta:
        ordering = ["entry", "id"]

    def __str__(self) -> str:
        return self.original_name


class InterviewGuide(models.Model):
    slug = models.SlugField(unique=True)
    name = models.CharField(max_length=200)
    description = models.TextField(blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class GuideQuestion(models.Model):
    guide = models.ForeignKey(InterviewGuide, on_delete=models.CASCADE, related_name="questions")
    number = models.PositiveSmallIntegerField()
    label = models.CharField(max_length=100)
    text = models.CharField(max_length=300)
    cues_text = models.TextField(
        blank=True, help_text="Other ways of asking it, one a line (helps split transcripts)."
    )

    class Meta:
        ordering = ["guide", "number"]
        constraints = [
            models.UniqueConstraint(fields=["guide", "number"], name="unique_guide_question")
        ]

    def __str__(self) -> str:
        return f"{self.number}. {self.text}"

    @property
    def cues(self) -> list[str]:
        return [line.strip() for line in self.cues_text.splitlines() if line.strip()]


class StoryConsent(models.TextChoices):
    PRIVATE = "private", "Private: the project team only"
    INTERNAL = "internal", "Internal: staff and the board"
    PUBLIC = "public", "Public: anyone, on a public page"


class StorySource(models.TextChoices):
    TYPED = "typed", "Answers typed in"
    TRANSCRIPT = "transcript", "Imported transcript"


class Story(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="stories")
    guide = models.ForeignKey(InterviewGuide, on_delete=models.PROTECT, related_name="stories")
    title = models.CharField(max_length=200)
    storyteller = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="stories"
    )
    storyteller_name = models.CharField("Storyteller's name", max_length=200)
    storyteller_role = models.CharField("Their role", max_length=200, blank=True)
    public_name = models.CharField(
        "Name on the public page",
        max_length=200,
        blank=True,
        help_text="How they agreed to be named in public, for example 'Maureen, a tenant'. "
        "Leave empty to show no name.",
    )
    interviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="interviews"
    )
    recorded_on = models.DateField()
    consent = models.CharField(
        max_length=20, choices=StoryConsent.choices, default=StoryConsent.PRIVATE
    )
    source = models.CharField(max_length=20, choices=StorySource.choices)
    transcript = models.TextField(blank=True)
    transcript_format = models.CharField(max_length=3, blank=True)
    # The split as the interviewer last saw it: [{text, at, speaker, question, asks}, ...]
    parts = models.JSONField(default=list, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-recorded_on", "-id"]
        verbose_name_plural = "stories"

    def __str__(self) -> str:
        return self.title


class StoryAnswer(models.Model):
    story = models.ForeignKey(Story, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(GuideQuestion, on_delete=models.PROTECT, related_name="answers")
    text = models.TextField()
    asked_at = models.PositiveIntegerField(null=True, blank=True)
    shareable = models.BooleanField(
        "Agreed to share in public",
        default=True,
        help_text="Shown on the public page only when the story is public and this is ticked.",
    )

    class Meta:
        ordering = ["story", "question__number"]
        constraints = [
            models.UniqueConstraint(fields=["story", "question"], name="unique_story_answer")
        ]

    def __str__(self) -> str:
        return f"{self.story}: {self.question.number}"


class Opportunity(models.TextChoices):
    TRAINING = "training", "Training or a course"
    VOLUNTEERING = "volunteering", "Volunteering"
    JOB = "job", "A job or work experience"
    EDUCATION = "education", "College or other learning"
    OTHER_GROUP = "other_group", "Joining another group or panel"


class SelfAssessment(models.Model):
    """A short, optional check-in a participant fills in when they join and later on."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="self_assessments")
    project = models.ForeignKey(
        Project, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    taken_on = models.DateField()
    confidence = models.PositiveSmallIntegerField()
    skills = models.PositiveSmallIntegerField()
    listened_to = models.PositiveSmallIntegerField()
    skills_gained = models.TextField(blank=True)
    opportunities = models.JSONField(default=list, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["person", "taken_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(confidence__range=(1, 5))
                & models.Q(skills__range=(1, 5))
                & models.Q(listened_to__range=(1, 5)),
                name="self_assessment_scale_1_to_5",
            )
        ]

    def __str__(self) -> str:
        return f"{self.person} on {self.taken_on}"

    def get_opportunities_display(self) -> list[str]:
        labels = dict(Opportunity.choices)
        return [labels.get(code, code) for code in self.opportunities]


class ChangeKind(models.TextChoices):
    SERVICE = "service", "A service"
    POLICY = "policy", "A policy"
    DECISION = "decision", "A decision"
    COMMUNICATION = "communication", "How we communicate"
    OTHER = "other", "Something else"


class ImpactChange(models.Model):
    """One change the organisation made because of co-production ("you said, we did")."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="impact_changes")
    kind = models.CharField("What changed", max_length=20, choices=ChangeKind.choices)
    title = models.CharField("The change, in a sentence", max_length=200)
    before = models.TextField("How it was before", blank=True)
    after = models.TextField("How it is now")
    voices = models.TextField(
        "You said: the voices behind it", help_text="What tenants said that led to the change."
    )
    changed_on = models.DateField("When it changed")
    decisions = models.ManyToManyField(Decision, blank=True, related_name="impact_changes")
    stories = models.ManyToManyField(Story, blank=True, related_name="impact_changes")
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-changed_on", "-id"]

    def __str__(self) -> str:
        return self.title
