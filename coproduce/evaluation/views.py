from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST
from django_htmx.http import HttpResponseClientRefresh

from coproduce.accounts import roles
from coproduce.accounts.types import AuthenticatedHttpRequest
from coproduce.core import uploads
from coproduce.core.forms import show_refusal, submit
from coproduce.core.models import UploadJob
from coproduce.core.per_request import once_per_request
from coproduce.evaluation import parsing, report, selectors, services
from coproduce.evaluation.forms import (
    ActionForm,
    BoardResponseForm,
    CheckForm,
    CodingForm,
    EvaluatorForm,
    EvidenceFilterForm,
    ImportForm,
    JudgementForm,
    MergeThemeForm,
    NoteForm,
    PlanForm,
    ProgressForm,
    RecommendationForm,
    RenameThemeForm,
    SectionForm,
    SplitThemeForm,
    TsmForm,
)
from coproduce.evaluation.models import (
    Action,
    Coding,
    EvidenceItem,
    EvidenceKind,
    HealthCheck,
    Judgement,
    Recommendation,
    ReportSection,
    RunStatus,
    Theme,
    ThemeStatus,
)
from coproduce.people.models import Person
from coproduce.promises.models import Promise
from coproduce.tsm import links as tsm_links
from coproduce.tsm import selectors as tsm_selectors


def _get_check(request: AuthenticatedHttpRequest, pk: int) -> HealthCheck:
    check = get_object_or_404(HealthCheck.objects.select_related("promise_set__project"), pk=pk)
    if not roles.can_see_check(request.user, check):
        raise PermissionDenied
    return check


def _me(request: AuthenticatedHttpRequest, check: HealthCheck) -> Person | None:
    """The signed-in evaluator of this check, if any: asked once per request, though the page
    and its permission checks all need it."""
    return once_per_request(
        request,
        ("evaluator", check.pk),
        lambda: selectors.evaluator_person(request.user, check),
    )


def _evaluator(request: AuthenticatedHttpRequest, check: HealthCheck) -> Person:
    """The signed-in evaluator. Staff never pass: evaluators own the evaluation."""
    person = _me(request, check)
    if person is None:
        raise PermissionDenied
    return person


def _can_add_evidence(request: AuthenticatedHttpRequest, check: HealthCheck) -> bool:
    return roles.can_run_sessions(request.user) or _me(request, check) is not None


def _can_plan(request: AuthenticatedHttpRequest, check: HealthCheck) -> bool:
    return _me(request, check) is not None or roles.can_manage_projects(request.user)


@login_required
def check_list(request: AuthenticatedHttpRequest) -> HttpResponse:
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


# The plan and the evaluators ------------------------------------------------------------------


def _check_page(
    request: AuthenticatedHttpRequest,
    check: HealthCheck,
    *,
    plan_form: PlanForm | None = None,
    evaluator_form: EvaluatorForm | None = None,
) -> HttpResponse:
    """The check's front page; a form that failed is shown again with its errors."""
    if evaluator_form is None and roles.can_manage_projects(request.user):
        candidates = selectors.evaluator_candidates(check)
        if candidates.exists():
            evaluator_form = EvaluatorForm(candidates=candidates)
    if plan_form is None:
        plan_form = PlanForm(initial={f: getattr(check, f) for f in PlanForm.base_fields})
    return render(
        request,
        "evaluation/check.html",
        {
            "check": check,
            "me": _me(request, check),
            "form": plan_form,
            "evaluator_form": evaluator_form,
            "can_plan": _can_plan(request, check),
            "evaluators": check.evaluators.select_related("person"),
            "by_source": selectors.evidence_by_source(check),
            "tsm": check.tsm_figures.all(),
            "kinds": dict(EvidenceKind.choices),
        },
    )


@login_required
def check_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    return _check_page(request, _get_check(request, pk))


