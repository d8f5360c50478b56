from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST
from django_htmx.http import HttpResponseClientRefresh

from coproduce.accounts import roles
from coproduce.core import uploads
from coproduce.core.models import UploadJob
from coproduce.core.text import clean_query
from coproduce.evaluation import parsing, report, selectors, services
from coproduce.evaluation.forms import (
    CheckForm,
    CodingForm,
    ImportForm,
    JudgementForm,
    NoteForm,
    PlanForm,
    SectionForm,
    TsmForm,
)
from coproduce.evaluation.models import (
    Action,
    ActionStatus,
    EvidenceItem,
    EvidenceKind,
    HealthCheck,
    Recommendation,
    ReportSection,
    RunStatus,
    Theme,
    ThemeStatus,
)
from coproduce.people.models import Person


def _get_check(request: HttpRequest, pk: int) -> HealthCheck:
    check = get_object_or_404(HealthCheck.objects.select_related("promise_set__project"), pk=pk)
    if not selectors.can_see_check(request.user, check):
        raise PermissionDenied
    return check


def _evaluator(request: HttpRequest, check: HealthCheck) -> Person:
    """The signed-in evaluator. Staff never pass: evaluators own the evaluation."""
    person = selectors.evaluator_person(request.user, check)
    if person is None:
        raise PermissionDenied
    return person


def _can_add_evidence(request: HttpRequest, check: HealthCheck) -> bool:
    return (
        roles.can_run_sessions(request.user)
        or selectors.evaluator_person(request.user, check) is not None
    )


@login_required
def check_list(request: HttpRequest) -> HttpResponse:
    if not (
        roles.can_see_all_projects(request.user)
        or roles.is_tenant(request.user)
        or roles.can_read_equality_records(request.user)
    ):
        raise PermissionDenied
    form = CheckForm(request.POST or None) if roles.can_manage_projects(request.user) else None
    if request.method == "POST":
        if form is None:
            raise PermissionDenied
        if form.is_valid():
            data = form.cleaned_data
            try:
                check = services.check_create(
                    promise_set=data["promise_set"],
                    year=data["year"],
                    title=data["title"],
                    scale=data["scale"],
                    board_date=data["board_date"],
                    actor=request.user,
                    request=request,
                )
            except ValidationError as exc:
                form.add_error("year", exc.messages[0])
            else:
                return redirect("evaluation:check", pk=check.pk)
    return render(
        request,
        "evaluation/check_list.html",
        {"checks": selectors.checks_for_user(request.user), "form": form},
    )


@login_required
def check_detail(request: HttpRequest, pk: int) -> HttpResponse:
    check = _get_check(request, pk)
    me = selectors.evaluator_person(request.user, check)
    can_plan = me is not None or roles.can_manage_projects(request.user)
    form = PlanForm(
        request.POST or None,
        initial={
            f: getattr(check, f)
            for f in ("stage", "plan_people", "plan_data", "starts_on", "ends_on", "board_date")
        },
    )
    if request.method == "POST" and request.POST.get("action") == "plan":
        if not can_plan:
            raise PermissionDenied
        if form.is_valid():
            services.check_update(
                check=check, data=form.cleaned_data, actor=request.user, request=request
            )
            messages.success(request, "The plan has been saved.")
            return redirect("evaluation:check", pk=check.pk)
    if request.method == "POST" and request.POST.get("action") == "evaluator":
        if not roles.can_manage_projects(request.user):
            raise PermissionDenied
        person = Person.objects.filter(pk=request.POST.get("person") or 0).first()
        if person is None:
            messages.error(request, "Choose a person.")
        else:
            services.evaluator_add(check=check, person=person, actor=request.user, request=request)
            messages.success(request, f"{person.full_name} is now an evaluator.")
        return redirect("evaluation:check", pk=check.pk)
    candidates = []
    if roles.can_manage_projects(request.user):
        candidates = list(
            Person.objects.filter(memberships__project=check.promise_set.project)
            .exclude(evaluations__health_check=check)
            .order_by("last_name")[:200]
        )
    return render(
        request,
        "evaluation/check.html",
        {
            "check": check,
            "me": me,
            "form": form,
            "can_plan": can_plan,
            "evaluators": check.evaluators.select_related("person"),
            "by_source": selectors.evidence_by_source(check),
            "candidates": candidates,
            "tsm": check.tsm_figures.all(),
            "kinds": dict(EvidenceKind.choices),
        },
    )


