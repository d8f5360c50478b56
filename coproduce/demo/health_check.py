"""The annual health checks of the promises: a completed baseline, from evidence to the board's
response, and a second year under way."""

from __future__ import annotations

import datetime as dt
import random

from django.db.models import Max

from coproduce.accounts.models import User
from coproduce.demo.evidence import INTERVIEWS, TOPICS, survey_csv, tenant_comment, transcript
from coproduce.demo.riverside import PROMISES_TITLE, moved, season
from coproduce.evaluation import services
from coproduce.evaluation.models import (
    Action,
    ActionUpdate,
    Evaluator,
    HealthCheck,
    Judgement,
    Recommendation,
    Theme,
    ThemeRun,
)
from coproduce.people.models import Person
from coproduce.projects.models import Project
from coproduce.promises.models import Promise, PromiseSet

JUDGEMENTS = {
    "Listen and act": (
        "amber",
        "People are often listened to, but too often nothing changes "
        "afterwards, and they are not told why.",
        "Housing officers who follow things through.",
        "Tell people what happened because of what they said.",
    ),
    "Keep you informed": (
        "red",
        "Letters are confusing and people find out about works late.",
        "Text reminders for appointments.",
        "Plain-English letters; tell people before works start.",
    ),
    "Treat you with respect": (
        "green",
        "Most people say staff are kind and patient.",
        "Contact centre and caretakers.",
        "Training on mental health for officers.",
    ),
    "Put things right": (
        "amber",
        "Some complaints are put right well, but many are late.",
        "Apologies and compensation when things go wrong.",
        "Answer stage one complaints on time.",
    ),
    "Safe, warm homes": (
        "red",
        "Repairs take too long and damp and mould keep coming back.",
        "First-time fixes when the contractor has the parts.",
        "Repairs on time; treat the cause of damp, not the symptom.",
    ),
    "Stronger communities": (
        "amber",
        "Communal areas are looked after, but anti-social "
        "behaviour on some estates is getting worse.",
        "The community garden; grounds maintenance.",
        "A joined-up plan on anti-social behaviour with the council.",
    ),
}
SECOND_YEAR = {"Safe, warm homes": "amber", "Keep you informed": "amber", "Listen and act": "green"}

# The evaluators name the suggested themes in their own words: a theme whose label or keywords
# hold the key gets that name; themes with the same name are merged; the rest are discarded.
PLAIN_THEMES = [
    ("repair", "Repairs take too long or are not fixed first time"),
    ("mould", "Damp and mould keep coming back"),
    ("damp", "Damp and mould keep coming back"),
    ("listen", "Listened to, but nothing changes"),
    ("letter", "Letters are confusing and people are not told"),
    ("told", "Letters are confusing and people are not told"),
    ("complain", "Complaints are slow and go round in circles"),
    ("kind", "Staff are kind and patient"),
    ("polite", "Staff are kind and patient"),
    ("behaviour", "Anti-social behaviour on the estates"),
    ("garden", "Community spaces bring people together"),
]
# A word in the evidence -> the promise it is about.
PROMISE_KEYWORDS = {
    "repair": "Safe, warm homes",
    "mould": "Safe, warm homes",
    "damp": "Safe, warm homes",
    "listen": "Listen and act",
    "letter": "Keep you informed",
    "told": "Keep you informed",
    "complain": "Put things right",
    "kind": "Treat you with respect",
    "behaviour": "Stronger communities",
}
REPORT = {
    "Introduction": "We are tenants and customers of Riverside Homes. Last year we "
    "wrote the customer promises. This year we checked whether they are "
    "kept. Nobody from the staff team told us what to find.",
    "How we did it": "We read 1,300 survey comments, talked to staff and tenants we "
    "chose, listened to a call with the repairs team and went "
    "door-knocking. A computer suggested themes; we checked every one.",
    "What we found": "Staff are kind, but repairs, damp and letters let people down.",
    "What must change": "Repairs on time, plain-English letters, and telling people "
    "what happened because of what they said.",
}
# recommendation, promise, did the board agree, its response
RECOMMENDATIONS = [
    (
        "Bring routine repairs back within 28 days, and tell people the date.",
        "Safe, warm homes",
        "yes",
        "Agreed; a new contractor framework starts in June.",
    ),
    (
        "Rewrite standard letters in plain English with tenants.",
        "Keep you informed",
        "yes",
        "Agreed; the tenant reading panel starts in April.",
    ),
    (
        "Publish 'you said, we did' every quarter.",
        "Listen and act",
        "partly",
        "Agreed for the website; the newsletter goes twice a year for cost reasons.",
    ),
]
FIGURES = (  # the TSM figures for the year before the baseline
    "code,value,year\nRP01,3.1,{y}\nRP02,81%,{y}\nBS01,99.8,{y}\n"
    "BS02,100,{y}\nCH01,38.2,{y}\nCH02,71%,{y}\nNM01,24.5,{y}\n"
)
VISITS = [
    "Door-knocking on the Millbrook estate",
    "Conversation at the sheltered scheme coffee morning",
    "Phone call with a tenant who never comes to meetings",
]