@require_POST
@login_required
def plan_save(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    check = _get_check(request, pk)
    if not _can_plan(request, check):
        raise PermissionDenied
    form = PlanForm(request.POST)
    if form.is_valid():
        services.check_update(
            check=check, data=form.cleaned_data, actor=request.user, request=request
        )
        messages.success(request, "The plan has been saved.")
        return redirect("evaluation:check", pk=check.pk)
    return _check_page(request, check, plan_form=form)


@require_POST
@login_required
def evaluator_add(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    check = _get_check(request, pk)
    if not roles.can_manage_projects(request.user):
        raise PermissionDenied
    form = EvaluatorForm(request.POST, candidates=selectors.evaluator_candidates(check))
    if form.is_valid():
        person = form.cleaned_data["person"]
        services.evaluator_add(check=check, person=person, actor=request.user, request=request)
        messages.success(request, f"{person.full_name} is now an evaluator.")
        return redirect("evaluation:check", pk=check.pk)
    return _check_page(request, check, evaluator_form=form)


# Evidence -------------------------------------------------------------------------------------


def _evidence_page(
    request: AuthenticatedHttpRequest,
    check: HealthCheck,
    *,
    note_form: NoteForm | None = None,
    import_form: ImportForm | None = None,
    tsm_form: TsmForm | None = None,
) -> HttpResponse:
    """The evidence list and the three ways to add evidence; a failed form keeps its errors."""
    today = {"gathered_on": timezone.localdate()}
    search = EvidenceFilterForm(request.GET)
    search.is_valid()
    kind = search.cleaned_data.get("kind", "")
    q = search.cleaned_data.get("q", "")
    page = Paginator(selectors.items_page(check, kind=kind, q=q), 50).get_page(
        request.GET.get("page")
    )
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "evaluation/evidence.html",
        {
            "check": check,
            "page": page,
            "query": query.urlencode(),
            "can_add": _can_add_evidence(request, check),
            "note_form": note_form or NoteForm(prefix="note", initial=today),
            "import_form": import_form or ImportForm(prefix="import", initial=today),
            "tsm_form": tsm_form or TsmForm(prefix="tsm"),
            "search": search,
            "me": _me(request, check),
        },
    )


def _get_check_to_add_evidence(request: AuthenticatedHttpRequest, pk: int) -> HealthCheck:
    check = _get_check(request, pk)
    if not _can_add_evidence(request, check):
        raise PermissionDenied
    return check


@login_required
def evidence(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    return _evidence_page(request, _get_check(request, pk))


@require_POST
@login_required
def evidence_note(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    check = _get_check_to_add_evidence(request, pk)
    form = NoteForm(request.POST, prefix="note")
    if submit(
        form,
        lambda data: services.evidence_add(
            check=check,
            kind=data["kind"],
            source=data["source"],
            text=data["text"],
            gathered_on=data["gathered_on"],
            person=_me(request, check),
            actor=request.user,
            request=request,
        ),
    ):
        messages.success(request, "The evidence has been added.")
        return redirect("evaluation:evidence", pk=check.pk)
    return _evidence_page(request, check, note_form=form)


@require_POST
@login_required
@uploads.limit_uploads()
def evidence_import(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    check = _get_check_to_add_evidence(request, pk)
    form = ImportForm(request.POST, request.FILES, prefix="import")
    if not uploads.add_refusal(request, form, "file") and form.is_valid():
        data = form.cleaned_data
        try:
            job = services.evidence_job_start(
                check=check,
                upload=data["file"],
                kind=data["kind"],
                title=data["title"],
                gathered_on=data["gathered_on"],
                person=_me(request, check),
                actor=request.user,
            )
        except parsing.EvidenceError as exc:
            form.add_error("file", f"Nothing was imported. {exc}")
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            return redirect("evaluation:evidence_job", pk=check.pk, token=job.token)
    return _evidence_page(request, check, import_form=form)


@require_POST
@login_required
@uploads.limit_uploads()
def evidence_tsm(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    check = _get_check_to_add_evidence(request, pk)
    form = TsmForm(request.POST, request.FILES, prefix="tsm")
    if not uploads.add_refusal(request, form, "file") and form.is_valid():
        try:
            job = services.evidence_job_start(
                check=check, upload=form.cleaned_data["file"], actor=request.user
            )
        except parsing.EvidenceError as exc:
            form.add_error("file", f"Nothing was imported. {exc}")
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            return redirect("evaluation:evidence_job", pk=check.pk, token=job.token)
    return _evidence_page(request, check, tsm_form=form)


@login_required
def evidence_job(request: AuthenticatedHttpRequest, pk: int, token: str) -> HttpResponse:
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
def item_detail(request: AuthenticatedHttpRequest, pk: int, item_pk: int) -> HttpResponse:
    check = _get_check(request, pk)
    item = get_object_or_404(EvidenceItem, pk=item_pk, health_check=check)
    me = _me(request, check)
    themes = list(check.themes.exclude(status__in=[ThemeStatus.DISCARDED, ThemeStatus.MERGED]))
    promises = list(check.promise_set.promises.filter(dropped=False))
    form = CodingForm(request.POST or None, themes=themes, promises=promises)
    if request.method == "POST":
        if me is None:
            raise PermissionDenied
        if submit(
            form,
            lambda d: services.coding_add(
                item=item,
                coder=me,
                actor=request.user,
                theme=next((t for t in themes if t.pk == d["theme"]), None),
                promise=next((p for p in promises if p.pk == d["promise"]), None),
                passage=d["passage"],
                new_theme_label=d["new_theme"],
                request=request,
            ),
        ):
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
def themes(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    check = _get_check(request, pk)
    if request.method == "POST":  # the one thing this page's own form does: start theming
        if not _can_plan(request, check):
            raise PermissionDenied
        try:
            services.theme_run_start(check=check, actor=request.user, request=request)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, "Theming has started. This page shows its progress.")
        return redirect("evaluation:themes", pk=check.pk)
    if getattr(request, "htmx", False) and request.GET.get("part") == "progress":
        return render(request, "evaluation/_progress.html", _themes_context(request, check))
    return _themes_page(request, check)


def _themes_context(request: AuthenticatedHttpRequest, check: HealthCheck) -> dict[str, Any]:
    run = check.theme_runs.first()
    return {
        "check": check,
        "run": run,
        "me": _me(request, check),
        "can_run": _can_plan(request, check),
        "running": run is not None and run.status in (RunStatus.QUEUED, RunStatus.RUNNING),
    }


def _themes_page(
    request: AuthenticatedHttpRequest, check: HealthCheck, *, failed: forms.Form | None = None
) -> HttpResponse:
    """The themes with a rename and a merge form each; `failed` replaces the one that failed."""
    context = _themes_context(request, check)
    all_themes = selectors.themes_with_counts(check)
    targets = [t for t in all_themes if t.status != ThemeStatus.DISCARDED]
    rows = []
    for theme in targets:
        rename: forms.Form = RenameThemeForm(theme=theme)
        merge: forms.Form | None = (
            MergeThemeForm(theme=theme, targets=targets) if len(targets) > 1 else None
        )
        if failed is not None and failed.prefix == rename.prefix:
            rename = failed
        if failed is not None and merge is not None and failed.prefix == merge.prefix:
            merge = failed
        rows.append(
            {
                "theme": theme,
                "quotes": selectors.theme_quotes(theme, 3),
                "rename": rename,
                "merge": merge,
            }
        )
    context.update(
        {
            "themes": rows,
            "failed": failed,
            "discarded": [t for t in all_themes if t.status == ThemeStatus.DISCARDED],
            "agreement": selectors.agreement(check),
            "runs": check.theme_runs.all()[:10],
        }
    )
    return render(request, "evaluation/themes.html", context)


def _get_theme_for_evaluator(
    request: AuthenticatedHttpRequest, pk: int, theme_pk: int
) -> tuple[HealthCheck, Theme, Person]:
    check = _get_check(request, pk)
    me = _evaluator(request, check)
    return check, get_object_or_404(Theme, pk=theme_pk, health_check=check), me


def _theme_decided(request: AuthenticatedHttpRequest, check: HealthCheck) -> HttpResponse:
    messages.success(request, "The themes have been updated.")
    return redirect("evaluation:themes", pk=check.pk)


@require_POST
@login_required
def theme_accept(request: AuthenticatedHttpRequest, pk: int, theme_pk: int) -> HttpResponse:
    check, theme, me = _get_theme_for_evaluator(request, pk, theme_pk)
    services.theme_decide(
        theme=theme, action="accept", person=me, actor=request.user, request=request
    )
    return _theme_decided(request, check)


@require_POST
@login_required
def theme_discard(request: AuthenticatedHttpRequest, pk: int, theme_pk: int) -> HttpResponse:
    check, theme, me = _get_theme_for_evaluator(request, pk, theme_pk)
    services.theme_decide(
        theme=theme, action="discard", person=me, actor=request.user, request=request
    )
    return _theme_decided(request, check)


@require_POST
@login_required
def theme_rename(request: AuthenticatedHttpRequest, pk: int, theme_pk: int) -> HttpResponse:
    check, theme, me = _get_theme_for_evaluator(request, pk, theme_pk)
    form = RenameThemeForm(request.POST, theme=theme)
    if submit(
        form,
        lambda data: services.theme_decide(
            theme=theme,
            action="rename",
            label=data["label"],
            person=me,
            actor=request.user,
            request=request,
        ),
        field="label",
    ):
        return _theme_decided(request, check)
    return _themes_page(request, check, failed=form)


@require_POST
@login_required
def theme_merge(request: AuthenticatedHttpRequest, pk: int, theme_pk: int) -> HttpResponse:
    check, theme, me = _get_theme_for_evaluator(request, pk, theme_pk)
    targets = [t for t in selectors.themes_with_counts(check) if t.status != ThemeStatus.DISCARDED]
    form = MergeThemeForm(request.POST, theme=theme, targets=targets)
    if submit(
        form,
        lambda data: services.theme_decide(
            theme=theme,
            action="merge",
            into=data["into"],
            person=me,
            actor=request.user,
            request=request,
        ),
        field="into",
    ):
        return _theme_decided(request, check)
    return _themes_page(request, check, failed=form)


def _theme_page(
    request: AuthenticatedHttpRequest,
    check: HealthCheck,
    theme: Theme,
    *,
    split: SplitThemeForm | None = None,
) -> HttpResponse:
    page = Paginator(selectors.items_page(check, theme=theme), 100).get_page(
        request.GET.get("page")
    )
    me = _me(request, check)
    if me is not None:
        # The checkboxes offer the items on this page (a failed form keeps what was ticked).
        on_page = EvidenceItem.objects.filter(pk__in=[i.pk for i in page.object_list])
        split = split or SplitThemeForm(items=on_page)
        field = split.fields["items"]
        assert isinstance(field, forms.ModelMultipleChoiceField)
        field.queryset = on_page.order_by("id")
    return render(
        request,
        "evaluation/theme.html",
        {"check": check, "theme": theme, "page": page, "query": "", "me": me, "split": split},
    )


@login_required
def theme_detail(request: AuthenticatedHttpRequest, pk: int, theme_pk: int) -> HttpResponse:
    check = _get_check(request, pk)
    return _theme_page(request, check, get_object_or_404(Theme, pk=theme_pk, health_check=check))


@require_POST
@login_required
def theme_split(request: AuthenticatedHttpRequest, pk: int, theme_pk: int) -> HttpResponse:
    check, theme, me = _get_theme_for_evaluator(request, pk, theme_pk)
    form = SplitThemeForm(request.POST, items=selectors.items_page(check, theme=theme))
    if submit(
        form,
        lambda data: services.theme_decide(
            theme=theme,
            action="split",
            label=data["label"],
            item_ids=[item.pk for item in data["items"]],
            person=me,
            actor=request.user,
            request=request,
        ),
    ):
        return _theme_decided(request, check)
    return _theme_page(request, check, theme, split=form)


# Judgements -----------------------------------------------------------------------------------


def _judgement_form(
    check: HealthCheck,
    promise: Promise,
    judgement: Judgement | None,
    accepted: list[Theme],
    data: QueryDict | None = None,
) -> JudgementForm:
    quotes = list(
        EvidenceItem.objects.filter(codings__promise=promise, health_check=check).distinct()[:8]
    )
    initial: dict[str, Any] = {}
    if judgement is not None:
        initial = {
            "rating": judgement.rating,
            "narrative": judgement.narrative,
            "strengths": judgement.strengths,
            "improve": judgement.improve,
            "version": judgement.version,
            "themes": [t.pk for t in judgement.themes.all()],
            "quotes": [q.pk for q in judgement.quotes.all()],
        }
    return JudgementForm(
        data,
        prefix=f"p{promise.pk}",
        initial=initial,
        scale=check.scale,
        themes=accepted,
        quotes=quotes,
    )


def _judgements_page(
    request: AuthenticatedHttpRequest, check: HealthCheck, *, failed: JudgementForm | None = None
) -> HttpResponse:
    existing = selectors.judgements(check)
    accepted = list(check.themes.filter(status=ThemeStatus.ACCEPTED))
    tsm_year, tsm = tsm_selectors.latest_published_summaries()
    rows = []
    for promise in check.promise_set.promises.filter(dropped=False):
        j = existing.get(promise.pk)
        form = _judgement_form(check, promise, j, accepted)
        if failed is not None and failed.prefix == form.prefix:
            form = failed
        rows.append(
            {
                "promise": promise,
                "judgement": j,
                "form": form,
                "label": selectors.rating_label(check, j.rating) if j else "",
                "tsm": [
                    tsm[code]
                    for code in tsm_links.measures_for(
                        promise.title, promise.wording, promise.in_practice
                    )
                    if code in tsm
                ],
            }
        )
    return render(
        request,
        "evaluation/judgements.html",
        {
            "check": check,
            "rows": rows,
            "me": _me(request, check),
            "tsm_year": tsm_year,
        },
    )


@login_required
def judgements(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    return _judgements_page(request, _get_check(request, pk))


@require_POST
@login_required
def judgement_save(request: AuthenticatedHttpRequest, pk: int, promise_pk: int) -> HttpResponse:
    check = _get_check(request, pk)
    me = _evaluator(request, check)
    promise = get_object_or_404(check.promise_set.promises, pk=promise_pk, dropped=False)
    accepted = list(check.themes.filter(status=ThemeStatus.ACCEPTED))
    form = _judgement_form(
        check, promise, selectors.judgements(check).get(promise.pk), accepted, request.POST
    )
    if form.is_valid():
        data = dict(form.cleaned_data)
        data["themes"] = [t for t in accepted if t.pk in data["themes"]]
        data["quotes"] = list(EvidenceItem.objects.filter(pk__in=data["quotes"]))
        try:
            services.judgement_save(
                check=check,
                promise=promise,
                data=data,
                person=me,
                expected_version=data.get("version"),
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
            saved = selectors.judgements(check).get(promise.pk)
            posted = request.POST.copy()
            posted[f"{form.prefix}-version"] = str(saved.version if saved else 0)
            form.data = posted
        except ValidationError as exc:
            show_refusal(form, exc)
        else:
            messages.success(request, f"Your judgement on “{promise.title}” is saved.")
            return redirect(
                reverse("evaluation:judgements", args=[check.pk]) + f"#promise-{promise.pk}"
            )
    return _judgements_page(request, check, failed=form)


@login_required
def report_view(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    check = _get_check(request, pk)
    context = report.report_context(check)
    context["me"] = _me(request, check)
    return render(request, "evaluation/report_page.html", context)


@login_required
def report_pdf(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    check = _get_check(request, pk)
    pdf = report.render_pdf(check, base_url=request.build_absolute_uri("/"))
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="health-check-{check.year}.pdf"'
    return response


@login_required
def section_edit(request: AuthenticatedHttpRequest, pk: int, section_pk: int) -> HttpResponse:
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


# The board's response and what changed --------------------------------------------------------


def _follow_up_page(
    request: AuthenticatedHttpRequest, check: HealthCheck, *, failed: forms.Form | None = None
) -> HttpResponse:
    """Each recommendation with the forms the viewer may use; `failed` replaces its blank twin."""
    user = request.user
    me = selectors.evaluator_person(user, check)
    can_respond = roles.can_respond_for_board(user)
    can_act = roles.can_manage_projects(user)

    def fresh(form: forms.Form) -> forms.Form:
        return failed if failed is not None and failed.prefix == form.prefix else form

    rows = []
    recommendations = check.recommendations.select_related("promise").prefetch_related(
        "actions__updates"
    )
    for rec in recommendations:
        rows.append(
            {
                "rec": rec,
                "respond": fresh(BoardResponseForm(recommendation=rec))
                if can_respond and not rec.board_response
                else None,
                "add_action": fresh(ActionForm(recommendation=rec)) if can_act else None,
                "actions": [
                    (a, fresh(ProgressForm(action=a)) if can_act else None)
                    for a in rec.actions.all()
                ],
            }
        )
    recommend = fresh(RecommendationForm(check=check)) if me is not None else None
    return render(
        request,
        "evaluation/follow_up.html",
        {
            "check": check,
            "me": me,
            "rows": rows,
            "recommend_form": recommend,
            "failed": failed,
            "trend": selectors.trend(check),
        },
    )


@login_required
def follow_up(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    return _follow_up_page(request, _get_check(request, pk))


def _followed_up(request: AuthenticatedHttpRequest, check: HealthCheck) -> HttpResponse:
    messages.success(request, "Saved.")
    return redirect("evaluation:follow_up", pk=check.pk)


@require_POST
@login_required
def recommendation_add(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    check = _get_check(request, pk)
    _evaluator(request, check)
    form = RecommendationForm(request.POST, check=check)
    if submit(
        form,
        lambda data: services.recommendation_add(
            check=check,
            text=data["text"],
            promise=data["promise"],
            actor=request.user,
            request=request,
        ),
        field="text",
    ):
        return _followed_up(request, check)
    return _follow_up_page(request, check, failed=form)


@require_POST
@login_required
def board_response(request: AuthenticatedHttpRequest, pk: int, rec_pk: int) -> HttpResponse:
    check = _get_check(request, pk)
    if not roles.can_respond_for_board(request.user):
        raise PermissionDenied
    rec = get_object_or_404(Recommendation, pk=rec_pk, health_check=check)
    form = BoardResponseForm(request.POST, recommendation=rec)
    if submit(
        form,
        lambda data: services.board_response_record(
            recommendation=rec,
            response=data["response"],
            agreed=data["agreed"],
            actor=request.user,
            request=request,
        ),
        field="response",
    ):
        return _followed_up(request, check)
    return _follow_up_page(request, check, failed=form)


@require_POST
@login_required
def action_add(request: AuthenticatedHttpRequest, pk: int, rec_pk: int) -> HttpResponse:
    check = _get_check(request, pk)
    if not roles.can_manage_projects(request.user):
        raise PermissionDenied
    rec = get_object_or_404(Recommendation, pk=rec_pk, health_check=check)
    form = ActionForm(request.POST, recommendation=rec)
    if submit(
        form,
        lambda data: services.action_add(
            recommendation=rec,
            description=data["description"],
            owner=data["owner"],
            due_on=data["due_on"],
            actor=request.user,
            request=request,
        ),
    ):
        return _followed_up(request, check)
    return _follow_up_page(request, check, failed=form)


@require_POST
@login_required
def action_progress(request: AuthenticatedHttpRequest, pk: int, action_pk: int) -> HttpResponse:
    check = _get_check(request, pk)
    if not roles.can_manage_projects(request.user):
        raise PermissionDenied
    action = get_object_or_404(Action, pk=action_pk, recommendation__health_check=check)
    form = ProgressForm(request.POST, action=action)
    if submit(
        form,
        lambda data: services.action_progress(
            action=action,
            text=data["text"],
            status=data["status"],
            actor=request.user,
            request=request,
        ),
        field="text",
    ):
        return _followed_up(request, check)
    return _follow_up_page(request, check, failed=form)


# Code these next ---------------------------------------------------------------------------


def _code_next_context(request: AuthenticatedHttpRequest, check: HealthCheck) -> dict[str, Any]:
    from coproduce.insight.active import MIN_TO_JUDGE  # numpy and scikit-learn: load on use

    batch = check.suggestion_batches.first()
    promises = list(check.promise_set.promises.filter(dropped=False))
    by_pk = {str(p.pk): p for p in promises}
    hand_coded = set(
        Coding.objects.filter(item__health_check=check, by_engine=False, promise__isnull=False)
        .values_list("item_id", flat=True)
        .distinct()
    )
    rows: list[dict[str, Any]] = []
    quality: list[dict[str, Any]] = []
    if batch is not None:
        wanted = [s for s in batch.items if s["item"] not in hand_coded]
        texts = dict(
            check.evidence.filter(pk__in=[s["item"] for s in wanted]).values_list("pk", "text")
        )
        for s in wanted:
            guesses = [by_pk[g] for g in s["guesses"] if g in by_pk]
            if s["item"] in texts and guesses:
                rows.append(
                    {
                        "item": s["item"],
                        "text": texts[s["item"]],
                        "best": guesses[0],
                        "others": guesses[1:],
                        "reason": s["reason"],
                    }
                )
        for a in batch.agreement:
            if a["promise"] in by_pk and a["coded"]:
                quality.append({**a, "title": by_pk[a["promise"]].title})
    return {
        "check": check,
        "tab": "code_next",
        "batch": batch,
        "rows": rows,
        "promises": promises,
        "quality": quality,
        "min_to_judge": MIN_TO_JUDGE,
        "learning": check.remap_requested_at is not None,
        "me": _me(request, check),
    }


@login_required
def code_next(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """The engine's "Code these next": passages whose coding would teach it most."""
    check = _get_check(request, pk)
    if request.method == "POST":  # ask the engine to choose (again)
        _evaluator(request, check)
        if services.suggestions_request(check=check):
            messages.success(request, "The computer is choosing passages. This takes a minute.")
        else:
            messages.success(request, "The computer is already learning from your codings.")
        return redirect("evaluation:code_next", pk=check.pk)
    return render(request, "evaluation/code_next.html", _code_next_context(request, check))


@require_POST
@login_required
def code_next_answer(request: AuthenticatedHttpRequest, pk: int, item_pk: int) -> HttpResponse:
    """Confirm the engine's guess for a suggested passage, or correct it with another promise."""
    check = _get_check(request, pk)
    me = _evaluator(request, check)
    item = get_object_or_404(EvidenceItem, pk=item_pk, health_check=check)
    raw = request.POST.get("promise", "")
    promise = (
        check.promise_set.promises.filter(dropped=False, pk=int(raw)).first()
        if raw.isdigit() and len(raw) < 12
        else None
    )
    if promise is None:
        messages.error(request, "Choose one of this health check's promises.")
        return redirect("evaluation:code_next", pk=check.pk)
    services.suggestion_answer(
        item=item, promise=promise, coder=me, actor=request.user, request=request
    )
    what = "confirmed" if request.POST.get("answer") == "confirm" else "corrected"
    messages.success(
        request,
        f"Passage {item.pk} {what}: “{promise.title}”. The computer will learn from it.",
    )
    return redirect("evaluation:code_next", pk=check.pk)
