"""The retention schedule over the demo organisation, with a frozen clock.

The demo is built once for the module (inside a transaction rolled back at the end), plus
the few kinds of data the demo does not hold (evidence originals, a private transcript, a
receipt, a finished export, a declined and a confirmed sign-up, a restricted person and an
open request). Every table is compared before and after a run: exactly the rows the schedule
names change or go, in exactly the fields it names, and nothing else.
"""

from __future__ import annotations

import datetime as dt
import io
from collections import defaultdict

import pytest
from django.apps import apps
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import Max, Sum
from django.test import override_settings
from django.utils import timezone

from coproduce.accounts.models import User
from coproduce.accounts.roles import STAFF_ROLES, Role
from coproduce.core.models import AuditEntry
from coproduce.demo.build import demo_build
from coproduce.diversity.models import EqualityConsent, EqualityRecord
from coproduce.evaluation.models import EvidenceItem, EvidenceOriginal, HealthCheck
from coproduce.meetings.models import Meeting, TimeGiven
from coproduce.messaging.models import WAITING as MESSAGES_WAITING
from coproduce.messaging.models import InboundStatus, InboundText, Message
from coproduce.people import services as people_services
from coproduce.people.models import Interest, InterestStatus, Person
from coproduce.privacy.models import DataRequest, RequestKind, RequestStatus
from coproduce.privacy.retention import (
    AUDIT_ACTION,
    LINE_PLACEHOLDER,
    RUN_ACTION,
    retention_apply,
    retention_plan,
)
from coproduce.projects.models import ProjectMember, ProjectStatus
from coproduce.rewards.models import ExpenseClaim, LedgerEntry, RewardLine, Voucher
from coproduce.stories.models import InterviewGuide, JournalFile, Story

TODAY = dt.date(2033, 5, 1)  # more than 6 tax years after the demo's payments
EARLIER = dt.date(2028, 6, 1)  # 18 months after the demo: only some rules are due
LEDGER_LIMIT = dt.date(2027, 4, 5)  # tax year 2026-27 ended 6 tax years before TODAY


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker, tmp_path_factory):
    media = tmp_path_factory.mktemp("media")
    with django_db_blocker.unblock(), override_settings(MEDIA_ROOT=media):
        outer = transaction.atomic()
        outer.__enter__()
        try:
            demo_build(homes=300, seed=2026, stdout=io.StringIO())
            extras = _add_what_the_demo_lacks()
            yield extras
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


def _add_what_the_demo_lacks() -> dict:
    coordinator = User.objects.filter(role=Role.COORDINATOR).first()
    extras: dict = {}
    # Evidence originals: one on the check presented to the board, one on the check still
    # gathering evidence (kept: its report is not published).
    for check in HealthCheck.objects.all():
        item = EvidenceItem.objects.filter(health_check=check).first()
        EvidenceOriginal.objects.create(item=item, text=f"Unmasked words of item {item.pk}")
    # A private story with a raw transcript in the finished project.
    public = Story.objects.exclude(transcript="").get()
    private = Story.objects.create(
        project=public.project,
        guide=InterviewGuide.objects.first(),
        title="A private interview",
        storyteller_name="Someone",
        interviewer=coordinator,
        recorded_on=dt.date(2025, 10, 1),
        consent="private",
        source="transcript",
        transcript="Q: How was it?\nA: Good.",
        transcript_format="txt",
        parts=[{"text": "Good.", "at": 0, "speaker": "A", "question": 1, "asks": False}],
    )
    extras["private_story"] = private.pk
    # A receipt on the demo's expense claim.
    claim = ExpenseClaim.objects.first()
    name = default_storage.save("rewards/receipts/retention-test.png", ContentFile(b"png"))
    ExpenseClaim.objects.filter(pk=claim.pk).update(receipt=name)
    extras["receipt"] = name
    # Sign-ups: one declined, one confirmed (kept: it became a person's record).
    waiting = list(Interest.objects.filter(status=InterestStatus.NEW).order_by("pk")[:2])
    people_services.interest_decline(interest=waiting[0], actor=coordinator)
    people_services.interest_confirm(interest=waiting[1], actor=coordinator)
    # Two people with equality answers whose data is held: one restricted, one with an open
    # subject access request (and an export made for it, kept while the request is open).
    # (Neither has reward records, so the demo's ledger is all due.)
    answered = list(
        Person.objects.filter(equality__isnull=False, reward_lines__isnull=True)
        .exclude(expense_claims__isnull=False)
        .order_by("pk")[:2]
    )
    Person.objects.filter(pk=answered[0].pk).update(processing_restricted=True)
    open_export = default_storage.save("privacy/exports/open.zip", ContentFile(b"zip"))
    DataRequest.objects.create(
        kind=RequestKind.ACCESS,
        person=answered[1],
        received_on=dt.date(2026, 11, 20),
        due_on=dt.date(2026, 12, 20),
        export_file=open_export,
    )
    # A finished export, closed long ago: its file goes.
    done_export = default_storage.save("privacy/exports/done.zip", ContentFile(b"zip"))
    DataRequest.objects.create(
        kind=RequestKind.ACCESS,
        person=Person.objects.order_by("pk").last(),
        received_on=dt.date(2026, 10, 1),
        due_on=dt.date(2026, 11, 1),
        status=RequestStatus.DONE,
        completed_at=timezone.now(),
        export_file=done_export,
    )
    extras["held"] = {answered[0].pk, answered[1].pk}
    extras["open_export"], extras["done_export"] = open_export, done_export
    return extras


