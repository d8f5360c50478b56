from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.forms import BaseForm
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from coproduce.accounts import roles
from coproduce.accounts.types import AuthenticatedHttpRequest
from coproduce.core.text import clean_query
from coproduce.people.models import Person
from coproduce.projects import selectors, services
from coproduce.projects.forms import (
    DecisionForm,
    MemberAddForm,
    ProjectForm,
    SelfAssessmentForm,
    StaffAddForm,
    StageForm,
    SupportRequestForm,
    TriageForm,
)
from coproduce.projects.models import (
    Decision,
    Project,
    ProjectMember,
    ProjectStaff,
    Stage,
    SupportRequest,
)


def _get_project_for_user(
    request: AuthenticatedHttpRequest, pk: int, *, manage: bool = False
) -> Project:
    project = get_object_or_404(Project.objects.select_related("owner"), pk=pk)
    if manage:
        if not roles.can_manage_projects(request.user):
            raise PermissionDenied
    elif not roles.can_see_project(request.user, project):
        raise PermissionDenied
    return project


def _saved(request: HttpRequest, project: Project, message: str) -> HttpResponse:
    """After a change from one of the project's forms: say so, and go back to the project."""
    messages.success(request, message)
    return redirect("projects:detail", pk=project.pk)


def _form_page(
    request: HttpRequest,
    form: BaseForm,
    *,
    title: str,
    project: Project | None = None,
    intro: str = "",
) -> HttpResponse:
    """The shared one-form page (projects/form.html)."""
    return render(
        request,
        "projects/form.html",
        {"form": form, "title": title, "project": project, "intro": intro},
    )


@login_required
def project_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    if not (
        roles.can_see_all_projects(request.user)
        or roles.is_tenant(request.user)
        or roles.can_request_support(request.user)
    ):
        raise PermissionDenied
    page = Paginator(selectors.projects_for_user(request.user), 50).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "projects/project_list.html",
        {"page": page, "query": "", "can_manage": roles.can_manage_projects(request.user)},
    )


@login_required
def project_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    project = _get_project_for_user(request, pk)
    user = request.user
    staff_view = roles.is_staff_member(user)
    members = project.members.select_related("person").filter(left_on__isnull=True)
    decisions = list(project.decisions.select_related("recorded_by"))
    told = selectors.decisions_told(project) if roles.can_record_decisions(user) else {}
    context: dict[str, Any] = {
        "project": project,
        "stages": project.stages.all(),
        "members": members if staff_view else None,
        "member_count": members.count(),
        "team": project.staff.select_related("user"),
        "decisions": decisions,
        # Each decision with how its "you said, we did" went out (for those who may send it).
        "decision_rows": [(d, told.get(d.pk)) for d in decisions],
        "ladder": selectors.project_ladder(project),
        "principles": [
            (
                "Equality",
                project.get_scie_equality_display() if project.scie_equality is not None else None,
            ),
            (
                "Diversity",
                project.get_scie_diversity_display()
                if project.scie_diversity is not None
                else None,
            ),
            (
                "Accessibility",
                project.get_scie_accessibility_display()
                if project.scie_accessibility is not None
                else None,
            ),
            (
                "Reciprocity",
                project.get_scie_reciprocity_display()
                if project.scie_reciprocity is not None
                else None,
            ),
        ],
        "can_manage": roles.can_manage_projects(user),
        "can_record": roles.can_record_decisions(user),
        "can_run_sessions": roles.can_run_sessions(user),
        "can_see_resourcing": roles.can_see_resourcing(user),
        "staff_view": staff_view,
    }
    return render(request, "projects/project_detail.html", context)


@login_required
def project_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    if not roles.can_manage_projects(request.user):
        raise PermissionDenied
    form = ProjectForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        project = services.project_create(
            data=form.cleaned_data, owner=request.user, actor=request.user, request=request
        )
        return _saved(request, project, f"Project “{project.title}” has been created.")
    return _form_page(request, form, title="Start a project")


