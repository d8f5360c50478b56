"""Every write to the register of data-protection requests. Each is atomic and audited.

UK GDPR Art. 12(3): answer within one calendar month of receipt, extendable by two further
months for complex or numerous requests (the person must be told why within the first month).
"""

from __future__ import annotations

import calendar
import datetime as dt
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from coproduce.core.audit import audit_record
from coproduce.people.models import Person
from coproduce.privacy import selectors
from coproduce.privacy.models import (
    DataRequest,
    RequestKind,
    RequestStatus,
    one_calendar_month_after,
)

if TYPE_CHECKING:
    from django.http import HttpRequest

    from coproduce.accounts.models import User

NOTES_MAX = 5000
MAX_EXTENSION_MONTHS = 2
CLOSING_STATUSES = (RequestStatus.DONE, RequestStatus.REFUSED, RequestStatus.WITHDRAWN)
# Line breaks and tabs are fine in notes; other control characters (NUL above all, which
# PostgreSQL refuses in text) are not.
_ALLOWED_CONTROLS = {"\n", "\r", "\t"}


def clean_notes(text: str, *, label: str = "Notes") -> str:
    """Refuse NUL and other control characters and over-long text, with a clear message."""
    text = (text or "").strip()
    if any(ord(c) < 32 and c not in _ALLOWED_CONTROLS or ord(c) == 127 for c in text):
        raise ValidationError(
            f"{label} contain a hidden control character (such as a NUL byte). "
            "Please type them again without it."
        )
    if len(text) > NOTES_MAX:
        raise ValidationError(
            f"{label} can be at most {NOTES_MAX:,} characters long; these are {len(text):,}. "
            "Please shorten them, or keep the long version in your case file."
        )
    return text


def calendar_months_after(day: dt.date, months: int) -> dt.date:
    """The same date `months` calendar months later (or that month's last day)."""
    if months == 1:
        return one_calendar_month_after(day)
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def _reminder_time(data_request: DataRequest) -> dt.datetime:
    day = data_request.due_on - dt.timedelta(days=selectors.REMIND_DAYS_BEFORE)
    return timezone.make_aware(dt.datetime.combine(day, dt.time(9, 0)))


def _enqueue_reminder(data_request: DataRequest) -> None:
    from coproduce.privacy.tasks import send_data_request_reminder

    request_id, run_after = data_request.pk, _reminder_time(data_request)

    def enqueue() -> None:
        task = send_data_request_reminder
        # The task checks the date itself, so a backend that cannot wait just runs it early
        # (and it does nothing until due); `coproduce dpo remind` from cron picks it up later.
        if task.get_backend().supports_defer:
            task = task.using(run_after=run_after)
        task.enqueue(request_id)

    transaction.on_commit(enqueue)


@transaction.atomic
def data_request_open(
    *,
    person: Person,
    kind: str,
    actor: User,
    notes: str = "",
    received_on: dt.date | None = None,
    asked_by_person: bool = False,
    request: HttpRequest | None = None,
) -> DataRequest:
    """Open a request; a second open request of the same kind for the person is refused."""
    if kind not in RequestKind.values:
        raise ValidationError("Choose what the person is asking for.")
    notes = clean_notes(notes)
    if person.erased_at is not None:
        raise ValidationError("This person's record has been erased: there is nothing to open.")
    received_on = received_on or selectors.today()
    if received_on > selectors.today():
        raise ValidationError("The date it was received cannot be in the future.")
    label = RequestKind(kind).label.lower()
    duplicate = ValidationError(
        f"There is already an open request for a {label} for this person. "
        "Find it in the register instead of opening another."
    )
    if DataRequest.objects.filter(person=person, kind=kind, status=RequestStatus.OPEN).exists():
        raise duplicate
    data_request = DataRequest(
        person=person,
        kind=kind,
        received_on=received_on,
        due_on=one_calendar_month_after(received_on),
        asked_by_person=asked_by_person,
        opened_by=actor if getattr(actor, "is_authenticated", False) else None,
        notes=notes,
    )
    try:
        # Two requests at the same moment: the database's one-open-request rule lets one in.
        with transaction.atomic():
            data_request.save()
    except IntegrityError as exc:
        raise duplicate from exc
    audit_record(
        action="privacy.request_opened",
        actor=actor,
        obj=data_request,
        request=request,
        summary=(
            f"{RequestKind(kind).label} for person #{person.pk}, due {data_request.due_on}"
            + (" (asked by the person)" if asked_by_person else "")
        ),
    )
    _enqueue_reminder(data_request)
    return data_request


def person_ask(
    *, person: Person, kind: str, actor: User, request: HttpRequest | None = None
) -> DataRequest:
    """A person asks from their own profile: for a copy of their data, or to be erased."""
    if kind not in (RequestKind.ACCESS, RequestKind.ERASURE):
        raise ValidationError("Choose what you are asking for.")
    try:
        return data_request_open(
            person=person, kind=kind, actor=actor, asked_by_person=True, request=request
        )
    except ValidationError:
        existing = DataRequest.objects.filter(
            person=person, kind=kind, status=RequestStatus.OPEN
        ).first()
        if existing is None:
            raise
        raise ValidationError(
            f"You already asked for this on {existing.received_on:%-d %B %Y}. "
            f"We will reply by {existing.due_on:%-d %B %Y}."
        ) from None


def _locked_open(data_request: DataRequest) -> DataRequest:
    current = DataRequest.objects.select_for_update().get(pk=data_request.pk)
    if current.status != RequestStatus.OPEN:
        raise ValidationError(
            f"This request is already closed ({current.get_status_display().lower()})."
        )
    return current


