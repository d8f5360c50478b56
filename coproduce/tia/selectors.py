"""What the TIA evidence pack shows: the evidence the platform already holds, for each required
outcome of the regulator's Transparency, Influence and Accountability Standard (`standard.py`).

Reads only. The pack is built with a fixed number of queries however many projects, decisions,
promise sets or health checks there are: every list is one grouped query, and nothing is
fetched per row. Figures about people are aggregates, and small counts are suppressed the same
way as everywhere else (`core.suppression`); the whose-voice tables are always the suppressed
ones, whoever is looking.

Every figure links back to the page it comes from, but only when the viewer may open that page:
`Viewer` answers with the same questions the target views ask (`roles`, and the projects and
health checks each person may see), worked out once, never per row.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db.models import Count, Min, Q, Subquery
from django.urls import reverse
from django.utils import timezone

from coproduce.accounts import roles
from coproduce.core.suppression import suppress
from coproduce.diversity import selectors as diversity
from coproduce.evaluation import selectors as evaluation
from coproduce.evaluation.models import (
    RATINGS,
    Action,
    ActionStatus,
    Evaluator,
    HealthCheck,
    Judgement,
    Recommendation,
    Scale,
    Stage,
)
from coproduce.messaging.models import Message
from coproduce.messaging.models import Status as MessageStatus
from coproduce.projects import ladder
from coproduce.projects import selectors as projects
from coproduce.projects.models import Decision, Ladder, Project, ProjectMember
from coproduce.promises.models import (
    Ballot,
    BoardMeeting,
    CoDesigner,
    Comment,
    Promise,
    PromiseSet,
    Proposal,
    SetStatus,
    Vote,
)
from coproduce.tia import standard
from coproduce.tsm import selectors as tsm_selectors

if TYPE_CHECKING:
    from coproduce.accounts.models import User

# Promise sets the pack reports: the ones the board has adopted and the ones published.
REPORTED_SETS = (SetStatus.ADOPTED, SetStatus.PUBLISHED)
# How many of the latest "you said, we did" decisions the pack quotes.
LATEST_DECISIONS = 5
# The complaints measures read as context (TSM management information).
COMPLAINT_CODES = ("TP09", "CH01", "CH02")
PRESENTED = (Stage.PRESENTED, Stage.FOLLOW_UP)


# --- figures and who may follow them ------------------------------------------------------------
@dataclass(frozen=True)
class Figure:
    """One figure on the pack, and the page it comes from (None: shown without a link, because
    the viewer may not open that page). `about` says what the link is about, for screen readers."""

    value: str
    url: str | None = None
    about: str = ""


def hidden_count(n: int | None) -> str:
    """A count of people as words: small numbers are not shown, so nobody can be identified."""
    if n is None:
        return f"fewer than {settings.SUPPRESSION_THRESHOLD}"
    return str(n)


def people(n: int) -> int | None:
    """A count of people, suppressed when small (0 names nobody and is shown)."""
    return suppress({"n": n}).cells["n"]


@dataclass(frozen=True)
class Viewer:
    """What the person reading the pack may open, asked once with the target views' own rules."""

    project_ids: frozenset[int] | None  # None: every project
    check_ids: frozenset[int] | None  # None: every health check
    staff: bool
    diversity: bool
    messages: bool
    project_list: bool

    def project(self, pk: int) -> bool:
        return self.project_ids is None or pk in self.project_ids

    def check(self, pk: int) -> bool:
        return self.check_ids is None or pk in self.check_ids

    def promise_set(self, status: str, project_id: int) -> bool:
        # roles.can_see_set: adopted and published sets are open to all staff; otherwise whoever
        # may see the set's project.
        return (status in roles.SET_OPEN_TO_STAFF and self.staff) or self.project(project_id)


def viewer_for(user: User) -> Viewer:
    project_ids = (
        None
        if roles.can_see_all_projects(user)
        else frozenset(projects.projects_for_user(user).values_list("pk", flat=True))
    )
    check_ids = (
        None
        if roles.can_see_all_projects(user) or roles.can_read_equality_records(user)
        else frozenset(evaluation.checks_for_user(user).values_list("pk", flat=True))
    )
    return Viewer(
        project_ids=project_ids,
        check_ids=check_ids,
        staff=roles.is_staff_member(user),
        diversity=roles.can_see_diversity(user),
        messages=roles.can_see_messages(user),
        # The project list's own rule (projects.views.project_list).
        project_list=roles.can_see_all_projects(user)
        or roles.is_tenant(user)
        or roles.can_request_support(user),
    )


