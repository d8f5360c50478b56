"""Erasure (UK GDPR Art. 17): the plan the data-protection lead reviews, and the erasure itself.

Every link to a person or their login (`privacy.links.person_links()`) has one rule in
`RULES`: what happens to the rows, and why, in plain words. A coverage test fails when a
new link has no rule, so a new model cannot be forgotten.

What stays, stays for a reason the law or shared records give:
- payment records (reward lines, expense claims, the ledger) are kept for HMRC until six
  years after the end of the tax year they belong to (UK tax years end on 5 April);
- the audit log is append-only: it is kept, and it never held personal values in summaries
  written since this change (older entries are listed in docs/data-protection.md);
- counts that make up dashboards and health checks (attendance, votes, codings) are kept,
  linked to the pseudonym only, so totals do not change.

Everything kept points at the same Person row, whose name is replaced by the pseudonym
("Erased person 7F3K2Q") and whose contact details are blanked.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import secrets
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import Q, Sum
from django.utils import timezone

from coproduce.core.audit import audit_record
from coproduce.evaluation.anonymise import mask
from coproduce.people.models import Interest, Person
from coproduce.people.services import ref_fingerprint
from coproduce.privacy.links import PersonLink, person_links
from coproduce.privacy.models import DataRequest, RequestKind, RequestStatus

if TYPE_CHECKING:
    from django.http import HttpRequest

    from coproduce.accounts.models import User

# Unambiguous letters and digits (no 0/O, 1/I/L), as on the pseudonym shown to staff.
PSEUDONYM_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
PSEUDONYM_PREFIX = "Erased person"
ERASED_EMAIL_DOMAIN = "erased.invalid"  # RFC 2606: can never receive mail

# What happens to the rows behind one link.
DELETED = "deleted"
WORDS_REMOVED = "words removed"
PSEUDONYM = "kept under the pseudonym"
BY_LAW = "kept by law"
OTHERS = "kept: someone else's record"

GOES = frozenset({DELETED, WORDS_REMOVED})

HMRC = (
    "Payment records are kept for HMRC until six years after the end of the tax year "
    "they belong to. They are kept under the pseudonym."
)
AUDIT = (
    "The audit log cannot be changed or deleted: it shows who did what. It holds the "
    "login's number, now under the pseudonym."
)
COUNTS = "Kept so totals do not change; it now shows only the pseudonym."
STAFF_ACTION = (
    "Something done on a record that is not theirs (usually by staff). It points at their "
    "login, which now shows only the pseudonym."
)


@dataclass(frozen=True)
class Rule:
    what: str  # one of DELETED, WORDS_REMOVED, PSEUDONYM, BY_LAW, OTHERS
    label: str  # the rows in plain words
    reason: str
    # What the erasure does to the rows (a queryset of the link's model filtered on the
    # person or their login). None: the rows are left as they are.
    apply: Callable[[models.QuerySet[Any], Context], None] | None = None


@dataclass
class Context:
    person: Person
    user: User | None  # None: the person has no login
    files_to_remove: list[Any] = field(default_factory=list)


def _delete(rows: models.QuerySet[Any], ctx: Context) -> None:
    rows.delete()


def _blank(**values: Any) -> Callable[[models.QuerySet[Any], Context], None]:
    def apply(rows: models.QuerySet[Any], ctx: Context) -> None:
        rows.update(**values)

    return apply


def _delete_journal(rows: models.QuerySet[Any], ctx: Context) -> None:
    from coproduce.stories.models import JournalFile

    for item in JournalFile.objects.filter(entry__in=rows):
        if item.file:
            ctx.files_to_remove.append(item.file)
    rows.delete()


def _delete_upload_jobs(rows: models.QuerySet[Any], ctx: Context) -> None:
    # An upload waiting to be read may hold a preview of names; the file goes after commit.
    for job in rows:
        transaction.on_commit(job.discard_file)
    rows.delete()


def _delete_future_invitations(rows: models.QuerySet[Any], ctx: Context) -> None:
    rows.filter(meeting__starts_at__gt=timezone.now(), meeting__status="planned").delete()


def _remove_from_lists(rows: models.QuerySet[Any], ctx: Context) -> None:
    from coproduce.diversity.models import OutreachList

    OutreachList.people.through.objects.filter(person=ctx.person).delete()


def _no_credit(rows: models.QuerySet[Any], ctx: Context) -> None:
    rows.update(consent_to_be_named=False, name_as="")


# One rule per link: "<app>.<model>.<field>".
RULES: dict[str, Rule] = {
    "accounts.ssoidentity.user": Rule(
        DELETED,
        "Link to their organisation's sign-in",
        "Only used to sign in; it goes with the login.",
        _delete,
    ),
    "api.apitoken.created_by": Rule(OTHERS, "API tokens they made", STAFF_ACTION),
    "api.apitoken.owner": Rule(
        OTHERS,
        "API tokens they answer for (only staff own tokens; the token stops working when "
        "their account is switched off)",
        STAFF_ACTION,
    ),
    "core.auditentry.actor": Rule(BY_LAW, "Audit log entries of what they did", AUDIT),
    "core.uploadjob.created_by": Rule(
        DELETED,
        "Files they uploaded that are waiting to be read",
        "An upload is kept a day at most while it is read; what it held was saved elsewhere.",
        _delete_upload_jobs,
    ),
    "diversity.equalityconsent.person": Rule(
        DELETED, "Equality consent", "Equality answers are only kept with consent.", _delete
    ),
    "diversity.equalityconsent.recorded_by": Rule(
        OTHERS, "Equality consent they recorded for others", STAFF_ACTION
    ),
    "diversity.equalityrecord.person": Rule(
        DELETED, "Equality answers", "Equality answers are only kept with consent.", _delete
    ),
    "diversity.outreachlist.created_by": Rule(OTHERS, "Outreach lists they made", STAFF_ACTION),
    "diversity.outreachlist.people": Rule(
        DELETED,
        "Places on outreach lists",
        "They must not be contacted again.",
        _remove_from_lists,
    ),
    "diversity.projectparticipation.person": Rule(
        PSEUDONYM, "Counts of how often they took part", COUNTS
    ),
    "diversity.quickquestion.created_by": Rule(OTHERS, "Quick questions they sent", STAFF_ACTION),
    "diversity.quickquestionrecipient.person": Rule(
        WORDS_REMOVED,
        "Answers to quick questions",
        "Their words are removed; that they answered still counts.",
        _blank(answer_1="", answer_2="", answer_3=""),
    ),
    "diversity.quickquestionrecipient.recorded_by": Rule(
        OTHERS, "Answers they typed in for others", STAFF_ACTION
    ),
    "evaluation.actionupdate.by": Rule(OTHERS, "Updates on actions", STAFF_ACTION),
    "evaluation.coding.coder": Rule(
        PSEUDONYM, "Evidence they coded", "Health-check figures must not change. " + COUNTS
    ),
    "evaluation.evaluator.person": Rule(PSEUDONYM, "Places as a tenant evaluator", COUNTS),
    "evaluation.evidencebatch.gathered_by_person": Rule(
        PSEUDONYM, "Evidence files they gathered", COUNTS
    ),
    "evaluation.evidencebatch.gathered_by_user": Rule(
        OTHERS, "Evidence files they added", STAFF_ACTION
    ),
    "evaluation.evidenceitem.gathered_by_person": Rule(
        PSEUDONYM,
        "Evidence they gathered",
        "Health-check figures must not change. Their name, email and phone are masked in "
        "all evidence.",
    ),
    "evaluation.evidenceitem.gathered_by_user": Rule(OTHERS, "Evidence they added", STAFF_ACTION),
    "evaluation.healthcheck.created_by": Rule(OTHERS, "Health checks they set up", STAFF_ACTION),
    "evaluation.judgement.updated_by": Rule(
        PSEUDONYM, "Judgements they last changed", "The health check's report is shared work."
    ),
    "evaluation.reportsection.updated_by": Rule(
        PSEUDONYM, "Report sections they last changed", "The report is shared work."
    ),
    "evaluation.reportsectionversion.by": Rule(
        PSEUDONYM, "Report versions they wrote", "The report is shared work."
    ),
    "evaluation.theme.made_by_person": Rule(
        PSEUDONYM, "Themes they made", "The health check's themes are shared work."
    ),
    "evaluation.themerun.created_by": Rule(OTHERS, "Theme runs they started", STAFF_ACTION),
    "meetings.attendance.person": Rule(
        PSEUDONYM,
        "Sessions they took part in",
        "Attendance counts and paid rewards depend on them. " + COUNTS,
    ),
    "meetings.attendance.recorded_by": Rule(OTHERS, "Attendance they recorded", STAFF_ACTION),
    "meetings.calendarfeed.person": Rule(
        DELETED, "Their calendar feed", "Nothing left to show.", _delete
    ),
    "meetings.invitation.person": Rule(
        PSEUDONYM,
        "Invitations to sessions",
        "Invitations to sessions still to come are deleted; past ones are kept for counts.",
        _delete_future_invitations,
    ),
    "meetings.invitation.rsvp_recorded_by": Rule(OTHERS, "Replies they recorded", STAFF_ACTION),
    "meetings.meeting.created_by": Rule(OTHERS, "Sessions they set up", STAFF_ACTION),
    "meetings.roombooking.booked_by": Rule(OTHERS, "Rooms they booked", STAFF_ACTION),
    "meetings.sessionstaff.user": Rule(OTHERS, "Sessions they staffed", STAFF_ACTION),
    "meetings.timegiven.person": Rule(
        PSEUDONYM, "Time they gave outside sessions", "Hours and paid rewards depend on them."
    ),
    "meetings.timegiven.recorded_by": Rule(OTHERS, "Time they recorded", STAFF_ACTION),
    "messaging.contactpreference.person": Rule(
        DELETED, "How they asked us to contact them", "Nothing left to contact.", _delete
    ),
    "messaging.inboundtext.person": Rule(
        DELETED, "Text messages they sent us", "They hold their phone number and words.", _delete
    ),
    "messaging.inboundtext.resolved_by": Rule(OTHERS, "Texts they dealt with", STAFF_ACTION),
    "messaging.letterpack.printed_by": Rule(OTHERS, "Letter packs they printed", STAFF_ACTION),
    "messaging.message.person": Rule(
        DELETED,
        "Messages we sent them (emails, texts, letters, calls to make), and any still waiting",
        "They hold their contact details and the words we sent; no totals depend on them.",
        _delete,
    ),
    "messaging.message.sent_by": Rule(OTHERS, "Messages they sent", STAFF_ACTION),
    "people.interest.decided_by": Rule(OTHERS, "Sign-ups they decided on", STAFF_ACTION),
    "tsm.managementfigure.entered_by": Rule(
        OTHERS, "Satisfaction-measure figures they entered", STAFF_ACTION
    ),
    "tsm.surveyupload.uploaded_by": Rule(
        OTHERS, "Satisfaction survey files they imported", STAFF_ACTION
    ),
    "tsm.tsmyear.published_by": Rule(OTHERS, "Satisfaction results they published", STAFF_ACTION),
    "people.interest.person": Rule(
        DELETED,
        "Their sign-ups from the 'Get involved' page",
        "Sign-ups hold their contact details.",
        _delete,
    ),
    "people.person.user": Rule(
        PSEUDONYM,
        "Their login",
        "The login is switched off for good; its name and email are replaced by the pseudonym.",
    ),
    "privacy.datarequest.completed_by": Rule(OTHERS, "Requests they completed", STAFF_ACTION),
    "privacy.datarequest.opened_by": Rule(OTHERS, "Requests they opened", STAFF_ACTION),
    "privacy.datarequest.person": Rule(
        BY_LAW,
        "Their data-protection requests",
        "We must be able to show how we answered their requests. Kept under the pseudonym.",
    ),
    "projects.decision.recorded_by": Rule(OTHERS, "Decisions they recorded", STAFF_ACTION),
    "projects.project.owner": Rule(OTHERS, "Projects they own", STAFF_ACTION),
    "projects.projectmember.person": Rule(PSEUDONYM, "Project memberships", COUNTS),
    "projects.projectstaff.user": Rule(OTHERS, "Projects they staff", STAFF_ACTION),
    "projects.supportrequest.requested_by": Rule(OTHERS, "Support they asked for", STAFF_ACTION),
    "projects.supportrequest.triaged_by": Rule(OTHERS, "Support they sorted", STAFF_ACTION),
    "promises.ballot.person": Rule(PSEUDONYM, "Their ranking of the promises", COUNTS),
    "promises.ballot.recorded_by": Rule(OTHERS, "Rankings they recorded", STAFF_ACTION),
    "promises.boardmeeting.presenters": Rule(
        PSEUDONYM, "Board meetings they presented at", "The board's record is kept."
    ),
    "promises.boardmeeting.recorded_by": Rule(OTHERS, "Board meetings recorded", STAFF_ACTION),
    "promises.codesigner.person": Rule(
        PSEUDONYM,
        "Credit as a co-designer",
        "Their public credit is removed; the count of co-designers is kept.",
        _no_credit,
    ),
    "promises.comment.person": Rule(
        WORDS_REMOVED,
        "Comments on proposals",
        "Their words are removed; the comment shows it was removed.",
        _blank(text="(Comment removed)"),
    ),
    "promises.comment.user": Rule(
        WORDS_REMOVED,
        "Comments on proposals, by login",
        "Their words are removed; the comment shows it was removed.",
        _blank(text="(Comment removed)"),
    ),
    "promises.promiseversion.changed_by_person": Rule(
        PSEUDONYM, "Promise wording they changed", "The wording belongs to the group."
    ),
    "promises.promiseversion.changed_by_user": Rule(
        OTHERS, "Promise wording changed by login", STAFF_ACTION
    ),
    "promises.proposal.decided_by": Rule(
        PSEUDONYM, "Proposals they decided", "The group's decisions are kept."
    ),
    "promises.proposal.proposed_by": Rule(
        WORDS_REMOVED,
        "Their reasons for proposals",
        "Their reasons are removed; the proposed wording belongs to the group.",
        _blank(reason=""),
    ),
    "promises.proposal.recorded_by": Rule(OTHERS, "Proposals they recorded", STAFF_ACTION),
    "promises.vote.person": Rule(PSEUDONYM, "Votes", COUNTS),
    "promises.vote.recorded_by": Rule(OTHERS, "Votes they recorded", STAFF_ACTION),
    "rewards.expenseclaim.created_by": Rule(OTHERS, "Expense claims they typed in", STAFF_ACTION),
    "rewards.expenseclaim.person": Rule(BY_LAW, "Expense claims and receipts", HMRC),
    "rewards.ledgerentry.created_by": Rule(OTHERS, "Ledger lines they wrote", STAFF_ACTION),
    "rewards.ledgerentry.person": Rule(BY_LAW, "Payment ledger lines", HMRC),
    "rewards.paymentbatch.approved_by": Rule(OTHERS, "Payment batches approved", STAFF_ACTION),
    "rewards.paymentbatch.paid_by": Rule(OTHERS, "Payment batches paid", STAFF_ACTION),
    "rewards.rewardchoice.person": Rule(
        DELETED,
        "How they wanted to be rewarded",
        "Nothing more will be paid; payments made keep their own copy.",
        _delete,
    ),
    "rewards.rewardchoice.updated_by": Rule(OTHERS, "Reward choices recorded", STAFF_ACTION),
    "rewards.rewardline.person": Rule(BY_LAW, "Rewards and expenses paid", HMRC),
    "rewards.rewardline.reviewed_by": Rule(OTHERS, "Rewards they checked", STAFF_ACTION),
    "rewards.rewardoffer.updated_by": Rule(OTHERS, "Reward offers changed", STAFF_ACTION),
    "rewards.rewardpolicy.created_by": Rule(OTHERS, "Reward policies written", STAFF_ACTION),
    "stories.impactchange.recorded_by": Rule(OTHERS, "Changes they recorded", STAFF_ACTION),
    "stories.journalentry.author": Rule(
        DELETED,
        "Journal entries they wrote, with their photos and files",
        "Their own words and pictures.",
        _delete_journal,
    ),
    "stories.selfassessment.person": Rule(
        WORDS_REMOVED,
        "Check-ins about how they are doing",
        "The scores are kept for the outcome totals; what they wrote is removed.",
        _blank(skills_gained=""),
    ),
    "stories.selfassessment.recorded_by": Rule(OTHERS, "Check-ins they recorded", STAFF_ACTION),
    "stories.story.interviewer": Rule(OTHERS, "Stories they recorded", STAFF_ACTION),
    "stories.story.storyteller": Rule(
        DELETED, "Their stories and answers", "A story is their own words.", _delete
    ),
}

# Person fields: what happens to each. Everything not listed here is blanked.
PERSON_KEPT = {
    "id": "The record's number, so the kept records still add up.",
    "user": "Their login, switched off and renamed.",
    "area": "Kept for the area totals on the dashboard (an area holds thousands of homes).",
    "tenure": "Kept for the tenure totals on the dashboard.",
    "involvement": "Kept for the counts of people involved.",
    "involved_since": "Kept for the counts of how long people have been involved.",
    "caring_responsibilities": "Kept for the carers' totals on the dashboard (yes or no).",
    "digital_access": "Kept for the digital access totals on the dashboard.",
    "date_of_birth": "Only the year is kept (as 1 July), for the age totals.",
    "created_at": "When the record was made.",
    "updated_at": "When the record was last changed.",
    "processing_restricted": "Data-protection state.",
    "restricted_at": "Data-protection state.",
    "erased_at": "When they were erased.",
    "pseudonym": "The pseudonym that replaces their name.",
    "erased_ref": "A one-way fingerprint of their housing system reference (not the reference "
    "itself), so the landlord's nightly sync cannot bring the record back.",
    "first_name": "Replaced by the pseudonym.",
    "last_name": "Replaced by the pseudonym.",
}

# Models whose text is never rewritten by the sweep: handled above by identity, or append-only.
SWEEP_SKIPS = {
    "people.person",  # handled field by field (a namesake's record must not be touched)
    "people.interest",  # deleted by identity below
    "accounts.user",  # renamed by identity
    "core.auditentry",  # append-only
    "rewards.ledgerentry",  # append-only
}


@dataclass(frozen=True)
class PlanItem:
    what: str
    label: str
    reason: str
    count: int
    link: str = ""

    @property
    def goes(self) -> bool:
        return self.what in GOES


@dataclass
class Plan:
    person: Person
    items: list[PlanItem]
    refusals: list[str]
    keep_payments_until: dt.date | None

    @property
    def goes(self) -> list[PlanItem]:
        return [i for i in self.items if i.goes and i.count]

    @property
    def stays(self) -> list[PlanItem]:
        return [i for i in self.items if not i.goes and i.count]

    @property
    def can_erase(self) -> bool:
        return not self.refusals

    def as_text(self) -> str:
        lines = [f"Erasure plan for person {self.person.pk}"]
        lines.append("Will go:")
        lines += [f"  - {i.label} ({i.count}): {i.what}. {i.reason}" for i in self.goes]
        lines.append("Will stay:")
        lines += [f"  - {i.label} ({i.count}): {i.what}. {i.reason}" for i in self.stays]
        if self.keep_payments_until:
            lines.append(
                f"Payment records may be deleted after {self.keep_payments_until:%d %B %Y}."
            )
        for refusal in self.refusals:
            lines.append(f"Cannot erase yet: {refusal}")
        return "\n".join(lines)


def rule_for(link: PersonLink) -> Rule | None:
    return RULES.get(link.label)


def end_of_tax_year(day: dt.date) -> dt.date:
    """The last day (5 April) of the UK tax year `day` falls in."""
    year = day.year if (day.month, day.day) <= (4, 5) else day.year + 1
    return dt.date(year, 4, 5)


def keep_payments_until(person: Person) -> dt.date | None:
    """Payment records may go six years after the end of the tax year of the last payment."""
    from coproduce.rewards.models import LedgerEntry

    last = LedgerEntry.objects.filter(person=person).order_by("-on").values_list("on", flat=True)
    latest = last.first()
    if latest is None:
        return None
    end = end_of_tax_year(latest)
    return end.replace(year=end.year + 6)


def _rows(link: PersonLink, person: Person) -> models.QuerySet[Any]:
    target: Any = person if link.target == "person" else person.user_id
    if target is None:
        return link.model._default_manager.none()
    return link.model._default_manager.filter(**{link.field: target})


def _unpaid(person: Person) -> tuple[int, Any]:
    from coproduce.rewards.models import LineStatus, RewardLine

    unpaid = RewardLine.objects.filter(
        person=person,
        status__in=[LineStatus.TO_REVIEW, LineStatus.REVIEWED, LineStatus.APPROVED],
    ).aggregate(n=models.Count("id"), total=Sum("amount"))
    return unpaid["n"], unpaid["total"]


def _refusals(person: Person) -> list[str]:
    if person.erased_at is not None:
        return ["This person has already been erased."]
    refusals = []
    count, total = _unpaid(person)
    if count:
        refusals.append(
            f"They have {count} reward{'s' if count != 1 else ''} or expense"
            f"{'s' if count != 1 else ''} not paid yet (£{total:.2f}). Pay or cancel "
            "them first, then erase."
        )
    return refusals


def erasure_plan(*, person: Person) -> Plan:
    """What erasure would remove and what it must keep, with the reason, for one person."""
    items = [
        PlanItem(
            "replaced",
            "Their name",
            "Replaced by a pseudonym such as 'Erased person 7F3K2Q'.",
            1,
            "people.person",
        ),
        PlanItem(
            DELETED,
            "Their contact details, address, day and month of birth, reference and needs",
            "Blanked on their record.",
            1,
            "people.person",
        ),
        PlanItem(
            PSEUDONYM,
            "Their area, tenure, year of birth, whether they care for someone, digital "
            "access and how long they have been involved",
            "Kept for the dashboard totals, which count people in groups; the day and month "
            "of birth go.",
            1,
            "people.person",
        ),
    ]
    for link in person_links():
        rule = rule_for(link)
        if rule is None:  # the coverage test makes this impossible in a release
            raise LookupError(f"No erasure rule for {link.label}")
        items.append(
            PlanItem(rule.what, rule.label, rule.reason, _rows(link, person).count(), link.label)
        )
    matching = _matching_sign_ups(person).exclude(person=person).count()
    items.append(
        PlanItem(
            DELETED,
            "Sign-ups with the same email or phone",
            "Sign-ups hold their contact details.",
            matching,
            "people.interest",
        )
    )
    items.append(
        PlanItem(
            WORDS_REMOVED,
            "Their name, email or phone in anyone's notes, evidence, comments or stories",
            "Masked as [name], [email] or [phone]; original evidence too.",
            sum(rows.count() for _, rows, _ in _sweep_targets(_identifiers(person))),
            "",
        )
    )
    return Plan(person, items, _refusals(person), keep_payments_until(person))


def _identifiers(person: Person) -> list[str]:
    """The values that identify them in free text: full name, email, phone."""
    values = [person.full_name, person.email, person.phone]
    if person.user is not None and person.user.email:
        values.append(person.user.email)
    out = []
    for value in values:
        value = (value or "").strip()
        # A lone first name ("Sam") is too common to search for: only full names count.
        if value and (len(value) >= 6 or "@" in value) and value.lower() not in out:
            out.append(value.lower())
    return out


def _matching_sign_ups(person: Person) -> models.QuerySet[Interest]:
    match = Q(person=person)
    if person.email:
        match |= Q(email__iexact=person.email)
    if person.phone:
        match |= Q(phone=person.phone)
    return Interest.objects.filter(match)


def _text_fields(model: type[models.Model]) -> list[models.Field[Any, Any]]:
    return [
        f
        for f in model._meta.concrete_fields
        if isinstance(f, models.CharField | models.TextField | models.JSONField)
        and not f.choices
        and not f.primary_key
    ]


def _sweep_targets(
    identifiers: list[str],
) -> list[tuple[type[models.Model], models.QuerySet[Any], list[models.Field[Any, Any]]]]:
    if not identifiers:
        return []
    targets = []
    for model in apps.get_models():
        if not model.__module__.startswith("coproduce.") or model._meta.proxy:
            continue
        if model._meta.label_lower in SWEEP_SKIPS:
            continue
        fields = _text_fields(model)
        if not fields:
            continue
        query = Q()
        for f in fields:
            for value in identifiers:
                query |= Q(**{f"{f.name}__icontains": value})
        targets.append((model, model._default_manager.filter(query), fields))
    return targets


def _mask_value(value: Any, identifiers: list[str], *, full_name: str, free_text: bool) -> Any:
    if isinstance(value, dict | list):
        text = json.dumps(value, ensure_ascii=False)
        masked = _mask_value(text, identifiers, full_name=full_name, free_text=False)
        return json.loads(masked) if masked != text else value
    if not isinstance(value, str) or not value:
        return value
    lowered = value.lower()
    if not any(v in lowered for v in identifiers):
        return value
    if free_text and full_name:
        value = _mask_their_name(value, full_name)
    for identifier in identifiers:
        placeholder = "[email]" if "@" in identifier else "[name]"
        if identifier.replace(" ", "").lstrip("+").isdigit():
            placeholder = "[phone]"
        value = re.sub(re.escape(identifier), placeholder, value, flags=re.IGNORECASE)
    return value


def _mask_their_name(text: str, full_name: str) -> str:
    """Mask the ways the evidence masker recognises their name ("Mrs Okafor", "Ade Okafor"),
    and only those: other names and details in someone else's words are left alone."""
    surname = full_name.split()[-1].lower()
    found = [
        f
        for f in mask(text, known_names=[full_name]).found
        if f.kind == "name" and surname in f.original.lower()
    ]
    for f in sorted(found, key=lambda f: f.start, reverse=True):
        text = text[: f.start] + "[name]" + text[f.end :]
    return text