# ---------------------------------------------------------------------------------------------
# Every table, every row


def snapshot() -> dict[str, dict]:
    tables = {}
    for model in apps.get_models(include_auto_created=True):
        names = [f.attname for f in model._meta.concrete_fields]
        pk = model._meta.pk.attname
        tables[model._meta.label_lower] = {
            values[pk]: values for values in model._base_manager.order_by().values(*names)
        }
    return tables


def diff(before: dict, after: dict) -> tuple[dict, dict, dict]:
    """(deleted, changed, added): {table: {pk: ...}}; changed maps pk to the changed fields."""
    deleted, changed, added = defaultdict(set), defaultdict(dict), defaultdict(set)
    for table, rows in before.items():
        now = after[table]
        for pk, values in rows.items():
            if pk not in now:
                deleted[table].add(pk)
            elif now[pk] != values:
                changed[table][pk] = {k for k in values if values[k] != now[pk][k]}
        added[table] = set(now) - set(rows)
    return (
        {t: v for t, v in deleted.items() if v},
        {t: v for t, v in changed.items() if v},
        {t: v for t, v in added.items() if v},
    )


# ---------------------------------------------------------------------------------------------
# What the schedule says, worked out here in plain Python


def expected(today: dt.date, held: set[int]) -> tuple[dict, dict]:
    """(deletions, blanked-or-disabled) the schedule must make over the demo on `today`."""
    deletions: dict[str, set[int]] = {}
    changes: dict[str, set[int]] = {}
    zone = timezone.get_current_timezone()

    def before(days: int) -> dt.datetime:
        return dt.datetime.combine(today - dt.timedelta(days=days), dt.time.min, tzinfo=zone)

    # Equality: three years without involvement. The demo's activity all happened before
    # the cut-off on TODAY, so only members of projects still going count as involved.
    if today == TODAY:
        cutoff = before(3 * 365)
        assert Meeting.objects.aggregate(last=Max("starts_at"))["last"] < cutoff
        assert not TimeGiven.objects.filter(on__gte=cutoff.date()).exists()
        assert Person.objects.aggregate(last=Max("created_at"))["last"] < cutoff
        still_members = set(
            ProjectMember.objects.filter(left_on__isnull=True)
            .exclude(project__status=ProjectStatus.FINISHED)
            .values_list("person", flat=True)
        )
        stale = (
            (
                set(EqualityRecord.objects.values_list("person", flat=True))
                | set(EqualityConsent.objects.values_list("person", flat=True))
            )
            - still_members
            - held
        )
        deletions["diversity.equalityrecord"] = set(
            EqualityRecord.objects.filter(person__in=stale).values_list("pk", flat=True)
        )
        deletions["diversity.equalityconsent"] = set(
            EqualityConsent.objects.filter(person__in=stale).values_list("pk", flat=True)
        )
    # Sign-ups: every one never confirmed came in before the cut-off on both days.
    deletions["people.interest"] = {
        i.pk
        for i in Interest.objects.all()
        if i.status != InterestStatus.CONFIRMED and i.created_at < before(183)
    }
    # Evidence originals: a year after the report went to the board.
    deletions["evaluation.evidenceoriginal"] = {
        o.pk
        for o in EvidenceOriginal.objects.select_related("item__health_check")
        if o.item.health_check.stage in ("presented", "follow_up")
        and o.item.health_check.board_date < today - dt.timedelta(days=365)
    }
    # Transcripts and journal media: the promises project finished in November 2025.
    ended = today > dt.date(2027, 11, 18)
    changes["stories.story"] = {
        s.pk
        for s in Story.objects.all()
        if ended
        and s.project.status == ProjectStatus.FINISHED
        and s.consent != "public"
        and (s.transcript or s.transcript_format or s.parts)
    }
    deletions["stories.journalfile"] = {
        f.pk
        for f in JournalFile.objects.select_related("entry__project")
        if ended
        and f.entry.project.status == ProjectStatus.FINISHED
        and f.entry.consent != "public"
    }
    # Logins: nobody signed in, so the date they were made counts.
    tenants = {
        u.pk
        for u in User.objects.filter(is_active=True, role=Role.TENANT)
        if u.date_joined < before(2 * 365)
    }
    staff = {
        u.pk
        for u in User.objects.filter(is_active=True, role__in=STAFF_ROLES)
        if u.date_joined < before(90)
    }
    admins = set(
        User.objects.filter(is_active=True, role=Role.SYSADMIN).values_list("pk", flat=True)
    )
    if admins and admins <= staff:
        staff -= {max(admins, key=lambda pk: (User.objects.get(pk=pk).date_joined, pk))}
    changes["accounts.user"] = tenants | staff
    # Ledger: six tax years after the tax year each record falls in.
    if today == TODAY:
        changes["rewards.ledgerentry"] = {
            e.pk
            for e in LedgerEntry.objects.all()
            if e.on <= LEDGER_LIMIT and e.note and e.person_id not in held
        }
        changes["rewards.rewardline"] = {
            line.pk
            for line in RewardLine.objects.all()
            if line.on <= LEDGER_LIMIT
            and line.person_id not in held
            and (
                line.description not in LINE_PLACEHOLDER.values()
                or line.warning
                or line.voucher_kind
                or line.charity_name
            )
        }
        changes["rewards.expenseclaim"] = {
            c.pk
            for c in ExpenseClaim.objects.all()
            if c.incurred_on <= LEDGER_LIMIT
            and c.person_id not in held
            and (c.description or c.receipt)
        }
        changes["rewards.voucher"] = {
            v.pk
            for v in Voucher.objects.select_related("line")
            if v.line.on <= LEDGER_LIMIT and v.line.person_id not in held
        }
    # Messages (the demo's month of them) and texts received: a year after, unless waiting.
    deletions["messaging.message"] = {
        m.pk
        for m in Message.objects.all()
        if m.created_at < before(365) and m.status not in MESSAGES_WAITING
    }
    deletions["messaging.inboundtext"] = {
        t.pk
        for t in InboundText.objects.all()
        if t.received_at < before(365) and t.status != InboundStatus.WAITING
    }
    # Exports: the finished one, 30 days after it was closed.
    changes["privacy.datarequest"] = set(
        DataRequest.objects.exclude(export_file="")
        .exclude(status=RequestStatus.OPEN)
        .values_list("pk", flat=True)
    )
    return (
        {k: v for k, v in deletions.items() if v},
        {k: v for k, v in changes.items() if v},
    )