def _link(allowed: bool, url: str) -> str | None:
    return url if allowed else None


# --- 1.3 engagement: decisions influenced by tenants ----------------------------------------------
@dataclass
class ProjectRow:
    title: Figure
    decisions: Figure
    with_tenants: Figure
    fed_back: Figure
    measured: Figure
    team_view: str


@dataclass
class DecisionQuote:
    project: Figure
    decided_on: dt.date
    summary: str
    you_said: str
    we_did: str
    fed_back_on: dt.date | None


@dataclass
class Engagement:
    decisions: int
    with_tenants: int
    views_recorded: int
    fed_back: int
    rows: list[ProjectRow]
    latest: list[DecisionQuote]
    rungs: dict[str, int]
    told_decisions: Figure
    told_reached: Figure
    co_production: int
    measured: int
    told: int
    list_url: str | None = None

    def _total(self, value: str, about: str) -> Figure:
        return Figure(value, self.list_url, about)

    @property
    def total(self) -> Figure:
        return self._total(str(self.decisions), "all projects")

    @property
    def total_with_tenants(self) -> Figure:
        value = f"{self.with_tenants} ({_pct(self.with_tenants, self.decisions)})"
        return self._total(value, "all projects")

    @property
    def total_views(self) -> Figure:
        value = f"{self.views_recorded} ({_pct(self.views_recorded, self.decisions)})"
        return self._total(value, "all projects")

    @property
    def total_fed_back(self) -> Figure:
        return self._total(
            f"{self.fed_back} ({_pct(self.fed_back, self.decisions)})", "all projects"
        )

    @property
    def total_co_production(self) -> Figure:
        return self._total(f"{self.co_production} of {self.measured} measured", "all projects")


def _day(day: dt.date) -> str:
    return f"{day.day} {day:%B %Y}"


def _pct(part: int, whole: int) -> str:
    return f"{round(100 * part / whole)}%" if whole else "–"


def engagement(viewer: Viewer) -> Engagement:
    project_list = list(
        Project.objects.order_by("title", "id").values("pk", "title", "team_ladder")
    )
    first_joined = dict(
        ProjectMember.objects.values("project_id")
        .annotate(first=Min("joined_on"))
        .values_list("project_id", "first")
        .order_by()
    )
    by_project: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for d in Decision.objects.order_by("decided_on", "id").values(
        "pk",
        "project_id",
        "decided_on",
        "decided_by",
        "summary",
        "tenant_views",
        "feedback",
        "feedback_on",
    ):
        by_project[d["project_id"]].append(dict(d))

    rows: list[ProjectRow] = []
    latest: list[DecisionQuote] = []
    rungs: Counter[str] = Counter()
    totals = Counter[str]()
    for p in project_list:
        decisions = by_project.get(p["pk"], [])
        facts = [
            ladder.DecisionFacts(
                decided_on=d["decided_on"],
                decided_by=d["decided_by"],
                views_recorded=bool(d["tenant_views"].strip()),
                feedback_given=bool(d["feedback"].strip()),
            )
            for d in decisions
        ]
        measured = ladder.measure(first_tenant_joined=first_joined.get(p["pk"]), decisions=facts)
        with_tenants = sum(1 for f in facts if f.decided_by in ladder.WITH_TENANTS)
        fed_back = sum(1 for f in facts if f.feedback_given)
        totals["decisions"] += len(facts)
        totals["with_tenants"] += with_tenants
        totals["views"] += sum(1 for f in facts if f.views_recorded)
        totals["fed_back"] += fed_back
        if measured.rung is not None:
            rungs[measured.label] += 1
        visible = viewer.project(p["pk"])
        detail = reverse("projects:detail", args=[p["pk"]])
        title = p["title"]
        rows.append(
            ProjectRow(
                title=Figure(title, _link(visible, detail)),
                decisions=Figure(
                    str(len(facts)), _link(visible, detail + "#decisions"), f"decisions: {title}"
                ),
                with_tenants=Figure(
                    f"{with_tenants} ({_pct(with_tenants, len(facts))})",
                    _link(visible, detail + "#decisions"),
                    f"decisions made with tenants: {title}",
                ),
                fed_back=Figure(
                    f"{fed_back} ({_pct(fed_back, len(facts))})",
                    _link(visible, detail + "#decisions"),
                    f"decisions fed back: {title}",
                ),
                measured=Figure(
                    measured.label, _link(visible, detail + "#ladder"), f"ladder: {title}"
                ),
                team_view=Ladder(p["team_ladder"]).label
                if p["team_ladder"] is not None
                else "Not said",
            )
        )
        if visible:
            latest.extend(
                DecisionQuote(
                    project=Figure(title, detail + "#decisions"),
                    decided_on=d["decided_on"],
                    summary=d["summary"],
                    you_said=d["tenant_views"].strip(),
                    we_did=d["feedback"].strip(),
                    fed_back_on=d["feedback_on"],
                )
                for d in decisions
                if d["feedback"].strip()
            )
    latest.sort(key=lambda q: q.decided_on, reverse=True)

    told = Message.objects.filter(
        kind="you_said_we_did", fallback_of__isnull=True, about__startswith="projects.decision:"
    ).aggregate(
        decisions=Count("about", distinct=True),
        reached=Count("pk", filter=~Q(status=MessageStatus.NOT_SENT)),
    )
    outbox = reverse("messaging:outbox") + "?kind=you_said_we_did"
    return Engagement(
        decisions=totals["decisions"],
        with_tenants=totals["with_tenants"],
        views_recorded=totals["views"],
        fed_back=totals["fed_back"],
        rows=rows,
        latest=latest[:LATEST_DECISIONS],
        rungs=dict(rungs),
        told_decisions=Figure(
            str(told["decisions"]), _link(viewer.messages, outbox), "decisions told to members"
        ),
        told_reached=Figure(
            str(told["reached"]), _link(viewer.messages, outbox), "“you said, we did” messages"
        ),
        co_production=rungs.get(Ladder.CO_PRODUCTION.label, 0),
        measured=sum(rungs.values()),
        told=told["decisions"],
        list_url=_link(viewer.project_list, reverse("projects:list")),
    )