@transaction.atomic
def data_request_close(
    *,
    data_request: DataRequest,
    status: str,
    note: str,
    actor: User,
    request: HttpRequest | None = None,
) -> DataRequest:
    """Mark a request done, refused or withdrawn, with a note of what was done and why."""
    if status not in CLOSING_STATUSES:
        raise ValidationError("Choose done, refused or withdrawn.")
    note = clean_notes(note, label="The note")
    if not note:
        raise ValidationError("Write a short note of what was done, or why.")
    current = _locked_open(data_request)
    current.status = status
    current.outcome = note
    current.completed_at = timezone.now()
    current.completed_by = actor
    current.save(update_fields=["status", "outcome", "completed_at", "completed_by"])
    audit_record(
        action="privacy.request_closed",
        actor=actor,
        obj=current,
        request=request,
        summary=f"Marked {current.get_status_display().lower()}",
    )
    return current


@transaction.atomic
def data_request_extend(
    *,
    data_request: DataRequest,
    months: int,
    reason: str,
    actor: User,
    request: HttpRequest | None = None,
) -> DataRequest:
    """Extend the deadline by one or two further months (the most the law allows)."""
    if months not in range(1, MAX_EXTENSION_MONTHS + 1):
        raise ValidationError("The deadline can be extended by one or two months only.")
    reason = clean_notes(reason, label="The reason")
    if not reason:
        raise ValidationError("Say why the request needs more time; the person must be told.")
    current = _locked_open(data_request)
    new_due = calendar_months_after(current.received_on, 1 + months)
    if new_due <= current.due_on:
        raise ValidationError(
            f"The deadline is already {current.due_on:%-d %B %Y}; it cannot be extended "
            f"beyond three months from receipt."
        )
    current.due_on = new_due
    current.extended_reason = reason
    current.reminder_sent_on = None
    current.save(update_fields=["due_on", "extended_reason", "reminder_sent_on"])
    audit_record(
        action="privacy.request_extended",
        actor=actor,
        obj=current,
        request=request,
        summary=f"Deadline extended to {new_due}",
    )
    _enqueue_reminder(current)
    return current


def data_request_send_reminder(*, data_request_id: int, on: dt.date | None = None) -> int:
    """Email every active data-protection lead once, 7 days before the deadline.

    Safe to run any number of times and early: does nothing until due, nothing for a
    closed request, nothing if already sent. Returns how many emails went.
    """
    on = on or selectors.today()
    with transaction.atomic():
        data_request = (
            selectors.reminders_due(on=on)
            .select_for_update()
            .filter(pk=data_request_id)
            .select_related("person")
            .first()
        )
        if data_request is None:
            return 0
        leads = [u.email for u in selectors.data_protection_leads() if u.email]
        days = (data_request.due_on - on).days
        when = f"in {days} day{'s' if days != 1 else ''}" if days >= 0 else "now: it is overdue"
        # No name in the email: it says which request, the register says who.
        for email in leads:
            send_mail(
                subject=f"Data request #{data_request.pk} is due {data_request.due_on:%-d %B %Y}",
                message=(
                    f"A {data_request.get_kind_display().lower()} request (number "
                    f"{data_request.pk}) must be answered by {data_request.due_on:%-d %B %Y}, "
                    f"{when}.\n\nOpen the register of data requests in {settings.SITE_NAME}: "
                    f"{reverse('privacy:detail', args=[data_request.pk])}\n"
                ),
                from_email=settings.DEFAULT_FROM_EMAIL,
                recipient_list=[email],
            )
        data_request.reminder_sent_on = on
        data_request.save(update_fields=["reminder_sent_on"])
        audit_record(
            action="privacy.reminder_sent",
            obj=data_request,
            summary=f"Deadline reminder emailed to {len(leads)} data-protection lead(s)",
        )
        return len(leads)


def data_reminders_send_due(*, on: dt.date | None = None) -> int:
    """Send every reminder that is due (for cron); returns how many requests were reminded."""
    reminded = 0
    for pk in list(selectors.reminders_due(on=on).values_list("pk", flat=True)):
        if data_request_send_reminder(data_request_id=pk, on=on):
            reminded += 1
    return reminded


@transaction.atomic
def data_request_export(
    *, data_request: DataRequest, actor: User, request: HttpRequest | None = None
) -> DataRequest:
    """Gather everything held about the person into a ZIP, kept with the request."""
    from coproduce.privacy.access import subject_access_export

    current = (
        DataRequest.objects.select_for_update().select_related("person").get(pk=data_request.pk)
    )
    if current.kind != RequestKind.ACCESS:
        raise ValidationError("Only a request for a copy of their data has an export.")
    data = subject_access_export(person=current.person, actor=actor, request=request)
    old = current.export_file.name if current.export_file else ""
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M%S")
    current.export_file.save(f"request-{current.pk}-{stamp}.zip", ContentFile(data), save=False)
    current.save(update_fields=["export_file"])
    if old and old != current.export_file.name:
        # Only the latest copy is kept: older ones would be stale duplicates of personal data.
        name = old
        transaction.on_commit(lambda: current.export_file.storage.delete(name))
    audit_record(
        action="privacy.export_stored",
        actor=actor,
        obj=current,
        request=request,
        summary=f"Copy of their data made for request #{current.pk} ({len(data):,} bytes)",
    )
    return current


def data_request_export_downloaded(
    *, data_request: DataRequest, actor: User, request: HttpRequest | None = None
) -> None:
    audit_record(
        action="privacy.export_downloaded",
        actor=actor,
        obj=data_request,
        request=request,
        summary=f"Copy of their data downloaded for request #{data_request.pk}",
    )
