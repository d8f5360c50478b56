"""Customer promises, co-designed by tenants: drafting, proposals, votes, ranking, the board."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from coproduce.people.models import Person
from coproduce.projects.models import Project


class SetStatus(models.TextChoices):
    DRAFTING = "drafting", "Being drafted"
    AGREED = "agreed", "Agreed by the tenant group"
    PRESENTED = "presented", "Presented to the board"
    RETURNED = "returned", "Returned by the board with comments"
    ADOPTED = "adopted", "Adopted by the board"
    PUBLISHED = "published", "Published"
    RETIRED = "retired", "Retired"


# Which moves are allowed, and in what order.
TRANSITIONS: dict[str, set[str]] = {
    SetStatus.DRAFTING: {SetStatus.AGREED},
    SetStatus.AGREED: {SetStatus.PRESENTED, SetStatus.DRAFTING},
    SetStatus.PRESENTED: {SetStatus.ADOPTED, SetStatus.RETURNED},
    SetStatus.RETURNED: {SetStatus.DRAFTING, SetStatus.PRESENTED},
    SetStatus.ADOPTED: {SetStatus.PUBLISHED},
    SetStatus.PUBLISHED: {SetStatus.RETIRED},
    SetStatus.RETIRED: set(),
}


class DecisionRule(models.TextChoices):
    MAJORITY = "majority", "Majority of those voting"
    CONSENT = "consent", "Consent: nobody objects"


class PromiseSet(models.Model):
    project = models.ForeignKey(Project, on_delete=models.PROTECT, related_name="promise_sets")
    title = models.CharField(max_length=200)
    status = models.CharField(max_length=20, choices=SetStatus.choices, default=SetStatus.DRAFTING)
    decision_rule = models.CharField(
        max_length=20, choices=DecisionRule.choices, default=DecisionRule.MAJORITY
    )
    min_votes = models.PositiveSmallIntegerField(
        "Fewest votes needed before a proposal can be decided", default=3
    )
    staff_may_decide = models.BooleanField(
        "Staff may accept or reject proposals",
        default=False,
        help_text="Off by default: tenants decide.",
    )
    agreed_count = models.PositiveSmallIntegerField(
        "How many promises the group agreed", null=True, blank=True
    )
    replaces = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="replaced_by"
    )
    adopted_on = models.DateField(null=True, blank=True)
    published_on = models.DateField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.title


class Promise(models.Model):
    promise_set = models.ForeignKey(PromiseSet, on_delete=models.CASCADE, related_name="promises")
    title = models.CharField(max_length=120)
    wording = models.TextField()
    in_practice = models.TextField("What this means in practice", blank=True)
    position = models.PositiveSmallIntegerField(default=0)
    dropped = models.BooleanField(default=False)
    version = models.PositiveIntegerField(default=1)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["promise_set", "position", "id"]

    def __str__(self) -> str:
        return self.title


class ProposalKind(models.TextChoices):
    NEW = "new", "Add a new promise"
    REWORD = "reword", "Change the wording"
    MERGE = "merge", "Merge two promises"
    DROP = "drop", "Drop a promise"
    SPLIT = "split", "Split a promise in two"


class ProposalStatus(models.TextChoices):
    OPEN = "open", "Open for votes"
    ACCEPTED = "accepted", "Accepted"
    REJECTED = "rejected", "Not accepted"
    WITHDRAWN = "withdrawn", "Withdrawn"
    SUPERSEDED = "superseded", "Out of date (the promise changed first)"


class Via(models.TextChoices):
    WEB = "web", "Online"
    PHONE = "phone", "By phone (recorded by staff)"
    PAPER = "paper", "On paper (recorded by staff)"
    IN_PERSON = "in_person", "At a session (recorded by staff)"


class Proposal(models.Model):
    promise_set = models.ForeignKey(PromiseSet, on_delete=models.CASCADE, related_name="proposals")
    kind = models.CharField(max_length=10, choices=ProposalKind.choices)
    promise = models.ForeignKey(
        Promise, null=True, blank=True, on_delete=models.CASCADE, related_name="proposals"
    )
    other_promise = models.ForeignKey(
        Promise, null=True, blank=True, on_delete=models.CASCADE, related_name="merge_proposals"
    )
    base_version = models.PositiveIntegerField(null=True, blank=True)
    title = models.CharField(max_length=120, blank=True)
    wording = models.TextField(blank=True)
    in_practice = models.TextField(blank=True)
    title_2 = models.CharField("Second promise title (split)", max_length=120, blank=True)
    wording_2 = models.TextField("Second promise wording (split)", blank=True)
    reason = models.TextField("Why?", blank=True)
    proposed_by = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    via = models.CharField(max_length=10, choices=Via.choices, default=Via.WEB)
    status = models.CharField(
        max_length=12, choices=ProposalStatus.choices, default=ProposalStatus.OPEN
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.title or self.promise}"


class Comment(models.Model):
    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="comments")
    person = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    text = models.TextField()
    via = models.CharField(max_length=10, choices=Via.choices, default=Via.WEB)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return self.text[:50]


class VoteChoice(models.TextChoices):
    FOR = "for", "For"
    AGAINST = "against", "Against (I object)"
    ABSTAIN = "abstain", "Abstain"


class Vote(models.Model):
    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="votes")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    choice = models.CharField(max_length=10, choices=VoteChoice.choices)
    via = models.CharField(max_length=10, choices=Via.choices, default=Via.WEB)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["proposal", "person"], name="one_vote")]

    def __str__(self) -> str:
        return f"{self.person} {self.choice}"

    @property
    def choice_in_a_sentence(self) -> str:
        """ "for", "against (I object)": the label with only its first letter made small."""
        label = str(self.get_choice_display())
        return label[:1].lower() + label[1:]


class PromiseVersion(models.Model):
    """Every wording a promise has had, so the history (and the wrangles) stay visible."""

    promise = models.ForeignKey(Promise, on_delete=models.CASCADE, related_name="versions")
    version = models.PositiveIntegerField()
    title = models.CharField(max_length=120)
    wording = models.TextField()
    in_practice = models.TextField(blank=True)
    note = models.CharField(max_length=300, blank=True)
    proposal = models.ForeignKey(
        Proposal, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    changed_by_person = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    changed_by_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["promise", "version"]
        constraints = [
            models.UniqueConstraint(fields=["promise", "version"], name="unique_promise_version")
        ]

    def __str__(self) -> str:
        return f"{self.promise_id} v{self.version}"


class Ballot(models.Model):
    """One person's ranking of the promises, best first."""

    promise_set = models.ForeignKey(PromiseSet, on_delete=models.CASCADE, related_name="ballots")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    ranking = models.JSONField()
    count = models.PositiveSmallIntegerField(
        "How many promises should there be?", null=True, blank=True
    )
    via = models.CharField(max_length=10, choices=Via.choices, default=Via.WEB)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["promise_set", "person"], name="one_ballot")]

    def __str__(self) -> str:
        return f"Ballot of {self.person}"


