"""Whose voice is heard: projects, sessions on every channel, who came, what was decided, and
equality answers given with consent.

A long-running residents' panel where the same old people come every time, a year of tenants
co-designing the customer promises (measured as co-production), a repairs project where staff
had decided before asking (measured as consultation), this year's health check under way with
its sessions coming up, the promises group meeting a year on and a quick question waiting for
answers; then the promises themselves and the health checks of them. Deterministic for a seed;
runs once.
"""

from __future__ import annotations

from coproduce.demo.cast import cast_gather
from coproduce.demo.equality import equality_answers_record
from coproduce.demo.health_check import build_health_check_demo
from coproduce.demo.health_check_project import health_check_project
from coproduce.demo.lately import lately
from coproduce.demo.panel import residents_panel
from coproduce.demo.plan import Plan
from coproduce.demo.promises import build_promises_story
from coproduce.demo.promises_project import promises_project
from coproduce.demo.repairs import repairs_project
from coproduce.demo.riverside import PROMISES_TITLE
from coproduce.demo.sessions import venues_ensure
from coproduce.demo.support_requests import support_requests_add
from coproduce.projects.models import Project


def story_exists() -> bool:
    return Project.objects.filter(title=PROMISES_TITLE).exists()


def build_involvement_story(*, plan: Plan, seed: int, logins: dict[str, str]) -> dict[str, int]:
    """Add the involvement story. `logins` maps login key -> email."""
    if story_exists():
        return {}
    cast = cast_gather(plan=plan, seed=seed, logins=logins)
    counts = {"equality_records": equality_answers_record(plan, cast.people, cast.rng)}
    rooms = venues_ensure()
    counts.update(residents_panel(cast, rooms))
    counts.update(promises_project(cast, rooms))
    counts.update(repairs_project(cast, rooms))
    counts.update(health_check_project(cast, rooms))
    counts["support_requests"] = support_requests_add(cast.colleague, cast.rng)
    counts.update(lately(cast, rooms))
    counts.update(build_promises_story(seed=seed))
    counts.update(build_health_check_demo(seed=seed))
    return counts
