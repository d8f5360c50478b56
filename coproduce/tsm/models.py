"""A reporting year of Tenant Satisfaction Measures: the survey's answers, the management
figures, the weighting the landlord declared and the methodology statement the regulator asks
landlords to publish with their results.

The survey is stored one row per respondent, as imported, so that every measure can be worked
out again (and checked) from the answers; nothing on a page shows one respondent's answers.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models


class Tenure(models.TextChoices):
    LCRA = "LCRA", "Low-cost rental (tenants)"
    LCHO = "LCHO", "Low-cost home ownership (shared owners)"


class TsmYear(models.Model):
    """One reporting year (1 April to 31 March) and what is published about it."""

    label = models.CharField(
        max_length=7, unique=True, help_text="The reporting year, like 2025/26."
    )
    year_end = models.DateField(help_text="The last day of the reporting year (31 March).")
    lcra_homes = models.PositiveIntegerField(
        null=True, blank=True, help_text="Low-cost rental homes owned at the year end."
    )
    lcho_homes = models.PositiveIntegerField(
        null=True, blank=True, help_text="Low-cost home ownership homes owned at the year end."
    )
    # The methodology statement (Tenant Survey Requirements: what must be published).
    survey_timing = models.TextField(blank=True)
    collection_methods = models.TextField(blank=True)
    sample_method = models.TextField(blank=True)
    contractor = models.CharField(max_length=200, blank=True)
    contractor_role = models.TextField(blank=True)
    exclusions = models.TextField(blank=True)
    incentives = models.TextField(blank=True)
    changes = models.TextField(blank=True)
    weighting_note = models.TextField(blank=True)
    other_notes = models.TextField(blank=True)
    version = models.PositiveIntegerField(default=1)
    published_at = models.DateTimeField(null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-year_end"]

    def __str__(self) -> str:
        return f"TSMs {self.label}"

    @property
    def slug(self) -> str:
        return self.label.replace("/", "-")

    @property
    def homes(self) -> int:
        return (self.lcra_homes or 0) + (self.lcho_homes or 0)


class SurveyUpload(models.Model):
    """One survey file imported into a year (a year may have several: waves, quarters)."""

    year = models.ForeignKey(TsmYear, on_delete=models.CASCADE, related_name="uploads")
    filename = models.CharField(max_length=255)
    sha256 = models.CharField(max_length=64)
    responses = models.PositiveIntegerField(default=0)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["uploaded_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["year", "sha256"], name="tsm_one_upload_per_file")
        ]

    def __str__(self) -> str:
        return self.filename


class SurveyResponse(models.Model):
    """One respondent's answers, as the survey file gave them (answer codes, see tsm.survey)."""

    year = models.ForeignKey(TsmYear, on_delete=models.CASCADE, related_name="responses")
    upload = models.ForeignKey(SurveyUpload, on_delete=models.CASCADE, related_name="rows")
    respondent = models.CharField(max_length=100)
    line = models.PositiveIntegerField()
    tenure = models.CharField(max_length=4, choices=Tenure.choices)
    answers = models.JSONField(default=dict)
    weight = models.DecimalField(max_digits=12, decimal_places=6, null=True, blank=True)
    # area, age band, ethnic group heading, disability, as the file gave them; only ever shown
    # as suppressed counts (the representativeness table).
    profile = models.JSONField(default=dict)
    answered_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["year", "respondent"], name="tsm_one_response_per_respondent"
            )
        ]

    def __str__(self) -> str:
        return f"Response {self.respondent}"


class WeightTarget(models.Model):
    """A weighting variable's population share for one category, as the landlord declared it."""

    year = models.ForeignKey(TsmYear, on_delete=models.CASCADE, related_name="weight_targets")
    # "" for both groups, else the one group (LCRA or LCHO) the target is for
    tenure = models.CharField(max_length=4, blank=True)
    variable = models.CharField(max_length=40)
    category = models.CharField(max_length=100)
    population_share = models.DecimalField(max_digits=7, decimal_places=3)

    class Meta:
        ordering = ["tenure", "variable", "category"]
        constraints = [
            models.UniqueConstraint(
                fields=["year", "tenure", "variable", "category"],
                name="tsm_one_target_per_category",
            )
        ]

    def __str__(self) -> str:
        return f"{self.variable}={self.category}: {self.population_share}%"


class ManagementFigure(models.Model):
    """A management-information measure's numerator and denominator (part 0: no parts)."""

    year = models.ForeignKey(TsmYear, on_delete=models.CASCADE, related_name="figures")
    code = models.CharField(max_length=4)
    part = models.PositiveSmallIntegerField(default=0)
    numerator = models.DecimalField(max_digits=14, decimal_places=2)
    denominator = models.DecimalField(max_digits=14, decimal_places=2)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["code", "part"]
        constraints = [
            models.UniqueConstraint(fields=["year", "code", "part"], name="tsm_one_figure_per_part")
        ]

    def __str__(self) -> str:
        return f"{self.code}({self.part}) {self.numerator}/{self.denominator}"