def _sweep(person: Person, identifiers: list[str]) -> int:
    """Mask their name, email and phone wherever anyone wrote them down."""
    changed = 0
    for model, rows, fields in _sweep_targets(identifiers):
        for row in rows.select_for_update():
            names = []
            for f in fields:
                before = getattr(row, f.attname)
                after = _mask_value(
                    before,
                    identifiers,
                    full_name=person.full_name,
                    free_text=isinstance(f, models.TextField),
                )
                if after != before:
                    if isinstance(after, str) and f.max_length:
                        after = after[: f.max_length]
                    setattr(row, f.attname, after)
                    names.append(f.attname)
            if names:
                model._default_manager.filter(pk=row.pk).update(
                    **{n: getattr(row, n) for n in names}
                )
                changed += 1
    return changed


def new_pseudonym() -> str:
    while True:
        code = "".join(secrets.choice(PSEUDONYM_ALPHABET) for _ in range(6))
        name = f"{PSEUDONYM_PREFIX} {code}"
        if not Person.objects.filter(pseudonym=name).exists():
            return name


def _blank_person(person: Person, pseudonym: str) -> None:
    code = pseudonym.removeprefix(PSEUDONYM_PREFIX).strip()
    if person.external_ref:
        person.erased_ref = ref_fingerprint(person.external_ref)
    for f in Person._meta.concrete_fields:
        if f.name in PERSON_KEPT:
            continue
        if f.null:
            setattr(person, f.attname, None)
        elif f.has_default():
            setattr(person, f.attname, f.get_default())
        else:
            setattr(person, f.attname, "")
    if person.date_of_birth is not None:
        person.date_of_birth = dt.date(person.date_of_birth.year, 7, 1)
    person.first_name = PSEUDONYM_PREFIX
    person.last_name = code
    person.pseudonym = pseudonym
    person.contact_consent = False
    person.contact_consent_at = None


