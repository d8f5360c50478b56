"""Every write in a health check. Evaluators (tenants) own the judgements and the report;
staff support, but cannot change what evaluators decided."""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone

from coproduce.core.audit import audit_record
from coproduce.evaluation.models import (
    RATINGS,
    Action,
    ActionUpdate,
    Coding,
    Evaluator,
    EvidenceBatch,
    EvidenceItem,
    EvidenceKind,
    EvidenceOriginal,
    HealthCheck,
    Judgement,
    Recommendation,
    ReportSection,
    ReportSectionVersion,
    RunStatus,
    Stage,
    SuggestionBatch,
    Theme,
    ThemeRun,
    ThemeStatus,
    TsmFigure,
)
from coproduce.messaging import services as messaging
from coproduce.messaging.models import Status as MessageStatus
from coproduce.people.models import Person
from coproduce.promises.models import Promise, PromiseSet
from coproduce.webhooks.services import emit

if TYPE_CHECKING:
    from django.http import HttpRequest

    from coproduce.accounts.models import User

DEFAULT_SECTIONS = [
    ("Introduction", "Who we are, and why tenants check the promises."),
    ("How we did it", ""),
    ("What we found", ""),
    ("What must change", ""),
]


class StaleEdit(Exception):
    def __init__(self, current: Any) -> None:
        super().__init__("Someone else saved this while you were editing.")
        self.current = current


@transaction.atomic
def check_create(
    *,
    promise_set: PromiseSet,
    year: int,
    title: str,
    scale: str,
    actor: User,
    request: HttpRequest | None = None,
    **dates: Any,
) -> HealthCheck:
    if HealthCheck.objects.filter(promise_set=promise_set, year=year).exists():
        raise ValidationError({"year": "There is already a health check for that year."})
    previous = (
        HealthCheck.objects.filter(promise_set=promise_set, year__lt=year).order_by("-year").first()
    )
    check = HealthCheck.objects.create(
        promise_set=promise_set,
        year=year,
        title=title,
        scale=scale,
        previous=previous,
        created_by=actor,
        **dates,
    )
    for position, (section_title, body) in enumerate(DEFAULT_SECTIONS):
        ReportSection.objects.create(
            health_check=check, title=section_title, body=body, position=position
        )
    audit_record(
        action="healthcheck.created", actor=actor, obj=check, request=request, summary=title
    )
    return check


@transaction.atomic
def check_update(
    *, check: HealthCheck, data: dict[str, Any], actor: User, request: HttpRequest | None = None
) -> HealthCheck:
    changed = [k for k, v in data.items() if getattr(check, k) != v]
    for k, v in data.items():
        setattr(check, k, v)
    if changed:
        check.full_clean()
        check.save(update_fields=changed)
        audit_record(
            action="healthcheck.updated",
            actor=actor,
            obj=check,
            request=request,
            summary="Changed " + ", ".join(sorted(changed)),
        )
    if "stage" in changed and check.stage == Stage.GATHERING:
        _call_for_evidence_on_commit(check, actor=actor)
    if "stage" in changed and check.stage == Stage.PRESENTED:
        emit("report.published", {"health_check_id": check.pk, "year": check.year})
    return check


def _call_for_evidence_on_commit(
    check: HealthCheck, *, actor: User | None, people: list[int] | None = None
) -> None:
    check_id = check.pk
    transaction.on_commit(
        lambda: evidence_call_send(check_id=check_id, actor=actor, people=people),
        robust=True,  # the change is saved: a message that fails is logged, not a 500
    )


def evidence_call_send(
    *,
    check_id: int,
    actor: User | None = None,
    people: list[int] | None = None,
    now: dt.datetime | None = None,
) -> int:
    """Ask the health check's evaluators (or just `people` among them) to gather evidence,
    once each per health check, on their own channel. Returns how many were asked."""
    check = HealthCheck.objects.filter(pk=check_id, stage=Stage.GATHERING).first()
    if check is None:
        return 0
    evaluators = check.evaluators.select_related("person").order_by("pk")
    if people is not None:
        evaluators = evaluators.filter(person_id__in=people)
    context = {
        "title": check.title,
        "until": f"{check.ends_on.day} {check.ends_on:%B %Y}" if check.ends_on else "",
        "plan_people": check.plan_people.strip(),
        "url": settings.SITE_URL.rstrip("/") + reverse("evaluation:evidence", args=[check.pk]),
    }
    asked = 0
    for evaluator in evaluators:
        message = messaging.send(
            kind="evidence_call",
            person=evaluator.person,
            key=f"evidence_call:{check.pk}:{evaluator.person_id}",
            context=context,
            about=f"evaluation.healthcheck:{check.pk}",
            actor=actor,
            now=now,
        )
        asked += message.status != MessageStatus.NOT_SENT
    return asked


