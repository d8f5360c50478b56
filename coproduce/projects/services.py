"""Every write to projects, their team, stages, decisions and support requests."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from coproduce.core.audit import audit_record
from coproduce.core.changes import apply_changes
from coproduce.messaging import services as messaging
from coproduce.messaging.models import Message
from coproduce.messaging.models import Status as MessageStatus
from coproduce.people.models import Person
from coproduce.people.selectors import usable
from coproduce.projects.models import (
    Decision,
    Project,
    ProjectMember,
    ProjectStaff,
    ProjectStatus,
    RequestStatus,
    Stage,
    SupportRequest,
)

if TYPE_CHECKING:
    from django.http import HttpRequest

    from coproduce.accounts.models import User


@transaction.atomic
def project_create(
    *, data: dict[str, Any], owner: User, actor: User, request: HttpRequest | None = None
) -> Project:
    project = Project(owner=owner, **data)
    project.full_clean()
    project.save()
    ProjectStaff.objects.create(project=project, user=owner, role="lead")
    audit_record(
        action="project.created",
        actor=actor,
        obj=project,
        request=request,
        summary=f"Created project {project.title}",
    )
    return project


@transaction.atomic
def project_update(
    *, project: Project, data: dict[str, Any], actor: User, request: HttpRequest | None = None
) -> Project:
    changed = apply_changes(project, data)
    if changed:
        project.full_clean()
        project.save(update_fields=[*changed, "updated_at"])
        audit_record(
            action="project.updated",
            actor=actor,
            obj=project,
            request=request,
            summary="Changed " + ", ".join(sorted(changed)),
        )
    return project


@transaction.atomic
def stage_save(
    *,
    project: Project,
    data: dict[str, Any],
    actor: User,
    stage: Stage | None = None,
    request: HttpRequest | None = None,
) -> Stage:
    if stage is None:
        position = project.stages.count()
        stage = Stage(project=project, position=position)
    apply_changes(stage, data)
    stage.full_clean()
    stage.save()
    audit_record(
        action="project.stage_saved",
        actor=actor,
        obj=project,
        request=request,
        summary=f"Stage {stage.name}: target {stage.target_start} to {stage.target_end}",
    )
    return stage


@transaction.atomic
def member_add(
    *,
    project: Project,
    person: Person,
    role: str,
    joined_on: Any,
    actor: User,
    request: HttpRequest | None = None,
) -> ProjectMember:
    existing = ProjectMember.objects.filter(project=project, person=person).first()
    if existing is not None:
        if existing.left_on is None:
            raise ValidationError(f"{person.full_name} is already a member of this project.")
        existing.left_on = None
        existing.role = role
        existing.save(update_fields=["left_on", "role"])
        member = existing
    else:
        member = ProjectMember(project=project, person=person, role=role, joined_on=joined_on)
        member.full_clean()
        member.save()
    audit_record(
        action="project.member_added",
        actor=actor,
        obj=person,
        request=request,
        summary=f"Added to project #{project.pk} as {member.get_role_display()}",
    )
    return member


@transaction.atomic
def member_leave(
    *, member: ProjectMember, actor: User, request: HttpRequest | None = None
) -> ProjectMember:
    member.left_on = timezone.localdate()
    member.save(update_fields=["left_on"])
    audit_record(
        action="project.member_left",
        actor=actor,
        obj=member.person,
        request=request,
        summary=f"Left project #{member.project_id}",
    )
    return member


@transaction.atomic
def staff_add(
    *, project: Project, user: User, role: str, actor: User, request: HttpRequest | None = None
) -> ProjectStaff:
    try:
        with transaction.atomic():
            assignment = ProjectStaff.objects.create(project=project, user=user, role=role)
    except IntegrityError as exc:
        raise ValidationError(f"{user} already has that role in this project.") from exc
    audit_record(
        action="project.staff_added",
        actor=actor,
        obj=project,
        request=request,
        summary=f"{user} as {assignment.get_role_display()}",
    )
    return assignment


@transaction.atomic
def staff_remove(
    *, assignment: ProjectStaff, actor: User, request: HttpRequest | None = None
) -> None:
    project = assignment.project
    summary = f"Removed {assignment.user} as {assignment.get_role_display()}"
    assignment.delete()
    audit_record(
        action="project.staff_removed", actor=actor, obj=project, request=request, summary=summary
    )


@transaction.atomic
def decision_record(
    *,
    project: Project,
    data: dict[str, Any],
    actor: User,
    decision: Decision | None = None,
    request: HttpRequest | None = None,
) -> Decision:
    creating = decision is None
    if decision is None:
        decision = Decision(project=project, recorded_by=actor)
    apply_changes(decision, data)
    if decision.feedback.strip() and decision.feedback_on is None:
        decision.feedback_on = timezone.localdate()
    decision.full_clean()
    decision.save()
    audit_record(
        action="project.decision_recorded" if creating else "project.decision_changed",
        actor=actor,
        obj=project,
        request=request,
        summary=decision.summary[:200],
    )
    return decision


@transaction.atomic
def decision_tell_members(
    *,
    decision: Decision,
    actor: User | None,
    request: HttpRequest | None = None,
    now: dt.datetime | None = None,
) -> int:
    """Send "you said, we did" about a decision to everyone taking part in its project, each
    once, on their own channel. Refused until the decision says what we did. Returns how
    many people it could reach this time (anyone told before is not told again)."""
    if not decision.feedback_given:
        raise ValidationError(
            "Write what we did (the feedback to tenants) before telling the members."
        )
    project = decision.project
    today = timezone.localdate()
    members = (
        ProjectMember.objects.filter(usable("person__"), project=project)
        .filter(Q(left_on__isnull=True) | Q(left_on__gte=today))
        .select_related("person")
        .order_by("pk")
    )
    context = {
        "project": project.title,
        "decision": decision.summary,
        "decided_on": f"{decision.decided_on.day} {decision.decided_on:%B %Y}",
        "you_said": decision.tenant_views.strip(),
        "we_did": decision.feedback.strip(),
        "url": settings.SITE_URL.rstrip("/") + reverse("projects:detail", args=[project.pk]),
    }
    keys = {m.person_id: f"you_said_we_did:{decision.pk}:{m.person_id}" for m in members}
    told_before = set(Message.objects.filter(key__in=keys.values()).values_list("key", flat=True))
    reached = 0
    for member in members:
        if keys[member.person_id] in told_before:
            continue
        message = messaging.send(
            kind="you_said_we_did",
            person=member.person,
            key=keys[member.person_id],
            context=context,
            about=f"projects.decision:{decision.pk}",
            actor=actor,
            now=now,
        )
        reached += message.status != MessageStatus.NOT_SENT
    audit_record(
        action="project.decision_told",
        actor=actor,
        obj=project,
        request=request,
        summary=f"Told members what we did about: {decision.summary[:150]} ({reached} reached)",
    )
    return reached


@transaction.atomic
def support_request_create(
    *, requested_by: User, data: dict[str, Any], request: HttpRequest | None = None
) -> SupportRequest:
    support = SupportRequest(requested_by=requested_by, **data)
    support.full_clean()
    support.save()
    audit_record(
        action="support_request.created",
        actor=requested_by,
        obj=support,
        request=request,
        summary=f"{support.team}: {support.what[:100]}",
    )
    return support


@transaction.atomic
def support_request_triage(
    *,
    support: SupportRequest,
    decision: str,
    actor: User,
    note: str = "",
    project: Project | None = None,
    request: HttpRequest | None = None,
) -> SupportRequest:
    """Take a request on (into an existing project, or a new one) or decline it."""
    support = SupportRequest.objects.select_for_update().get(pk=support.pk)
    if support.status != RequestStatus.NEW:
        raise ValidationError("This request has already been dealt with.")
    if decision == "accept":
        if project is None:
            project = project_create(
                data={
                    "title": support.what.strip().split("\n")[0][:200],
                    "purpose": f"{support.what}\n\nWhy: {support.why}",
                    "status": ProjectStatus.PLANNED,
                },
                owner=actor,
                actor=actor,
                request=request,
            )
        support.project = project
        support.status = RequestStatus.ACCEPTED
    elif decision == "decline":
        if not note.strip():
            raise ValidationError(
                "Say why the request is not being taken on, so the colleague knows."
            )
        support.status = RequestStatus.DECLINED
    else:
        raise ValidationError("Choose whether to take the request on or not.")
    support.triage_note = note
    support.triaged_by = actor
    support.triaged_at = timezone.now()
    support.save(update_fields=["status", "project", "triage_note", "triaged_by", "triaged_at"])
    audit_record(
        action=f"support_request.{support.status}",
        actor=actor,
        obj=support,
        request=request,
        summary=note[:200],
    )
    return support