def _disable_login(user: User, pseudonym: str) -> None:
    code = pseudonym.removeprefix(PSEUDONYM_PREFIX).strip().lower()
    user.email = f"erased-{code}@{ERASED_EMAIL_DOMAIN}"
    user.full_name = pseudonym
    user.is_active = False
    user.set_unusable_password()  # also signs out every session (the session hash changes)
    user.save(update_fields=["email", "full_name", "is_active", "password"])


def _check_request(data_request: DataRequest) -> None:
    if data_request.kind != RequestKind.ERASURE:
        raise ValidationError("This is not a request to erase: nothing was done.")
    if data_request.status != RequestStatus.OPEN:
        raise ValidationError(
            f"This request is {data_request.get_status_display().lower()}, not open: "
            "nothing was done."
        )


def _outcome(plan: Plan, pseudonym: str) -> str:
    lines = [f"Erased. The record now shows only the pseudonym '{pseudonym}'."]
    gone = [f"{i.label} ({i.count}): {i.what}" for i in plan.goes]
    kept = [f"{i.label} ({i.count}): {i.reason}" for i in plan.stays]
    if gone:
        lines.append("Removed: " + "; ".join(gone) + ".")
    if kept:
        lines.append("Kept: " + "; ".join(kept))
    if plan.keep_payments_until:
        lines.append(f"Payment records may be deleted after {plan.keep_payments_until:%d %B %Y}.")
    return "\n".join(lines)