@transaction.atomic
def evaluator_add(
    *, check: HealthCheck, person: Person, actor: User, request: HttpRequest | None = None
) -> Evaluator:
    evaluator, created = Evaluator.objects.get_or_create(health_check=check, person=person)
    if created:
        audit_record(
            action="healthcheck.evaluator_added",
            actor=actor,
            obj=person,
            request=request,
            summary=f"Evaluator for health check #{check.pk}",
        )
        if check.stage == Stage.GATHERING:  # joining while evidence is gathered: asked too
            _call_for_evidence_on_commit(check, actor=actor, people=[person.pk])
    return evaluator


def _known_names(check: HealthCheck) -> list[str]:
    """Names to look for when masking: everyone in the project, evaluators and staff."""
    from django.contrib.auth import get_user_model

    project = check.promise_set.project
    people = Person.objects.filter(memberships__project=project).values_list(
        "first_name", "last_name"
    )
    names = [f"{first} {last}".strip() for first, last in people]
    names += list(get_user_model().objects.values_list("full_name", flat=True))
    return [n for n in names if n]


def _mask(text: str, names: list[str]) -> tuple[str, int]:
    from coproduce.evaluation.anonymise import mask

    masked = mask(text, known_names=names)
    return masked.text, len(masked.found)


def _new_item(
    check: HealthCheck,
    *,
    kind: str,
    source: str,
    text: str,
    gathered_on: dt.date,
    person: Person | None,
    user: User,
    names: list[str],
    batch: EvidenceBatch | None = None,
    speaker: str = "",
    reference: str = "",
    scores: dict | None = None,
) -> tuple[EvidenceItem, str]:
    masked_text, count = _mask(text, names)
    if speaker:
        # Speakers in transcripts are often named people: mask them like the text.
        masked_speaker, speaker_count = _mask(speaker, names)
        if speaker_count:
            count += speaker_count
            text = f"{speaker}: {text}"
            speaker = masked_speaker
    item = EvidenceItem(
        health_check=check,
        batch=batch,
        kind=kind,
        source=source[:300],
        speaker=speaker[:100],
        reference=reference[:100],
        gathered_on=gathered_on,
        gathered_by_person=person,
        gathered_by_user=user,
        text=masked_text,
        masked=count,
        scores=scores or {},
    )
    return item, text


def _save_items(pairs: list[tuple[EvidenceItem, str]]) -> list[EvidenceItem]:
    items = EvidenceItem.objects.bulk_create([item for item, _ in pairs], batch_size=1000)
    EvidenceOriginal.objects.bulk_create(
        [
            EvidenceOriginal(item=item, text=original)
            for item, (_, original) in zip(items, pairs, strict=True)
            if item.masked
        ],
        batch_size=1000,
    )
    return items


@transaction.atomic
def evidence_add(
    *,
    check: HealthCheck,
    kind: str,
    source: str,
    text: str,
    gathered_on: dt.date,
    person: Person | None,
    actor: User,
    request: HttpRequest | None = None,
) -> EvidenceItem:
    if not text.strip():
        raise ValidationError({"text": "Write down what you found."})
    item, original = _new_item(
        check,
        kind=kind,
        source=source,
        text=text.strip(),
        gathered_on=gathered_on,
        person=person,
        user=actor,
        names=_known_names(check),
    )
    [saved] = _save_items([(item, original)])
    audit_record(
        action="evidence.added",
        actor=actor,
        obj=saved,
        request=request,
        summary=f"{saved.get_kind_display()}: {source[:100]}",
    )
    return saved


@transaction.atomic
def evidence_import(
    *,
    check: HealthCheck,
    kind: str,
    data: bytes,
    filename: str,
    title: str,
    gathered_on: dt.date,
    person: Person | None,
    actor: User,
    request: HttpRequest | None = None,
) -> EvidenceBatch:
    """Import a whole file as evidence. All or nothing: any problem and nothing is saved."""
    read = _FILE_ITEMS.get(kind)
    if read is None:
        raise ValidationError("Choose a survey, a transcript or a document to import.")
    batch = EvidenceBatch.objects.create(
        health_check=check,
        kind=kind,
        title=title[:200],
        filename=filename[:255],
        gathered_by_person=person,
        gathered_by_user=actor,
    )
    common: dict[str, Any] = {
        "kind": kind,
        "gathered_on": gathered_on,
        "person": person,
        "user": actor,
        "names": _known_names(check),
        "batch": batch,
    }
    pairs = read(check, data, filename, title, common)
    if not pairs:
        raise ValidationError("The file has no text we could use as evidence.")
    _save_items(pairs)
    batch.items = len(pairs)
    batch.save(update_fields=["items"])
    audit_record(
        action="evidence.imported",
        actor=actor,
        obj=batch,
        request=request,
        summary=f"{len(pairs)} items from {filename}",
    )
    return batch