def build_health_check_demo(*, seed: int) -> dict[str, int]:
    promise_set = PromiseSet.objects.filter(title=PROMISES_TITLE, status="published").first()
    if promise_set is None or HealthCheck.objects.filter(promise_set=promise_set).exists():
        return {}
    people = _evaluators(promise_set)
    if not people:
        return {}  # the promises were written by their project's members: never reached
    rng = random.Random(seed * 101 + 3)
    coordinator = promise_set.project.owner
    promises = {p.title: p for p in promise_set.promises.filter(dropped=False)}
    baseline = _baseline_start(promise_set, people, coordinator)
    counts = _evidence_gather(baseline, people, coordinator, rng)
    counts["themes"] = _themes_review(baseline, coordinator, lead=people[0])
    _evidence_code(baseline, people, promises)
    _judgements_write(baseline, promises, lead=people[0])
    _report_write(baseline, lead=people[0])
    _recommendations_answer(baseline, promises, coordinator)
    counts["baseline_items"] = baseline.evidence.count()
    second = _second_year_start(promise_set, people, coordinator)
    counts["second_year_items"] = _second_year_gather(second, promises, people[0], coordinator, rng)
    return counts


def _evaluators(promise_set: PromiseSet) -> list[Person]:
    """Up to eight members of the health check project (or else of the promises project)."""
    check_project = Project.objects.filter(title__startswith="Annual health check").first()
    members = (check_project or promise_set.project).members
    return [m.person for m in members.select_related("person").order_by("id")][:8]


def _baseline_start(
    promise_set: PromiseSet, people: list[Person], coordinator: User
) -> HealthCheck:
    """The first, baseline year: finished and now at follow-up."""
    starts = moved(dt.date(2025, 11, 1))
    baseline = services.check_create(
        promise_set=promise_set,
        year=starts.year,
        title=f"Health check {season(starts)} (baseline)",
        scale="rag",
        actor=coordinator,
        board_date=moved(dt.date(2026, 3, 25)),
        starts_on=starts,
        ends_on=moved(dt.date(2026, 3, 31)),
    )
    HealthCheck.objects.filter(pk=baseline.pk).update(
        stage="follow_up",
        plan_people="The repairs manager, a complaints officer, housing "
        "officers, the contact centre, and tenants who never come to meetings.",
        plan_data="The TSM survey comments and scores, complaints figures, repairs times.",
    )
    for person in people:
        Evaluator.objects.create(health_check=baseline, person=person)
    return baseline


def _evidence_gather(
    baseline: HealthCheck, people: list[Person], coordinator: User, rng: random.Random
) -> dict[str, int]:
    """The survey file, the call transcript, 150 interviews and visits, the TSM figures."""
    lead = people[0]
    survey_year = moved(dt.date(2025, 5, 1)).year
    imports = [
        (
            "survey",
            survey_csv(1300, rng, 2025),
            f"tsm-survey-{survey_year}.csv",
            f"TSM survey {survey_year}",
            7,
            1,
        ),
        (
            "transcript",
            transcript(rng),
            "repairs-call.vtt",
            "Video call with the repairs team",
            12,
            3,
        ),
    ]
    counts = {}
    for kind, data, filename, title, month, day in imports:
        batch = services.evidence_import(
            check=baseline,
            kind=kind,
            data=data,
            filename=filename,
            title=title,
            gathered_on=moved(dt.date(2025, month, day)),
            person=lead,
            actor=coordinator,
        )
        counts[f"{kind}_items"] = batch.items
    for index in range(150):
        _note_add(baseline, index, people, coordinator, rng)
    figures = FIGURES.format(y=season(dt.date(baseline.year - 1, 1, 1)))
    services.tsm_figures_import(
        check=baseline, data=figures.encode(), filename="tsm.csv", actor=coordinator
    )
    return counts


def _note_add(
    baseline: HealthCheck, index: int, people: list[Person], coordinator: User, rng: random.Random
) -> None:
    """The five staff interviews, then tenants met on visits: every third an observation."""
    source, text = INTERVIEWS[index % len(INTERVIEWS)]
    if index >= len(INTERVIEWS):
        text = tenant_comment(rng.choice(list(TOPICS)), rng)
        source = rng.choice(VISITS)
    services.evidence_add(
        check=baseline,
        kind="interview" if index % 3 else "observation",
        source=source,
        text=text,
        gathered_on=moved(dt.date(2025, 12, 1) + dt.timedelta(days=index % 60)),
        person=people[index % len(people)],
        actor=coordinator,
    )