@login_required
@uploads.limit_uploads()
def evidence(request: HttpRequest, pk: int) -> HttpResponse:
    check = _get_check(request, pk)
    can_add = _can_add_evidence(request, check)
    me = selectors.evaluator_person(request.user, check)
    refused = uploads.refusal(request)
    action = request.POST.get("action")
    if refused and not action:
        action = "tsm" if refused.field_name.startswith("tsm-") else "import"
    note_form = NoteForm(
        request.POST if action == "note" else None,
        prefix="note",
        initial={"gathered_on": timezone.localdate()},
    )
    import_form = ImportForm(
        request.POST if action == "import" else None,
        request.FILES if action == "import" else None,
        prefix="import",
        initial={"gathered_on": timezone.localdate()},
    )
    tsm_form = TsmForm(
        request.POST if action == "tsm" else None,
        request.FILES if action == "tsm" else None,
        prefix="tsm",
    )
    if request.method == "POST":
        if not can_add:
            raise PermissionDenied
        if uploads.add_refusal(request, tsm_form if action == "tsm" else import_form, "file"):
            action = "refused"
        try:
            if action == "note" and note_form.is_valid():
                d = note_form.cleaned_data
                services.evidence_add(
                    check=check,
                    kind=d["kind"],
                    source=d["source"],
                    text=d["text"],
                    gathered_on=d["gathered_on"],
                    person=me,
                    actor=request.user,
                    request=request,
                )
                messages.success(request, "The evidence has been added.")
                return redirect("evaluation:evidence", pk=check.pk)
            if action == "import" and import_form.is_valid():
                d = import_form.cleaned_data
                job = services.evidence_job_start(
                    check=check,
                    upload=d["file"],
                    kind=d["kind"],
                    title=d["title"],
                    gathered_on=d["gathered_on"],
                    person=me,
                    actor=request.user,
                )
                return redirect("evaluation:evidence_job", pk=check.pk, token=job.token)
            if action == "tsm" and tsm_form.is_valid():
                job = services.evidence_job_start(
                    check=check, upload=tsm_form.cleaned_data["file"], actor=request.user
                )
                return redirect("evaluation:evidence_job", pk=check.pk, token=job.token)
        except parsing.EvidenceError as exc:
            target = import_form if action == "import" else tsm_form
            target.add_error("file", f"Nothing was imported. {exc}")
        except ValidationError as exc:
            target = {"note": note_form, "import": import_form}.get(action or "", tsm_form)
            target.add_error(None, exc)
    kind = request.GET.get("kind", "")
    q = clean_query(request.GET.get("q"))
    page = Paginator(
        selectors.items_page(check, kind=kind if kind in EvidenceKind.values else "", q=q), 50
    ).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "evaluation/evidence.html",
        {
            "check": check,
            "page": page,
            "query": query.urlencode(),
            "can_add": can_add,
            "note_form": note_form,
            "import_form": import_form,
            "tsm_form": tsm_form,
            "kinds": EvidenceKind.choices,
            "kind": kind,
            "q": q,
            "me": me,
        },
    )


@login_required
def evidence_job(request: HttpRequest, pk: int, token: str) -> HttpResponse:
    """The progress, then the outcome, of an evidence file being read in the background."""
    check = _get_check(request, pk)
    if not _can_add_evidence(request, check):
        raise PermissionDenied
    job = get_object_or_404(
        UploadJob,
        token=token,
        created_by=request.user,
        kind__in=[services.EVIDENCE_JOB, services.TSM_JOB],
        params__check=check.pk,
    )
    if request.GET.get("part") == "progress" and getattr(request, "htmx", False):
        if not job.working:
            return HttpResponseClientRefresh()
        return render(request, "core/_job_progress.html", {"job": job})
    return render(request, "evaluation/evidence_job.html", {"check": check, "job": job})


