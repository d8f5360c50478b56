"""The demo's annual health checks: a completed baseline and a second year under way.

Evidence goes in through the real import path (a generated TSM survey file, interview notes
and a meeting transcript), so masking, theming and coding are exercised exactly as in use.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import random
from typing import Any

from coproduce.evaluation import services
from coproduce.evaluation.models import (
    Action,
    ActionUpdate,
    Evaluator,
    HealthCheck,
    Judgement,
    Recommendation,
    Theme,
)
from coproduce.promises.models import PromiseSet

TOPICS: dict[str, dict[str, Any]] = {
    "repairs": {
        "promise": "Safe, warm homes",
        "tp": {"TP02": 2, "TP03": 2},
        "lines": [
            "I reported a leak {when} and it took {weeks} weeks for anyone to come.",
            "The repair was done but not fixed properly, so they came back {n} times.",
            "Nobody turned up for the repair appointment and nobody rang to say why.",
            "Repairs take too long. I waited {weeks} weeks for a new {part}.",
            "The contractor was polite and fixed the {part} first time, which was a nice change.",
            "My {part} has been broken since {when} and I have chased it {n} times.",
        ],
    },
    "damp": {
        "promise": "Safe, warm homes",
        "tp": {"TP05": 2},
        "lines": [
            "There is black mould in the {room} again. They painted over it and it came back.",
            "Damp in the {room} is making my children's asthma worse.",
            "They did a damp survey {when} but nothing has happened since.",
            "The mould treatment worked this time and someone checked on us after.",
        ],
    },
    "listening": {
        "promise": "Listen and act",
        "tp": {"TP06": 2},
        "lines": [
            "I feel like nobody listens. I have raised the same thing {n} times.",
            "They ask for our views but nothing changes afterwards.",
            "The housing officer listened to me and actually did something about it.",
            "I went to a residents' meeting and it felt like the decisions were already made.",
            "When I complained about the {issue} they listened and sorted it within days.",
        ],
    },
    "informed": {
        "promise": "Keep you informed",
        "tp": {"TP07": 2},
        "lines": [
            "Letters are full of jargon and I never know what is happening with my {part}.",
            "I only found out about the works on the estate when the scaffolding went up.",
            "The text message reminders for appointments are really helpful.",
            "Nobody told me the repair had been cancelled. I took a day off work for nothing.",
            "The newsletter was clear and told us what changed because of what tenants said.",
        ],
    },
    "respect": {
        "promise": "Treat you with respect",
        "tp": {"TP08": 4},
        "lines": [
            "Staff on the phone were kind and patient with me.",
            "I felt talked down to when I rang about my {issue}.",
            "The caretaker always says hello and treats us like people.",
            "Because I have a mental health condition I felt judged by the officer.",
            "They were respectful and explained everything, even in my own language.",
        ],
    },
    "complaints": {
        "promise": "Put things right",
        "tp": {"TP09": 1},
        "lines": [
            "My complaint about the {issue} took {weeks} weeks to get a reply.",
            "They apologised and put it right, and I got some compensation.",
            "I made a complaint and it went round in circles between departments.",
            "Nobody explained how to escalate my complaint.",
        ],
    },
    "community": {
        "promise": "Stronger communities",
        "tp": {"TP11": 3, "TP12": 2},
        "lines": [
            "The anti-social behaviour on the {place} has got worse and nothing is done.",
            "The community garden on {place} has brought neighbours together.",
            "Fly-tipping by the bins is a constant problem.",
            "The communal areas are cleaned well and the grass is cut regularly.",
            "Young people have nothing to do on the estate so they hang about the {place}.",
        ],
    },
}
FILLS = {
    "when": ["in January", "last spring", "before Christmas", "three months ago", "in the summer"],
    "weeks": ["3", "5", "six", "8", "twelve"],
    "n": ["two", "three", "four", "5"],
    "part": ["boiler", "front door", "window", "kitchen tap", "extractor fan", "radiator"],
    "room": ["bathroom", "bedroom", "kitchen", "hallway"],
    "issue": ["noise", "the lift", "parking", "the communal heating", "a neighbour dispute"],
    "place": ["Mill Street green", "the shops", "the play area", "the car park"],
}
INTERVIEWS = [
    (
        "Interview with the head of repairs",
        "The repairs backlog is about 1,400 jobs. Routine "
        "repairs target is 28 days but we average 34. Contractor capacity is the main issue.",
    ),
    (
        "Interview with a complaints officer",
        "Stage one complaints should be answered in 10 "
        "working days. About a third are late because the service areas reply slowly.",
    ),
    (
        "Interview with a housing officer",
        "Each officer has around 400 homes. We rarely get time "
        "to visit people who are not in touch with us, so the quiet ones get missed.",
    ),
    (
        "Interview with the communications lead",
        "We are rewriting all standard letters in plain "
        "English with a tenant reading panel, starting with repairs letters.",
    ),
    (
        "Observation at the customer contact centre",
        "Calls were answered politely. Two callers "
        "were transferred three times before reaching someone who could help.",
    ),
]


def _comment(topic: str, rng: random.Random) -> str:
    line = rng.choice(TOPICS[topic]["lines"])
    for key, options in FILLS.items():
        line = line.replace("{" + key + "}", rng.choice(options), 1)
    return line


def _survey_csv(rows: int, rng: random.Random, year: int) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["respondent_id", "date", *[f"TP{i:02d}" for i in range(1, 13)], "comment"])
    topics = list(TOPICS)
    weights = [5, 3, 3, 3, 2, 2, 2]
    for index in range(1, rows + 1):
        topic = rng.choices(topics, weights)[0]
        scores = {f"TP{i:02d}": rng.randint(2, 5) for i in range(1, 13)}
        for code, low in TOPICS[topic]["tp"].items():
            scores[code] = max(1, min(5, low + rng.randint(-1, 1)))
        comment = _comment(topic, rng)
        if rng.random() < 0.25:
            comment += " " + _comment(rng.choice(topics), rng)
        day = dt.date(year, 5, 1) + dt.timedelta(days=rng.randint(0, 60))
        writer.writerow(
            [
                f"S{year}-{index:05d}",
                day.isoformat(),
                *[scores[f"TP{i:02d}"] if rng.random() > 0.05 else "" for i in range(1, 13)],
                comment,
            ]
        )
    return out.getvalue().encode()


def _transcript(rng: random.Random) -> bytes:
    lines = ["WEBVTT", ""]
    t = 0
    speakers = ["Evaluator", "Repairs manager", "Evaluator", "Resident"]
    for turn in range(40):
        speaker = speakers[turn % len(speakers)]
        text = (
            "What happens when a repair is reported?"
            if speaker == "Evaluator"
            else _comment(rng.choice(["repairs", "informed", "listening"]), rng)
        )
        lines += [
            f"00:{t // 60:02d}:{t % 60:02d}.000 --> 00:{(t + 8) // 60:02d}:{(t + 8) % 60:02d}.000",
            f"<v {speaker}>{text}",
            "",
        ]
        t += 10
    return "\n".join(lines).encode()


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


def build_health_check_demo(*, seed: int) -> dict[str, int]:
    promise_set = PromiseSet.objects.filter(
        title="Our customer promises", status="published"
    ).first()
    if promise_set is None or HealthCheck.objects.filter(promise_set=promise_set).exists():
        return {}
    rng = random.Random(seed * 101 + 3)
    project = promise_set.project
    coordinator = project.owner
    from coproduce.projects.models import Project

    check_project = Project.objects.filter(title__startswith="Annual health check").first()
    people = [
        m.person for m in (check_project or project).members.select_related("person").order_by("id")
    ][:8]
    counts: dict[str, int] = {}
    baseline = services.check_create(
        promise_set=promise_set,
        year=2025,
        title="Health check 2025-26 (baseline)",
        scale="rag",
        actor=coordinator,
        board_date=dt.date(2026, 3, 25),
        starts_on=dt.date(2025, 11, 1),
        ends_on=dt.date(2026, 3, 31),
    )
    HealthCheck.objects.filter(pk=baseline.pk).update(
        stage="follow_up",
        plan_people="The repairs manager, a complaints officer, housing "
        "officers, the contact centre, and tenants who never come to meetings.",
        plan_data="The TSM survey comments and scores, complaints figures, repairs times.",
    )
    for person in people:
        Evaluator.objects.create(health_check=baseline, person=person)
    lead = people[0] if people else None
    batch = services.evidence_import(
        check=baseline,
        kind="survey",
        data=_survey_csv(1300, rng, 2025),
        filename="tsm-survey-2025.csv",
        title="TSM survey 2025",
        gathered_on=dt.date(2025, 7, 1),
        person=lead,
        actor=coordinator,
    )
    counts["survey_items"] = batch.items
    batch = services.evidence_import(
        check=baseline,
        kind="transcript",
        data=_transcript(rng),
        filename="repairs-call.vtt",
        title="Video call with the repairs team",
        gathered_on=dt.date(2025, 12, 3),
        person=lead,
        actor=coordinator,
    )
    counts["transcript_items"] = batch.items
    for index in range(150):
        source, text = INTERVIEWS[index % len(INTERVIEWS)]
        if index >= len(INTERVIEWS):
            text = _comment(rng.choice(list(TOPICS)), rng)
            source = rng.choice(
                [
                    "Door-knocking on the Millbrook estate",
                    "Conversation at the sheltered scheme coffee morning",
                    "Phone call with a tenant who never comes to meetings",
                ]
            )
        services.evidence_add(
            check=baseline,
            kind="interview" if index % 3 else "observation",
            source=source,
            text=text,
            gathered_on=dt.date(2025, 12, 1) + dt.timedelta(days=index % 60),
            person=people[index % len(people)] if people else None,
            actor=coordinator,
        )
    figures = (
        "code,value,year\nRP01,3.1,2024-25\nRP02,81%,2024-25\nBS01,99.8,2024-25\n"
        "BS02,100,2024-25\nCH01,38.2,2024-25\nCH02,71%,2024-25\nNM01,24.5,2024-25\n"
    )
    services.tsm_figures_import(
        check=baseline, data=figures.encode(), filename="tsm.csv", actor=coordinator
    )
    # The demo runs the engine in-line (no worker yet) with the fast engine.
    from django.db.models import Max

    from coproduce.evaluation.models import ThemeRun

    version = (baseline.theme_runs.aggregate(v=Max("version"))["v"] or 0) + 1
    run = ThemeRun.objects.create(
        health_check=baseline, version=version, engine="tfidf", created_by=coordinator
    )
    services.theme_run_execute(run.pk)
    # The evaluators review every suggested theme: rename in their own words, merge
    # duplicates, discard what is not useful.
    plain = [
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
    themes = list(Theme.objects.filter(health_check=baseline).order_by("id"))
    named: dict[str, Theme] = {}
    for theme in themes:
        words = " ".join([theme.label, *theme.keywords]).lower()
        label = next((name for key, name in plain if key in words), None)
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
    counts["themes"] = len(themes)
    promises = {p.title: p for p in promise_set.promises.filter(dropped=False)}
    items = list(baseline.evidence.order_by("id")[:60])
    for index, item in enumerate(items):
        keywords = {
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
        topic_promise = next((p for w, p in keywords.items() if w in item.text.lower()), "")
        promise = promises.get(topic_promise, list(promises.values())[index % 6])
        for evaluator in people[:2]:
            services.coding_add(
                item=item,
                coder=evaluator,
                actor=None,
                theme=None,
                promise=promise
                if (index + people.index(evaluator)) % 7
                else list(promises.values())[(index + 1) % 6],
            )
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
    for section in baseline.sections.all():
        body = {
            "Introduction": "We are tenants and customers of Riverside Homes. Last year we "
            "wrote the customer promises. This year we checked whether they are "
            "kept. Nobody from the staff team told us what to find.",
            "How we did it": "We read 1,300 survey comments, talked to staff and tenants we "
            "chose, listened to a call with the repairs team and went "
            "door-knocking. A computer suggested themes; we checked every one.",
            "What we found": "Staff are kind, but repairs, damp and letters let people down.",
            "What must change": "Repairs on time, plain-English letters, and telling people "
            "what happened because of what they said.",
        }.get(section.title, "")
        services.section_save(
            section=section,
            title=section.title,
            body=body,
            expected_version=section.version,
            person=lead,
            actor=None,
        )
    for text, promise_title, agreed, response in [
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
    ]:
        rec = Recommendation.objects.create(
            health_check=baseline,
            text=text,
            promise=promises.get(promise_title),
            board_response=response,
            board_agreed=agreed,
            responded_on=dt.date(2026, 3, 25),
        )
        action = Action.objects.create(
            recommendation=rec,
            description=text,
            owner="Director of housing",
            due_on=dt.date(2026, 9, 30),
            status="in_progress",
        )
        ActionUpdate.objects.create(
            action=action, text="Work has started.", status="in_progress", by=coordinator
        )
    counts["baseline_items"] = baseline.evidence.count()
    second = services.check_create(
        promise_set=promise_set,
        year=2026,
        title="Health check 2026-27",
        scale="rag",
        actor=coordinator,
        board_date=dt.date(2027, 3, 24),
        starts_on=dt.date(2026, 11, 1),
    )
    HealthCheck.objects.filter(pk=second.pk).update(stage="gathering")
    for person in people:
        Evaluator.objects.create(health_check=second, person=person)
    services.evidence_import(
        check=second,
        kind="survey",
        data=_survey_csv(200, rng, 2026),
        filename="tsm-survey-2026.csv",
        title="TSM survey 2026",
        gathered_on=dt.date(2026, 7, 1),
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
    counts["second_year_items"] = second.evidence.count()
    return counts