_Pairs = list[tuple[EvidenceItem, str]]


def _survey_items(
    check: HealthCheck, data: bytes, filename: str, title: str, common: dict[str, Any]
) -> _Pairs:
    """One item per non-empty comment, dated by the response where the survey says when."""
    from coproduce.evaluation import parsing

    return [
        _new_item(
            check,
            source=f"{title} ({column})",
            text=comment.strip(),
            reference=row.respondent,
            scores=row.scores,
            **{**common, "gathered_on": row.date or common["gathered_on"]},
        )
        for row in parsing.read_survey(data, filename).rows
        for column, comment in row.comments.items()
        if comment.strip()
    ]


def _transcript_items(
    check: HealthCheck, data: bytes, filename: str, title: str, common: dict[str, Any]
) -> _Pairs:
    """One item per turn, with its speaker; the reference is the turn's place in the file."""
    from coproduce.evaluation import parsing

    return [
        _new_item(
            check,
            source=title,
            text=turn.text.strip(),
            speaker=turn.speaker,
            reference=str(index),
            **common,
        )
        for index, turn in enumerate(parsing.read_transcript(data, filename))
        if turn.text.strip()
    ]


def _document_items(
    check: HealthCheck, data: bytes, filename: str, title: str, common: dict[str, Any]
) -> _Pairs:
    """One item per paragraph."""
    from coproduce.evaluation import parsing

    text = parsing.read_document(data, filename)
    return [
        _new_item(check, source=title, text=paragraph, reference=f"paragraph {index}", **common)
        for index, paragraph in enumerate(_paragraphs(text), start=1)
    ]


_FILE_ITEMS: dict[str, Callable[[HealthCheck, bytes, str, str, dict[str, Any]], _Pairs]] = {
    EvidenceKind.SURVEY: _survey_items,
    EvidenceKind.TRANSCRIPT: _transcript_items,
    EvidenceKind.DOCUMENT: _document_items,
}


def evidence_original_view(
    *, item: EvidenceItem, actor: User, request: HttpRequest | None = None
) -> None:
    audit_record(
        action="evidence.original_viewed",
        actor=actor,
        obj=item,
        request=request,
        summary="Data-protection lead viewed the unmasked text",
    )


def _paragraphs(text: str, limit: int = 1200) -> list[str]:
    chunks: list[str] = []
    for block in [b.strip() for b in text.replace("\r", "").split("\n\n") if b.strip()]:
        block = " ".join(block.split())
        while len(block) > limit:
            cut = block.rfind(". ", 0, limit)
            cut = cut + 1 if cut > limit // 2 else limit
            chunks.append(block[:cut].strip())
            block = block[cut:].strip()
        if len(block) >= 20:
            chunks.append(block)
    return chunks


@transaction.atomic
def tsm_figures_import(
    *,
    check: HealthCheck,
    data: bytes,
    filename: str,
    actor: User,
    request: HttpRequest | None = None,
) -> int:
    from decimal import Decimal

    from coproduce.evaluation import parsing

    figures = parsing.read_tsm_figures(data, filename)
    for figure in figures:
        TsmFigure.objects.update_or_create(
            health_check=check,
            code=figure.code,
            year=figure.year,
            defaults={
                "name": parsing.TSM_MEASURES.get(figure.code, figure.description),
                "value": Decimal(str(round(figure.value, 2))),
            },
        )
    audit_record(
        action="evidence.tsm_imported",
        actor=actor,
        obj=check,
        request=request,
        summary=f"{len(figures)} TSM figures from {filename}",
    )
    return len(figures)


# Evidence files read in the background ------------------------------------------------

EVIDENCE_JOB = "evaluation.evidence"
TSM_JOB = "evaluation.tsm"


