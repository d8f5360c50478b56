from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models

from coproduce.people.models import Person
from coproduce.projects.models import Project


class SessionChannel(models.TextChoices):
    IN_PERSON = "in_person", "In person"
    ONLINE = "online", "Online"
    PHONE = "phone", "By phone"
    HYBRID = "hybrid", "Hybrid (in person and online)"
    PAPER = "paper", "Paper or postal pack"


class Venue(models.Model):
    name = models.CharField(max_length=200, unique=True)
    address = models.CharField(max_length=300, blank=True)
    postcode = models.CharField(max_length=10, blank=True)
    step_free = models.BooleanField("Step-free access", default=False)
    hearing_loop = models.BooleanField(default=False)
    accessible_toilets = models.BooleanField(default=False)
    parking = models.BooleanField(default=False)
    public_transport = models.BooleanField("Near public transport", default=False)
    notes = models.TextField(blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def access_features(self) -> list[str]:
        names = ["step_free", "hearing_loop", "accessible_toilets", "parking", "public_transport"]
        return [
            str(self._meta.get_field(n).verbose_name).capitalize()  # type: ignore[union-attr]
            for n in names
            if getattr(self, n)
        ]


class Room(models.Model):
    venue = models.ForeignKey(Venue, on_delete=models.CASCADE, related_name="rooms")
    name = models.CharField(max_length=200)
    capacity = models.PositiveIntegerField()
    cost_per_hour = models.DecimalField(max_digits=8, decimal_places=2, default=0)

    class Meta:
        ordering = ["venue__name", "name"]
        constraints = [models.UniqueConstraint(fields=["venue", "name"], name="unique_room")]

    def __str__(self) -> str:
        return f"{self.name}, {self.venue.name}"


class SessionStatus(models.TextChoices):
    PLANNED = "planned", "Planned"
    HELD = "held", "Held"
    CANCELLED = "cancelled", "Cancelled"


class Meeting(models.Model):
    """A session people join in person, online, by phone or on paper ("Session" in the UI)."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="meetings")
    title = models.CharField(max_length=200)
    channel = models.CharField(max_length=20, choices=SessionChannel.choices)
    starts_at = models.DateTimeField(db_index=True)
    ends_at = models.DateTimeField()
    capacity = models.PositiveIntegerField(null=True, blank=True)
    joining_link = models.URLField("Joining link (online)", blank=True)
    phone_details = models.CharField("Phone dial-in details", max_length=300, blank=True)
    location_notes = models.CharField("Where (if not a booked room)", max_length=300, blank=True)
    agenda = models.TextField(blank=True)
    materials = models.TextField("Materials (printable)", blank=True)
    status = models.CharField(
        max_length=20, choices=SessionStatus.choices, default=SessionStatus.PLANNED
    )
    reminder_at = models.DateTimeField("Send reminders at", null=True, blank=True)
    reminder_sent_at = models.DateTimeField(null=True, blank=True)
    # How many "session changed" notices have gone to the invitees (empty: none yet): part of
    # each notice's idempotency key, so one change is told once and a second change is told
    # again. Nullable so that SQLite adds the column in place (the participation triggers
    # name this table, so it cannot be rebuilt).
    changes_notified = models.PositiveIntegerField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["starts_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_at__gt=models.F("starts_at")),
                name="meeting_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def duration_minutes(self) -> int:
        return int((self.ends_at - self.starts_at).total_seconds() // 60)


class RoomBooking(models.Model):
    meeting = models.OneToOneField(Meeting, on_delete=models.CASCADE, related_name="booking")
    room = models.ForeignKey(Room, on_delete=models.PROTECT, related_name="bookings")
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    booked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        indexes = [models.Index(fields=["room", "starts_at"])]

    def __str__(self) -> str:
        return f"{self.room} for {self.meeting}"

    @property
    def cost(self):  # type: ignore[no-untyped-def]
        from decimal import Decimal

        hours = Decimal((self.ends_at - self.starts_at).total_seconds()) / Decimal(3600)
        return (self.room.cost_per_hour * hours).quantize(Decimal("0.01"))


class SupportRole(models.TextChoices):
    FACILITATOR = "facilitator", "Facilitator"
    ADMIN_SUPPORT = "admin_support", "Admin support"


class SessionStaff(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="staff")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="session_roles"
    )
    role = models.CharField(max_length=20, choices=SupportRole.choices)
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()

    class Meta:
        ordering = ["meeting", "role", "id"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "user"], name="unique_session_staff")
        ]
        indexes = [models.Index(fields=["user", "starts_at"])]

    def __str__(self) -> str:
        return f"{self.user} ({self.get_role_display()})"

    @property
    def hours(self) -> float:
        return (self.ends_at - self.starts_at).total_seconds() / 3600


class Rsvp(models.TextChoices):
    NO_REPLY = "", "No reply yet"
    YES = "yes", "Coming"
    MAYBE = "maybe", "Maybe"
    NO = "no", "Not coming"


class RecordedVia(models.TextChoices):
    WEB = "web", "Online by the person"
    PHONE = "phone", "By phone, recorded by staff"
    PAPER = "paper", "On paper, recorded by staff"
    IN_PERSON = "in_person", "In person, recorded by staff"
    EMAIL = "email", "By email, recorded by staff"
    TEXT = "text", "By text message"


class Invitation(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="invitations")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="invitations")
    invited_at = models.DateTimeField(auto_now_add=True)
    rsvp = models.CharField(max_length=10, choices=Rsvp.choices, default=Rsvp.NO_REPLY, blank=True)
    rsvp_via = models.CharField(max_length=10, choices=RecordedVia.choices, blank=True)
    rsvp_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    responded_at = models.DateTimeField(null=True, blank=True)
    reminded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["meeting", "person__last_name", "id"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "person"], name="unique_invitation")
        ]

    def __str__(self) -> str:
        return f"{self.person} to {self.meeting}"


class Attendance(models.Model):
    """Someone took part in a session, and for how long (recorded for them if offline)."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attendances")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="attendances")
    took_part_via = models.CharField(max_length=20, choices=SessionChannel.choices)
    minutes = models.PositiveIntegerField("Time given (minutes)")
    recorded_via = models.CharField(
        max_length=10, choices=RecordedVia.choices, default=RecordedVia.IN_PERSON
    )
    on_behalf = models.BooleanField(
        default=False, help_text="Recorded by staff for someone who took part offline."
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["meeting", "id"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "person"], name="unique_attendance")
        ]
        indexes = [models.Index(fields=["person", "meeting"])]

    def __str__(self) -> str:
        return f"{self.person} at {self.meeting}"


class TimeGiven(models.Model):
    """Time contributed outside sessions, such as reading papers or visiting a scheme."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="time_given")
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="time_given")
    on = models.DateField()
    minutes = models.PositiveIntegerField("Time given (minutes)")
    what = models.CharField("What they did", max_length=300)
    on_behalf = models.BooleanField(default=False)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-on", "id"]

    def __str__(self) -> str:
        return f"{self.person}: {self.what}"


def _new_token() -> str:
    return secrets.token_urlsafe(24)


class CalendarFeed(models.Model):
    """A secret address for a person's own calendar of sessions."""

    person = models.OneToOneField(Person, on_delete=models.CASCADE, related_name="calendar_feed")
    token = models.CharField(max_length=64, unique=True, default=_new_token)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"Calendar for {self.person}"
