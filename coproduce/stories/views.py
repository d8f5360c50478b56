from __future__ import annotations

import mimetypes
from typing import TYPE_CHECKING, Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from coproduce.accounts import roles
from coproduce.core import uploads
from coproduce.core.audit import audit_record
from coproduce.people.models import Person
from coproduce.projects.models import Project
from coproduce.stories import selectors, services
from coproduce.stories.forms import (
    ImpactChangeForm,
    JournalEntryForm,
    SelfAssessmentForm,
    StoryDetailsForm,
    StoryEditForm,
    answer_fields,
)
from coproduce.stories.models import JournalFile, Story, StorySource
from coproduce.stories.split import TranscriptError

# Fetch-with-permission helpers ------------------------------------------------------------

if TYPE_CHECKING:
    from coproduce.accounts.types import AuthenticatedHttpRequest


def _get_project_for_journal(request: AuthenticatedHttpRequest, pk: int) -> Project:
    project = get_object_or_404(Project.objects.select_related("owner"), pk=pk)
    if not roles.can_see_journal(request.user, project):
        raise PermissionDenied
    return project


def _get_story_for_user(request: AuthenticatedHttpRequest, pk: int, *, edit: bool = False) -> Story:
    story = get_object_or_404(
        Story.objects.select_related("project", "guide", "interviewer"), pk=pk
    )
    allowed = (
        roles.can_edit_story(request.user, story)
        if edit
        else roles.can_see_story(request.user, story)
    )
    if not allowed:
        raise PermissionDenied
    return story


def _require(check: bool) -> None:
    if not check:
        raise PermissionDenied


def _person_for(user: Any) -> Person:
    person = Person.objects.filter(user=user).first() if user.is_authenticated else None
    if person is None:
        raise PermissionDenied
    return person


# Staff landing --------------------------------------------------------------------------


@login_required
def home(request: AuthenticatedHttpRequest) -> HttpResponse:
    _require(roles.can_see_stories(request.user))
    projects = Project.objects.annotate(entries=Count("journal", distinct=True)).order_by("title")
    return render(
        request,
        "stories/home.html",
        {
            "stories": selectors.stories_for_user(request.user)[:50],
            "projects": projects,
            "can_manage": roles.can_manage_stories(request.user),
            "this_year": timezone.localdate().year,
        },
    )


