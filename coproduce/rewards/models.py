"""Rewards: policy, offers, each person's choice, reward lines, expenses and the ledger.

The ledger (LedgerEntry) is append-only: a correction is a new reversing entry.
A RewardLine is one thing someone may be paid for (a session, recorded time, a fixed
amount, or an expense claim); its `status` is a convenience for lists, the ledger is the record.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models

from coproduce.meetings.models import Attendance, TimeGiven
from coproduce.people.models import Person
from coproduce.projects.models import Project


class RewardPolicy(models.Model):
    """One version of the organisation's written reward policy. New versions, never edits."""

    organisation = models.CharField(max_length=200)
    version = models.PositiveIntegerField()
    text = models.TextField("Policy", help_text="The policy in plain words.")
    effective_from = models.DateField("Comes into effect on")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["organisation", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "version"], name="unique_policy_version"
            )
        ]

    def __str__(self) -> str:
        return f"{self.organisation} reward policy, version {self.version}"


class RateBasis(models.TextChoices):
    HOUR = "hour", "per hour"
    SESSION = "session", "for each session or task"
    FIXED = "fixed", "one fixed amount for taking part"


class RewardOffer(models.Model):
    """What a project offers people for their time, shown to them before they take part."""

    project = models.OneToOneField(Project, on_delete=models.CASCADE, related_name="reward_offer")
    activities = models.TextField(
        "What we reward", help_text="For example: group sessions, reading papers, site visits."
    )
    rewards_sessions = models.BooleanField("Reward time at sessions", default=True)
    rewards_time_given = models.BooleanField("Reward time given outside sessions", default=True)
    rate_basis = models.CharField("How the rate works", max_length=10, choices=RateBasis.choices)
    rate = models.DecimalField(
        "Rate in pounds",
        validators=[MinValueValidator(Decimal("0"))],
        max_digits=10,
        decimal_places=2,
    )
    applies_from = models.DateField("Applies to time given from")
    covers_travel = models.BooleanField("Travel", default=True)
    covers_care = models.BooleanField("Care cover (for someone you look after)", default=False)
    covers_childcare = models.BooleanField("Childcare", default=False)
    covers_phone_data = models.BooleanField("Phone calls and mobile data", default=False)
    covers_meals = models.BooleanField("Meals", default=False)
    expenses_notes = models.TextField("Anything else about expenses", blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"Reward offer for {self.project}"

    def expenses_covered(self) -> list[str]:
        names = ["travel", "care", "childcare", "phone_data", "meals"]
        return [
            str(self._meta.get_field(f"covers_{n}").verbose_name)  # type: ignore[union-attr]
            for n in names
            if getattr(self, f"covers_{n}")
        ]


class RewardForm(models.TextChoices):
    BANK_TRANSFER = "bank_transfer", "Money paid into my bank account"
    VOUCHER = "voucher", "A shopping voucher"
    GIFT = "gift", "A gift"
    TRAINING = "training", "Training or a course"
    DONATION = "donation", "A donation to a charity I name"
    LOWER = "lower", "A lower amount (I choose the most I get each time)"
    NONE = "none", "Nothing, thank you: I give my time freely"


# Fees, vouchers and gifts count as income (benefits and tax); expenses never do. Training
# and donations paid straight to a charity are not paid to the person: see docs/rewards.md.
INCOME_FORMS = frozenset(
    {RewardForm.BANK_TRANSFER, RewardForm.VOUCHER, RewardForm.GIFT, RewardForm.LOWER}
)


class RewardChoice(models.Model):
    """How one person wants to be rewarded. Kept apart from Person on purpose."""

    person = models.OneToOneField(Person, on_delete=models.CASCADE, related_name="reward_choice")
    form = models.CharField(
        "How you would like to be rewarded", max_length=20, choices=RewardForm.choices
    )
    voucher_kind = models.CharField("Which voucher", max_length=100, blank=True)
    charity_name = models.CharField("Which charity", max_length=200, blank=True)
    lower_cap = models.DecimalField(
        "The most you want each time, in pounds",
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0"))],
        max_digits=10,
        decimal_places=2,
    )
    wants_benefit_info = models.BooleanField(
        "Tell me if my rewards might affect my benefits or tax", default=True
    )
    advice_offered_on = models.DateField(
        "Date independent welfare-rights advice was offered", null=True, blank=True
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"{self.person}: {self.get_form_display()}"


class Category(models.TextChoices):
    FEE = "fee", "Reward for time"
    EXPENSE = "expense", "Expense"


class LineStatus(models.TextChoices):
    TO_REVIEW = "to_review", "Waiting for a check"
    REVIEWED = "reviewed", "Checked, waiting for approval"
    APPROVED = "approved", "Approved"
    PAID = "paid", "Paid"
    DECLINED = "declined", "Not wanted"
    REVERSED = "reversed", "Cancelled (corrected)"


class ExpenseKind(models.TextChoices):
    TRAVEL = "travel", "Travel"
    CARE = "care", "Care cover"
    CHILDCARE = "childcare", "Childcare"
    PHONE_DATA = "phone_data", "Phone calls and mobile data"
    MEALS = "meals", "Meals"


def _receipt_path(instance: ExpenseClaim, filename: str) -> str:
    suffix = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return f"rewards/receipts/{instance.person_id}/{instance.incurred_on:%Y%m%d}-claim.{suffix}"


class ExpenseClaim(models.Model):
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="expense_claims")
    project = models.ForeignKey(Project, on_delete=models.PROTECT, related_name="expense_claims")
    kind = models.CharField("What the expense was for", max_length=20, choices=ExpenseKind.choices)
    incurred_on = models.DateField("Date of the expense")
    amount = models.DecimalField(
        "Amount in pounds",
        validators=[MinValueValidator(Decimal("0.01"))],
        max_digits=10,
        decimal_places=2,
    )
    description = models.CharField("Details", max_length=300, blank=True)
    receipt = models.FileField(upload_to=_receipt_path, blank=True)
    paper_receipt_seen = models.BooleanField("I have seen a paper receipt", default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-incurred_on", "id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} for {self.person}"


class PaymentBatch(models.Model):
    """Lines finance approved together (fees and expenses are approved in separate batches)."""

    category = models.CharField(max_length=10, choices=Category.choices)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    approved_at = models.DateTimeField()
    paid_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    paid_at = models.DateTimeField(null=True, blank=True)
    # When the finance system took the batch through the API (docs/api.md); the web's CSV and
    # XLSX downloads do not set it, since a download is not proof that finance has it.
    exported_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-approved_at", "-id"]

    def __str__(self) -> str:
        return f"Batch {self.pk} ({self.get_category_display()})"

    @property
    def reference(self) -> str:
        return f"RW{self.pk:06d}"


class RewardLine(models.Model):
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="reward_lines")
    project = models.ForeignKey(Project, on_delete=models.PROTECT, related_name="reward_lines")
    category = models.CharField(max_length=10, choices=Category.choices, default=Category.FEE)
    # "attendance:12", "time:7", "fixed:<project>:<person>", "expense:3"; with `generation`
    # it makes accrual idempotent (re-running never creates a second line for a source).
    source_key = models.CharField(max_length=64)
    generation = models.PositiveSmallIntegerField(default=0)
    attendance = models.ForeignKey(
        Attendance, null=True, blank=True, on_delete=models.PROTECT, related_name="reward_lines"
    )
    time_given = models.ForeignKey(
        TimeGiven, null=True, blank=True, on_delete=models.PROTECT, related_name="reward_lines"
    )
    expense_claim = models.ForeignKey(
        ExpenseClaim, null=True, blank=True, on_delete=models.PROTECT, related_name="lines"
    )
    corrects = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="corrections"
    )
    on = models.DateField()
    minutes = models.PositiveIntegerField(default=0)
    description = models.CharField(max_length=300)
    form = models.CharField(max_length=20, choices=RewardForm.choices)
    voucher_kind = models.CharField(max_length=100, blank=True)
    charity_name = models.CharField(max_length=200, blank=True)
    amount = models.DecimalField(max_digits=10, decimal_places=2)
    is_income = models.BooleanField()
    status = models.CharField(
        max_length=12, choices=LineStatus.choices, default=LineStatus.TO_REVIEW, db_index=True
    )
    warning = models.CharField(max_length=300, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    batch = models.ForeignKey(
        PaymentBatch, null=True, blank=True, on_delete=models.PROTECT, related_name="lines"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-on", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["source_key", "generation"], name="unique_reward_line_source"
            ),
        ]
        indexes = [models.Index(fields=["person", "on"]), models.Index(fields=["status", "on"])]

    def __str__(self) -> str:
        return f"{self.person}: {self.description}"