# --- 1.2 diverse needs: who took part, and who we serve -------------------------------------------
@dataclass
class VoiceRow:
    label: str
    population: str
    participants: str
    population_share: str
    participant_share: str


@dataclass
class VoiceTable:
    name: str
    rows: list[VoiceRow]
    similarity: str
    summary: list[str]


@dataclass
class Voice:
    participants: Figure
    population: Figure
    tables: list[VoiceTable]
    anyone: bool = field(default=False)


def _share(value: float | None) -> str:
    return "–" if value is None else f"{round(value * 100)}%"


def _count(value: int | None) -> str:
    return "hidden" if value is None else str(value)


def voice(viewer: Viewer) -> Voice:
    """The whose-voice figures for all involvement, always suppressed (never per person)."""
    board = diversity.dashboard(raw=False)
    url = _link(viewer.diversity, reverse("diversity:dashboard"))
    tables = [
        VoiceTable(
            name=t.name,
            rows=[
                VoiceRow(
                    r.label,
                    _count(r.population),
                    _count(r.participants),
                    _share(r.population_share),
                    _share(r.participant_share),
                )
                for r in t.rows
            ],
            similarity=_share(t.similarity),
            summary=t.summary,
        )
        for t in board.tables
    ]
    return Voice(
        participants=Figure(hidden_count(board.participants), url, "people who took part"),
        population=Figure(hidden_count(board.population), url, "people we serve"),
        tables=tables,
        anyone=bool(board.participants),
    )


# --- 1.4 information: the customer promises and how they were made -------------------------------
@dataclass
class SetRow:
    title: Figure
    status: str
    promises: Figure
    tenants: Figure
    proposals: Figure
    votes: Figure
    ballots: Figure
    board: str
    date: dt.date | None


def _per_set(rows: Any) -> dict[int, int]:
    return {pk: n for pk, n in rows}