def _erase(person: Person) -> tuple[Plan, str, list[Any], int]:
    """Erase a locked person: (plan done, pseudonym, files to remove on commit, mentions
    masked). Raises ValidationError, changing nothing, if the plan refuses."""
    plan = erasure_plan(person=person)
    if plan.refusals:
        raise ValidationError(plan.refusals[0])

    identifiers = _identifiers(person)
    ctx = Context(person=person, user=person.user)
    for link in person_links():
        rule = RULES[link.label]
        if rule.apply is not None:
            rule.apply(_rows(link, person), ctx)
    _matching_sign_ups(person).delete()
    masked_rows = _sweep(person, identifiers)

    pseudonym = new_pseudonym()
    _blank_person(person, pseudonym)
    person.erased_at = timezone.now()
    person.save()
    if person.user is not None:
        _disable_login(person.user, pseudonym)

    return plan, pseudonym, list(ctx.files_to_remove), masked_rows


def person_erase_former_tenant(*, person_id: int, actor: User | None) -> bool:
    """Erase a former tenant whose retention period is over (the retention schedule's
    ``former_tenants`` rule): the same erasure as a request, without one. Returns False,
    changing nothing, when the plan refuses (e.g. rewards not paid yet) or they are gone."""
    person = (
        Person.objects.select_for_update(of=("self",))
        .select_related("user")
        .filter(pk=person_id, erased_at__isnull=True)
        .first()
    )
    if person is None:
        return False
    try:
        with transaction.atomic():
            plan, _pseudonym, files, masked_rows = _erase(person)
    except ValidationError:
        return False
    transaction.on_commit(lambda: _remove_files(files))
    audit_record(
        action="privacy.person_erased",
        actor=actor,
        obj=person,
        summary=f"Retention rule 'former_tenants': former tenant erased "
        f"({sum(i.count for i in plan.goes)} records removed or masked, "
        f"{masked_rows} mentions masked)",
    )
    return True


