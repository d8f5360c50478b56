"""Equality data, kept apart from people's profiles, with consent and purpose.

Only the data-protection lead sees these rows per person. Everyone else sees
suppressed aggregates (core/suppression.py). Nothing here may drive a decision
about one person, except that outreach may invite people whose group is under-heard
when they consented to exactly that.
"""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models

from coproduce.diversity.categories import (
    ConditionImpact,
    Ethnicity,
    Religion,
    Sex,
    SexualOrientation,
    YesNo,
)
from coproduce.people.models import Area, Person, Tenure


class RecordedVia(models.TextChoices):
    SELF = "self", "By the person, online"
    PHONE = "phone", "With staff, by phone"
    PAPER = "paper", "On a paper form"
    IN_PERSON = "in_person", "With staff, in person"
    POST = "post", "By post, on a reply slip"
    TEXT = "text", "By text message"


CONSENT_WORDING = (
    "I choose to answer these questions. You may use my answers: "
    "(a) for statistics — counted with everyone else's, never shown on their own; and/or "
    "(b) for outreach — to invite me when people like me are not being heard. "
    "My answers will never be used to make any other decision about me. I can withdraw at any "
    "time and my answers will be deleted."
)


class EqualityConsent(models.Model):
    person = models.OneToOneField(Person, on_delete=models.CASCADE, related_name="equality_consent")
    statistics = models.BooleanField("Use my answers for statistics", default=False)
    outreach = models.BooleanField(
        "Use my answers to invite me when my group is under-heard", default=False
    )
    wording = models.TextField(default=CONSENT_WORDING)
    given_at = models.DateTimeField()
    recorded_via = models.CharField(
        max_length=20, choices=RecordedVia.choices, default=RecordedVia.SELF
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        indexes = [models.Index(fields=["statistics"]), models.Index(fields=["outreach"])]

    def __str__(self) -> str:
        return f"Equality consent of person #{self.person_id}"


class EqualityRecord(models.Model):
    person = models.OneToOneField(Person, on_delete=models.CASCADE, related_name="equality")
    ethnicity = models.CharField(max_length=40, choices=Ethnicity.choices, blank=True)
    long_term_condition = models.CharField(
        "Physical or mental health condition lasting 12 months or more",
        max_length=12,
        choices=YesNo.choices,
        blank=True,
    )
    condition_impact = models.CharField(
        "Does it reduce your ability to carry out day-to-day activities?",
        max_length=12,
        choices=ConditionImpact.choices,
        blank=True,
    )
    sex = models.CharField(max_length=12, choices=Sex.choices, blank=True)
    gender_same_as_birth = models.CharField(
        "Is the gender you identify with the same as your sex registered at birth?",
        max_length=12,
        choices=YesNo.choices,
        blank=True,
    )
    sexual_orientation = models.CharField(
        max_length=12, choices=SexualOrientation.choices, blank=True
    )
    religion = models.CharField(max_length=12, choices=Religion.choices, blank=True)
    first_language_english = models.CharField(
        "Is English your first language?", max_length=12, choices=YesNo.choices, blank=True
    )
    first_language = models.CharField(
        "If not, what is your first language?", max_length=60, blank=True
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        indexes = [models.Index(fields=["ethnicity"])]

    def __str__(self) -> str:
        return f"Equality answers of person #{self.person_id}"

    @property
    def disabled(self) -> str:
        """GSS harmonised disability: a long-term condition that reduces day-to-day activity."""
        if self.long_term_condition == YesNo.YES and self.condition_impact in (
            ConditionImpact.A_LOT,
            ConditionImpact.A_LITTLE,
        ):
            return "yes"
        if (
            self.long_term_condition == YesNo.NO
            or self.condition_impact == ConditionImpact.NOT_AT_ALL
        ):
            return "no"
        return "prefer_not" if self.long_term_condition else ""


class PopulationCount(models.Model):
    """The landlord's tenant profile as counts, where only aggregates are known."""

    characteristic = models.CharField(max_length=40)
    category = models.CharField(max_length=60)
    area = models.ForeignKey(Area, null=True, blank=True, on_delete=models.CASCADE)
    tenure = models.CharField(max_length=20, choices=Tenure.choices, blank=True)
    count = models.PositiveIntegerField()
    as_of = models.DateField()
    source = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["characteristic", "category"]
        constraints = [
            models.UniqueConstraint(
                fields=["characteristic", "category", "area", "tenure"],
                name="unique_population_count",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.characteristic}={self.category}: {self.count}"


class OutreachList(models.Model):
    name = models.CharField(max_length=200)
    criteria = models.JSONField(default=dict)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    people = models.ManyToManyField(Person, related_name="+", blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.name


class QuickQuestion(models.Model):
    """ "Just ask": one to three short questions to a diverse sample of the involvement pool."""

    project = models.ForeignKey(
        "projects.Project", on_delete=models.CASCADE, related_name="quick_questions"
    )
    title = models.CharField(max_length=200)
    question_1 = models.CharField(max_length=200)
    question_2 = models.CharField(max_length=200, blank=True)
    question_3 = models.CharField(max_length=200, blank=True)
    # Answers to choose from for a question asked on its own: tick boxes on a reply slip, a
    # number to text back, buttons online. None: people answer in their own words.
    choices = models.JSONField(default=list, blank=True)
    several = models.BooleanField(
        "People may choose more than one answer",
        default=False,
        help_text="Otherwise each person chooses one answer.",
    )
    sample_size = models.PositiveIntegerField()
    strata = models.JSONField(default=list)
    seed = models.PositiveIntegerField(default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.title

    @property
    def questions(self) -> list[str]:
        return [q for q in (self.question_1, self.question_2, self.question_3) if q]

    @property
    def options(self) -> list[tuple[str, str]]:
        """(code, label) for each answer to choose from; the code is its number, "1" up."""
        return [(str(n), str(label)) for n, label in enumerate(self.choices or [], start=1)]


def _token() -> str:
    return secrets.token_urlsafe(24)


class QuickQuestionRecipient(models.Model):
    question = models.ForeignKey(QuickQuestion, on_delete=models.CASCADE, related_name="recipients")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    channel = models.CharField(max_length=20)
    token = models.CharField(max_length=64, unique=True, default=_token)
    answer_1 = models.TextField(blank=True)
    answer_2 = models.TextField(blank=True)
    answer_3 = models.TextField(blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)
    recorded_via = models.CharField(max_length=20, choices=RecordedVia.choices, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["question", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["question", "person"], name="unique_quick_question_recipient"
            )
        ]

    def __str__(self) -> str:
        return f"{self.person} for {self.question}"


class ProjectParticipation(models.Model):
    """How often each person took part in each project, and when they first did.

    Kept up to date by database triggers on attendances and sessions (see migration 0002),
    so every way of writing attendance (forms, imports, bulk loads) is counted, and the
    dashboard never has to scan every attendance.
    """

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    project = models.ForeignKey("projects.Project", on_delete=models.CASCADE, related_name="+")
    attendances = models.PositiveIntegerField()
    first_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["person", "project"], name="one_participation_row")
        ]
        indexes = [models.Index(fields=["project", "person"])]

    def __str__(self) -> str:
        return f"{self.person_id} in {self.project_id}: {self.attendances}"
