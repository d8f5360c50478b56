"""`coproduce demo` builds Riverside Homes and a few years of its tenants' involvement.

The story, chapter by chapter (each a module of this package):

1. the organisation and its people (`riverside`, `plan`, `people`, `names`), one login in every
   role (`logins`) and sign-ups waiting on the "Get involved" queue (`sign_ups`);
2. whose voice is heard: equality answers given with consent (`equality`), and the projects and
   sessions on every channel (`involvement`, `sessions`, `panel`, `promises_project`,
   `repairs`, `health_check_project`, `support_requests`);
3. the customer promises the tenants wrote (`promises`);
4. the annual health check of those promises (`evidence`, `health_check`);
5. rewards for the time people gave (`rewards`);
6. their stories and the difference it made (`stories`);
7. a month of messages on every channel, with failures, fallbacks and replies (`messages`);
8. the Tenant Satisfaction Measures of the last two reporting years, published (`tsm`).

Every generated value comes from `random.Random(seed)`, and every date is laid out around the
day the demo is built for (`today`, moved from the reference date by whole weeks: see
`riverside`), so the same seed and the same week always give the same demo, and any other week
the same story shape. Running it again adds nothing that is already there (people
are matched by `external_ref`, logins by email, sign-ups by name).
"""

from __future__ import annotations

import datetime as dt
import time
from typing import Any, TextIO

from django.conf import settings
from django.db import transaction

from coproduce.accounts.models import User
from coproduce.core.audit import audit_record
from coproduce.demo.involvement import build_involvement_story
from coproduce.demo.logins import DEMO_LOGINS, logins_ensure, logins_table
from coproduce.demo.messages import build_messages_demo
from coproduce.demo.people import areas_ensure, people_ensure
from coproduce.demo.plan import demo_plan
from coproduce.demo.rewards import build_rewards_demo
from coproduce.demo.riverside import (
    AREAS,
    REF_PREFIX,
    REFERENCE_DATE,
    moved,
    story_around,
    story_today,
)
from coproduce.demo.sign_ups import sign_ups_ensure
from coproduce.demo.stories import build_stories_demo
from coproduce.demo.tsm import build_tsm_demo
from coproduce.people.models import Involvement, Person

PROGRESS_FROM = 5_000  # homes; smaller builds take a second or two and need no progress bar


def demo_exists() -> bool:
    """True once a demo has been loaded (its coordinator login or its first person exists)."""
    return (
        User.objects.filter(email=DEMO_LOGINS[0].email).exists()
        or Person.objects.filter(external_ref__startswith=REF_PREFIX).exists()
    )


def demo_build(
    *,
    homes: int,
    seed: int,
    stdout: TextIO,
    today: dt.date = REFERENCE_DATE,
    progress: bool | None = None,
) -> dict[str, Any]:
    """Build (or complete) the demo organisation in one transaction, its story laid out
    around `today` (the command passes the real date); returns counts."""
    started = time.perf_counter()
    if progress is None:
        progress = homes >= PROGRESS_FROM
    with transaction.atomic(), story_around(today):
        stats = _chapters(homes=homes, seed=seed, progress=progress)
    stats["seconds"] = round(time.perf_counter() - started, 2)
    _print_summary(stats, stdout)
    return stats


def _chapters(*, homes: int, seed: int, progress: bool) -> dict[str, Any]:
    area_ids, areas_created = areas_ensure()
    plan, rng = demo_plan(homes=homes, seed=seed)
    added = {
        "people_created": people_ensure(plan, rng, area_ids, progress=progress),
        "areas_created": areas_created,
        "logins_created": logins_ensure(plan),
        "sign_ups_created": sign_ups_ensure(),
    }
    logins = {login.key: login.email for login in DEMO_LOGINS}
    story = {
        "story": build_involvement_story(plan=plan, seed=seed, logins=logins),
        "rewards": build_rewards_demo(seed=seed),
        "stories": build_stories_demo(seed=seed),
        "messages": build_messages_demo(seed=seed),
        "tsm": build_tsm_demo(seed=seed),
    }
    if any(added.values()):
        audit_record(
            action="demo.built",
            object_type="people.person",
            summary=f"Demo organisation loaded: {added['people_created']} people, "
            f"{added['logins_created']} logins (seed {seed})",
        )
    return _stats(homes=homes, seed=seed, added=added, story=story)


def _stats(
    *, homes: int, seed: int, added: dict[str, int], story: dict[str, Any]
) -> dict[str, Any]:
    people = Person.objects.filter(external_ref__startswith=REF_PREFIX)
    pool = people.filter(involvement=Involvement.ACTIVE)
    return {
        "homes": homes,
        "seed": seed,
        "people": people.count(),
        "people_created": added["people_created"],
        "areas": len(AREAS),
        "areas_created": added["areas_created"],
        "pool": pool.count(),
        "core_before": moved(dt.date(2017, 1, 1)),
        "pool_core": pool.filter(involved_since__lt=moved(dt.date(2017, 1, 1))).count(),
        "pool_last_two_years": pool.filter(
            involved_since__gte=story_today() - dt.timedelta(days=730)
        ).count(),
        "logins_created": added["logins_created"],
        "sign_ups_created": added["sign_ups_created"],
        **story,
    }


def _print_summary(stats: dict[str, Any], stdout: TextIO) -> None:
    organisation = getattr(settings, "ORGANISATION_NAME", "Riverside Homes")
    stdout.write(
        f"{organisation} demo (seed {stats['seed']}): {stats['people']:,} homes, one lead tenant "
        f"or customer each, in {stats['areas']} areas; {stats['people_created']:,} people added "
        f"this run in {stats['seconds']} s.\n"
        f"Involvement pool: {stats['pool']:,} people, {stats['pool_core']} of them "
        f"first involved before {stats['core_before']:%B %Y}, {stats['pool_last_two_years']} "
        "joined in the last two "
        f"years. 'Get involved' sign-ups added: {stats['sign_ups_created']}. "
        f"Logins added: {stats['logins_created']}.\n\n"
    )
    stdout.write(logins_table())
