"""The retention schedule: what personal data goes when, what would go today, and removing it.

Each kind of data has a period in `settings.RETENTION` (docs/retention.md explains each one).
`retention_plan(today=...)` lists what the schedule removes on that day; `retention_apply`
removes exactly that, one transaction per kind, one audit entry per record, and deletes the
files from storage once the transaction has committed. Both take `today` so the schedule can
be checked against any date; a second run on the same day finds nothing left to remove.

"Removing" means one of three things, chosen by what the law and the models allow:
- delete: the rows go (equality answers, sign-ups, evidence originals, journal media);
- blank: the personal detail on a row is emptied and the row stays (story transcripts, the
  notes and references on reward and expense records, whose amounts must never change, and
  data-request export files);
- disable: a login is switched off, never deleted (the records it made still point at it);
- erase: a former tenant is erased as on an erasure request (privacy.erasure).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.files.storage import default_storage
from django.db import models, transaction
from django.db.models import Case, Max, Q, Value, When
from django.db.models.functions import Coalesce

from coproduce.accounts.models import User
from coproduce.accounts.roles import STAFF_ROLES, Role
from coproduce.core.models import AuditEntry
from coproduce.diversity.models import EqualityConsent, EqualityRecord, QuickQuestionRecipient
from coproduce.evaluation.models import (
    Coding,
    Evaluator,
    EvidenceItem,
    EvidenceOriginal,
    Judgement,
    ReportSectionVersion,
    Stage,
    Theme,
)
from coproduce.meetings.models import Attendance, Invitation, Meeting, TimeGiven
from coproduce.messaging.models import WAITING as MESSAGES_WAITING
from coproduce.messaging.models import InboundStatus, InboundText, Message
from coproduce.people.models import Interest, InterestStatus, Person
from coproduce.privacy.models import DataRequest, RequestStatus
from coproduce.projects.models import Decision, Project, ProjectMember, ProjectStatus
from coproduce.promises.models import Ballot, Comment, Proposal, Vote
from coproduce.rewards.models import (
    Category,
    ExpenseClaim,
    LedgerEntry,
    LineStatus,
    RewardLine,
    Voucher,
)
from coproduce.stories.models import JournalEntry, JournalFile, SelfAssessment, Story, StoryConsent
from coproduce.webhooks.models import DeliveryStatus, WebhookEvent

AUDIT_ACTION = "retention.remove"
RUN_ACTION = "retention.run"
# Health-check stages at which the report has been presented to the board (published).
PUBLISHED_STAGES = (Stage.PRESENTED, Stage.FOLLOW_UP)
# What a blanked reward line says instead of its description.
LINE_PLACEHOLDER = {Category.FEE: "Reward for time", Category.EXPENSE: "Expense"}
VOUCHER_PLACEHOLDER = "removed-"
AUDIT_BATCH = 1000


@dataclass(frozen=True)
class Rule:
    kind: str  # the key in settings.RETENTION
    title: str
    unit: str  # "days" or "tax years"
    schedule: str  # the rule in plain words; {period} is filled in
    why: str


RULES: tuple[Rule, ...] = (
    Rule(
        "equality",
        "Equality answers",
        "days",
        "Equality answers and the consent given with them are deleted when the person has "
        "not been involved for {period}.",
        "We ask these questions to see who is heard. Once someone has stopped taking part, "
        "their answers no longer help, and they are the most sensitive data we hold.",
    ),
    Rule(
        "sign_ups",
        "Get involved sign-ups",
        "days",
        "Sign-ups from the Get involved page that were never confirmed (still waiting, or "
        "not taken forward) are deleted {period} after they came in or were decided.",
        "Someone we never took on has no record with us beyond the form they sent.",
    ),
    Rule(
        "evidence_originals",
        "Evidence originals",
        "days",
        "The unmasked text of health-check evidence is deleted {period} after the report "
        "is presented to the board. The masked text stays.",
        "The originals are kept only so evaluators can check the masking while the report "
        "can still be questioned.",
    ),
    Rule(
        "story_media",
        "Story transcripts and journal media",
        "days",
        "Raw interview transcripts, and photos, audio and video on journal entries, are "
        "removed {period} after the project ends — unless the storyteller agreed to the "
        "story (or the journal entry) being public. The written story stays.",
        "Recordings and raw transcripts hold far more than the story needs. Two years "
        "covers the project's own evaluation and the next year's health check.",
    ),
    Rule(
        "tenant_logins",
        "Tenant and customer logins",
        "days",
        "Logins of tenants and customers not used for {period} are switched off (not "
        "deleted). Staff can switch them back on.",
        "An unused login is a way in that nobody is watching.",
    ),
    Rule(
        "staff_logins",
        "Staff logins",
        "days",
        "Staff logins not used for {period} are switched off (not deleted). The last "
        "working system admin login is never switched off.",
        "Staff logins can see other people's records; an unused one is a risk.",
    ),
    Rule(
        "ledger",
        "Reward and expense records",
        "tax years",
        "Notes, descriptions, receipts, voucher codes and warnings on reward and expense "
        "records are removed {period} after the end of the tax year (5 April) they fall "
        "in. The amounts, dates and who they were paid to stay, so totals never change.",
        "HMRC needs payment records for six years after the tax year. The amounts stay "
        "because the ledger can never be rewritten.",
    ),
    Rule(
        "messages",
        "Messages and texts received",
        "days",
        "Messages we sent (their words and where they went) and text messages people sent "
        "us are deleted {period} after they were sent or received. Messages still waiting "
        "to go, and texts waiting for staff to look at, stay until they are dealt with.",
        "A message's words and address are only needed while people may reply or ask what "
        "we sent; a year covers a whole round of sessions and the yearly health check.",
    ),
    Rule(
        "exports",
        "Copies of people's data",
        "days",
        "The ZIP file made for a subject access request is deleted {period} after the "
        "request is closed. The request itself stays in the register.",
        "The person has had their copy; a second copy of everything we hold is a risk.",
    ),
    Rule(
        "webhooks",
        "Webhook events and their delivery log",
        "days",
        "Events sent to the landlord's other systems, and the log of sending them, are "
        "deleted {period} after the event. Events still being sent stay until they are "
        "delivered or have failed.",
        "An event holds only numbers and references, but together they show who did what and "
        "when. The log is only needed to find out why a system missed an event.",
    ),
    Rule(
        "former_tenants",
        "Former tenants",
        "days",
        "People whose tenancy has ended (the housing system says so) are erased, exactly as "
        "on an erasure request, {period} after the later of the day it ended and the last "
        "time they were involved. Nobody with a reward or expense not paid yet is erased.",
        "Once someone is no longer a tenant we have no reason to keep their details. They "
        "get no new invitations, but may finish what they were part of; two years from "
        "their last involvement covers that and the next health check.",
    ),
)
RULES_BY_KIND = {rule.kind: rule for rule in RULES}


def period_of(kind: str) -> int:
    return int(settings.RETENTION.get(kind, 0) or 0)


def period_words(kind: str) -> str:
    rule, number = RULES_BY_KIND[kind], period_of(kind)
    if number <= 0:
        return "never (this rule is switched off)"
    if rule.unit == "tax years":
        return f"{number} tax year{'s' if number != 1 else ''}"
    if number % 365 == 0:
        years = number // 365
        return f"{years} year{'s' if years != 1 else ''}"
    return f"{number} days"


def schedule_in_words() -> list[dict[str, str]]:
    return [
        {
            "kind": rule.kind,
            "title": rule.title,
            "period": period_words(rule.kind),
            "schedule": rule.schedule.format(period=period_words(rule.kind)),
            "why": rule.why,
        }
        for rule in RULES
    ]


# ---------------------------------------------------------------------------------------------
# Dates


def _zone() -> ZoneInfo:
    return ZoneInfo(settings.TIME_ZONE)


def _start_of(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time.min, tzinfo=_zone())


def _before(today: dt.date, days: int) -> tuple[dt.date, dt.datetime]:
    """The first day still kept: anything dated before it is older than `days` full days."""
    day = today - dt.timedelta(days=days)
    return day, _start_of(day)


def tax_year_end(day: dt.date) -> dt.date:
    """The 5 April that ends the UK tax year `day` falls in."""
    end = dt.date(day.year, 4, 5)
    return end if day <= end else dt.date(day.year + 1, 4, 5)


def ledger_limit(today: dt.date, years: int) -> dt.date:
    """The last day whose tax year ended more than `years` tax years before `today`.

    A record in the tax year ending 5 April E is kept until 5 April E+years; from the day
    after, its personal detail goes. So everything dated on or before the returned day goes.
    """
    end_year = today.year - years if today > dt.date(today.year, 4, 5) else today.year - years - 1
    return dt.date(end_year, 4, 5)


# ---------------------------------------------------------------------------------------------
# Who is still involved (for equality answers)

# Each sign of involvement: (model, path to the person, path to the date, is a datetime).
# Anything a person did or was part of in the period keeps their equality answers.
INVOLVEMENT_SIGNS: tuple[tuple[type[models.Model], str, str, bool], ...] = (
    (Attendance, "person", "meeting__starts_at", True),
    (TimeGiven, "person", "on", False),
    (Invitation, "person", "responded_at", True),
    (Evaluator, "person", "added_on", False),
    (Coding, "coder", "created_at", True),
    (Judgement, "updated_by", "updated_at", True),
    (Theme, "made_by_person", "created_at", True),
    (ReportSectionVersion, "by", "created_at", True),
    (EvidenceItem, "gathered_by_person", "gathered_on", False),
    (Vote, "person", "created_at", True),
    (Comment, "person", "created_at", True),
    (Ballot, "person", "updated_at", True),
    (Proposal, "proposed_by", "created_at", True),
    (Story, "storyteller", "recorded_on", False),
    (SelfAssessment, "person", "taken_on", False),
    (QuickQuestionRecipient, "person", "answered_at", True),
    (RewardLine, "person", "on", False),
    (ExpenseClaim, "person", "incurred_on", False),
    (Interest, "person", "created_at", True),
    (EqualityConsent, "person", "given_at", True),
    (EqualityRecord, "person", "updated_at", True),
)


def _involved_people(day: dt.date, start: dt.datetime) -> Q:
    """People who were involved on or after `day`: a Q over Person."""
    involved = (
        Q(created_at__gte=start)
        | Q(involved_since__gte=day)
        | Q(user__last_login__gte=start)
        # A member of a project that is still going is involved, however quiet it is.
        | Q(
            pk__in=ProjectMember.objects.filter(
                Q(joined_on__gte=day)
                | Q(left_on__gte=day)
                | (Q(left_on__isnull=True) & ~Q(project__status=ProjectStatus.FINISHED))
            ).values("person")
        )
    )
    for model, person, when, is_datetime in INVOLVEMENT_SIGNS:
        since = start if is_datetime else day
        involved |= Q(
            pk__in=model._default_manager.filter(**{f"{when}__gte": since})
            .order_by()
            .values(person)
        )
    return involved


def _held_people() -> models.QuerySet[Person]:
    """People whose data is held as it is: restricted (Art. 18) or with an open request.

    A restricted record must be kept (that is what restriction means), and data about
    someone with an open request is kept until the request is answered (erasure removes it
    then, a copy must include it).
    """
    return Person.objects.filter(
        Q(processing_restricted=True)
        | Q(pk__in=DataRequest.objects.filter(status=RequestStatus.OPEN).values("person"))
    )


def _stale_equality_people(today: dt.date) -> models.QuerySet[Person]:
    day, start = _before(today, period_of("equality"))
    has_answers = Q(pk__in=EqualityRecord.objects.values("person")) | Q(
        pk__in=EqualityConsent.objects.values("person")
    )
    return (
        Person.objects.filter(has_answers)
        .exclude(_involved_people(day, start))
        .exclude(pk__in=_held_people().values("pk"))
    )


# ---------------------------------------------------------------------------------------------
# Projects that have ended (for transcripts and media)


def project_end_dates() -> dict[int, dt.date]:
    """When each finished project ended: the last thing that happened in it.

    Projects have no "ended on" date, only the status Finished; the last session, time
    given, journal entry, story or decision is when the work stopped. A finished project
    with none of these ended when it was last changed.
    """
    finished = dict(
        Project.objects.filter(status=ProjectStatus.FINISHED).values_list("pk", "updated_at")
    )
    if not finished:
        return {}
    zone = _zone()
    ends: dict[int, dt.date] = {}
    sources: list[tuple[type[models.Model], str]] = [
        (Meeting, "ends_at"),
        (TimeGiven, "on"),
        (JournalEntry, "happened_on"),
        (Story, "recorded_on"),
        (Decision, "decided_on"),
    ]
    for model, when in sources:
        rows = (
            model._default_manager.filter(project__in=list(finished))
            .order_by()
            .values("project")
            .annotate(last=Max(when))
        )
        for row in rows:
            last = row["last"]
            if last is None:
                continue
            if isinstance(last, dt.datetime):
                last = last.astimezone(zone).date()
            ends[row["project"]] = max(ends.get(row["project"], last), last)
    for pk, updated_at in finished.items():
        ends.setdefault(pk, updated_at.astimezone(zone).date())
    return ends


def _ended_projects(today: dt.date) -> list[int]:
    day, _ = _before(today, period_of("story_media"))
    return sorted(pk for pk, ended in project_end_dates().items() if ended < day)


# ---------------------------------------------------------------------------------------------
# What each rule removes


@dataclass(frozen=True)
class Target:
    """One model a rule removes from, and how."""

    kind: str
    model: type[models.Model]
    action: str  # "delete", "blank" or "disable"
    what: str  # plain words for the page and the audit summary
    candidates: Callable[[dt.date], models.QuerySet[Any]]
    blank: Callable[[models.QuerySet[Any]], int] | None = None
    file_field: str = ""

    @property
    def object_type(self) -> str:
        return self.model._meta.label_lower


def _equality_records(today: dt.date) -> models.QuerySet[Any]:
    return EqualityRecord.objects.filter(person__in=_stale_equality_people(today).values("pk"))


def _equality_consents(today: dt.date) -> models.QuerySet[Any]:
    return EqualityConsent.objects.filter(person__in=_stale_equality_people(today).values("pk"))


def _sign_ups(today: dt.date) -> models.QuerySet[Any]:
    _, start = _before(today, period_of("sign_ups"))
    return Interest.objects.filter(
        Q(status=InterestStatus.NEW, created_at__lt=start)
        | Q(status=InterestStatus.DECLINED, decided_at__lt=start)
        | Q(status=InterestStatus.DECLINED, decided_at__isnull=True, created_at__lt=start)
    )


def _evidence_originals(today: dt.date) -> models.QuerySet[Any]:
    day, _ = _before(today, period_of("evidence_originals"))
    return EvidenceOriginal.objects.filter(
        item__health_check__stage__in=PUBLISHED_STAGES,
        item__health_check__board_date__lt=day,
    )


def _story_transcripts(today: dt.date) -> models.QuerySet[Any]:
    return (
        Story.objects.filter(project__in=_ended_projects(today))
        .exclude(consent=StoryConsent.PUBLIC)
        .exclude(storyteller__in=_held_people().values("pk"))
        .filter(~Q(transcript="") | ~Q(transcript_format="") | ~Q(parts=[]))
    )


def _blank_transcripts(rows: models.QuerySet[Any]) -> int:
    return rows.update(transcript="", transcript_format="", parts=[])


def _journal_media(today: dt.date) -> models.QuerySet[Any]:
    return JournalFile.objects.filter(entry__project__in=_ended_projects(today)).exclude(
        entry__consent="public"
    )


def _unused_logins(today: dt.date, kind: str, roles: Iterable[str]) -> models.QuerySet[Any]:
    _, start = _before(today, period_of(kind))
    return (
        User.objects.filter(is_active=True, role__in=list(roles))
        .annotate(last_used=Coalesce("last_login", "date_joined"))
        .filter(last_used__lt=start)
    )


def _tenant_logins(today: dt.date) -> models.QuerySet[Any]:
    return _unused_logins(today, "tenant_logins", [Role.TENANT])


def _staff_logins(today: dt.date) -> models.QuerySet[Any]:
    unused = _unused_logins(today, "staff_logins", STAFF_ROLES)
    admins = User.objects.filter(is_active=True, role=Role.SYSADMIN)
    if admins.exists() and not admins.exclude(pk__in=unused.values("pk")).exists():
        # Every working system admin would be switched off: keep the one used last, so
        # someone can always switch logins back on.
        keep = (
            admins.annotate(last_used=Coalesce("last_login", "date_joined"))
            .order_by("-last_used", "-pk")
            .values_list("pk", flat=True)
            .first()
        )
        unused = unused.exclude(pk=keep)
    return unused


def _disable(rows: models.QuerySet[Any]) -> int:
    return rows.update(is_active=False)


def _ledger_window(today: dt.date) -> tuple[dt.date, dt.datetime]:
    limit = ledger_limit(today, period_of("ledger"))
    return limit, _start_of(limit + dt.timedelta(days=1))


def _ledger_entries(today: dt.date) -> models.QuerySet[Any]:
    limit, written_before = _ledger_window(today)
    return (
        LedgerEntry.objects.filter(on__lte=limit, created_at__lt=written_before)
        .exclude(person__in=_held_people().values("pk"))
        .exclude(note="")
    )


def _blank_notes(rows: models.QuerySet[Any]) -> int:
    # The ledger's guard (LedgerEntry.save/delete) refuses to rewrite an entry; a note is
    # not part of what the ledger records (kind, amount, person, date, batch, reversal),
    # so it is emptied with an UPDATE that leaves every one of those untouched.
    return rows.update(note="")


def _reward_lines(today: dt.date) -> models.QuerySet[Any]:
    limit, written_before = _ledger_window(today)
    recent = LedgerEntry.objects.filter(created_at__gte=written_before).values("line")
    return (
        RewardLine.objects.filter(on__lte=limit, created_at__lt=written_before)
        .exclude(pk__in=recent)
        .exclude(person__in=_held_people().values("pk"))
        .filter(
            ~Q(description__in=list(LINE_PLACEHOLDER.values()))
            | ~Q(warning="")
            | ~Q(voucher_kind="")
            | ~Q(charity_name="")
        )
    )


def _blank_lines(rows: models.QuerySet[Any]) -> int:
    return rows.update(
        description=Case(
            *(
                When(category=category, then=Value(text))
                for category, text in LINE_PLACEHOLDER.items()
            ),
            default=Value(LINE_PLACEHOLDER[Category.FEE]),
        ),
        warning="",
        voucher_kind="",
        charity_name="",
    )


def _expense_claims(today: dt.date) -> models.QuerySet[Any]:
    limit, written_before = _ledger_window(today)
    recent = RewardLine.objects.filter(
        Q(on__gt=limit)
        | Q(created_at__gte=written_before)
        | Q(entries__created_at__gte=written_before)
    ).values("expense_claim")
    return (
        ExpenseClaim.objects.filter(incurred_on__lte=limit, created_at__lt=written_before)
        .exclude(pk__in=recent.filter(expense_claim__isnull=False))
        .exclude(person__in=_held_people().values("pk"))
        .filter(~Q(description="") | ~Q(receipt=""))
    )


def _blank_claims(rows: models.QuerySet[Any]) -> int:
    return rows.update(description="", receipt="")


def _vouchers(today: dt.date) -> models.QuerySet[Any]:
    limit, written_before = _ledger_window(today)
    return (
        Voucher.objects.filter(
            line__on__lte=limit, line__created_at__lt=written_before, issued_at__lt=written_before
        )
        .exclude(line__person__in=_held_people().values("pk"))
        .exclude(code__startswith=VOUCHER_PLACEHOLDER)
    )


def _blank_voucher_codes(rows: models.QuerySet[Any]) -> int:
    # The code is unique, so each gets its own placeholder rather than an empty string.
    from django.db.models.functions import Cast, Concat

    return rows.update(
        code=Concat(Value(VOUCHER_PLACEHOLDER), Cast("pk", models.CharField(max_length=20)))
    )


def _exports(today: dt.date) -> models.QuerySet[Any]:
    _, start = _before(today, period_of("exports"))
    return (
        DataRequest.objects.exclude(export_file="")
        .exclude(status=RequestStatus.OPEN)
        .annotate(closed_at=Coalesce("completed_at", "created_at"))
        .filter(closed_at__lt=start)
    )


def _blank_exports(rows: models.QuerySet[Any]) -> int:
    return rows.update(export_file="")


def _old_messages(today: dt.date) -> models.QuerySet[Any]:
    _, start = _before(today, period_of("messages"))
    return Message.objects.filter(created_at__lt=start).exclude(status__in=MESSAGES_WAITING)


def _old_texts(today: dt.date) -> models.QuerySet[Any]:
    _, start = _before(today, period_of("messages"))
    return InboundText.objects.filter(received_at__lt=start).exclude(status=InboundStatus.WAITING)


def _old_webhook_events(today: dt.date) -> models.QuerySet[Any]:
    _, start = _before(today, period_of("webhooks"))
    waiting = WebhookEvent.objects.filter(deliveries__status=DeliveryStatus.PENDING)
    return WebhookEvent.objects.filter(created_at__lt=start).exclude(pk__in=waiting.values("pk"))


def _former_tenants(today: dt.date) -> models.QuerySet[Any]:
    day, start = _before(today, period_of("former_tenants"))
    unpaid = RewardLine.objects.filter(
        status__in=[LineStatus.TO_REVIEW, LineStatus.REVIEWED, LineStatus.APPROVED]
    ).values("person")
    return (
        Person.objects.filter(erased_at__isnull=True, tenancy_ended_on__lt=day)
        .exclude(_involved_people(day, start))
        .exclude(pk__in=_held_people().values("pk"))
        .exclude(pk__in=unpaid)
    )


def _erase_former_tenants(rows: models.QuerySet[Any]) -> int:
    from coproduce.privacy.erasure import person_erase_former_tenant

    ids = list(rows.values_list("pk", flat=True))
    return sum(person_erase_former_tenant(person_id=pk, actor=None) for pk in ids)


TARGETS: tuple[Target, ...] = (
    Target("equality", EqualityRecord, "delete", "equality answers deleted", _equality_records),
    Target("equality", EqualityConsent, "delete", "equality consent deleted", _equality_consents),
    Target("sign_ups", Interest, "delete", "sign-up deleted", _sign_ups),
    Target(
        "evidence_originals",
        EvidenceOriginal,
        "delete",
        "unmasked evidence deleted",
        _evidence_originals,
    ),
    Target(
        "story_media",
        Story,
        "blank",
        "raw transcript removed",
        _story_transcripts,
        blank=_blank_transcripts,
    ),
    Target(
        "story_media",
        JournalFile,
        "delete",
        "journal photo, audio or video deleted",
        _journal_media,
        file_field="file",
    ),
    Target("tenant_logins", User, "disable", "unused login switched off", _tenant_logins, _disable),
    Target("staff_logins", User, "disable", "unused login switched off", _staff_logins, _disable),
    Target(
        "ledger",
        LedgerEntry,
        "blank",
        "note removed from a ledger entry",
        _ledger_entries,
        blank=_blank_notes,
    ),
    Target(
        "ledger",
        RewardLine,
        "blank",
        "description, warning and payee detail removed from a reward line",
        _reward_lines,
        blank=_blank_lines,
    ),
    Target(
        "ledger",
        ExpenseClaim,
        "blank",
        "details and receipt removed from an expense claim",
        _expense_claims,
        blank=_blank_claims,
        file_field="receipt",
    ),
    Target(
        "ledger",
        Voucher,
        "blank",
        "voucher code removed",
        _vouchers,
        blank=_blank_voucher_codes,
    ),
    Target("messages", Message, "delete", "message deleted", _old_messages),
    Target("messages", InboundText, "delete", "text message received deleted", _old_texts),
    Target(
        "exports",
        DataRequest,
        "blank",
        "copy of a person's data deleted",
        _exports,
        blank=_blank_exports,
        file_field="export_file",
    ),
    # The deliveries (the log) go with their event (on_delete=CASCADE).
    Target("webhooks", WebhookEvent, "delete", "webhook event deleted", _old_webhook_events),
    Target(
        "former_tenants",
        Person,
        "erase",
        "former tenant erased (as on an erasure request)",
        _former_tenants,
        blank=_erase_former_tenants,
    ),
)


# ---------------------------------------------------------------------------------------------
# The plan and the removal


@dataclass
class Removal:
    """What one rule removes from one model: how many, and which rows (by id only)."""

    kind: str
    rule: str
    object_type: str
    action: str
    what: str
    ids: list[int] = field(default_factory=list)

    @property
    def count(self) -> int:
        return len(self.ids)


def _ids(target: Target, today: dt.date, *, lock: bool = False) -> list[int]:
    if period_of(target.kind) <= 0:
        return []
    rows = target.candidates(today)
    if lock:
        # Another run at the same moment waits here, then finds these rows already gone.
        rows = rows.select_for_update(of=("self",))
    return list(rows.order_by("pk").values_list("pk", flat=True))


def _removal(target: Target, ids: list[int]) -> Removal:
    return Removal(
        kind=target.kind,
        rule=RULES_BY_KIND[target.kind].title,
        object_type=target.object_type,
        action=target.action,
        what=target.what,
        ids=ids,
    )


def retention_plan(*, today: dt.date) -> list[Removal]:
    """What the schedule removes on `today`, per kind and model (empty ones left out)."""
    plan = []
    for target in TARGETS:
        ids = _ids(target, today)
        if ids:
            plan.append(_removal(target, ids))
    return plan


def retention_apply(*, today: dt.date, actor: User | None = None) -> list[Removal]:
    """Remove what the schedule says for `today`; one transaction per kind. Returns what went."""
    done: list[Removal] = []
    for rule in RULES:
        done.extend(_apply_kind(rule.kind, today=today, actor=actor))
    _audit_run(done, today=today, actor=actor)
    return done


@transaction.atomic
def _apply_kind(kind: str, *, today: dt.date, actor: User | None) -> list[Removal]:
    done = []
    files: list[str] = []
    for target in TARGETS:
        if target.kind != kind:
            continue
        ids = _ids(target, today, lock=True)
        if not ids:
            continue
        rows = target.model._default_manager.filter(pk__in=ids)
        if target.file_field:
            files.extend(name for name in rows.values_list(target.file_field, flat=True) if name)
        if target.action == "delete":
            rows.delete()
        else:
            assert target.blank is not None
            target.blank(rows)
        _audit_removed(target, ids, actor=actor)
        done.append(_removal(target, ids))
    if files:
        transaction.on_commit(lambda: _delete_files(files))
    return done


def _delete_files(names: list[str]) -> None:
    for name in names:
        # A file already gone (removed by hand, or a run that stopped before this) is fine.
        if default_storage.exists(name):
            default_storage.delete(name)


def _actor_fields(actor: User | None) -> dict[str, Any]:
    if actor is None or not getattr(actor, "is_authenticated", False):
        return {"actor": None, "actor_email": ""}
    return {"actor": actor, "actor_email": actor.email}


def _audit_removed(target: Target, ids: list[int], *, actor: User | None) -> None:
    # One entry per record, written in batches: a first run over years of data can remove
    # thousands of rows. The summary names the rule, never a personal value.
    who = _actor_fields(actor)
    summary = f"Retention rule '{target.kind}': {target.what}"
    for start in range(0, len(ids), AUDIT_BATCH):
        AuditEntry.objects.bulk_create(
            [
                AuditEntry(
                    action=AUDIT_ACTION,
                    object_type=target.object_type,
                    object_id=str(pk),
                    summary=summary,
                    **who,
                )
                for pk in ids[start : start + AUDIT_BATCH]
            ]
        )


def _audit_run(done: list[Removal], *, today: dt.date, actor: User | None) -> None:
    counts = ", ".join(f"{r.kind} {r.object_type} {r.count}" for r in done) or "nothing to remove"
    AuditEntry.objects.create(
        action=RUN_ACTION,
        object_type="privacy.retention",
        object_id=today.isoformat(),
        summary=f"Retention schedule applied for {today:%d %B %Y}: {counts}"[:500],
        **_actor_fields(actor),
    )


def totals_by_kind(removals: Iterable[Removal]) -> dict[str, int]:
    totals = dict.fromkeys(RULES_BY_KIND, 0)
    for removal in removals:
        totals[removal.kind] += removal.count
    return totals