def evidence_job_start(
    *,
    check: HealthCheck,
    upload: Any,
    actor: User,
    kind: str = "",
    title: str = "",
    gathered_on: dt.date | None = None,
    person: Person | None = None,
) -> Any:
    """Store an uploaded evidence file and queue the job that reads it. `kind` "" is TSM figures."""
    from coproduce.core.uploads import job_create
    from coproduce.evaluation.tasks import import_evidence

    job = job_create(
        kind=EVIDENCE_JOB if kind else TSM_JOB,
        upload=upload,
        user=actor,
        params={
            "check": check.pk,
            "kind": kind,
            "title": title,
            "gathered_on": gathered_on.isoformat() if gathered_on else "",
            "person": person.pk if person else None,
        },
    )
    import_evidence.enqueue(job.pk)
    return job


def evidence_job_execute(job_id: int) -> None:
    """The background job: parse the stored file and save it, all or nothing."""
    import logging

    from coproduce.core.models import UploadJob
    from coproduce.evaluation import parsing

    Status = UploadJob.Status
    job = UploadJob.objects.select_related("created_by").filter(pk=job_id).first()
    if job is None or not job.working:
        return
    params = job.params
    try:
        job.report(10, "Reading the file")
        check = HealthCheck.objects.get(pk=params["check"])
        data = job.path.read_bytes()
        job.report(30, "Finding the evidence in the file")
        if job.kind == TSM_JOB:
            count = tsm_figures_import(
                check=check, data=data, filename=job.file_name, actor=job.created_by
            )
            result = {"figures": count, "filename": job.file_name}
        else:
            batch = evidence_import(
                check=check,
                kind=params["kind"],
                data=data,
                filename=job.file_name,
                title=params["title"],
                gathered_on=dt.date.fromisoformat(params["gathered_on"]),
                person=Person.objects.filter(pk=params["person"]).first()
                if params["person"]
                else None,
                actor=job.created_by,
            )
            result = {"items": batch.items, "filename": batch.filename}
    except parsing.EvidenceError as exc:
        job.finish(Status.FAILED, error=f"Nothing was imported. {exc}")
    except ValidationError as exc:
        job.finish(Status.FAILED, error=f"Nothing was imported. {' '.join(exc.messages)}")
    except (FileNotFoundError, HealthCheck.DoesNotExist):
        job.finish(Status.FAILED, error="The upload has expired. Please upload the file again.")
    except Exception:
        logging.getLogger("coproduce").exception("Evidence job %s failed", job.pk)
        job.finish(
            Status.FAILED,
            error="Nothing was imported. Something went wrong while reading the file; "
            "please try again, or ask for help if it happens again.",
        )
    else:
        job.finish(Status.DONE, result=result)
    finally:
        job.discard_file()


# Theming ---------------------------------------------------------------------------------


@transaction.atomic
def theme_run_start(
    *, check: HealthCheck, actor: User, engine: str = "auto", request: HttpRequest | None = None
) -> ThemeRun:
    # Lock the health check: two starts at once take turns, and the second sees the first run
    # (a clear message, never a duplicate version number).
    HealthCheck.objects.select_for_update().filter(pk=check.pk).first()
    if ThemeRun.objects.filter(
        health_check=check, status__in=[RunStatus.QUEUED, RunStatus.RUNNING]
    ).exists():
        raise ValidationError("Theming is already running for this health check.")
    if not check.evidence.exists():
        raise ValidationError("Add some evidence before theming it.")
    version = (check.theme_runs.aggregate(v=Max("version"))["v"] or 0) + 1
    run = ThemeRun.objects.create(
        health_check=check, version=version, engine=engine, created_by=actor
    )
    audit_record(
        action="theming.started", actor=actor, obj=check, request=request, summary=f"Run {version}"
    )
    from coproduce.evaluation.tasks import run_theming

    transaction.on_commit(lambda: run_theming.enqueue(run.pk))
    return run


# How far along a theming run is when each stage of the engine starts (per cent).
STAGE_PROGRESS = {"vectors": 20, "themes": 40, "fine-tuning": 50, "mapping": 75}


def _set_progress(run: ThemeRun, progress: int, message: str = "") -> None:
    ThemeRun.objects.filter(pk=run.pk).update(progress=progress, message=message[:300])


def promise_labels(check: HealthCheck) -> dict[str, list[str]]:
    """What evaluators coded by hand: item id -> promise codes. These train the mapping."""
    labels: dict[str, list[str]] = {}
    for item_id, promise_id in Coding.objects.filter(
        item__health_check=check, by_engine=False, promise__isnull=False
    ).values_list("item_id", "promise_id"):
        labels.setdefault(str(item_id), [])
        if str(promise_id) not in labels[str(item_id)]:
            labels[str(item_id)].append(str(promise_id))
    return labels