@login_required
def item_detail(request: HttpRequest, pk: int, item_pk: int) -> HttpResponse:
    check = _get_check(request, pk)
    item = get_object_or_404(EvidenceItem, pk=item_pk, health_check=check)
    me = selectors.evaluator_person(request.user, check)
    themes = list(check.themes.exclude(status__in=[ThemeStatus.DISCARDED, ThemeStatus.MERGED]))
    promises = list(check.promise_set.promises.filter(dropped=False))
    form = CodingForm(request.POST or None, themes=themes, promises=promises)
    if request.method == "POST":
        if me is None:
            raise PermissionDenied
        if form.is_valid():
            d = form.cleaned_data
            try:
                services.coding_add(
                    item=item,
                    coder=me,
                    actor=request.user,
                    theme=next((t for t in themes if t.pk == d["theme"]), None),
                    promise=next((p for p in promises if p.pk == d["promise"]), None),
                    passage=d["passage"],
                    new_theme_label=d["new_theme"],
                    request=request,
                )
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(
                    request,
                    "Your coding is saved. The computer will learn from it for the other items.",
                )
                return redirect("evaluation:item", pk=check.pk, item_pk=item.pk)
    original = None
    if roles.can_read_equality_records(request.user) and item.masked:
        original = getattr(item, "original", None)
        services.evidence_original_view(item=item, actor=request.user, request=request)
    return render(
        request,
        "evaluation/item.html",
        {
            "check": check,
            "item": item,
            "form": form,
            "me": me,
            "original": original,
            "codings": item.codings.select_related("theme", "promise", "coder", "run"),
        },
    )


@login_required
def themes(request: HttpRequest, pk: int) -> HttpResponse:
    check = _get_check(request, pk)
    me = selectors.evaluator_person(request.user, check)
    can_run = me is not None or roles.can_manage_projects(request.user)
    if request.method == "POST":
        if not can_run:
            raise PermissionDenied
        try:
            services.theme_run_start(check=check, actor=request.user, request=request)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, "Theming has started. This page shows its progress.")
        return redirect("evaluation:themes", pk=check.pk)
    run = check.theme_runs.first()
    context = {
        "check": check,
        "run": run,
        "me": me,
        "can_run": can_run,
        "running": run is not None and run.status in (RunStatus.QUEUED, RunStatus.RUNNING),
    }
    if getattr(request, "htmx", False) and request.GET.get("part") == "progress":
        return render(request, "evaluation/_progress.html", context)
    all_themes = selectors.themes_with_counts(check)
    context.update(
        {
            "themes": [
                (t, selectors.theme_quotes(t, 3))
                for t in all_themes
                if t.status != ThemeStatus.DISCARDED
            ],
            "discarded": [t for t in all_themes if t.status == ThemeStatus.DISCARDED],
            "targets": [t for t in all_themes if t.status != ThemeStatus.DISCARDED],
            "agreement": selectors.agreement(check),
            "runs": check.theme_runs.all()[:10],
        }
    )
    return render(request, "evaluation/themes.html", context)


