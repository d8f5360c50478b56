"""Where a project stands on the ladder of co-production, measured from what happened.

The measure reads the decision log and the membership history, never the team's own
opinion, so the two can be shown side by side. Every rule is written as a plain
question with its answer, so anyone can check the result.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from coproduce.projects.models import DecidedBy, Ladder

WITH_TENANTS = {DecidedBy.TENANTS, DecidedBy.TOGETHER}


@dataclass(frozen=True)
class DecisionFacts:
    decided_on: dt.date
    decided_by: str
    views_recorded: bool
    feedback_given: bool


@dataclass
class Check:
    question: str
    answer: str
    good: bool


@dataclass
class LadderResult:
    rung: Ladder | None
    summary: str
    checks: list[Check] = field(default_factory=list)
    decisions: int = 0
    share_with_tenants: float = 0.0
    share_fed_back: float = 0.0

    @property
    def label(self) -> str:
        return self.rung.label if self.rung else "Not enough to measure yet"


def _pct(share: float) -> str:
    return f"{round(share * 100)}%"


@dataclass(frozen=True)
class _Tally:
    """The counts every rule reads, taken once from the decisions."""

    total: int
    with_tenants: int
    views: int
    fed_back: int
    before_join: int
    first_decided_on: dt.date
    first_tenant_joined: dt.date | None
    involved: bool

    @property
    def share_with(self) -> float:
        return self.with_tenants / self.total

    @property
    def share_views(self) -> float:
        return self.views / self.total

    @property
    def share_fed(self) -> float:
        return self.fed_back / self.total

    @property
    def involved_first(self) -> bool:
        joined = self.first_tenant_joined
        return joined is not None and joined <= self.first_decided_on


def _tally(
    decisions: list[DecisionFacts], first_tenant_joined: dt.date | None, tenant_sessions: int
) -> _Tally:
    total = len(decisions)
    return _Tally(
        total=total,
        with_tenants=sum(1 for d in decisions if d.decided_by in WITH_TENANTS),
        views=sum(1 for d in decisions if d.views_recorded),
        fed_back=sum(1 for d in decisions if d.feedback_given),
        before_join=(
            sum(1 for d in decisions if d.decided_on < first_tenant_joined)
            if first_tenant_joined
            else total
        ),
        first_decided_on=min(d.decided_on for d in decisions),
        first_tenant_joined=first_tenant_joined,
        involved=first_tenant_joined is not None or tenant_sessions > 0,
    )


def _first_decision_answer(t: _Tally) -> str:
    if t.involved_first:
        return "Yes"
    joined = (
        f", tenants joined on {t.first_tenant_joined:%d %B %Y}"
        if t.first_tenant_joined
        else ", and no tenants have joined"
    )
    return f"No: the first decision was on {t.first_decided_on:%d %B %Y}" + joined


def _checks(t: _Tally) -> list[Check]:
    return [
        Check(
            "Were tenants involved before the first decision?",
            _first_decision_answer(t),
            t.involved_first,
        ),
        Check(
            "How many decisions were made by tenants or with them?",
            f"{t.with_tenants} of {t.total} ({_pct(t.share_with)})",
            t.share_with >= 0.75,
        ),
        Check(
            "Were decisions made before tenants joined?",
            "None" if t.before_join == 0 else f"{t.before_join} of {t.total}",
            t.before_join == 0,
        ),
        Check(
            'Were tenants told what happened and why ("you said, we did")?',
            f"{t.fed_back} of {t.total} decisions fed back ({_pct(t.share_fed)})",
            t.share_fed >= 0.75,
        ),
        Check(
            "Were tenants' views recorded for each decision?",
            f"{t.views} of {t.total} ({_pct(t.share_views)})",
            t.share_views >= 0.5,
        ),
    ]


def _rung(t: _Tally) -> tuple[Ladder, str]:
    """The highest rung whose rule fits, and why (the rules are listed in ``measure``)."""
    if t.involved_first and t.before_join == 0 and t.share_with >= 0.75 and t.share_fed >= 0.75:
        return (
            Ladder.CO_PRODUCTION,
            "tenants were there from the start and made or shared most decisions",
        )
    if t.involved and t.share_with >= 0.5 and t.before_join <= 1:
        return Ladder.CO_DESIGN, "tenants made or shared at least half the decisions"
    if t.involved and t.share_with >= 0.25:
        return Ladder.ENGAGEMENT, "tenants shared some decisions, but staff or the board made most"
    if t.involved and t.share_views >= 0.5:
        return (
            Ladder.CONSULTATION,
            "tenants were asked for their views, but staff or the board decided",
        )
    if t.share_fed > 0:
        return Ladder.INFORMING, "tenants were told about decisions but had no real say"
    if t.involved:
        return (
            Ladder.EDUCATING,
            "tenants took part, but their views were not recorded and they were not told "
            "what was decided",
        )
    return Ladder.COERCION, "decisions were made without tenants and they were not told"


def measure(
    *,
    first_tenant_joined: dt.date | None,
    decisions: list[DecisionFacts],
    tenant_sessions: int = 0,
) -> LadderResult:
    """Place a project on the ladder from its decisions and when tenants joined.

    Rules, from the top of the ladder down (the first that fits wins):
    - co-production: tenants were involved before the first decision, no decision was made
      before they joined, at least 3 in 4 decisions were made by or with tenants, and at
      least 3 in 4 decisions were fed back to tenants;
    - co-design: at least half the decisions were made by or with tenants, and at most one
      was made before tenants joined;
    - engagement: at least 1 in 4 decisions were made by or with tenants;
    - consultation: tenants took part and their views were recorded for at least half the
      decisions, but staff or the board decided;
    - informing: tenants were told (feedback was given) but had no say;
    - educating / coercion: tenants were neither asked nor told.
    """
    if not decisions:
        return LadderResult(
            rung=None,
            summary="No decisions have been recorded yet, so the "
            "project cannot be measured. Record decisions in the decision log.",
        )
    tally = _tally(decisions, first_tenant_joined, tenant_sessions)
    rung, why = _rung(tally)
    return LadderResult(
        rung=rung,
        summary=f"Measured as {rung.label.lower()}: {why}.",
        checks=_checks(tally),
        decisions=tally.total,
        share_with_tenants=tally.share_with,
        share_fed_back=tally.share_fed,
    )
