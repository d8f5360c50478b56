"""The demo gives the same tables for the same seed, on SQLite and PostgreSQL, whatever the day.

The demo lays its story out around the day it is built for (`today`), never around the clock,
so building it for the same day with the clock a year and a day on gives the same fingerprint,
and so does any day of the same week (dates move by whole weeks). Built for REFERENCE_DATE,
the day the story is written around, it gives exactly the data recorded here. What the
fingerprint reads and what it leaves out (random tokens, password hashes, clock times set by
services) is in tests/demo/fingerprint.py.

FINGERPRINT was recorded from the demo as it was before it moved out of coproduce/core/ (issue
#14), and kept when the dates learnt to move with `--today` (issue #15). It changed once, on
purpose, when the story gained what a newcomer must see on the day they build it (issue #15,
"a demo that never goes stale"): three health check sessions in the weeks after today instead
of two ten weeks on, the evaluators' paid training in the week before (so the current tax
year has rewards), and a quick question about repair reminders waiting for the demo tenants.
Only those tables changed: sessions with their invitations, attendance, staff and rooms (and
the participation counts the triggers keep), the health check project (its start in October,
active, its members' joining day), a second reward offer with its lines and ledger entries,
the quick question and its recipients, and three audit entries.

It changed again, on purpose, when the demo gained a month of messages (issue #16, "the demo
shows a month of messages across channels"): invitations and reminders for the October panel
and the evaluators' training, invitations to the three health check sessions to come, and
"reward issued" for the batch paid in the middle of the month, each made by messaging's `send`
with its ordinary key, with what became of it (delivered, bounced or failed and fallen back,
printed, phoned, on the phone list), replies by text, by post and by phone, and two texts
waiting on the queue. The new tables are messages, texts received and contact preferences
(a few large-print letters, a supporter copied in, the bounced addresses; reply-slip
references come from a generator seeded with the demo's seed). Of the tables already there,
only these changed: the invitations to those sessions (one answered by text, reply slip or
phone now says so, when, and who typed it in; and when reminders went), the sessions' new
(empty) count of change notices, and the audit entries of the replies and the bounces.

It was recorded a third time when letters by post were merged in the same issue: the new
columns of quick questions (their answer choices and whether several may be ticked), the
letter packs table and each message's link to its pack are part of the schema the fingerprint
reads; the demo's rows are the same. All three tests (same seed, another date, another day of
the same week) gave the same new value on SQLite.

And once more when invitation, reminder and change emails gained a reply link that needs no
sign-in: the emails' words changed (the link is the message's key signed with the site's
secret, with no time in it, so the same build gives the same words).

And again when the demo gained its Tenant Satisfaction Measures (issue #17): two reporting years,
each with its survey file, methodology statement and management figures, the later one weighted
by age band, both published. The new tables are the tsm app's; of the tables already there only
the audit log gained rows (the years' creation, imports, figures and publication). The time
each year was published is the story's (20 June after the year), not the clock's.
"""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.utils import timezone

from coproduce.demo.build import demo_build
from coproduce.demo.riverside import REFERENCE_DATE
from tests.demo.fingerprint import demo_fingerprint

HOMES = 300
SEED = 2026
FINGERPRINT = "87714734d12b2359ccc7fabda640c4b8063095d4a3cb554102c97e101a43fd2b"


def build(today: dt.date = REFERENCE_DATE) -> None:
    demo_build(homes=HOMES, seed=SEED, today=today, stdout=io.StringIO(), progress=False)


@pytest.mark.django_db(transaction=True, reset_sequences=True)
def test_the_demo_builds_the_same_tables_for_the_same_seed():
    build()
    assert demo_fingerprint() == FINGERPRINT


@pytest.mark.django_db(transaction=True, reset_sequences=True)
def test_the_demo_does_not_depend_on_the_day_it_is_built(monkeypatch):
    now = timezone.now
    monkeypatch.setattr(timezone, "now", lambda: now() + dt.timedelta(days=366))
    build()
    assert demo_fingerprint() == FINGERPRINT


@pytest.mark.django_db(transaction=True, reset_sequences=True)
def test_any_day_of_the_same_week_builds_the_same_tables():
    build(today=REFERENCE_DATE + dt.timedelta(days=6))
    assert demo_fingerprint() == FINGERPRINT