def _themes_review(baseline: HealthCheck, coordinator: User, *, lead: Person) -> int:
    """The engine suggests themes (run in-line, the fast engine); the evaluators rename each in
    their own words, merge duplicates and discard what is not useful. Returns how many."""
    version = (baseline.theme_runs.aggregate(v=Max("version"))["v"] or 0) + 1
    run = ThemeRun.objects.create(
        health_check=baseline, version=version, engine="tfidf", created_by=coordinator
    )
    services.theme_run_execute(run.pk)
    themes = list(Theme.objects.filter(health_check=baseline).order_by("id"))
    named: dict[str, Theme] = {}
    for theme in themes:
        words = " ".join([theme.label, *theme.keywords]).lower()
        label = next((name for key, name in PLAIN_THEMES if key in words), None)
        if label is None:
            services.theme_decide(theme=theme, action="discard", person=lead, actor=None)
        elif label in named:
            services.theme_decide(
                theme=theme, action="merge", into=named[label], person=lead, actor=None
            )
        else:
            named[label] = services.theme_decide(
                theme=theme, action="rename", label=label, person=lead, actor=None
            )
    return len(themes)


def _evidence_code(
    baseline: HealthCheck, people: list[Person], promises: dict[str, Promise]
) -> None:
    """The first two evaluators code the first 60 items to promises; they disagree now and
    then (one in seven), as real coders do."""
    in_order = list(promises.values())
    for index, item in enumerate(list(baseline.evidence.order_by("id")[:60])):
        about = next((p for w, p in PROMISE_KEYWORDS.items() if w in item.text.lower()), "")
        promise = promises.get(about, in_order[index % 6])
        for evaluator in people[:2]:
            services.coding_add(
                item=item,
                coder=evaluator,
                actor=None,
                theme=None,
                promise=promise
                if (index + people.index(evaluator)) % 7
                else in_order[(index + 1) % 6],
            )


def _judgements_write(baseline: HealthCheck, promises: dict[str, Promise], *, lead: Person) -> None:
    accepted = list(Theme.objects.filter(health_check=baseline, status="accepted"))
    for title, (rating, narrative, strengths, improve) in JUDGEMENTS.items():
        promise = promises.get(title)
        if promise is None:
            continue
        quotes = list(baseline.evidence.filter(codings__promise=promise).distinct()[:3])
        services.judgement_save(
            check=baseline,
            promise=promise,
            person=lead,
            expected_version=None,
            actor=None,
            data={
                "rating": rating,
                "narrative": narrative,
                "strengths": strengths,
                "improve": improve,
                "themes": accepted[:2],
                "quotes": quotes,
            },
        )


def _report_write(baseline: HealthCheck, *, lead: Person) -> None:
    for section in baseline.sections.all():
        services.section_save(
            section=section,
            title=section.title,
            body=REPORT.get(section.title, ""),
            expected_version=section.version,
            person=lead,
            actor=None,
        )


def _recommendations_answer(
    baseline: HealthCheck, promises: dict[str, Promise], coordinator: User
) -> None:
    """What the evaluators recommend, the board's answer, and the work it started."""
    for text, promise_title, agreed, response in RECOMMENDATIONS:
        rec = Recommendation.objects.create(
            health_check=baseline,
            text=text,
            promise=promises.get(promise_title),
            board_response=response,
            board_agreed=agreed,
            responded_on=moved(dt.date(2026, 3, 25)),
        )
        action = Action.objects.create(
            recommendation=rec,
            description=text,
            owner="Director of housing",
            due_on=moved(dt.date(2026, 9, 30)),
            status="in_progress",
        )
        ActionUpdate.objects.create(
            action=action, text="Work has started.", status="in_progress", by=coordinator
        )


def _second_year_start(
    promise_set: PromiseSet, people: list[Person], coordinator: User
) -> HealthCheck:
    starts = moved(dt.date(2026, 11, 1))
    second = services.check_create(
        promise_set=promise_set,
        year=starts.year,
        title=f"Health check {season(starts)}",
        scale="rag",
        actor=coordinator,
        board_date=moved(dt.date(2027, 3, 24)),
        starts_on=starts,
    )
    HealthCheck.objects.filter(pk=second.pk).update(stage="gathering")
    for person in people:
        Evaluator.objects.create(health_check=second, person=person)
    return second


def _second_year_gather(
    second: HealthCheck,
    promises: dict[str, Promise],
    lead: Person,
    coordinator: User,
    rng: random.Random,
) -> int:
    """This year's survey is in, and the evaluators have an early view of three promises."""
    survey_year = moved(dt.date(2026, 5, 1)).year
    services.evidence_import(
        check=second,
        kind="survey",
        data=survey_csv(200, rng, 2026),
        filename=f"tsm-survey-{survey_year}.csv",
        title=f"TSM survey {survey_year}",
        gathered_on=moved(dt.date(2026, 7, 1)),
        person=lead,
        actor=coordinator,
    )
    for title, rating in SECOND_YEAR.items():
        promise = promises.get(title)
        if promise is not None:
            Judgement.objects.create(
                health_check=second,
                promise=promise,
                rating=rating,
                narrative="Early view: better than last year.",
                updated_by=lead,
            )
    return second.evidence.count()
