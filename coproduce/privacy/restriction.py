"""Restriction of processing (UK GDPR Art. 18): the record is kept but used for nothing.

A restricted person is left out of outreach lists and their CSV, quick-question samples,
invitations and reminders, and reward accrual; staff see "Restricted: do not use" on their
record and in search results. The places that choose people for contact ask
`people.selectors.usable()`, so restriction and erasure take effect everywhere together.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from coproduce.core.audit import audit_record
from coproduce.people.models import Person
from coproduce.privacy.consent import contact_consent_effects
from coproduce.privacy.models import DataRequest, RequestKind, RequestStatus

if TYPE_CHECKING:
    from django.http import HttpRequest

    from coproduce.accounts.models import User


def _finish_request(data_request: DataRequest | None, actor: User, outcome: str) -> None:
    if data_request is None:
        return
    current = DataRequest.objects.select_for_update().get(pk=data_request.pk)
    if current.kind != RequestKind.RESTRICTION or current.status != RequestStatus.OPEN:
        raise ValidationError("This is not an open request to restrict: nothing was done.")
    current.status = RequestStatus.DONE
    current.completed_at = timezone.now()
    current.completed_by = actor if getattr(actor, "is_authenticated", False) else None
    current.outcome = outcome
    current.save(update_fields=["status", "completed_at", "completed_by", "outcome"])


@transaction.atomic
def person_restrict(
    *,
    person: Person,
    actor: User,
    data_request: DataRequest | None = None,
    request: HttpRequest | None = None,
) -> Person:
    """Keep the record but use it for nothing, from now on."""
    current = Person.objects.select_for_update().get(pk=person.pk)
    if current.erased_at is not None:
        raise ValidationError("This person has been erased: there is nothing to restrict.")
    if current.processing_restricted:
        raise ValidationError("Use of this record is already restricted.")
    current.processing_restricted = True
    current.restricted_at = timezone.now()
    current.save(update_fields=["processing_restricted", "restricted_at", "updated_at"])
    removed = sum(contact_consent_effects(person=current))
    _finish_request(
        data_request,
        actor,
        "Restricted: the record is kept but used for nothing (no lists, invitations, "
        "reminders, quick questions or new rewards).",
    )
    audit_record(
        action="privacy.person_restricted",
        actor=actor,
        obj=current,
        request=request,
        summary="Use of the record restricted"
        + (f" (request #{data_request.pk})" if data_request else "")
        + f"; taken off {removed} lists, unanswered questions or invitations",
    )
    return current


@transaction.atomic
def person_unrestrict(*, person: Person, actor: User, request: HttpRequest | None = None) -> Person:
    """Lift the restriction. They are not put back on lists they were taken off."""
    current = Person.objects.select_for_update().get(pk=person.pk)
    if not current.processing_restricted:
        raise ValidationError("Use of this record is not restricted.")
    current.processing_restricted = False
    current.restricted_at = None
    current.save(update_fields=["processing_restricted", "restricted_at", "updated_at"])
    audit_record(
        action="privacy.person_unrestricted",
        actor=actor,
        obj=current,
        request=request,
        summary="Restriction lifted",
    )
    return current