class EntryKind(models.TextChoices):
    ACCRUED = "accrued", "Earned"
    APPROVED = "approved", "Approved"
    PAID = "paid", "Paid"
    REVERSED = "reversed", "Reversed"


class LedgerEntry(models.Model):
    """One append-only line of the payment ledger."""

    line = models.ForeignKey(RewardLine, on_delete=models.PROTECT, related_name="entries")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="ledger_entries")
    kind = models.CharField(max_length=10, choices=EntryKind.choices)
    amount = models.DecimalField(max_digits=10, decimal_places=2)
    is_income = models.BooleanField()
    on = models.DateField(help_text="The date the money relates to (the session or expense).")
    batch = models.ForeignKey(
        PaymentBatch, null=True, blank=True, on_delete=models.PROTECT, related_name="entries"
    )
    reverses = models.OneToOneField(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="reversed_by"
    )
    note = models.CharField(max_length=300, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name_plural = "ledger entries"
        constraints = [
            # Idempotent by line: a line is earned, approved and paid at most once.
            models.UniqueConstraint(
                fields=["line", "kind"],
                condition=~models.Q(kind="reversed"),
                name="unique_ledger_line_kind",
            ),
            models.CheckConstraint(
                condition=models.Q(kind="reversed", reverses__isnull=False)
                | (~models.Q(kind="reversed") & models.Q(reverses__isnull=True)),
                name="ledger_reversal_points_back",
            ),
        ]
        indexes = [models.Index(fields=["person", "on"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.amount} for {self.person}"

    def save(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        if self.pk is not None:
            raise ValueError("The ledger is append-only: add a reversing entry instead.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        raise ValueError("The ledger is append-only: add a reversing entry instead.")


class Voucher(models.Model):
    line = models.OneToOneField(RewardLine, on_delete=models.PROTECT, related_name="voucher")
    kind = models.CharField(max_length=100)
    code = models.CharField(max_length=64, unique=True)
    value = models.DecimalField(max_digits=10, decimal_places=2)
    issued_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"{self.kind} voucher {self.code}"