# Journal --------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
@uploads.limit_uploads(lambda: services.MAX_VIDEO_SIZE)  # videos are stored, never parsed
def journal(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    project = _get_project_for_journal(request, pk)
    can_write = roles.can_write_journal(request.user, project)
    form = JournalEntryForm(request.POST or None, request.FILES or None)
    if request.method == "POST":
        _require(can_write)
        uploads.add_refusal(request, form, "media_files")
        if form.is_valid():
            data = form.cleaned_data
            files = data["media_files"]
            try:
                services.journal_entry_create(
                    project=project,
                    author=request.user,
                    happened_on=data["happened_on"],
                    what_happened=data["what_happened"],
                    how_it_felt=data["how_it_felt"],
                    lightbulb=data["lightbulb"],
                    consent=data["consent"],
                    files=files,
                    descriptions=[data["file_description"]] * len(files),
                    request=request,
                )
            except ValidationError as exc:
                for message in exc.messages:
                    form.add_error("media_files", message)
            else:
                messages.success(request, "Your journal entry is saved.")
                return redirect("stories:journal", pk=project.pk)
    return render(
        request,
        "stories/journal.html",
        {
            "project": project,
            "entries": selectors.journal_for_project(request.user, project),
            "form": form if can_write else None,
        },
        status=400 if request.method == "POST" else 200,
    )


@login_required
def journal_file(request: AuthenticatedHttpRequest, pk: int) -> FileResponse:
    item = get_object_or_404(
        JournalFile.objects.select_related("entry", "entry__project", "entry__project__owner"),
        pk=pk,
    )
    _require(roles.can_see_journal_file(request.user, item))
    try:
        handle = item.file.open("rb")
    except FileNotFoundError as exc:
        raise Http404 from exc
    response = FileResponse(
        handle,
        content_type=item.content_type or mimetypes.guess_type(item.original_name)[0],
        filename=item.original_name,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


# Stories --------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def story_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    _require(roles.can_manage_stories(request.user))
    services.guide_ensure_default()
    form = StoryDetailsForm(request.POST or None, request.FILES or None)
    guide = None
    if request.method == "POST" and form.is_bound:
        guide_id = request.POST.get("guide")
        guide = form.fields["guide"].queryset.filter(pk=guide_id).first() if guide_id else None  # type: ignore[attr-defined]
    guide = guide or form.fields["guide"].queryset.filter(slug="default").first()  # type: ignore[attr-defined]
    questions = list(guide.questions.order_by("number")) if guide else []
    answer_fields(form, questions)
    if request.method == "POST":
        uploads.add_refusal(request, form, "transcript")
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        transcript = data.get("transcript")
        try:
            story = services.story_create(
                project=data["project"],
                guide=data["guide"],
                title=data["title"],
                storyteller_name=data["storyteller_name"],
                storyteller_role=data["storyteller_role"],
                public_name=data["public_name"],
                interviewer=request.user,
                recorded_on=data["recorded_on"],
                consent=data["consent"],
                answers={q.number: data.get(f"answer_{q.number}", "") for q in questions},
                transcript=transcript[0] if transcript else "",
                transcript_format=transcript[1] if transcript else "",
                request=request,
            )
        except TranscriptError as exc:
            form.add_error("transcript", str(exc))
        else:
            if transcript:
                found = story.answers.count()
                messages.success(
                    request,
                    f"Transcript imported: {found} of {len(questions)} questions found. "
                    "Check the split below and move any part that is in the wrong place.",
                )
                return redirect("stories:split", pk=story.pk)
            messages.success(request, "The story is saved.")
            return redirect("stories:detail", pk=story.pk)
    return render(
        request,
        "stories/story_form.html",
        {
            "form": form,
            "detail_fields": [
                form[name]
                for name in (
                    "project",
                    "guide",
                    "title",
                    "storyteller_name",
                    "storyteller_role",
                    "recorded_on",
                    "consent",
                    "public_name",
                )
            ],
            "answer_pairs": [
                (form[f"answer_{q.number}"], form[f"share_{q.number}"]) for q in questions
            ],
        },
    )


@login_required
def story_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    story = _get_story_for_user(request, pk)
    return render(
        request,
        "stories/story_detail.html",
        {
            "story": story,
            "answers": story.answers.select_related("question").order_by("question__number"),
            "can_edit": roles.can_edit_story(request.user, story),
            # Back to the stories list if it is open to them, else to the project's journal.
            "can_see_stories": roles.can_see_stories(request.user),
            "can_see_journal": roles.can_see_journal(request.user, story.project),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def story_edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    story = _get_story_for_user(request, pk, edit=True)
    questions = list(story.guide.questions.order_by("number"))
    initial = {
        name: getattr(story, name)
        for name in ("title", "storyteller_name", "storyteller_role", "consent", "public_name")
    }
    form = StoryEditForm(request.POST or None, initial=initial)
    answer_fields(form, questions, story)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        services.story_update(
            story=story,
            data=data,
            answers={q.number: data.get(f"answer_{q.number}", "") for q in questions},
            shareable={q.number: bool(data.get(f"share_{q.number}")) for q in questions},
            actor=request.user,
            request=request,
        )
        messages.success(request, "The story is saved.")
        return redirect("stories:detail", pk=story.pk)
    return render(
        request,
        "stories/story_edit.html",
        {
            "story": story,
            "form": form,
            "detail_fields": [
                form[n]
                for n in ("title", "storyteller_name", "storyteller_role", "consent", "public_name")
            ],
            "answer_pairs": [
                (form[f"answer_{q.number}"], form[f"share_{q.number}"]) for q in questions
            ],
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def story_split(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    story = _get_story_for_user(request, pk, edit=True)
    if story.source != StorySource.TRANSCRIPT:
        raise Http404("This story was typed in, not imported.")
    questions = list(story.guide.questions.order_by("number"))
    parts = services.parts_for_display(story)
    error = ""
    if request.method == "POST":
        assignments: dict[int, int | None] = {}
        for index in range(len(parts)):
            raw = request.POST.get(f"part_{index}", "")
            assignments[index] = int(raw) if raw.isdigit() else None
        try:
            services.story_correct_split(
                story=story, assignments=assignments, actor=request.user, request=request
            )
        except ValidationError as exc:
            error = " ".join(exc.messages)
        else:
            messages.success(request, "The split is saved.")
            return redirect("stories:detail", pk=story.pk)
    labels = {q.number: q for q in questions}
    return render(
        request,
        "stories/story_split.html",
        {
            "story": story,
            "questions": questions,
            "rows": [
                (index, part, labels.get(part.asks) if part.asks else None)
                for index, part in enumerate(parts)
            ],
            "error": error,
        },
        status=400 if error else 200,
    )


# Public pages (no login) ----------------------------------------------------------------


def public_index(request: HttpRequest) -> HttpResponse:
    return render(request, "stories/public_index.html", {"stories": selectors.public_stories()})


def public_story(request: HttpRequest, public_id: Any) -> HttpResponse:
    story = selectors.public_story(public_id)
    if story is None:
        raise Http404
    return render(
        request,
        "stories/public_story.html",
        {"story": story, "answers": selectors.public_answers(story)},
    )


# Learning across stories ----------------------------------------------------------------


def _learning_context() -> dict[str, Any]:
    return {
        "learning": selectors.learning(),
        "generated": timezone.localtime(),
    }


@login_required
def learning(request: AuthenticatedHttpRequest) -> HttpResponse:
    _require(roles.can_see_stories(request.user))
    return render(request, "stories/learning.html", _learning_context())


def _pdf(html: str, request: HttpRequest) -> bytes | None:
    try:
        from weasyprint import HTML  # type: ignore[import-untyped]
    except (ImportError, OSError):
        return None
    return bytes(HTML(string=html, base_url=request.build_absolute_uri("/")).write_pdf())


def _download(
    request: HttpRequest, template: str, context: dict[str, Any], name: str
) -> HttpResponse:
    fmt = request.GET.get("format", "html")
    html = render_to_string(template, context, request=request)
    if fmt == "pdf":
        pdf = _pdf(html, request)
        if pdf is None:
            raise Http404("PDF is not available: WeasyPrint is not installed.")
        response = HttpResponse(pdf, content_type="application/pdf")
        response["Content-Disposition"] = f'attachment; filename="{name}.pdf"'
        return response
    if fmt != "html":
        raise Http404
    response = HttpResponse(html, content_type="text/html; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}.html"'
    return response


@login_required
def learning_download(request: AuthenticatedHttpRequest) -> HttpResponse:
    _require(roles.can_see_stories(request.user))
    audit_record(action="stories.export", summary="What we've learned, exported", request=request)
    return _download(
        request, "stories/learning_document.html", _learning_context(), "what-we-have-learned"
    )


# Impact ---------------------------------------------------------------------------------


@login_required
def impact(request: AuthenticatedHttpRequest) -> HttpResponse:
    _require(roles.can_see_stories(request.user))
    demand = selectors.support_demand(12)
    return render(
        request,
        "stories/impact.html",
        {
            "changes": selectors.impact_log(),
            "outcomes": selectors.outcomes_summary(),
            "demand": demand,
            "demand_total": sum(row["count"] for row in demand),
            "can_manage": roles.can_manage_stories(request.user),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def impact_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    _require(roles.can_manage_stories(request.user))
    form = ImpactChangeForm(
        request.POST or None,
        initial={"changed_on": timezone.localdate()},
        stories=selectors.stories_for_user(request.user).order_by("title"),
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        services.impact_change_record(
            project=data["project"],
            kind=data["kind"],
            title=data["title"],
            before=data["before"],
            after=data["after"],
            voices=data["voices"],
            changed_on=data["changed_on"],
            decisions=list(data["decisions"]),
            stories=list(data["stories"]),
            recorded_by=request.user,
            request=request,
        )
        messages.success(request, "The change is in the impact log.")
        return redirect("stories:impact")
    return render(request, "stories/impact_form.html", {"form": form})


# The value report -----------------------------------------------------------------------


def _report_year(year: int) -> int:
    if not 2000 <= year <= timezone.localdate().year + 1:
        raise Http404
    return year


@login_required
def report_latest(request: AuthenticatedHttpRequest) -> HttpResponse:
    _require(roles.can_see_stories(request.user))
    return redirect("stories:report", year=timezone.localdate().year)


@login_required
def report(request: AuthenticatedHttpRequest, year: int) -> HttpResponse:
    _require(roles.can_see_stories(request.user))
    context = selectors.value_report(year=_report_year(year))
    context["years"] = list(range(timezone.localdate().year, timezone.localdate().year - 5, -1))
    return render(request, "stories/report.html", context)


@login_required
def report_download(request: AuthenticatedHttpRequest, year: int) -> HttpResponse:
    _require(roles.can_see_stories(request.user))
    context = selectors.value_report(year=_report_year(year))
    audit_record(action="stories.export", summary=f"Value report {year} exported", request=request)
    return _download(request, "stories/report_document.html", context, f"value-report-{year}")


# Impact on people: a participant's own check-ins ----------------------------------------


@login_required
def mine(request: AuthenticatedHttpRequest) -> HttpResponse:
    person = _person_for(request.user)
    checks, changes = selectors.person_outcomes(person)
    projects = selectors.team_projects(request.user).order_by("title")
    return render(
        request,
        "stories/mine.html",
        {
            "person": person,
            "checks": checks,
            "changes": changes,
            "projects": projects,
            "stories": selectors.stories_for_user(request.user)[:20],
            "changes_made": selectors.impact_log().filter(project__in=projects)[:20],
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def check_in(request: AuthenticatedHttpRequest) -> HttpResponse:
    person = _person_for(request.user)
    form = SelfAssessmentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        services.self_assessment_record(
            person=person,
            taken_on=timezone.localdate(),
            confidence=data["confidence"],
            skills=data["skills"],
            listened_to=data["listened_to"],
            skills_gained=data["skills_gained"],
            opportunities=data["opportunities"],
            recorded_by=request.user,
            request=request,
        )
        messages.success(request, "Thank you. Your check-in is saved.")
        return redirect("stories:mine")
    return render(request, "stories/check_in.html", {"form": form})
