"""Every write to people's records. Audit entries are written inside each function."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from coproduce.core.audit import audit_record
from coproduce.core.changes import apply_changes
from coproduce.people.models import Interest, InterestStatus, Involvement, Person
from coproduce.people.signals import contact_consent_withdrawn
from coproduce.webhooks.services import emit, person_path

if TYPE_CHECKING:
    from django.http import HttpRequest

    from coproduce.accounts.models import User

STALE_MESSAGE = (
    "Someone else changed this record while you were editing it. "
    "Their changes are shown below: check them, then make your change again."
)


class StaleEdit(Exception):
    pass


def _consent_stamp(person: Person, before: bool) -> None:
    if person.contact_consent and not before:
        person.contact_consent_at = timezone.now()
    elif not person.contact_consent:
        person.contact_consent_at = None


@transaction.atomic
def person_create(
    *, data: dict[str, Any], actor: User, request: HttpRequest | None = None
) -> Person:
    person = Person(**data)
    _consent_stamp(person, before=False)
    person.full_clean()
    person.save()
    audit_record(
        action="person.created",
        actor=actor,
        obj=person,
        request=request,
        summary=f"Created record #{person.pk}",
    )
    return person


@transaction.atomic
def person_update(
    *,
    person: Person,
    data: dict[str, Any],
    actor: User,
    request: HttpRequest | None = None,
    expected_version: str | None = None,
) -> Person:
    """Change a person's record. Raises StaleEdit if it changed since `expected_version`."""
    current = Person.objects.select_for_update().get(pk=person.pk)
    if expected_version and current.updated_at.isoformat() != expected_version:
        raise StaleEdit(STALE_MESSAGE)
    before_consent = current.contact_consent
    changed = apply_changes(current, data)
    if not changed:
        return current
    _consent_stamp(current, before=before_consent)
    current.full_clean()
    current.save(update_fields=[*changed, "contact_consent_at", "updated_at"])
    # Field names only: the audit log must not become a second copy of personal data.
    audit_record(
        action="person.updated",
        actor=actor,
        obj=current,
        request=request,
        summary="Changed " + ", ".join(sorted(changed)),
    )
    if before_consent and not current.contact_consent:
        # Unticking "Happy to be contacted" is a withdrawal: it takes effect everywhere now.
        contact_consent_withdrawn.send(sender=Person, person=current)
        consent_withdrawn_emit(current)
    return current


def consent_withdrawn_emit(person: Person) -> None:
    """Tell the landlord's systems that this person may no longer be contacted."""
    emit(
        "consent.withdrawn",
        {
            "person_id": person.pk,
            "external_ref": person.external_ref,
            "person": person_path(person.pk),
        },
    )


def ref_fingerprint(external_ref: str) -> str:
    """A keyed one-way fingerprint of a housing system reference, kept after erasure so the
    same reference sent again is recognised without keeping the reference itself."""
    key = settings.SECRET_KEY.encode()
    return hmac.new(key, b"person-ref:" + external_ref.encode(), hashlib.sha256).hexdigest()


def ref_was_erased(external_ref: str) -> bool:
    return Person.objects.filter(
        erased_at__isnull=False, erased_ref=ref_fingerprint(external_ref)
    ).exists()


@transaction.atomic
def person_tenancy_ended(
    *,
    person: Person,
    ended_on: dt.date,
    actor: User | None,
    request: HttpRequest | None = None,
) -> tuple[Person, bool]:
    """Record the day their tenancy ended (starts the retention clock for former tenants).

    The same date again changes nothing (returns ``changed=False``, no audit entry); another
    date replaces it and is audited. The row is locked while it changes."""
    current = Person.objects.select_for_update().get(pk=person.pk)
    if ended_on > timezone.localdate():
        raise ValidationError(
            "ended_on is in the future: send it on or after the day the tenancy ends."
        )
    if current.tenancy_ended_on == ended_on:
        return current, False
    before = current.tenancy_ended_on
    current.tenancy_ended_on = ended_on
    current.save(update_fields=["tenancy_ended_on", "updated_at"])
    audit_record(
        action="person.tenancy_ended",
        actor=actor,
        obj=current,
        request=request,
        summary=(
            f"Tenancy ended on {ended_on:%d %B %Y}"
            + (f" (was {before:%d %B %Y})" if before else "")
        ),
    )
    return current, True


def person_view_record(*, person: Person, actor: User, request: HttpRequest | None = None) -> None:
    audit_record(
        action="person.viewed",
        actor=actor,
        obj=person,
        request=request,
        summary=f"Viewed record #{person.pk}",
    )


@transaction.atomic
def interest_register(*, data: dict[str, Any], request: HttpRequest | None = None) -> Interest:
    interest = Interest(
        name=data["name"],
        email=data.get("email", ""),
        phone=data.get("phone", ""),
        postcode=data.get("postcode", "").upper(),
        preferred_channels=list(data.get("preferred_channels") or []),
        availability=list(data.get("availability") or []),
        reward_preference=data.get("reward_preference") or "",
        message=data.get("message", ""),
        contact_consent=bool(data.get("contact_consent")),
    )
    interest.full_clean()
    interest.save()
    # Only the sign-up's number: its name, contact details and message stay here.
    emit("person.signed_up", {"interest_id": interest.pk})
    return interest


