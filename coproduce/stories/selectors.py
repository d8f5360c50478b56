"""Reads for stories and impact: who may see what, learning across stories, outcomes and the
value report. Every count shown to people leaves here through `suppress`."""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.core.cache import cache
from django.db.models import Count, Prefetch, Q, QuerySet, Sum
from django.utils import timezone

from coproduce.accounts import roles
from coproduce.core.suppression import suppress
from coproduce.projects.models import Decision, Project
from coproduce.rewards.selectors import rewards_paid_total
from coproduce.stories.models import (
    GuideQuestion,
    ImpactChange,
    JournalEntry,
    JournalFile,
    Opportunity,
    SelfAssessment,
    ShareConsent,
    Story,
    StoryAnswer,
    StoryConsent,
)

# Access ---------------------------------------------------------------------------------


def team_projects(user: Any) -> QuerySet[Project]:
    """Projects the user is part of: as project staff, owner, or member (tenants)."""
    if not getattr(user, "is_authenticated", False):
        return Project.objects.none()
    return Project.objects.filter(
        Q(staff__user=user) | Q(owner=user) | Q(members__person__user=user)
    ).distinct()


def journal_for_project(user: Any, project: Project) -> QuerySet[JournalEntry]:
    entries = (
        JournalEntry.objects.filter(project=project)
        .select_related("author")
        .prefetch_related(Prefetch("files", queryset=JournalFile.objects.order_by("id")))
    )
    if not roles.sees_whole_journal(user, project):
        entries = entries.exclude(consent=ShareConsent.PROJECT)
    return entries


def stories_for_user(user: Any) -> QuerySet[Story]:
    stories = Story.objects.select_related("project", "guide", "interviewer")
    if not getattr(user, "is_authenticated", False):
        return stories.none()
    visible = Q(project__in=team_projects(user)) | Q(interviewer=user)
    if roles.can_see_stories(user):
        visible |= Q(consent__in=[StoryConsent.INTERNAL, StoryConsent.PUBLIC])
    return stories.filter(visible)


def public_story(public_id: Any) -> Story | None:
    return (
        Story.objects.select_related("project", "guide")
        .filter(public_id=public_id, consent=StoryConsent.PUBLIC)
        .first()
    )


def public_answers(story: Story) -> list[StoryAnswer]:
    """Only what the storyteller agreed to share in public."""
    if story.consent != StoryConsent.PUBLIC:
        return []
    return list(
        story.answers.filter(shareable=True)
        .exclude(text="")
        .select_related("question")
        .order_by("question__number")
    )


def public_stories() -> QuerySet[Story]:
    return Story.objects.filter(consent=StoryConsent.PUBLIC).select_related("project")


# Learning across stories ----------------------------------------------------------------


@dataclass
class Quote:
    text: str
    story: Story


@dataclass
class Theme:
    label: str
    keywords: list[str]
    size: int  # sentences in the theme
    stories: int  # stories they come from
    quotes: list[Quote]


@dataclass
class QuestionLearning:
    question: GuideQuestion
    answers: int
    themes: list[Theme] = field(default_factory=list)


SENTENCE = re.compile(r"[^.!?]+[.!?]*")


def _sentences(text: str) -> list[str]:
    """Answers often hold several ideas; theming sentences keeps "time" apart from "sceptical
    colleagues" in one answer about challenges."""
    found = [m.group(0).strip() for m in SENTENCE.finditer(text)]
    return [s for s in found if len(s.split()) >= 3] or [text.strip()]


def _theme_texts(ids: list[str], texts: list[str]) -> dict[str, Any]:
    """Theme with the insight engine; cached by the texts, so a page reload is cheap."""
    digest = hashlib.sha256("\x1f".join(ids + texts).encode()).hexdigest()[:40]
    key = f"stories:themes:{digest}"
    cached = cache.get(key)
    if cached is not None:
        return dict(cached)
    from coproduce.insight.engine import analyse

    result = analyse(ids, texts, engine="tfidf", seed=42)
    themed = {
        "themes": list(result["themes"]),
        "items": {item["id"]: item["theme"] for item in result["items"]},
    }
    cache.set(key, themed, 24 * 3600)
    return themed


