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
    total = len(decisions)
    if total == 0:
        return LadderResult(
            rung=None,
            summary="No decisions have been recorded yet, so the "
            "project cannot be measured. Record decisions in the decision log.",
        )
    ordered = sorted(decisions, key=lambda d: d.decided_on)
    with_tenants = sum(1 for d in decisions if d.decided_by in WITH_TENANTS)
    views = sum(1 for d in decisions if d.views_recorded)
    fed_back = sum(1 for d in decisions if d.feedback_given)
    share_with = with_tenants / total
    share_views = views / total
    share_fed = fed_back / total
    involved = first_tenant_joined is not None or tenant_sessions > 0
    before_join = (
        sum(1 for d in decisions if d.decided_on < first_tenant_joined)
        if first_tenant_joined
        else total
    )
    involved_first = (
        first_tenant_joined is not None and first_tenant_joined <= ordered[0].decided_on
    )

    checks = [
        Check(
            "Were tenants involved before the first decision?",
            "Yes"
            if involved_first
            else (
                f"No: the first decision was on {ordered[0].decided_on:%d %B %Y}"
                + (
                    f", tenants joined on {first_tenant_joined:%d %B %Y}"
                    if first_tenant_joined
                    else ", and no tenants have joined"
                )
            ),
            involved_first,
        ),
        Check(
            "How many decisions were made by tenants or with them?",
            f"{with_tenants} of {total} ({_pct(share_with)})",
            share_with >= 0.75,
        ),
        Check(
            "Were decisions made before tenants joined?",
            "None" if before_join == 0 else f"{before_join} of {total}",
            before_join == 0,
        ),
        Check(
            'Were tenants told what happened and why ("you said, we did")?',
            f"{fed_back} of {total} decisions fed back ({_pct(share_fed)})",
            share_fed >= 0.75,
        ),
        Check(
            "Were tenants' views recorded for each decision?",
            f"{views} of {total} ({_pct(share_views)})",
            share_views >= 0.5,
        ),
    ]

    if involved_first and before_join == 0 and share_with >= 0.75 and share_fed >= 0.75:
        rung = Ladder.CO_PRODUCTION
        why = "tenants were there from the start and made or shared most decisions"
    elif involved and share_with >= 0.5 and before_join <= 1:
        rung = Ladder.CO_DESIGN
        why = "tenants made or shared at least half the decisions"
    elif involved and share_with >= 0.25:
        rung = Ladder.ENGAGEMENT
        why = "tenants shared some decisions, but staff or the board made most"
    elif involved and share_views >= 0.5:
        rung = Ladder.CONSULTATION
        why = "tenants were asked for their views, but staff or the board decided"
    elif share_fed > 0:
        rung = Ladder.INFORMING
        why = "tenants were told about decisions but had no real say"
    elif involved:
        rung = Ladder.EDUCATING
        why = (
            "tenants took part, but their views were not recorded and they were not told "
            "what was decided"
        )
    else:
        rung = Ladder.COERCION
        why = "decisions were made without tenants and they were not told"
    return LadderResult(
        rung=rung,
        summary=f"Measured as {rung.label.lower()}: {why}.",
        checks=checks,
        decisions=total,
        share_with_tenants=share_with,
        share_fed_back=share_fed,
    )