def promise_sets(viewer: Viewer) -> list[SetRow]:
    reported = Q(promise_set__status__in=REPORTED_SETS)
    sets = list(
        PromiseSet.objects.filter(status__in=REPORTED_SETS).order_by(
            "-published_on", "-adopted_on", "-id"
        )
    )
    live = _per_set(
        Promise.objects.filter(reported, dropped=False)
        .values("promise_set_id")
        .annotate(n=Count("id"))
        .values_list("promise_set_id", "n")
        .order_by()
    )
    proposals = _per_set(
        Proposal.objects.filter(reported)
        .values("promise_set_id")
        .annotate(n=Count("id"))
        .values_list("promise_set_id", "n")
        .order_by()
    )
    votes = _per_set(
        Vote.objects.filter(proposal__promise_set__status__in=REPORTED_SETS)
        .values("proposal__promise_set_id")
        .annotate(n=Count("id"))
        .values_list("proposal__promise_set_id", "n")
        .order_by()
    )
    # Everyone who took part in making each set: proposed, commented, voted, ranked, or is
    # credited as a co-designer. Counted once each, then suppressed when small.
    took_part: dict[int, set[int]] = defaultdict(set)
    sources = [
        Proposal.objects.filter(reported, proposed_by__isnull=False).values_list(
            "promise_set_id", "proposed_by_id"
        ),
        Comment.objects.filter(
            proposal__promise_set__status__in=REPORTED_SETS, person__isnull=False
        ).values_list("proposal__promise_set_id", "person_id"),
        Vote.objects.filter(proposal__promise_set__status__in=REPORTED_SETS).values_list(
            "proposal__promise_set_id", "person_id"
        ),
        Ballot.objects.filter(reported).values_list("promise_set_id", "person_id"),
        CoDesigner.objects.filter(reported).values_list("promise_set_id", "person_id"),
    ]
    ballots: Counter[int] = Counter()
    for source in sources:
        for set_id, person_id in source.distinct().order_by():
            took_part[set_id].add(person_id)
            if source.model is Ballot:  # one ballot per person and set
                ballots[set_id] += 1
    meetings: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for m in BoardMeeting.objects.filter(reported).values("promise_set_id", "held_on", "outcome"):
        meetings[m["promise_set_id"]].append(dict(m))

    rows = []
    for s in sets:
        visible = viewer.promise_set(s.status, s.project_id)
        page = _link(visible, reverse("promises:set", args=[s.pk]))
        public = (
            reverse("promises:public", args=[s.pk]) if s.status == SetStatus.PUBLISHED else page
        )
        held = meetings.get(s.pk, [])
        if held:
            last = held[-1]
            outcome = {"adopted": "adopted", "returned": "returned with comments"}.get(
                last["outcome"], "no outcome recorded"
            )
            board = (
                f"Presented {len(held)} time{'s' if len(held) != 1 else ''}; last on "
                f"{_day(last['held_on'])} ({outcome})"
            )
        else:
            board = "No board meeting recorded"
        rows.append(
            SetRow(
                title=Figure(s.title, public or page),
                status=s.get_status_display(),
                promises=Figure(str(live.get(s.pk, 0)), public, f"promises in {s.title}"),
                tenants=Figure(
                    hidden_count(people(len(took_part.get(s.pk, ())))),
                    page,
                    f"tenants who helped make {s.title}",
                ),
                proposals=Figure(str(proposals.get(s.pk, 0)), page, f"proposals for {s.title}"),
                votes=Figure(str(votes.get(s.pk, 0)), page, f"votes on {s.title}"),
                ballots=Figure(str(ballots.get(s.pk, 0)), page, f"ranking ballots for {s.title}"),
                board=board,
                date=s.published_on or s.adopted_on,
            )
        )
    return rows


# --- 1.5 performance: health checks, their findings and the board's actions ----------------------
@dataclass
class CheckRow:
    title: Figure
    year: int
    stage: str
    evaluators: str
    judged: Figure
    ratings: list[tuple[str, int]]
    recommendations: Figure
    answered: Figure
    actions: Figure
    actions_by_status: list[tuple[str, int]]
    report: Figure


@dataclass
class JudgementRow:
    promise: str
    rating: Figure


@dataclass
class Performance:
    checks: list[CheckRow]
    latest: CheckRow | None
    latest_judgements: list[JudgementRow]
    latest_recommendations: list[dict[str, Any]]