BLANKED_FIELDS = {
    "stories.story": {"transcript", "transcript_format", "parts"},
    "accounts.user": {"is_active"},
    "rewards.ledgerentry": {"note"},
    "rewards.rewardline": {"description", "warning", "voucher_kind", "charity_name"},
    "rewards.expenseclaim": {"description", "receipt"},
    "rewards.voucher": {"code"},
    "privacy.datarequest": {"export_file"},
}


def with_fallbacks_unlinked(changes: dict, deletions: dict) -> dict[str, set[int]]:
    """`changes`, plus the messages kept (still waiting: a letter to print, a call to make)
    that were a fallback of a message deleted: their link to it is emptied (SET_NULL)."""
    gone = deletions.get("messaging.message", set())
    unlinked = set(
        Message.objects.filter(fallback_of__in=gone)
        .exclude(pk__in=gone)
        .values_list("pk", flat=True)
    )
    return {**changes, "messaging.message": unlinked} if unlinked else dict(changes)


UNLINKED_FIELDS = {"messaging.message": {"fallback_of_id"}}


def as_sets(removals) -> dict[str, set[int]]:
    found: dict[str, set[int]] = defaultdict(set)
    for removal in removals:
        found[removal.object_type] |= set(removal.ids)
    return dict(found)


def ledger_totals() -> list:
    return list(
        LedgerEntry.objects.values("person", "kind", "is_income")
        .order_by("person", "kind", "is_income")
        .annotate(total=Sum("amount"))
    )


# ---------------------------------------------------------------------------------------------


def test_every_kind_of_data_is_due_on_the_frozen_day(demo, db):
    deletions, changes = expected(TODAY, demo["held"])
    assert set(deletions) == {
        "diversity.equalityrecord",
        "diversity.equalityconsent",
        "people.interest",
        "evaluation.evidenceoriginal",
        "stories.journalfile",
        "messaging.message",
        "messaging.inboundtext",
    }
    assert set(changes) == set(BLANKED_FIELDS)