def theme_run_execute(run_id: int) -> ThemeRun:
    """The background job: theme every item and map it to the promises."""
    from coproduce.insight.engine import analyse
    from coproduce.insight.io import InputError

    run = ThemeRun.objects.select_related("health_check__promise_set").get(pk=run_id)
    check = run.health_check
    started = time.perf_counter()
    ThemeRun.objects.filter(pk=run.pk).update(
        status=RunStatus.RUNNING, progress=5, message="Reading the evidence"
    )
    items = list(check.evidence.values_list("id", "text"))
    promises = list(check.promise_set.promises.filter(dropped=False))
    labels = promise_labels(check)
    _set_progress(run, 15, f"Finding themes in {len(items)} items")
    try:
        result = analyse(
            [str(i) for i, _ in items],
            [t for _, t in items],
            promises=_insight_promises(promises),
            labels=labels or None,
            engine=run.engine,
            seed=run.version,
            on_stage=lambda key, message: _set_progress(run, STAGE_PROGRESS.get(key, 50), message),
        )
    except (InputError, ValueError) as exc:
        ThemeRun.objects.filter(pk=run.pk).update(status=RunStatus.FAILED, message=str(exc))
        return run
    _set_progress(run, 85, "Saving the themes")
    _save_run(run, result, promises, len(labels))
    ThemeRun.objects.filter(pk=run.pk).update(
        status=RunStatus.DONE,
        progress=100,
        message="",
        items=len(items),
        trained_on=len(labels),
        seconds=round(time.perf_counter() - started, 2),
        outlier_share=result.get("outlier_share"),
        finished_at=timezone.now(),
    )
    run.refresh_from_db()
    return run


@transaction.atomic
def _save_run(run: ThemeRun, result: dict[str, Any], promises: list[Promise], trained: int) -> None:
    check = run.health_check
    # The engine's previous suggestions give way to this run's; evaluators' themes and
    # hand codings are never touched.
    Theme.objects.filter(health_check=check, status=ThemeStatus.PROPOSED).exclude(run=run).delete()
    Coding.objects.filter(item__health_check=check, by_engine=True).delete()
    themes = {}
    for t in result["themes"]:
        themes[t["id"]] = Theme.objects.create(
            health_check=check,
            run=run,
            label=t["label"],
            engine_label=t["label"],
            keywords=t["keywords"],
        )
    by_pk = {str(p.pk): p for p in promises}
    codings = []
    for row in result["items"]:
        item_id = int(row["id"])
        if row["theme"] in themes:
            codings.append(
                Coding(item_id=item_id, theme=themes[row["theme"]], by_engine=True, run=run)
            )
        for code in row["assigned"]:
            if code in by_pk:
                codings.append(
                    Coding(
                        item_id=item_id,
                        promise=by_pk[code],
                        by_engine=True,
                        run=run,
                        confidence=row["scores"].get(code),
                    )
                )
    Coding.objects.bulk_create(codings, batch_size=2000)


@transaction.atomic
def theme_decide(
    *,
    theme: Theme,
    action: str,
    person: Person | None,
    actor: User | None,
    label: str = "",
    into: Theme | None = None,
    item_ids: list[int] | None = None,
    request: HttpRequest | None = None,
) -> Theme:
    """Evaluators accept, rename, discard, merge or split a theme."""
    theme = Theme.objects.select_for_update().get(pk=theme.pk)
    if action == "accept":
        theme.status = ThemeStatus.ACCEPTED
    elif action == "rename":
        if not label.strip():
            raise ValidationError("Give the theme a name.")
        theme.label = label.strip()[:200]
        theme.status = ThemeStatus.ACCEPTED
    elif action == "discard":
        theme.status = ThemeStatus.DISCARDED
    elif action == "merge":
        if into is None or into.pk == theme.pk or into.health_check_id != theme.health_check_id:
            raise ValidationError("Choose another theme to merge into.")
        Coding.objects.filter(theme=theme).update(theme=into)
        if into.status == ThemeStatus.PROPOSED:
            Theme.objects.filter(pk=into.pk).update(status=ThemeStatus.ACCEPTED)
        theme.status = ThemeStatus.MERGED
        theme.merged_into = into
    elif action == "split":
        if not label.strip() or not item_ids:
            raise ValidationError("Name the new theme and choose the items that belong in it.")
        new = Theme.objects.create(
            health_check=theme.health_check,
            label=label.strip()[:200],
            status=ThemeStatus.ACCEPTED,
            made_by_person=person,
        )
        Coding.objects.filter(theme=theme, item_id__in=item_ids).update(theme=new)
        theme.status = ThemeStatus.ACCEPTED
    else:
        raise ValidationError("Unknown action.")
    theme.save()
    audit_record(
        action=f"theme.{action}", actor=actor, obj=theme, request=request, summary=theme.label[:200]
    )
    return theme