@require_POST
@login_required
def theme_action(request: HttpRequest, pk: int, theme_pk: int) -> HttpResponse:
    check = _get_check(request, pk)
    me = _evaluator(request, check)
    theme = get_object_or_404(Theme, pk=theme_pk, health_check=check)
    into = Theme.objects.filter(pk=request.POST.get("into") or 0, health_check=check).first()
    item_ids = [int(i) for i in request.POST.getlist("items") if i.isdigit()]
    try:
        services.theme_decide(
            theme=theme,
            action=request.POST.get("action", ""),
            person=me,
            actor=request.user,
            label=request.POST.get("label", ""),
            into=into,
            item_ids=item_ids,
            request=request,
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("evaluation:theme", pk=check.pk, theme_pk=theme.pk)
    messages.success(request, "The themes have been updated.")
    return redirect("evaluation:themes", pk=check.pk)


@login_required
def theme_detail(request: HttpRequest, pk: int, theme_pk: int) -> HttpResponse:
    check = _get_check(request, pk)
    theme = get_object_or_404(Theme, pk=theme_pk, health_check=check)
    page = Paginator(selectors.items_page(check, theme=theme), 100).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "evaluation/theme.html",
        {
            "check": check,
            "theme": theme,
            "page": page,
            "query": "",
            "me": selectors.evaluator_person(request.user, check),
            "targets": check.themes.exclude(pk=theme.pk).exclude(
                status__in=[ThemeStatus.DISCARDED, ThemeStatus.MERGED]
            ),
        },
    )


@login_required
def judgements(request: HttpRequest, pk: int) -> HttpResponse:
    check = _get_check(request, pk)
    me = selectors.evaluator_person(request.user, check)
    promises = list(check.promise_set.promises.filter(dropped=False))
    existing = selectors.judgements(check)
    accepted = list(check.themes.filter(status=ThemeStatus.ACCEPTED))
    forms_by_promise = []
    for promise in promises:
        quotes = list(
            EvidenceItem.objects.filter(codings__promise=promise, health_check=check).distinct()[:8]
        )
        j = existing.get(promise.pk)
        prefix = f"p{promise.pk}"
        bound = request.POST if request.POST.get("promise") == str(promise.pk) else None
        initial = (
            {
                "rating": j.rating,
                "narrative": j.narrative,
                "strengths": j.strengths,
                "improve": j.improve,
                "version": j.version,
                "themes": [t.pk for t in j.themes.all()],
                "quotes": [q.pk for q in j.quotes.all()],
            }
            if j
            else {}
        )
        form = JudgementForm(
            bound, prefix=prefix, initial=initial, scale=check.scale, themes=accepted, quotes=quotes
        )
        if bound is not None:
            if me is None:
                raise PermissionDenied
            if form.is_valid():
                d = dict(form.cleaned_data)
                d["themes"] = [t for t in accepted if t.pk in d["themes"]]
                d["quotes"] = [q for q in quotes if q.pk in d["quotes"]]
                try:
                    services.judgement_save(
                        check=check,
                        promise=promise,
                        data=d,
                        person=me,
                        expected_version=d.get("version"),
                        actor=request.user,
                        request=request,
                    )
                except services.StaleEdit:
                    form.add_error(
                        None,
                        "Another evaluator saved a judgement for this promise "
                        "while you were writing. Yours is below, not saved: "
                        "read theirs above, then save again.",
                    )
                    existing = selectors.judgements(check)
                    j = existing.get(promise.pk)
                    form.data = form.data.copy()
                    form.data[f"{prefix}-version"] = str(j.version if j else 0)
                except ValidationError as exc:
                    for field, errs in getattr(exc, "error_dict", {"__all__": exc}).items():
                        form.add_error(field if field in form.fields else None, errs)
                else:
                    messages.success(request, f"Your judgement on “{promise.title}” is saved.")
                    return redirect(f"{request.path}#promise-{promise.pk}")
        forms_by_promise.append(
            {
                "promise": promise,
                "judgement": j,
                "form": form,
                "label": selectors.rating_label(check, j.rating) if j else "",
            }
        )
    return render(
        request, "evaluation/judgements.html", {"check": check, "rows": forms_by_promise, "me": me}
    )


@login_required
def report_view(request: HttpRequest, pk: int) -> HttpResponse:
    check = _get_check(request, pk)
    context = report.report_context(check)
    context["me"] = selectors.evaluator_person(request.user, check)
    return render(request, "evaluation/report_page.html", context)


@login_required
def report_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    check = _get_check(request, pk)
    pdf = report.render_pdf(check, base_url=request.build_absolute_uri("/"))
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="health-check-{check.year}.pdf"'
    return response