def learning(*, guide_slug: str = "default") -> list[QuestionLearning]:
    """Themes of the answers to each guide question, across stories consented for sharing
    (internal or public; private stories stay with their project team)."""
    answers = (
        StoryAnswer.objects.filter(story__guide__slug=guide_slug)
        .exclude(story__consent=StoryConsent.PRIVATE)
        .select_related("question", "story", "story__project")
    )
    by_question: dict[int, list[StoryAnswer]] = defaultdict(list)
    for answer in answers.order_by("question__number", "story_id"):
        if answer.text.strip():
            by_question[answer.question_id].append(answer)
    result = []
    for question in GuideQuestion.objects.filter(guide__slug=guide_slug).order_by("number"):
        group = by_question.get(question.pk, [])
        item = QuestionLearning(question=question, answers=len(group))
        if group:
            pieces: dict[str, tuple[str, StoryAnswer]] = {}
            for answer in group:
                for index, sentence in enumerate(_sentences(answer.text)):
                    pieces[f"{answer.pk}:{index}"] = (sentence, answer)
            ids = list(pieces)
            themed = _theme_texts(ids, [pieces[i][0] for i in ids])
            members: dict[str, set[int]] = defaultdict(set)
            for piece_id, theme_id in themed["items"].items():
                if theme_id and piece_id in pieces:
                    members[theme_id].add(pieces[piece_id][1].story_id)
            for theme in themed["themes"]:
                quotes = [
                    Quote(text=pieces[q][0], story=pieces[q][1].story)
                    for q in theme["quotes"][:3]
                    if q in pieces
                ]
                item.themes.append(
                    Theme(
                        label=str(theme["label"]),
                        keywords=list(theme["keywords"]),
                        size=int(theme["size"]),
                        stories=len(members[theme["id"]]),
                        quotes=quotes,
                    )
                )
        result.append(item)
    return result


# Impact on people -----------------------------------------------------------------------

MEASURES = [
    ("confidence", "Confidence"),
    ("skills", "Skills"),
    ("listened_to", "Feeling listened to"),
]


@dataclass
class PersonChange:
    measure: str
    label: str
    first: int
    latest: int

    @property
    def change(self) -> int:
        return self.latest - self.first

    @property
    def size(self) -> int:
        return abs(self.change)


def person_outcomes(person: Any) -> tuple[list[SelfAssessment], list[PersonChange]]:
    checks = list(SelfAssessment.objects.filter(person=person).order_by("taken_on", "id"))
    changes = []
    if len(checks) >= 2:
        first, latest = checks[0], checks[-1]
        changes = [
            PersonChange(key, label, getattr(first, key), getattr(latest, key))
            for key, label in MEASURES
        ]
    return checks, changes


@dataclass
class OutcomeRow:
    label: str
    better: int | None
    same: int | None
    worse: int | None
    total: int | None


@dataclass
class OutcomeSummary:
    people_checked_in: int | None
    people_compared: int | None
    rows: list[OutcomeRow]
    opportunities: list[tuple[str, int | None]]


def outcomes_summary(*, start: dt.date | None = None, end: dt.date | None = None) -> OutcomeSummary:
    """Change between each person's first and latest check-in, counted and suppressed."""
    checks = SelfAssessment.objects.all()
    if start:
        checks = checks.filter(taken_on__gte=start)
    if end:
        checks = checks.filter(taken_on__lte=end)
    per_person: dict[int, list[SelfAssessment]] = defaultdict(list)
    for check in checks.order_by("person_id", "taken_on", "id"):
        per_person[check.person_id].append(check)
    compared = [c for c in per_person.values() if len(c) >= 2]
    rows = []
    for key, label in MEASURES:
        counts = {"better": 0, "same": 0, "worse": 0}
        for person_checks in compared:
            delta = getattr(person_checks[-1], key) - getattr(person_checks[0], key)
            counts["better" if delta > 0 else "worse" if delta < 0 else "same"] += 1
        shown = suppress(counts)
        rows.append(
            OutcomeRow(
                label, shown.cells["better"], shown.cells["same"], shown.cells["worse"], shown.total
            )
        )
    opportunity_counts = {code: 0 for code, _ in Opportunity.choices}
    for person_checks in per_person.values():
        said = {code for check in person_checks for code in check.opportunities}
        for code in said & set(opportunity_counts):
            opportunity_counts[code] += 1
    shown_opps = suppress(opportunity_counts)
    labels = dict(Opportunity.choices)
    return OutcomeSummary(
        people_checked_in=suppress({"all": len(per_person)}).total,
        people_compared=suppress({"all": len(compared)}).total,
        rows=rows,
        opportunities=[(labels[code], shown_opps.cells[code]) for code in opportunity_counts],
    )


# Impact on the organisation -------------------------------------------------------------


def impact_log(
    *, project: Project | None = None, start: dt.date | None = None, end: dt.date | None = None
) -> QuerySet[ImpactChange]:
    changes = ImpactChange.objects.select_related("project", "recorded_by").prefetch_related(
        Prefetch("decisions", queryset=Decision.objects.order_by("decided_on")),
        Prefetch("stories", queryset=Story.objects.order_by("title")),
    )
    if project is not None:
        changes = changes.filter(project=project)
    if start:
        changes = changes.filter(changed_on__gte=start)
    if end:
        changes = changes.filter(changed_on__lte=end)
    return changes