def performance(viewer: Viewer) -> Performance:
    checks = list(HealthCheck.objects.order_by("-year", "-id"))
    ratings: dict[int, Counter[str]] = defaultdict(Counter)
    for row in (
        Judgement.objects.values("health_check_id", "rating").annotate(n=Count("id")).order_by()
    ):
        ratings[row["health_check_id"]][row["rating"]] += row["n"]
    recs = {
        row["health_check_id"]: row
        for row in Recommendation.objects.values("health_check_id")
        .annotate(n=Count("id"), answered=Count("id", filter=~Q(board_response="")))
        .order_by()
    }
    actions: dict[int, Counter[str]] = defaultdict(Counter)
    for row in (
        Action.objects.values("recommendation__health_check_id", "status")
        .annotate(n=Count("id"))
        .order_by()
    ):
        actions[row["recommendation__health_check_id"]][row["status"]] += row["n"]
    evaluators = dict(
        Evaluator.objects.values("health_check_id")
        .annotate(n=Count("id"))
        .values_list("health_check_id", "n")
        .order_by()
    )
    status_labels = dict(ActionStatus.choices)

    rows = []
    for c in checks:
        visible = viewer.check(c.pk)
        labels = dict(RATINGS[Scale(c.scale)])
        judged = sum(ratings[c.pk].values())
        rec = recs.get(c.pk, {"n": 0, "answered": 0})
        follow_up = _link(visible, reverse("evaluation:follow_up", args=[c.pk]))
        total_actions = sum(actions[c.pk].values())
        presented = c.stage in PRESENTED
        rows.append(
            CheckRow(
                title=Figure(c.title, _link(visible, reverse("evaluation:check", args=[c.pk]))),
                year=c.year,
                stage=c.get_stage_display(),
                evaluators=hidden_count(people(evaluators.get(c.pk, 0))),
                judged=Figure(
                    str(judged),
                    _link(visible, reverse("evaluation:judgements", args=[c.pk])),
                    f"promises judged in {c.title}",
                ),
                ratings=[
                    (label, ratings[c.pk][code])
                    for code, label in labels.items()
                    if ratings[c.pk][code]
                ],
                recommendations=Figure(str(rec["n"]), follow_up, f"recommendations in {c.title}"),
                answered=Figure(
                    str(rec["answered"]),
                    follow_up,
                    f"recommendations the board answered, {c.title}",
                ),
                actions=Figure(str(total_actions), follow_up, f"actions agreed, {c.title}"),
                actions_by_status=[
                    (status_labels[code], actions[c.pk][code])
                    for code in ActionStatus.values
                    if actions[c.pk][code]
                ],
                report=Figure(
                    (
                        "Presented to the board"
                        + (f" on {_day(c.board_date)}" if c.board_date else "")
                    )
                    if presented
                    else "Not presented yet",
                    _link(visible, reverse("evaluation:report", args=[c.pk])),
                    f"the report of {c.title}",
                ),
            )
        )

    latest_id = Subquery(HealthCheck.objects.order_by("-year", "-id").values("pk")[:1])
    latest = rows[0] if rows else None
    judgements = list(
        Judgement.objects.filter(health_check_id=latest_id)
        .select_related("promise", "health_check")
        .order_by("promise__position", "promise_id")
    )
    recommendations = list(
        Recommendation.objects.filter(health_check_id=latest_id)
        .select_related("promise")
        .order_by("id")
    )
    by_rec: dict[int, Counter[str]] = defaultdict(Counter)
    for row in (
        Action.objects.filter(recommendation__health_check_id=latest_id)
        .values("recommendation_id", "status")
        .annotate(n=Count("id"))
        .order_by()
    ):
        by_rec[row["recommendation_id"]][row["status"]] += row["n"]
    judgement_rows = [
        JudgementRow(
            promise=j.promise.title,
            rating=Figure(
                evaluation.rating_label(j.health_check, j.rating),
                _link(
                    viewer.check(j.health_check_id),
                    reverse("evaluation:judgements", args=[j.health_check_id])
                    + f"#promise-{j.promise_id}",
                ),
                f"judgement on {j.promise.title}",
            ),
        )
        for j in judgements
    ]
    rec_rows = [
        {
            "text": r.text,
            "promise": r.promise.title if r.promise else "",
            "agreed": r.get_board_agreed_display() if r.board_agreed else "Not answered yet",
            "response": r.board_response,
            "actions": [
                (status_labels[code], by_rec[r.pk][code])
                for code in ActionStatus.values
                if by_rec[r.pk][code]
            ],
            "url": _link(
                viewer.check(r.health_check_id),
                reverse("evaluation:follow_up", args=[r.health_check_id]),
            ),
        }
        for r in recommendations
    ]
    return Performance(
        checks=rows,
        latest=latest,
        latest_judgements=judgement_rows,
        latest_recommendations=rec_rows,
    )


# --- 1.6 complaints: the TSM complaints figures, as context ---------------------------------------
@dataclass(frozen=True)
class ComplaintFigure:
    code: str
    name: str
    value: str  # e.g. "part 1: 37.9 per 1,000 homes; part 2: 5.4 per 1,000 homes"
    year: str
    url: str