@transaction.atomic
def coding_add(
    *,
    item: EvidenceItem,
    coder: Person | None,
    actor: User | None,
    theme: Theme | None,
    promise: Promise | None,
    passage: str = "",
    new_theme_label: str = "",
    request: HttpRequest | None = None,
) -> Coding:
    if new_theme_label.strip():
        theme = Theme.objects.create(
            health_check=item.health_check,
            label=new_theme_label.strip()[:200],
            status=ThemeStatus.ACCEPTED,
            made_by_person=coder,
        )
    if theme is None and promise is None:
        raise ValidationError("Choose a theme or a promise (or both).")
    passage = passage.strip()
    if passage and passage not in item.text:
        raise ValidationError("The highlighted passage must be copied from the item's text.")
    coding = Coding.objects.create(
        item=item, theme=theme, promise=promise, passage=passage, by_engine=False, coder=coder
    )
    audit_record(
        action="coding.added",
        actor=actor,
        obj=item,
        request=request,
        summary=f"Coded by {'an evaluator' if coder else 'staff'}",
    )
    if promise is not None:
        # Every hand coding retrains the promise mapping for the rest, in the background.
        remap_queue(item.health_check_id)
    return coding


def remap_queue(check_id: int) -> bool:
    """Queue a retraining of the promise mapping, once: False when one is already waiting,
    which will include every coding saved before it starts.

    Evaluators coding together save a passage every second or two. Retraining takes seconds of
    CPU each time, so the next one starts no sooner than `REMAP_PAUSE_SECONDS` after the last
    one finished (the mapping is still fresh within the minute issue #19 asks for)."""
    from coproduce.evaluation.tasks import remap_promises

    queued = HealthCheck.objects.filter(pk=check_id, remap_requested_at__isnull=True).update(
        remap_requested_at=timezone.now()
    )
    if not queued:
        return False
    last = (
        SuggestionBatch.objects.filter(health_check_id=check_id)
        .values_list("created_at", flat=True)
        .first()
    )
    task = remap_promises
    if last is not None:
        run_after = last + dt.timedelta(seconds=settings.REMAP_PAUSE_SECONDS)
        if run_after > timezone.now():
            task = remap_promises.using(run_after=run_after)
    transaction.on_commit(lambda: task.enqueue(check_id))
    return True


def _insight_promises(promises) -> list:
    """Promises as the insight engine reads them: the title, then the wording and what it
    means in practice as the description (each sentence of which is also matched on its own)."""
    from coproduce.insight.io import Promise as InsightPromise

    return [
        InsightPromise(
            code=str(p.pk),
            title=p.title,
            description=f"{p.wording} {p.in_practice}".strip(),
        )
        for p in promises
    ]


# Fine-tune the sentence encoder again only once this many more passages are coded than at the
# last fine-tuning; in between, each batch retrains the light model on the cached vectors.
FINETUNE_EVERY = 100


def _item_vectors(engine: str, texts: list[str]):
    """One vector per passage for the suggestions' novelty: the cached sentence embeddings
    (semantic engine) or latent TF-IDF vectors."""
    from coproduce.insight.embed import embed_texts
    from coproduce.insight.engine import resolve_engine
    from coproduce.insight.features import dense_from_tfidf, tfidf_matrix

    x, _, _ = tfidf_matrix(texts)
    if resolve_engine(engine) == "semantic":
        vecs, _ = embed_texts(texts)
    else:
        vecs = dense_from_tfidf(x, dims=100, seed=42)
    return x, vecs


def _best_promises(check: HealthCheck) -> dict[int, str]:
    """The engine's current best promise for each passage it coded (highest confidence)."""
    best: dict[int, tuple[float, str]] = {}
    for item_id, promise_id, conf in Coding.objects.filter(
        item__health_check=check, by_engine=True, promise__isnull=False
    ).values_list("item_id", "promise_id", "confidence"):
        c = conf if conf is not None else 0.0
        if item_id not in best or c > best[item_id][0]:
            best[item_id] = (c, str(promise_id))
    return {i: p for i, (_, p) in best.items()}


