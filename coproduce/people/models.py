from __future__ import annotations

from django.conf import settings
from django.db import models


class Channel(models.TextChoices):
    IN_PERSON = "in_person", "In person"
    ONLINE = "online", "Online"
    PHONE = "phone", "Phone"
    PAPER = "paper", "Post or paper"
    TEXT = "text", "Text message"


class Availability(models.TextChoices):
    WEEKDAY_DAYTIME = "weekday_daytime", "Weekday daytime"
    WEEKDAY_EVENING = "weekday_evening", "Weekday evenings"
    WEEKEND = "weekend", "Weekends"


class Tenure(models.TextChoices):
    GENERAL_NEEDS = "general_needs", "General needs rented"
    SHELTERED = "sheltered", "Sheltered or retirement housing"
    SUPPORTED = "supported", "Supported housing"
    SHARED_OWNERSHIP = "shared_ownership", "Shared ownership"
    LEASEHOLD = "leasehold", "Leaseholder"
    TEMPORARY = "temporary", "Temporary accommodation"
    SERVICE_USER = "service_user", "Customer of a support service"
    OTHER = "other", "Other"


class DigitalAccess(models.TextChoices):
    NONE = "none", "No internet access"
    NEEDS_SUPPORT = "needs_support", "Online with some help"
    ONLINE = "online", "Online"
    UNKNOWN = "", "Not known"


class RewardPreference(models.TextChoices):
    CASH = "cash", "Cash or bank transfer"
    VOUCHER = "voucher", "Voucher"
    GIFT = "gift", "A gift"
    TRAINING = "training", "Training or a course"
    DONATION = "donation", "A donation to charity"
    NONE = "none", "No reward, thank you"
    NOT_ASKED = "", "Not asked yet"


class Caring(models.TextChoices):
    YES = "yes", "Yes"
    NO = "no", "No"
    NOT_SAID = "", "Not said"


class Involvement(models.TextChoices):
    NOT_INVOLVED = "not_involved", "Not involved yet"
    ACTIVE = "active", "In the involvement pool"
    PAUSED = "paused", "Taking a break"
    LEFT = "left", "No longer involved"


class ChannelsDisplayMixin:
    preferred_channels: list[str]
    availability: list[str]

    def get_preferred_channels_display(self) -> list[str]:
        labels = dict(Channel.choices)
        return [labels.get(code, code) for code in self.preferred_channels]

    def get_availability_display(self) -> list[str]:
        labels = dict(Availability.choices)
        return [labels.get(code, code) for code in self.availability]


class Area(models.Model):
    name = models.CharField(max_length=100, unique=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Person(ChannelsDisplayMixin, models.Model):
    """A tenant or other customer. May or may not have a login.

    Equality data (ethnicity, disability, ...) is deliberately not here: it lives in
    its own tables with consent and purpose (diversity app).
    """

    external_ref = models.CharField(
        "Housing system reference", max_length=64, unique=True, null=True, blank=True
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="person",
    )
    first_name = models.CharField(max_length=100)
    last_name = models.CharField(max_length=100, blank=True)
    email = models.EmailField(blank=True)
    phone = models.CharField(max_length=30, blank=True)
    address = models.CharField(max_length=255, blank=True)
    postcode = models.CharField(max_length=10, blank=True)
    area = models.ForeignKey(Area, null=True, blank=True, on_delete=models.PROTECT)
    scheme = models.CharField("Scheme or estate", max_length=100, blank=True)
    tenure = models.CharField(max_length=20, choices=Tenure.choices, default=Tenure.GENERAL_NEEDS)
    date_of_birth = models.DateField(null=True, blank=True)
    preferred_channels = models.JSONField(default=list, blank=True)
    availability = models.JSONField(default=list, blank=True)
    accessibility_needs = models.TextField(blank=True)
    language_needs = models.CharField("Language needs", max_length=200, blank=True)
    caring_responsibilities = models.CharField(
        max_length=3, choices=Caring.choices, default=Caring.NOT_SAID, blank=True
    )
    digital_access = models.CharField(
        max_length=20, choices=DigitalAccess.choices, default=DigitalAccess.UNKNOWN, blank=True
    )
    reward_preference = models.CharField(
        max_length=20,
        choices=RewardPreference.choices,
        default=RewardPreference.NOT_ASKED,
        blank=True,
    )
    contact_consent = models.BooleanField("Happy to be contacted", default=False)
    contact_consent_at = models.DateTimeField(null=True, blank=True)
    involvement = models.CharField(
        max_length=20,
        choices=Involvement.choices,
        default=Involvement.NOT_INVOLVED,
        db_index=True,
    )
    involved_since = models.DateField(null=True, blank=True)
    # Set by the housing system (API): starts the retention clock for former tenants.
    tenancy_ended_on = models.DateField("Tenancy ended on", null=True, blank=True)
    # Data-protection state (privacy app). A restricted record is kept but used for nothing:
    # no invitations, lists, samples or messages. An erased record keeps only a pseudonym.
    processing_restricted = models.BooleanField(default=False, db_index=True)
    restricted_at = models.DateTimeField(null=True, blank=True)
    erased_at = models.DateTimeField(null=True, blank=True, db_index=True)
    pseudonym = models.CharField(max_length=32, blank=True)
    # After erasure: a keyed one-way fingerprint of their housing system reference, so that a
    # sync sending the same reference again cannot bring the record back (people.services).
    erased_ref = models.CharField(max_length=64, blank=True, db_index=True)
    created_at = models.DateTimeField(auto_now_add=True)
    # Indexed: the dashboard's cached profile of the people we serve is keyed on the latest change.
    updated_at = models.DateTimeField(auto_now=True, db_index=True)

    class Meta:
        ordering = ["last_name", "first_name", "id"]
        indexes = [
            models.Index(fields=["last_name", "first_name", "id"]),
            models.Index(fields=["area", "tenure"]),
        ]

    def __str__(self) -> str:
        return self.full_name

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()


class InterestStatus(models.TextChoices):
    NEW = "new", "Waiting"
    CONFIRMED = "confirmed", "Confirmed"
    DECLINED = "declined", "Not taken forward"


class Interest(ChannelsDisplayMixin, models.Model):
    """Someone who registered on the public "Get involved" page, waiting for a coordinator."""

    name = models.CharField(max_length=200)
    email = models.EmailField(blank=True)
    phone = models.CharField(max_length=30, blank=True)
    postcode = models.CharField(max_length=10, blank=True)
    preferred_channels = models.JSONField(default=list, blank=True)
    availability = models.JSONField(default=list, blank=True)
    reward_preference = models.CharField(
        max_length=20, choices=RewardPreference.choices, blank=True
    )
    message = models.TextField("Anything else", blank=True)
    contact_consent = models.BooleanField(default=False)
    status = models.CharField(
        max_length=20, choices=InterestStatus.choices, default=InterestStatus.NEW, db_index=True
    )
    person = models.ForeignKey(Person, null=True, blank=True, on_delete=models.SET_NULL)
    created_at = models.DateTimeField(auto_now_add=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.name