def complaints_context() -> list[ComplaintFigure]:
    """Satisfaction with complaint handling (TP09) and the complaints measures (CH01, CH02) of
    the newest published year of Tenant Satisfaction Measures, linked to its public page."""
    year, summaries = tsm_selectors.latest_published_summaries()
    if year is None:
        return []
    url = reverse("tsm:publication", args=[year.slug])
    return [
        ComplaintFigure(code, summaries[code].name, summaries[code].text, year.label, url)
        for code in COMPLAINT_CODES
        if code in summaries
    ]


def satisfaction() -> tuple[str, str, list[tuple[str, str, str]]]:
    """The newest published year of Tenant Satisfaction Measures: its label, its public page,
    and (code, name, figures) for every perception measure it has."""
    year, summaries = tsm_selectors.latest_published_summaries()
    if year is None:
        return "", "", []
    rows = [
        (code, summaries[code].name, summaries[code].text)
        for code in tsm_selectors.PERCEPTION_CODES
        if code in summaries
    ]
    return year.label, reverse("tsm:publication", args=[year.slug]), rows


def complaints(viewer: Viewer) -> list[tuple[ComplaintFigure, Figure]]:
    # The published results are public: everyone may follow the link.
    return [(f, Figure(f.value, f.url, f"{f.code} {f.year}")) for f in complaints_context()]


# --- the whole pack -----------------------------------------------------------------------------
SHOWS = {
    "fairness": "We cannot show this with our own records yet.",
    "diverse_needs": "Whether the people who take part are like the people we serve. A group "
    "with a much smaller share among those who took part is under-represented.",
    "engagement": "How often tenants made or shared decisions, and whether we told them what "
    "we did with their views.",
    "information": "The service promises tenants wrote, how many tenants helped, and what the "
    "board did with them.",
    "performance": "Tenants check how well we keep our promises. The board answers what they "
    "recommend and agrees actions.",
    "complaints": "How many complaints we get and how quickly we answer them. This is "
    "background for the other parts.",
}


def gaps(
    *,
    engaged: Engagement,
    voiced: Voice,
    sets: list[SetRow],
    checked: Performance,
    complained: list[tuple[ComplaintFigure, Figure]],
) -> dict[str, list[str]]:
    """What the platform holds no evidence for, said plainly (never filled in with guesses)."""
    found: dict[str, list[str]] = {key: [] for key in SHOWS}
    found["fairness"].append(
        "The platform holds no evidence of fair and respectful treatment. The tenant survey "
        "question on this (TSM measure TP08) is not in this pack yet."
    )
    if not voiced.anyone:
        found["diverse_needs"].append("No one's taking part has been recorded yet.")
    found["diverse_needs"].append(
        "Equality figures count only people who agreed to share them; the rest are "
        "“not known”. This does not show whether our services themselves are fair for each group."
    )
    if not engaged.decisions:
        found["engagement"].append("No decisions have been recorded in any project yet.")
    elif engaged.fed_back < engaged.decisions:
        found["engagement"].append(
            f"{engaged.decisions - engaged.fed_back} decisions have not been fed back to "
            "tenants yet."
        )
    if engaged.told == 0 and engaged.decisions:
        found["engagement"].append("No “you said, we did” message has been sent yet.")
    if not sets:
        found["information"].append("No customer promises have been adopted or published yet.")
    found["information"].append(
        "The platform does not hold our other service information (such as how to report a "
        "repair or how to complain)."
    )
    if not checked.checks:
        found["performance"].append("No health check has been done yet.")
    elif not checked.latest_recommendations:
        found["performance"].append("The latest health check has no recommendations yet.")
    if tsm_selectors.published_years().first() is None:
        found["performance"].append("No Tenant Satisfaction Measures have been published yet.")
    if not complained:
        found["complaints"].append("No complaints figures have been published yet.")
    found["complaints"].append(
        "The platform does not record complaints itself: these figures come from our own "
        "records, published with the Tenant Satisfaction Measures."
    )
    return found


def pack(user: User) -> dict[str, Any]:
    viewer = viewer_for(user)
    engaged = engagement(viewer)
    voiced = voice(viewer)
    sets = promise_sets(viewer)
    checked = performance(viewer)
    complained = complaints(viewer)
    return {
        "standard": standard,
        "outcomes": standard.OUTCOMES,
        "engagement": engaged,
        "voice": voiced,
        "promise_sets": sets,
        "performance": checked,
        "complaints": complained,
        "satisfaction": satisfaction(),
        "shows": SHOWS,
        "gaps": gaps(
            engaged=engaged, voiced=voiced, sets=sets, checked=checked, complained=complained
        ),
        "threshold": settings.SUPPRESSION_THRESHOLD,
        "made_on": timezone.localdate(),
    }