def test_a_dry_run_lists_exactly_what_the_schedule_says_and_changes_nothing(demo, db):
    before = snapshot()
    plan = retention_plan(today=TODAY)
    deletions, changes = expected(TODAY, demo["held"])
    assert as_sets(plan) == {**deletions, **changes}
    assert snapshot() == before


def test_a_real_run_removes_exactly_that_and_nothing_else(
    demo, db, django_capture_on_commit_callbacks
):
    deletions, changes = expected(TODAY, demo["held"])
    plan = retention_plan(today=TODAY)
    totals = ledger_totals()
    unlinked = with_fallbacks_unlinked(changes, deletions)
    before = snapshot()
    with django_capture_on_commit_callbacks(execute=True):
        done = retention_apply(today=TODAY)
    after = snapshot()

    assert as_sets(done) == as_sets(plan)
    deleted, changed, added = diff(before, after)
    assert deleted == deletions
    assert {table: set(rows) for table, rows in changed.items()} == unlinked
    for table, rows in changed.items():
        allowed = BLANKED_FIELDS.get(table, set()) | UNLINKED_FIELDS.get(table, set())
        for pk, fields in rows.items():
            assert fields <= allowed, (table, pk, fields)
    # Only audit entries were added (one per record removed, plus one for the run), and the
    # diversity dashboard's usual refresh, queued because equality answers went.
    assert set(added) == {"core.auditentry", "django_tasks_database.dbtaskresult"}
    assert {row["task_path"] for row in after["django_tasks_database.dbtaskresult"].values()} == {
        "coproduce.diversity.tasks.warm_dashboard"
    }
    entries = AuditEntry.objects.filter(pk__in=added["core.auditentry"])
    removed = {(t, pk) for t, ids in {**deletions, **changes}.items() for pk in ids}
    assert {
        (e.object_type, int(e.object_id)) for e in entries.filter(action=AUDIT_ACTION)
    } == removed
    assert entries.filter(action=AUDIT_ACTION).count() == len(removed)
    assert entries.filter(action=RUN_ACTION).count() == 1
    # No personal value in the entries: the rule and what was done, nothing more.
    assert all(
        e.summary.startswith("Retention rule '") for e in entries.filter(action=AUDIT_ACTION)
    )

    # Money: amounts, dates and totals untouched.
    assert ledger_totals() == totals
    # Files: the journal media, the receipt and the finished export are gone from storage;
    # the open request's export stays.
    assert not default_storage.exists(demo["receipt"])
    assert not default_storage.exists(demo["done_export"])
    assert default_storage.exists(demo["open_export"])
    for pk in deletions["stories.journalfile"]:
        assert not default_storage.exists(before["stories.journalfile"][pk]["file"])
    # The held people keep their equality answers.
    assert EqualityRecord.objects.filter(person__in=demo["held"]).count() == 2


def test_a_second_run_removes_nothing(demo, db, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        first = retention_apply(today=TODAY)
    assert first
    before = snapshot()
    with django_capture_on_commit_callbacks(execute=True):
        second = retention_apply(today=TODAY)
    assert second == []
    assert retention_plan(today=TODAY) == []
    deleted, changed, added = diff(before, snapshot())
    assert not deleted and not changed
    assert set(added) == {"core.auditentry"}
    assert AuditEntry.objects.filter(pk__in=added["core.auditentry"]).get().action == RUN_ACTION


def test_on_an_earlier_day_only_what_is_due_goes(demo, db, django_capture_on_commit_callbacks):
    deletions, changes = expected(EARLIER, demo["held"])
    # Equality answers were given in the last three years and ledger years are not over.
    assert set(deletions) == {
        "people.interest",
        "stories.journalfile",
        "evaluation.evidenceoriginal",
        "messaging.message",
        "messaging.inboundtext",
    }
    assert set(changes) == {"accounts.user", "privacy.datarequest", "stories.story"}
    assert as_sets(retention_plan(today=EARLIER)) == {**deletions, **changes}
    unlinked = with_fallbacks_unlinked(changes, deletions)
    before = snapshot()
    with django_capture_on_commit_callbacks(execute=True):
        retention_apply(today=EARLIER)
    deleted, changed, _ = diff(before, snapshot())
    assert deleted == deletions
    assert {table: set(rows) for table, rows in changed.items()} == unlinked
    # Tenants' logins are younger than two years: only staff logins are switched off.
    assert not User.objects.filter(pk__in=changes["accounts.user"], role=Role.TENANT).exists()
    assert User.objects.filter(role=Role.SYSADMIN, is_active=True).count() == 1