@transaction.atomic
def person_erase(
    *, request: DataRequest, actor: User | None, request_http: HttpRequest | None = None
) -> Plan:
    """Erase the person of an open erasure request, in one transaction; return the plan done.

    Refused, with nothing changed, when the request is not an open erasure request, the
    person has rewards or expenses not paid yet, or they were erased already (also when a
    second erasure of the same person ran at the same moment: the row lock makes the second
    wait, then it sees `erased_at`)."""
    data_request = DataRequest.objects.select_for_update().get(pk=request.pk)
    _check_request(data_request)
    person = (
        Person.objects.select_for_update(of=("self",))
        .select_related("user")
        .get(pk=request.person_id)
    )
    plan, pseudonym, files, masked_rows = _erase(person)
    now = timezone.now()
    data_request.status = RequestStatus.DONE
    data_request.completed_at = now
    data_request.completed_by = actor if getattr(actor, "is_authenticated", False) else None
    data_request.outcome = _outcome(plan, pseudonym)
    # The request's own notes may hold their name: the sweep masked them above.
    data_request.save(update_fields=["status", "completed_at", "completed_by", "outcome"])

    transaction.on_commit(lambda: _remove_files(files))
    audit_record(
        action="privacy.person_erased",
        actor=actor,
        obj=person,
        request=request_http,
        summary=f"Erasure request #{data_request.pk} carried out "
        f"({sum(i.count for i in plan.goes)} records removed or masked, "
        f"{masked_rows} mentions masked)",
    )
    return plan


def _remove_files(files: list[Any]) -> None:
    for f in files:
        try:
            f.storage.delete(f.name)
        except OSError:  # already gone: nothing to remove
            pass
