from __future__ import annotations

from django.conf import settings
from django.db import models

from coproduce.people.models import Person


class Ladder(models.IntegerChoices):
    """Think Local Act Personal's ladder of co-production, bottom to top."""

    COERCION = 1, "Coercion"
    EDUCATING = 2, "Educating"
    INFORMING = 3, "Informing"
    CONSULTATION = 4, "Consultation"
    ENGAGEMENT = 5, "Engagement"
    CO_DESIGN = 6, "Co-design"
    CO_PRODUCTION = 7, "Co-production"


class ProjectStatus(models.TextChoices):
    PLANNED = "planned", "Getting started"
    ACTIVE = "active", "Under way"
    PAUSED = "paused", "Paused"
    FINISHED = "finished", "Finished"


class Principle(models.IntegerChoices):
    NOT_YET = 0, "Not yet"
    PARTLY = 1, "Partly"
    MOSTLY = 2, "Mostly"
    FULLY = 3, "Fully"


class Project(models.Model):
    title = models.CharField(max_length=200)
    purpose = models.TextField(help_text="What the project is for, in plain words.")
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="owned_projects"
    )
    status = models.CharField(
        max_length=20, choices=ProjectStatus.choices, default=ProjectStatus.PLANNED
    )
    started_on = models.DateField(null=True, blank=True)
    # The team's own view of where the project stands, shown beside the measured one.
    team_ladder = models.PositiveSmallIntegerField(choices=Ladder.choices, null=True, blank=True)
    team_ladder_reason = models.TextField(blank=True)
    scie_equality = models.PositiveSmallIntegerField(
        choices=Principle.choices, null=True, blank=True
    )
    scie_diversity = models.PositiveSmallIntegerField(
        choices=Principle.choices, null=True, blank=True
    )
    scie_accessibility = models.PositiveSmallIntegerField(
        choices=Principle.choices, null=True, blank=True
    )
    scie_reciprocity = models.PositiveSmallIntegerField(
        choices=Principle.choices, null=True, blank=True
    )
    scie_notes = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["title", "id"]

    def __str__(self) -> str:
        return self.title


class StageKind(models.TextChoices):
    CO_DESIGN = "co_design", "Co-design"
    CO_PRODUCTION = "co_production", "Co-production"
    CO_DELIVERY = "co_delivery", "Co-delivery"
    CO_EVALUATION = "co_evaluation", "Co-evaluation"
    OTHER = "other", "Other"


class StageStatus(models.TextChoices):
    NOT_STARTED = "not_started", "Not started"
    UNDER_WAY = "under_way", "Under way"
    DONE = "done", "Done"


class Stage(models.Model):
    """A stage with *target* dates: volunteers are not staff, so nothing is blocked by a date."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="stages")
    kind = models.CharField(max_length=20, choices=StageKind.choices, default=StageKind.OTHER)
    name = models.CharField(max_length=200)
    target_start = models.DateField(null=True, blank=True)
    target_end = models.DateField(null=True, blank=True)
    status = models.CharField(
        max_length=20, choices=StageStatus.choices, default=StageStatus.NOT_STARTED
    )
    position = models.PositiveSmallIntegerField(default=0)
    notes = models.TextField(blank=True)

    class Meta:
        ordering = ["project", "position", "id"]

    def __str__(self) -> str:
        return self.name


class MemberRole(models.TextChoices):
    MEMBER = "member", "Member"
    CO_CHAIR = "co_chair", "Co-chair"
    EVALUATOR = "evaluator", "Tenant evaluator"
    ADVISER = "adviser", "Adviser"


class ProjectMember(models.Model):
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="members")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(max_length=20, choices=MemberRole.choices, default=MemberRole.MEMBER)
    joined_on = models.DateField()
    left_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["project", "joined_on", "id"]
        constraints = [
            models.UniqueConstraint(fields=["project", "person"], name="unique_project_member")
        ]

    def __str__(self) -> str:
        return f"{self.person} in {self.project}"


class StaffRole(models.TextChoices):
    LEAD = "lead", "Lead"
    FACILITATOR = "facilitator", "Facilitator"
    ADMIN_SUPPORT = "admin_support", "Admin support"


class ProjectStaff(models.Model):
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="staff")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="project_roles"
    )
    role = models.CharField(max_length=20, choices=StaffRole.choices)

    class Meta:
        ordering = ["project", "role", "id"]
        constraints = [
            models.UniqueConstraint(fields=["project", "user", "role"], name="unique_project_staff")
        ]

    def __str__(self) -> str:
        return f"{self.user} ({self.get_role_display()})"


class DecidedBy(models.TextChoices):
    TENANTS = "tenants", "Tenants"
    TOGETHER = "together", "Tenants and staff together"
    STAFF = "staff", "Staff alone"
    BOARD = "board", "The board"


class Decision(models.Model):
    """One significant decision, and how tenants' views counted ("you said, we did")."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="decisions")
    decided_on = models.DateField()
    summary = models.CharField("What was decided", max_length=300)
    decided_by = models.CharField(max_length=20, choices=DecidedBy.choices)
    tenant_views = models.TextField(
        "How tenants' views were taken into account",
        blank=True,
        help_text="You said: what tenants said and how it shaped this decision.",
    )
    feedback = models.TextField(
        "What we told tenants",
        blank=True,
        help_text="We did: how the decision and the reasons were fed back to tenants.",
    )
    feedback_on = models.DateField("Date fed back", null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["project", "decided_on", "id"]

    def __str__(self) -> str:
        return self.summary

    @property
    def feedback_given(self) -> bool:
        return bool(self.feedback.strip())


class RequestStatus(models.TextChoices):
    NEW = "new", "Waiting"
    ACCEPTED = "accepted", "Taken on"
    DECLINED = "declined", "Not taken on"


class SupportRequest(models.Model):
    """A colleague in another team asks for help to co-produce something."""

    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="support_requests"
    )
    team = models.CharField("Your team", max_length=200)
    what = models.TextField("What do you want to co-produce?")
    why = models.TextField("Why, and what could change?")
    when = models.CharField("When do you need it by?", max_length=200, blank=True)
    who_affected = models.TextField("Who is affected?", blank=True)
    status = models.CharField(
        max_length=20, choices=RequestStatus.choices, default=RequestStatus.NEW, db_index=True
    )
    project = models.ForeignKey(
        Project, null=True, blank=True, on_delete=models.SET_NULL, related_name="support_requests"
    )
    triage_note = models.TextField(blank=True)
    triaged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    triaged_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.team}: {self.what[:50]}"