def remap_execute(check_id: int) -> int:
    """Retrain the promise mapping on the hand codings, re-map the items not coded by hand, and
    choose the next passages to code ("Code these next"). Returns the number of coded items."""
    from coproduce.insight import active
    from coproduce.insight.engine import analyse

    started = time.perf_counter()
    check = HealthCheck.objects.select_related("promise_set").get(pk=check_id)
    # From here on, a new hand coding queues a fresh retraining.
    HealthCheck.objects.filter(pk=check_id).update(remap_requested_at=None)
    labels = promise_labels(check)
    items = list(check.evidence.values_list("id", "text"))
    promises = list(check.promise_set.promises.filter(dropped=False))
    if not items or not promises:
        return len(labels)
    latest = check.theme_runs.filter(status=RunStatus.DONE).first()
    engine = latest.engine if latest else "auto"
    last_tuned = (
        check.suggestion_batches.filter(fine_tuned=True)
        .values_list("trained_on", flat=True)
        .first()
        or 0
    )
    finetune = len(labels) - last_tuned >= FINETUNE_EVERY
    # the engine the evaluators themed with (its embeddings are cached, so this is cheap)
    result = analyse(
        [str(i) for i, _ in items],
        [t for _, t in items],
        promises=_insight_promises(promises),
        labels=labels or None,
        engine=engine,
        n_themes=2,
        finetune=finetune,
    )
    by_pk = {str(p.pk): p for p in promises}
    before = _best_promises(check)
    if labels:
        with transaction.atomic():
            Coding.objects.filter(
                item__health_check=check, by_engine=True, promise__isnull=False
            ).delete()
            Coding.objects.bulk_create(
                [
                    Coding(
                        item_id=int(row["id"]),
                        promise=by_pk[code],
                        by_engine=True,
                        run=latest,
                        confidence=row["scores"].get(code),
                    )
                    for row in result["items"]
                    if row["id"] not in labels
                    for code in row["assigned"]
                    if code in by_pk
                ],
                batch_size=2000,
            )
    # Code these next: chosen from the new mapping's scores, never a passage coded by hand
    codes = [str(p.pk) for p in promises]
    import numpy as np

    scores = np.array([[row["scores"].get(c, 0.0) for c in codes] for row in result["items"]])
    pos = {str(i): n for n, (i, _) in enumerate(items)}
    coded = {pos[i]: cs for i, cs in labels.items() if i in pos}
    x, vecs = _item_vectors(engine, [t for _, t in items])
    chosen = active.suggest(scores, codes, coded, vecs, n=active.BATCH_MAX, seed=check.pk)
    feats = active.features(x, vecs)
    quality = active.agreement(feats, codes, coded, seed=check.pk) if coded else []
    after = {
        items[n][0]: codes[int(np.argmax(scores[n]))]
        for n in range(len(items))
        if n not in coded and scores.shape[1]
    }
    previous = check.suggestion_batches.first()
    SuggestionBatch.objects.create(
        health_check=check,
        items=[
            {"item": items[s.index][0], "guesses": s.guesses, "reason": s.reason} for s in chosen
        ],
        moved=active.moved(before, after) if previous is not None else None,
        agreement=[
            {
                "promise": a.code,
                "coded": a.coded,
                "tested": a.tested,
                "agreed": a.agreed,
                "enough": a.enough,
            }
            for a in quality
        ],
        trained_on=len(labels),
        fine_tuned=bool(result.get("mapping", {}).get("encoder")),
        seconds=round(time.perf_counter() - started, 2),
    )
    return len(labels)


def suggestions_request(*, check: HealthCheck) -> bool:
    """Ask for the engine to choose passages (when none are chosen yet or all are answered).
    False when a retraining is already waiting, which will choose them."""
    return remap_queue(check.pk)


@transaction.atomic
def suggestion_answer(
    *,
    item: EvidenceItem,
    promise: Promise,
    coder: Person,
    actor: User | None,
    request: HttpRequest | None = None,
) -> Coding:
    """An evaluator confirms the engine's guess for a suggested passage, or corrects it: a hand
    coding like any other (who and when are recorded; the retraining is queued). The same
    answer twice (a double click, two tabs) records it once."""
    EvidenceItem.objects.select_for_update().filter(pk=item.pk).first()
    existing = Coding.objects.filter(
        item=item, promise=promise, by_engine=False, coder=coder
    ).first()
    if existing is not None:
        return existing
    return coding_add(
        item=item, coder=coder, actor=actor, theme=None, promise=promise, request=request
    )