@login_required
def project_edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    project = _get_project_for_user(request, pk, manage=True)
    form = ProjectForm(request.POST or None, instance=project)
    if request.method == "POST" and form.is_valid():
        services.project_update(
            project=project, data=form.cleaned_data, actor=request.user, request=request
        )
        return _saved(request, project, "The project has been updated.")
    return _form_page(request, form, title="Change the project", project=project)


@login_required
def self_assessment(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    project = _get_project_for_user(request, pk, manage=True)
    form = SelfAssessmentForm(request.POST or None, instance=project)
    if request.method == "POST" and form.is_valid():
        services.project_update(
            project=project, data=form.cleaned_data, actor=request.user, request=request
        )
        return _saved(request, project, "The team's own assessment has been saved.")
    return _form_page(
        request,
        form,
        title="Where does the team think this project stands?",
        project=project,
        intro="Be honest: the page shows your view next to what the decision log measures.",
    )


@login_required
def stage_edit(
    request: AuthenticatedHttpRequest, pk: int, stage_pk: int | None = None
) -> HttpResponse:
    project = _get_project_for_user(request, pk, manage=True)
    stage = get_object_or_404(Stage, pk=stage_pk, project=project) if stage_pk else None
    form = StageForm(request.POST or None, instance=stage)
    if request.method == "POST" and form.is_valid():
        services.stage_save(
            project=project,
            stage=stage,
            data=form.cleaned_data,
            actor=request.user,
            request=request,
        )
        return _saved(request, project, "The stage has been saved.")
    return _form_page(
        request,
        form,
        title="Change a stage" if stage else "Add a stage",
        project=project,
        intro="Stages have target dates. They can move: volunteers are not staff, and "
        "nothing is blocked when a date passes.",
    )


@login_required
def decision_edit(
    request: AuthenticatedHttpRequest, pk: int, decision_pk: int | None = None
) -> HttpResponse:
    project = _get_project_for_user(request, pk)
    if not roles.can_record_decisions(request.user):
        raise PermissionDenied
    decision = get_object_or_404(Decision, pk=decision_pk, project=project) if decision_pk else None
    form = DecisionForm(request.POST or None, instance=decision)
    if request.method == "POST" and form.is_valid():
        services.decision_record(
            project=project,
            decision=decision,
            data=form.cleaned_data,
            actor=request.user,
            request=request,
        )
        return _saved(request, project, "The decision has been recorded.")
    return _form_page(
        request,
        form,
        title="Change a decision" if decision else "Record a decision",
        project=project,
        intro="Record every significant decision: who made it, what tenants said and how "
        'it counted, and how you told them ("you said, we did").',
    )


@require_POST
@login_required
def decision_tell(request: AuthenticatedHttpRequest, pk: int, decision_pk: int) -> HttpResponse:
    """Send "you said, we did" about one decision to the project's members."""
    project = _get_project_for_user(request, pk)
    if not roles.can_record_decisions(request.user):
        raise PermissionDenied
    decision = get_object_or_404(
        Decision.objects.select_related("project"), pk=decision_pk, project=project
    )
    try:
        reached = services.decision_tell_members(
            decision=decision, actor=request.user, request=request
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        people = "person" if reached == 1 else "people"
        messages.success(
            request,
            f"'You said, we did' is on its way to {reached} {people}, each by their own "
            "way of hearing from us. Anyone told before is not told again."
            if reached
            else "Nobody new to tell: every member has been told, or could not be reached.",
        )
    return redirect(reverse("projects:detail", args=[project.pk]) + "#decisions")


@login_required
def member_add(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    project = _get_project_for_user(request, pk, manage=True)
    if request.method == "POST":
        form = MemberAddForm(request.POST)
        if form.is_valid():
            person = get_object_or_404(Person, pk=form.cleaned_data["person"])
            try:
                services.member_add(
                    project=project,
                    person=person,
                    role=form.cleaned_data["role"],
                    joined_on=form.cleaned_data["joined_on"],
                    actor=request.user,
                    request=request,
                )
            except ValidationError as exc:
                messages.error(request, " ".join(exc.messages))
            else:
                messages.success(request, f"{person.full_name} has joined the project.")
                return redirect("projects:member_add", pk=project.pk)
        else:
            messages.error(request, "Choose a role and the date they joined.")
    q = clean_query(request.GET.get("q"))
    results = []
    if q:
        results = list(
            Person.objects.select_related("area").filter(
                Q(last_name__istartswith=q)
                | Q(first_name__istartswith=q)
                | Q(external_ref__iexact=q)
            )[:20]
        )
    return render(
        request,
        "projects/member_add.html",
        {
            "project": project,
            "q": q,
            "results": results,
            "today": timezone.localdate(),
            "members": project.members.select_related("person").filter(left_on__isnull=True),
            "form": MemberAddForm(initial={"joined_on": timezone.localdate()}),
        },
    )


@require_POST
@login_required
def member_leave(request: AuthenticatedHttpRequest, pk: int, member_pk: int) -> HttpResponse:
    project = _get_project_for_user(request, pk, manage=True)
    member = get_object_or_404(
        ProjectMember.objects.select_related("person"), pk=member_pk, project=project
    )
    services.member_leave(member=member, actor=request.user, request=request)
    messages.success(request, f"{member.person.full_name} has left the project.")
    return redirect("projects:member_add", pk=project.pk)


@login_required
def staff_add(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    project = _get_project_for_user(request, pk, manage=True)
    form = StaffAddForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.staff_add(
                project=project,
                user=form.cleaned_data["user"],
                role=form.cleaned_data["role"],
                actor=request.user,
                request=request,
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            return _saved(request, project, "The staff team has been updated.")
    return render(
        request,
        "projects/staff_add.html",
        {"project": project, "form": form, "team": project.staff.select_related("user")},
    )


@require_POST
@login_required
def staff_remove(request: AuthenticatedHttpRequest, pk: int, staff_pk: int) -> HttpResponse:
    project = _get_project_for_user(request, pk, manage=True)
    assignment = get_object_or_404(ProjectStaff, pk=staff_pk, project=project)
    services.staff_remove(assignment=assignment, actor=request.user, request=request)
    messages.success(request, "The staff team has been updated.")
    return redirect("projects:staff_add", pk=project.pk)


@login_required
def support_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    if not roles.can_request_support(request.user):
        raise PermissionDenied
    requests_qs = selectors.support_requests_for_user(request.user)
    page = Paginator(requests_qs, 50).get_page(request.GET.get("page"))
    can_triage = roles.can_triage_support(request.user)
    return render(
        request,
        "projects/support_list.html",
        {
            "page": page,
            "query": "",
            "can_triage": can_triage,
            "demand": selectors.support_demand_by_month() if can_triage else None,
        },
    )


@login_required
def support_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    if not roles.can_request_support(request.user):
        raise PermissionDenied
    form = SupportRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.support_request_create(
            requested_by=request.user, data=form.cleaned_data, request=request
        )
        messages.success(request, "Thank you. The involvement team will get back to you.")
        return redirect("projects:support_list")
    return _form_page(
        request,
        form,
        title="Ask for help to co-produce something",
        intro="Tell the involvement team what you would like to co-produce with tenants. "
        "The earlier you ask, the more tenants can shape it.",
    )


@login_required
def support_triage(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    if not roles.can_triage_support(request.user):
        raise PermissionDenied
    support = get_object_or_404(SupportRequest.objects.select_related("requested_by"), pk=pk)
    form = TriageForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            support = services.support_request_triage(
                support=support,
                decision=form.cleaned_data["decision"],
                project=form.cleaned_data["project"],
                note=form.cleaned_data["note"],
                actor=request.user,
                request=request,
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, "The request has been dealt with.")
            if support.project_id:
                return redirect("projects:detail", pk=support.project_id)
            return redirect("projects:support_list")
    return render(request, "projects/support_triage.html", {"support": support, "form": form})