def _split_name(name: str) -> tuple[str, str]:
    parts = name.strip().split()
    if len(parts) == 1:
        return parts[0], ""
    return " ".join(parts[:-1]), parts[-1]


@transaction.atomic
def interest_confirm(
    *,
    interest: Interest,
    actor: User,
    request: HttpRequest | None = None,
    person: Person | None = None,
) -> Person:
    """Accept a sign-up into the involvement pool, creating a person record if needed."""
    interest = Interest.objects.select_for_update().get(pk=interest.pk)
    if interest.status != InterestStatus.NEW:
        raise ValidationError("This sign-up has already been dealt with.")
    if person is None:
        first, last = _split_name(interest.name)
        person = Person(
            first_name=first[:100],
            last_name=last[:100],
            email=interest.email,
            phone=interest.phone,
            postcode=interest.postcode,
        )
    person.preferred_channels = interest.preferred_channels or person.preferred_channels
    person.availability = interest.availability or person.availability
    person.reward_preference = interest.reward_preference or person.reward_preference
    person.contact_consent = interest.contact_consent
    person.contact_consent_at = interest.created_at if interest.contact_consent else None
    person.involvement = Involvement.ACTIVE
    person.involved_since = person.involved_since or timezone.localdate()
    person.full_clean()
    person.save()
    interest.status = InterestStatus.CONFIRMED
    interest.person = person
    interest.decided_at = timezone.now()
    interest.decided_by = actor
    interest.save(update_fields=["status", "person", "decided_at", "decided_by"])
    audit_record(
        action="interest.confirmed",
        actor=actor,
        obj=person,
        request=request,
        summary=f"Confirmed sign-up #{interest.pk} into the involvement pool",
    )
    return person


@transaction.atomic
def interest_decline(
    *, interest: Interest, actor: User, request: HttpRequest | None = None
) -> Interest:
    interest = Interest.objects.select_for_update().get(pk=interest.pk)
    if interest.status != InterestStatus.NEW:
        raise ValidationError("This sign-up has already been dealt with.")
    interest.status = InterestStatus.DECLINED
    interest.decided_at = timezone.now()
    interest.decided_by = actor
    interest.save(update_fields=["status", "decided_at", "decided_by"])
    audit_record(
        action="interest.declined",
        actor=actor,
        obj=interest,
        request=request,
        summary=f"Did not take forward sign-up #{interest.pk}",
    )
    return interest


def age_on(date_of_birth: dt.date | None, today: dt.date) -> int | None:
    if date_of_birth is None:
        return None
    years = today.year - date_of_birth.year
    if (today.month, today.day) < (date_of_birth.month, date_of_birth.day):
        years -= 1
    return years


@transaction.atomic
def person_login_create(
    *, person: Person, email: str, actor: User, request: HttpRequest | None = None
) -> User:
    """Give a person a tenant login and email them a link to choose a password.

    Everything recorded for them before (sessions by phone, time given) is theirs to see
    as soon as they sign in, because it hangs off their person record.
    """
    from django.contrib.auth import get_user_model
    from django.contrib.auth.tokens import default_token_generator
    from django.core.mail import send_mail
    from django.urls import reverse
    from django.utils.encoding import force_bytes
    from django.utils.http import urlsafe_base64_encode

    from coproduce.accounts.roles import Role

    user_model = get_user_model()
    email = email.strip().lower()
    person = Person.objects.select_for_update().get(pk=person.pk)
    if person.user_id is not None:
        raise ValidationError("This person already has a login.")
    if user_model.objects.filter(email__iexact=email).exists():
        raise ValidationError("That email address is already used by another login.")
    try:
        with transaction.atomic():  # another person's login made with this email at once
            user = user_model.objects.create_user(
                email, None, full_name=person.full_name, role=Role.TENANT
            )
    except IntegrityError:
        raise ValidationError("That email address is already used by another login.") from None
    person.user = user
    if not person.email:
        person.email = email
    person.save(update_fields=["user", "email", "updated_at"])
    audit_record(
        action="person.login_created",
        actor=actor,
        obj=person,
        request=request,
        summary="Gave a login and sent a set-password email",
    )
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    path = reverse("accounts:password_reset_confirm", kwargs={"uidb64": uid, "token": token})
    base = request.build_absolute_uri("/")[:-1] if request is not None else ""
    transaction.on_commit(
        lambda: send_mail(
            "Your coproduce login",
            f"Hello {person.first_name},\n\nThe involvement team has made you a login, so you can "
            f"see what is coming up and what you have done.\n\nChoose your password here:\n"
            f"{base}{path}\n\nYou sign in with this email address: {email}\n",
            None,
            [email],
        )
    )
    return user