# Judgements and the report ---------------------------------------------------------------


@transaction.atomic
def judgement_save(
    *,
    check: HealthCheck,
    promise: Promise,
    data: dict[str, Any],
    person: Person,
    expected_version: int | None,
    actor: User | None,
    request: HttpRequest | None = None,
) -> Judgement:
    valid = {code for code, _ in RATINGS[check.scale]}
    if data.get("rating") not in valid:
        raise ValidationError({"rating": "Choose a rating."})
    if not (data.get("narrative") or "").strip():
        raise ValidationError({"narrative": "Say what you found, in your own words."})
    judgement = (
        Judgement.objects.select_for_update().filter(health_check=check, promise=promise).first()
    )
    if judgement is None:
        judgement = Judgement(health_check=check, promise=promise, version=0)
    elif expected_version is not None and judgement.version != expected_version:
        raise StaleEdit(judgement)
    judgement.rating = data["rating"]
    judgement.narrative = data["narrative"].strip()
    judgement.strengths = (data.get("strengths") or "").strip()
    judgement.improve = (data.get("improve") or "").strip()
    judgement.version += 1
    judgement.updated_by = person
    judgement.save()
    if "themes" in data:
        judgement.themes.set(data["themes"])
    if "quotes" in data:
        judgement.quotes.set(data["quotes"])
    audit_record(
        action="judgement.saved",
        actor=actor,
        obj=judgement,
        request=request,
        summary=f"{promise.title}: {judgement.rating}",
    )
    return judgement


@transaction.atomic
def section_save(
    *,
    section: ReportSection,
    title: str,
    body: str,
    expected_version: int,
    person: Person | None,
    actor: User | None,
    request: HttpRequest | None = None,
) -> ReportSection:
    current = ReportSection.objects.select_for_update().get(pk=section.pk)
    if current.version != expected_version:
        raise StaleEdit(current)
    ReportSectionVersion.objects.create(
        section=current,
        version=current.version,
        title=current.title,
        body=current.body,
        by=current.updated_by,
    )
    current.title, current.body = title.strip() or current.title, body
    current.version += 1
    current.updated_by = person
    current.save()
    audit_record(
        action="report.section_saved",
        actor=actor,
        obj=current,
        request=request,
        summary=f"{current.title} v{current.version}",
    )
    return current


@transaction.atomic
def recommendation_add(
    *,
    check: HealthCheck,
    text: str,
    promise: Promise | None,
    actor: User,
    request: HttpRequest | None = None,
) -> Recommendation:
    if not text.strip():
        raise ValidationError("Write the recommendation.")
    rec = Recommendation.objects.create(health_check=check, text=text.strip(), promise=promise)
    audit_record(
        action="report.recommendation", actor=actor, obj=check, request=request, summary=text[:200]
    )
    return rec


@transaction.atomic
def board_response_record(
    *,
    recommendation: Recommendation,
    response: str,
    agreed: str,
    actor: User,
    request: HttpRequest | None = None,
) -> Recommendation:
    if agreed not in ("yes", "partly", "no") or not response.strip():
        raise ValidationError("Record the board's response and whether it agreed.")
    recommendation.board_response = response.strip()
    recommendation.board_agreed = agreed
    recommendation.responded_on = timezone.localdate()
    recommendation.save(update_fields=["board_response", "board_agreed", "responded_on"])
    audit_record(
        action="report.board_response",
        actor=actor,
        obj=recommendation,
        request=request,
        summary=agreed,
    )
    return recommendation


@transaction.atomic
def action_add(
    *,
    recommendation: Recommendation,
    description: str,
    owner: str,
    due_on: dt.date | None,
    actor: User,
    request: HttpRequest | None = None,
) -> Action:
    if not description.strip() or not owner.strip():
        raise ValidationError("An action needs a description and an owner.")
    action = Action.objects.create(
        recommendation=recommendation,
        description=description.strip(),
        owner=owner.strip(),
        due_on=due_on,
    )
    audit_record(
        action="report.action", actor=actor, obj=action, request=request, summary=description[:200]
    )
    return action


@transaction.atomic
def action_progress(
    *, action: Action, text: str, status: str, actor: User, request: HttpRequest | None = None
) -> ActionUpdate:
    if not text.strip():
        raise ValidationError("Say what has happened.")
    update = ActionUpdate.objects.create(action=action, text=text.strip(), status=status, by=actor)
    action.status = status
    action.save(update_fields=["status"])
    audit_record(
        action="report.action_update", actor=actor, obj=action, request=request, summary=status
    )
    return update