def support_demand(months: int = 12) -> list[dict[str, Any]]:
    from coproduce.projects.selectors import support_demand_by_month

    return support_demand_by_month(months)


# The value report -----------------------------------------------------------------------


def _year_bounds(year: int) -> tuple[dt.date, dt.date, dt.datetime, dt.datetime]:
    tz = timezone.get_current_timezone()
    start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
    return (
        start,
        end,
        dt.datetime.combine(start, dt.time.min, tzinfo=tz),
        dt.datetime.combine(end + dt.timedelta(days=1), dt.time.min, tzinfo=tz),
    )


def _involvement(
    start: dt.date, end: dt.date, start_at: dt.datetime, end_at: dt.datetime
) -> dict[str, Any]:
    """Minutes in sessions and other time given in the year, who gave them, and the projects
    they went to."""
    from coproduce.meetings.models import Attendance, TimeGiven

    attendances = Attendance.objects.filter(
        meeting__starts_at__gte=start_at, meeting__starts_at__lt=end_at
    )
    time_given = TimeGiven.objects.filter(on__gte=start, on__lte=end)
    return {
        "session_minutes": attendances.aggregate(m=Sum("minutes"))["m"] or 0,
        "other_minutes": time_given.aggregate(m=Sum("minutes"))["m"] or 0,
        "people": set(attendances.values_list("person_id", flat=True))
        | set(time_given.values_list("person_id", flat=True)),
        "project_ids": set(attendances.values_list("meeting__project_id", flat=True))
        | set(time_given.values_list("project_id", flat=True)),
    }


def _active_projects(project_ids: set[int], start: dt.date, end: dt.date) -> list[Project]:
    """Projects with time given, journal entries or changes in the year, each with how many
    decisions it made then."""
    active_ids = (
        project_ids
        | set(
            JournalEntry.objects.filter(happened_on__range=(start, end)).values_list(
                "project_id", flat=True
            )
        )
        | set(
            ImpactChange.objects.filter(changed_on__range=(start, end)).values_list(
                "project_id", flat=True
            )
        )
    )
    return list(
        Project.objects.filter(pk__in=active_ids)
        .annotate(
            decision_count=Count(
                "decisions", filter=Q(decisions__decided_on__range=(start, end)), distinct=True
            )
        )
        .order_by("title")
    )


def _shared_stories(start: dt.date, end: dt.date) -> list[Story]:
    """Stories recorded in the year that may be shared, with their answers in question order."""
    return list(
        Story.objects.filter(recorded_on__range=(start, end))
        .exclude(consent=StoryConsent.PRIVATE)
        .select_related("project")
        .prefetch_related(
            Prefetch(
                "answers",
                queryset=StoryAnswer.objects.select_related("question").order_by(
                    "question__number"
                ),
            )
        )
    )


def _lightbulbs(start: dt.date, end: dt.date) -> list[JournalEntry]:
    """Journal "lightbulb moments" of the year shared beyond the project."""
    return list(
        JournalEntry.objects.filter(happened_on__range=(start, end))
        .exclude(consent=ShareConsent.PROJECT)
        .exclude(lightbulb="")
        .select_related("project")
        .order_by("happened_on")[:10]
    )


def value_report(*, year: int) -> dict[str, Any]:
    from coproduce.diversity.selectors import dashboard

    start, end, start_at, end_at = _year_bounds(year)
    involvement = _involvement(start, end, start_at, end_at)
    session_minutes, other_minutes = involvement["session_minutes"], involvement["other_minutes"]
    projects = _active_projects(involvement["project_ids"], start, end)
    stories = _shared_stories(start, end)
    # Up to nine quotes: answers to questions 4, 6 and 8 of the interview guide.
    quotes = [
        (story, answer)
        for story in stories
        for answer in story.answers.all()
        if answer.question.number in (4, 6, 8) and answer.text.strip()
    ][:9]
    diversity = dashboard(raw=False, start=start, end=end)
    return {
        "year": year,
        "start": start,
        "end": end,
        "projects": projects,
        "people": suppress({"all": len(involvement["people"])}).total,
        "hours_sessions": round(session_minutes / 60, 1),
        "hours_other": round(other_minutes / 60, 1),
        "hours_total": round((session_minutes + other_minutes) / 60, 1),
        "diversity": [
            t
            for t in diversity.tables
            if t.key in ("age", "ethnicity", "disability", "carer", "digital")
        ],
        "rewards": rewards_paid_total(start=start, end=end),
        "changes": list(impact_log(start=start, end=end)),
        "outcomes": outcomes_summary(start=start, end=end),
        "stories": stories,
        "quotes": quotes,
        "lightbulbs": _lightbulbs(start, end),
    }