@login_required
def section_edit(request: HttpRequest, pk: int, section_pk: int) -> HttpResponse:
    check = _get_check(request, pk)
    me = _evaluator(request, check)
    section = get_object_or_404(ReportSection, pk=section_pk, health_check=check)
    form = SectionForm(
        request.POST or None,
        initial={"title": section.title, "body": section.body, "version": section.version},
    )
    conflict = None
    if request.method == "POST" and form.is_valid():
        try:
            services.section_save(
                section=section,
                title=form.cleaned_data["title"],
                body=form.cleaned_data["body"],
                expected_version=form.cleaned_data["version"],
                person=me,
                actor=request.user,
                request=request,
            )
        except services.StaleEdit as stale:
            conflict = stale.current
            data = request.POST.copy()
            data["version"] = str(stale.current.version)
            form = SectionForm(data)
        else:
            messages.success(request, "The section is saved.")
            return redirect("evaluation:report", pk=check.pk)
    return render(
        request,
        "evaluation/section_edit.html",
        {
            "check": check,
            "section": section,
            "form": form,
            "conflict": conflict,
            "versions": section.versions.select_related("by")[:10],
        },
    )


@login_required
def follow_up(request: HttpRequest, pk: int) -> HttpResponse:
    check = _get_check(request, pk)
    me = selectors.evaluator_person(request.user, check)
    user = request.user
    action = request.POST.get("action")
    if request.method == "POST":
        try:
            if action == "recommend":
                if me is None:
                    raise PermissionDenied
                promise = check.promise_set.promises.filter(
                    pk=request.POST.get("promise") or 0
                ).first()
                services.recommendation_add(
                    check=check,
                    text=request.POST.get("text", ""),
                    promise=promise,
                    actor=user,
                    request=request,
                )
            elif action == "respond":
                if not (roles.can_manage_projects(user) or getattr(user, "role", "") == "board"):
                    raise PermissionDenied
                rec = get_object_or_404(
                    Recommendation, pk=request.POST.get("recommendation"), health_check=check
                )
                services.board_response_record(
                    recommendation=rec,
                    response=request.POST.get("response", ""),
                    agreed=request.POST.get("agreed", ""),
                    actor=user,
                    request=request,
                )
            elif action == "add_action":
                if not roles.can_manage_projects(user):
                    raise PermissionDenied
                rec = get_object_or_404(
                    Recommendation, pk=request.POST.get("recommendation"), health_check=check
                )
                due = request.POST.get("due_on") or None
                import datetime as dt

                try:
                    due_on = dt.date.fromisoformat(due) if due else None
                except ValueError as exc:
                    raise ValidationError("Enter the due date as a date.") from exc
                services.action_add(
                    recommendation=rec,
                    description=request.POST.get("description", ""),
                    owner=request.POST.get("owner", ""),
                    due_on=due_on,
                    actor=user,
                    request=request,
                )
            elif action == "progress":
                if not roles.can_manage_projects(user):
                    raise PermissionDenied
                act = get_object_or_404(
                    Action, pk=request.POST.get("action_id"), recommendation__health_check=check
                )
                status = request.POST.get("status", "")
                if status not in ActionStatus.values:
                    raise ValidationError("Choose a status.")
                services.action_progress(
                    action=act,
                    text=request.POST.get("text", ""),
                    status=status,
                    actor=user,
                    request=request,
                )
            else:
                raise Http404
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, "Saved.")
        return redirect("evaluation:follow_up", pk=check.pk)
    return render(
        request,
        "evaluation/follow_up.html",
        {
            "check": check,
            "me": me,
            "recommendations": check.recommendations.select_related("promise").prefetch_related(
                "actions__updates"
            ),
            "promises": check.promise_set.promises.filter(dropped=False),
            "can_respond": roles.can_manage_projects(user) or getattr(user, "role", "") == "board",
            "can_act": roles.can_manage_projects(user),
            "statuses": ActionStatus.choices,
            "trend": selectors.trend(check),
        },
    )
