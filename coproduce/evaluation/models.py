"""The annual health check: tenant evaluators judge the organisation against its promises."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from coproduce.people.models import Person
from coproduce.promises.models import Promise, PromiseSet


class Scale(models.TextChoices):
    RAG = "rag", "Red, amber, green"
    FIVE = "five", "1 to 5"


RATINGS: dict[str, list[tuple[str, str]]] = {
    Scale.RAG: [
        ("red", "Red: not kept"),
        ("amber", "Amber: partly kept"),
        ("green", "Green: kept"),
    ],
    Scale.FIVE: [
        (str(n), f"{n} – {label}")
        for n, label in [(1, "very poor"), (2, "poor"), (3, "mixed"), (4, "good"), (5, "very good")]
    ],
}
# For year-on-year comparison, every rating maps onto 0–1.
RATING_VALUE = {
    "red": 0.0,
    "amber": 0.5,
    "green": 1.0,
    "1": 0.0,
    "2": 0.25,
    "3": 0.5,
    "4": 0.75,
    "5": 1.0,
}


class Stage(models.TextChoices):
    PLANNING = "planning", "Planning"
    GATHERING = "gathering", "Gathering evidence"
    THEMING = "theming", "Theming"
    JUDGING = "judging", "Judging the promises"
    REPORTING = "reporting", "Writing the report"
    PRESENTED = "presented", "Presented to the board"
    FOLLOW_UP = "follow_up", "Following up"


class HealthCheck(models.Model):
    promise_set = models.ForeignKey(
        PromiseSet, on_delete=models.PROTECT, related_name="health_checks"
    )
    year = models.PositiveSmallIntegerField(help_text="The year it starts, e.g. 2026 for 2026-27.")
    title = models.CharField(max_length=200)
    stage = models.CharField(max_length=20, choices=Stage.choices, default=Stage.PLANNING)
    scale = models.CharField(
        "Rating scale", max_length=10, choices=Scale.choices, default=Scale.RAG
    )
    plan_people = models.TextField("Who the evaluators want to talk to", blank=True)
    plan_data = models.TextField("Which data they want", blank=True)
    starts_on = models.DateField(null=True, blank=True)
    ends_on = models.DateField(null=True, blank=True)
    board_date = models.DateField(null=True, blank=True)
    previous = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="next_checks"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    # Set while a retraining of the promise mapping is queued, so a burst of hand codings
    # queues one retraining, not one each.
    remap_requested_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-year", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["promise_set", "year"], name="one_check_per_set_per_year"
            )
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_baseline(self) -> bool:
        return self.previous_id is None


class Evaluator(models.Model):
    health_check = models.ForeignKey(
        HealthCheck, on_delete=models.CASCADE, related_name="evaluators"
    )
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="evaluations")
    added_on = models.DateField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["health_check", "person"], name="one_evaluator_role")
        ]

    def __str__(self) -> str:
        return str(self.person)


class EvidenceKind(models.TextChoices):
    INTERVIEW = "interview", "Interview notes"
    OBSERVATION = "observation", "Observation"
    DOCUMENT = "document", "Document"
    TRANSCRIPT = "transcript", "Meeting transcript"
    SURVEY = "survey", "Survey comment"
    OTHER = "other", "Other"


class EvidenceBatch(models.Model):
    """One import: a survey file, a transcript, a document."""

    health_check = models.ForeignKey(HealthCheck, on_delete=models.CASCADE, related_name="batches")
    kind = models.CharField(max_length=20, choices=EvidenceKind.choices)
    title = models.CharField(max_length=200)
    filename = models.CharField(max_length=255, blank=True)
    items = models.PositiveIntegerField(default=0)
    gathered_by_person = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    gathered_by_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.title


class EvidenceItem(models.Model):
    health_check = models.ForeignKey(HealthCheck, on_delete=models.CASCADE, related_name="evidence")
    batch = models.ForeignKey(
        EvidenceBatch, null=True, blank=True, on_delete=models.CASCADE, related_name="evidence"
    )
    kind = models.CharField(max_length=20, choices=EvidenceKind.choices)
    source = models.CharField("Where it came from", max_length=300)
    speaker = models.CharField(max_length=100, blank=True)
    reference = models.CharField(max_length=100, blank=True)
    gathered_on = models.DateField()
    gathered_by_person = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    gathered_by_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    text = models.TextField(help_text="Names and contact details are masked on entry.")
    masked = models.PositiveSmallIntegerField(default=0)
    scores = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]
        indexes = [models.Index(fields=["health_check", "kind"])]

    def __str__(self) -> str:
        return self.text[:60]


class EvidenceOriginal(models.Model):
    """The unmasked text, for the data-protection lead only."""

    item = models.OneToOneField(EvidenceItem, on_delete=models.CASCADE, related_name="original")
    text = models.TextField()

    def __str__(self) -> str:
        return f"Original of item #{self.item_id}"


class TsmFigure(models.Model):
    health_check = models.ForeignKey(
        HealthCheck, on_delete=models.CASCADE, related_name="tsm_figures"
    )
    code = models.CharField(max_length=4)
    name = models.CharField(max_length=200)
    value = models.DecimalField(max_digits=9, decimal_places=2)
    year = models.CharField(max_length=20, blank=True)

    class Meta:
        ordering = ["code"]
        constraints = [
            models.UniqueConstraint(fields=["health_check", "code", "year"], name="one_tsm_figure")
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.value}"


class RunStatus(models.TextChoices):
    QUEUED = "queued", "Waiting to start"
    RUNNING = "running", "Running"
    DONE = "done", "Finished"
    FAILED = "failed", "Could not finish"


class ThemeRun(models.Model):
    """One run of the insight engine. Runs are numbered; results are kept per run."""

    health_check = models.ForeignKey(
        HealthCheck, on_delete=models.CASCADE, related_name="theme_runs"
    )
    version = models.PositiveIntegerField()
    engine = models.CharField(max_length=20, default="auto")
    status = models.CharField(max_length=10, choices=RunStatus.choices, default=RunStatus.QUEUED)
    progress = models.PositiveSmallIntegerField(default=0)
    message = models.CharField(max_length=300, blank=True)
    items = models.PositiveIntegerField(default=0)
    trained_on = models.PositiveIntegerField(default=0)
    outlier_share = models.FloatField(null=True, blank=True)
    seconds = models.FloatField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-version"]
        constraints = [
            models.UniqueConstraint(fields=["health_check", "version"], name="one_run_version")
        ]

    def __str__(self) -> str:
        return f"Run {self.version}"


class ThemeStatus(models.TextChoices):
    PROPOSED = "proposed", "Suggested by the computer"
    ACCEPTED = "accepted", "Accepted by evaluators"
    DISCARDED = "discarded", "Discarded"
    MERGED = "merged", "Merged into another theme"


class Theme(models.Model):
    health_check = models.ForeignKey(HealthCheck, on_delete=models.CASCADE, related_name="themes")
    run = models.ForeignKey(
        ThemeRun, null=True, blank=True, on_delete=models.CASCADE, related_name="themes"
    )
    label = models.CharField(max_length=200)
    engine_label = models.CharField(max_length=200, blank=True)
    keywords = models.JSONField(default=list, blank=True)
    status = models.CharField(
        max_length=10, choices=ThemeStatus.choices, default=ThemeStatus.PROPOSED
    )
    merged_into = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="merged_from"
    )
    made_by_person = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-status", "label", "id"]

    def __str__(self) -> str:
        return self.label

    @property
    def from_engine(self) -> bool:
        return self.run_id is not None


class Coding(models.Model):
    """An item (or a passage of it) linked to a theme and/or a promise — by a person or the
    engine. Which one is always visible."""

    item = models.ForeignKey(EvidenceItem, on_delete=models.CASCADE, related_name="codings")
    theme = models.ForeignKey(
        Theme, null=True, blank=True, on_delete=models.CASCADE, related_name="codings"
    )
    promise = models.ForeignKey(
        Promise, null=True, blank=True, on_delete=models.CASCADE, related_name="codings"
    )
    passage = models.TextField(blank=True)
    by_engine = models.BooleanField(default=False)
    run = models.ForeignKey(
        ThemeRun, null=True, blank=True, on_delete=models.CASCADE, related_name="codings"
    )
    confidence = models.FloatField(null=True, blank=True)
    coder = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["item", "id"]
        indexes = [models.Index(fields=["item", "by_engine"])]

    def __str__(self) -> str:
        return f"Coding of item #{self.item_id}"


class Judgement(models.Model):
    health_check = models.ForeignKey(
        HealthCheck, on_delete=models.CASCADE, related_name="judgements"
    )
    promise = models.ForeignKey(Promise, on_delete=models.CASCADE, related_name="judgements")
    rating = models.CharField(max_length=10)
    narrative = models.TextField("In our own words")
    strengths = models.TextField(blank=True)
    improve = models.TextField("What must improve", blank=True)
    themes = models.ManyToManyField(Theme, blank=True, related_name="judgements")
    quotes = models.ManyToManyField(EvidenceItem, blank=True, related_name="quoted_in")
    version = models.PositiveIntegerField(default=1)
    updated_by = models.ForeignKey(Person, null=True, on_delete=models.SET_NULL, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["promise__position"]
        constraints = [
            models.UniqueConstraint(
                fields=["health_check", "promise"], name="one_judgement_per_promise"
            )
        ]

    def __str__(self) -> str:
        return f"{self.promise}: {self.rating}"


class ReportSection(models.Model):
    health_check = models.ForeignKey(HealthCheck, on_delete=models.CASCADE, related_name="sections")
    title = models.CharField(max_length=200)
    body = models.TextField(blank=True)
    position = models.PositiveSmallIntegerField(default=0)
    version = models.PositiveIntegerField(default=1)
    updated_by = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.title


class ReportSectionVersion(models.Model):
    section = models.ForeignKey(ReportSection, on_delete=models.CASCADE, related_name="versions")
    version = models.PositiveIntegerField()
    title = models.CharField(max_length=200)
    body = models.TextField(blank=True)
    by = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["section", "-version"]

    def __str__(self) -> str:
        return f"{self.section} v{self.version}"


class Recommendation(models.Model):
    health_check = models.ForeignKey(
        HealthCheck, on_delete=models.CASCADE, related_name="recommendations"
    )
    promise = models.ForeignKey(
        Promise, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    text = models.TextField()
    board_response = models.TextField(blank=True)
    board_agreed = models.CharField(
        max_length=10,
        blank=True,
        choices=[("yes", "Agreed"), ("partly", "Partly agreed"), ("no", "Not agreed")],
    )
    responded_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return self.text[:60]


class ActionStatus(models.TextChoices):
    NOT_STARTED = "not_started", "Not started"
    IN_PROGRESS = "in_progress", "In progress"
    DONE = "done", "Done"


class Action(models.Model):
    recommendation = models.ForeignKey(
        Recommendation, on_delete=models.CASCADE, related_name="actions"
    )
    description = models.TextField()
    owner = models.CharField(max_length=200)
    due_on = models.DateField(null=True, blank=True)
    status = models.CharField(
        max_length=20, choices=ActionStatus.choices, default=ActionStatus.NOT_STARTED
    )

    class Meta:
        ordering = ["due_on", "id"]

    def __str__(self) -> str:
        return self.description[:60]


class ActionUpdate(models.Model):
    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="updates")
    text = models.TextField()
    status = models.CharField(max_length=20, choices=ActionStatus.choices)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.text[:60]


class SuggestionBatch(models.Model):
    """The engine's "Code these next": the passages whose coding would teach it most, chosen in
    the background after each retraining, with how much the mapping moved and how well it agrees
    with the evaluators' own codings (cross-validated, per promise)."""

    health_check = models.ForeignKey(
        HealthCheck, on_delete=models.CASCADE, related_name="suggestion_batches"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    # [{"item": id, "guesses": [promise id, ...], "reason": "few" | "typical" | "unsure" | "new"}]
    items = models.JSONField(default=list)
    # passages whose best promise changed since the batch before (None for the first batch)
    moved = models.IntegerField(null=True, blank=True)
    # [{"promise": id, "coded": n, "tested": n, "agreed": n, "enough": bool}]
    agreement = models.JSONField(default=list)
    trained_on = models.IntegerField(default=0)
    fine_tuned = models.BooleanField(default=False)
    seconds = models.FloatField(default=0)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"Suggestions for health check #{self.health_check_id}"