class BoardMeeting(models.Model):
    promise_set = models.ForeignKey(
        PromiseSet, on_delete=models.CASCADE, related_name="board_meetings"
    )
    held_on = models.DateField()
    presenters = models.ManyToManyField(Person, related_name="+", blank=True)
    notes = models.TextField(blank=True)
    outcome = models.CharField(
        max_length=20,
        blank=True,
        choices=[("adopted", "Adopted"), ("returned", "Returned with comments")],
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["held_on", "id"]

    def __str__(self) -> str:
        return f"Board, {self.held_on}"


class BoardDecision(models.TextChoices):
    ACCEPT = "accept", "Accepted as written"
    CHANGE = "change", "Asked for a change"


class TenantResponse(models.TextChoices):
    ACCEPT_CHANGE = "accept_change", "Tenants accepted the change"
    STAND_BY = "stand_by", "Tenants stood by their wording"


class BoardPromiseDecision(models.Model):
    meeting = models.ForeignKey(BoardMeeting, on_delete=models.CASCADE, related_name="decisions")
    promise = models.ForeignKey(Promise, on_delete=models.CASCADE, related_name="board_decisions")
    decision = models.CharField(max_length=10, choices=BoardDecision.choices)
    requested_change = models.TextField("The change the board asked for", blank=True)
    reason = models.TextField("The board's reason", blank=True)
    tenant_response = models.CharField(max_length=20, choices=TenantResponse.choices, blank=True)
    tenant_reason = models.TextField("The tenants' reason", blank=True)
    final = models.TextField("What was finally agreed", blank=True)

    class Meta:
        ordering = ["meeting", "promise__position"]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "promise"], name="one_board_decision_per_promise"
            )
        ]

    def __str__(self) -> str:
        return f"{self.promise}: {self.decision}"


class CoDesigner(models.Model):
    """Who co-designed a set, and whether they agreed to be named publicly."""

    promise_set = models.ForeignKey(
        PromiseSet, on_delete=models.CASCADE, related_name="co_designers"
    )
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    consent_to_be_named = models.BooleanField(default=False)
    name_as = models.CharField("Name to show", max_length=100, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["promise_set", "person"], name="one_credit")]

    def __str__(self) -> str:
        return self.name_as or str(self.person)
