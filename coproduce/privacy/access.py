"""Subject access: a copy of everything held about one person, as one ZIP.

The ZIP holds one JSON file per area (UTF-8; dates and times ISO 8601 in UK time; money as
strings such as "12.50"), a readable `summary.html` and `summary.pdf`, a `README.txt`, and
any files they gave us (receipts, journal photos) under `files/`.

Coverage is declared, not hoped for: every link to a person or a login that
`privacy.links.person_links()` finds must be listed below, either in `EXPORTED` (the area
that exports it) or in `NOT_ABOUT_SUBJECT` (why it is not about the person: usually it
records which member of staff did something). A test fails when a new link appears in
neither, so a new model that names a person cannot be forgotten.
"""

from __future__ import annotations

import datetime as dt
import decimal
import io
import json
import shutil
import uuid
import zipfile
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any

from django.contrib.auth import get_user_model
from django.db import models
from django.db.models import Prefetch, Q
from django.db.models.fields.files import FieldFile
from django.template.loader import render_to_string
from django.utils import timezone

from coproduce.core.audit import audit_record
from coproduce.core.models import AuditEntry
from coproduce.diversity.models import (
    EqualityConsent,
    EqualityRecord,
    OutreachList,
    ProjectParticipation,
    QuickQuestionRecipient,
)
from coproduce.evaluation.models import (
    Coding,
    Evaluator,
    EvidenceBatch,
    EvidenceItem,
    Judgement,
    ReportSection,
    ReportSectionVersion,
    Theme,
)
from coproduce.meetings.models import Attendance, CalendarFeed, Invitation, TimeGiven
from coproduce.messaging.models import ContactPreference, InboundText, Message
from coproduce.people.models import Interest, Person
from coproduce.privacy.models import DataRequest
from coproduce.projects.models import ProjectMember
from coproduce.promises.models import (
    Ballot,
    BoardMeeting,
    CoDesigner,
    Comment,
    PromiseVersion,
    Proposal,
    Vote,
)
from coproduce.rewards.models import ExpenseClaim, LedgerEntry, RewardChoice, RewardLine
from coproduce.stories.models import JournalEntry, SelfAssessment, Story, StoryAnswer

if TYPE_CHECKING:
    from django.http import HttpRequest

    from coproduce.accounts.models import User

# Area -> what it holds, in plain words (the summary and README use these).
AREAS: dict[str, str] = {
    "profile": "Your details: name, contact details, needs and preferences, your login, "
    "and your private calendar link.",
    "signups": 'When you signed up on the "Get involved" page.',
    "projects": "The projects you are or were a member of, and how often you took part.",
    "sessions": "Sessions you were invited to, your replies, when you took part, "
    "and time you gave outside sessions.",
    "messages": "Messages we sent you (invitations, reminders, quick questions and others) "
    "on each channel, how you asked us to contact you, and text messages you sent us.",
    "questions": "Quick questions we asked you and your answers, and outreach lists you were on.",
    "rewards": "How you like to be rewarded, what you earned, expenses you claimed, "
    "and the payment records.",
    "equality": "Your answers to the equality questions, and what you agreed we may "
    "use them for (with the exact words you agreed to).",
    "evaluation": "Your part in health checks: evidence you gathered (as stored, and the "
    "original before names were hidden), how you coded it, your judgements, themes you "
    "made and report sections you wrote.",
    "promises": "Customer promises: your proposals, comments, votes and rankings, "
    "co-designer credits and board meetings you presented at.",
    "stories": "Your stories (with your answers and what you agreed to share), "
    "check-ins about how you are doing, and journal entries you wrote.",
    "data_requests": "Your requests about your data, like this one.",
    "audit": "Our audit log entries about your record or made when you were signed in.",
}

# Every link to a person or login (see privacy.links) -> the area that exports it.
EXPORTED: dict[str, str] = {
    "people.person.user": "profile",
    "meetings.calendarfeed.person": "profile",
    "people.interest.person": "signups",
    "projects.projectmember.person": "projects",
    "diversity.projectparticipation.person": "projects",
    "meetings.invitation.person": "sessions",
    "meetings.attendance.person": "sessions",
    "meetings.timegiven.person": "sessions",
    "messaging.message.person": "messages",
    "messaging.contactpreference.person": "messages",
    "messaging.inboundtext.person": "messages",
    "diversity.quickquestionrecipient.person": "questions",
    "diversity.outreachlist.people": "questions",
    "rewards.rewardchoice.person": "rewards",
    "rewards.rewardline.person": "rewards",
    "rewards.expenseclaim.person": "rewards",
    "rewards.ledgerentry.person": "rewards",
    "diversity.equalityrecord.person": "equality",
    "diversity.equalityconsent.person": "equality",
    "evaluation.evaluator.person": "evaluation",
    "evaluation.evidenceitem.gathered_by_person": "evaluation",
    "evaluation.evidencebatch.gathered_by_person": "evaluation",
    "evaluation.coding.coder": "evaluation",
    "evaluation.judgement.updated_by": "evaluation",
    "evaluation.theme.made_by_person": "evaluation",
    "evaluation.reportsection.updated_by": "evaluation",
    "evaluation.reportsectionversion.by": "evaluation",
    "promises.proposal.proposed_by": "promises",
    "promises.proposal.decided_by": "promises",
    "promises.comment.person": "promises",
    "promises.comment.user": "promises",
    "promises.vote.person": "promises",
    "promises.ballot.person": "promises",
    "promises.codesigner.person": "promises",
    "promises.boardmeeting.presenters": "promises",
    "promises.promiseversion.changed_by_person": "promises",
    "stories.story.storyteller": "stories",
    "stories.selfassessment.person": "stories",
    "stories.journalentry.author": "stories",
    "privacy.datarequest.person": "data_requests",
    "core.auditentry.actor": "audit",
}

_STAFF = (
    "records which member of staff did it; the record itself is exported by its link "
    "to the person where it concerns them"
)
# Links that are not about the subject, with the reason.
NOT_ABOUT_SUBJECT: dict[str, str] = {
    "accounts.ssoidentity.user": "a staff login's link to the organisation's own sign-in "
    "(an identifier the organisation's provider gave it); tenants cannot have one",
    "diversity.equalityconsent.recorded_by": "the staff member who typed in the consent "
    "(the consent is exported under equality)",
    "diversity.outreachlist.created_by": "the staff member who made an outreach list",
    "diversity.quickquestion.created_by": "the staff member who wrote a quick question",
    "diversity.quickquestionrecipient.recorded_by": "the staff member who typed in an answer "
    "(the answer is exported under questions)",
    "evaluation.actionupdate.by": "a staff progress note on an action from a health check",
    "evaluation.evidencebatch.gathered_by_user": "the staff member who imported evidence",
    "evaluation.evidenceitem.gathered_by_user": "the staff member who gathered evidence",
    "evaluation.healthcheck.created_by": "the staff member who set up a health check",
    "evaluation.themerun.created_by": "the staff member who ran the theme finder",
    "meetings.attendance.recorded_by": _STAFF,
    "meetings.invitation.rsvp_recorded_by": _STAFF,
    "meetings.meeting.created_by": "the staff member who set up a session",
    "meetings.roombooking.booked_by": "the staff member who booked a room",
    "meetings.sessionstaff.user": "staff working at a session",
    "meetings.timegiven.recorded_by": _STAFF,
    "messaging.message.sent_by": "the staff member who sent a message (the message is "
    "exported under messages)",
    "messaging.inboundtext.resolved_by": _STAFF,
    "messaging.letterpack.printed_by": "the staff member who printed a pack of letters (each "
    "letter is exported under messages)",
    "people.interest.decided_by": "the staff member who dealt with a sign-up",
    "tsm.managementfigure.entered_by": "the staff member who entered a satisfaction-measure figure",
    "tsm.surveyupload.uploaded_by": "the staff member who imported a satisfaction survey file",
    "tsm.tsmyear.published_by": "the staff member who published a year's satisfaction results",
    "privacy.datarequest.completed_by": "the data-protection lead who closed a request",
    "privacy.datarequest.opened_by": "the staff member who opened a request",
    "projects.decision.recorded_by": "the staff member who recorded a project decision",
    "projects.project.owner": "the staff member who owns a project",
    "projects.projectstaff.user": "staff working on a project",
    "api.apitoken.owner": "the member of staff who answers for an API token (only staff own "
    "tokens)",
    "api.apitoken.created_by": "the system admin who made an API token",
    "core.uploadjob.created_by": "a file waiting to be read (kept a day at most); "
    "what it held is exported from where it was saved",
    "projects.supportrequest.requested_by": "a colleague asking the team for help",
    "projects.supportrequest.triaged_by": "the coordinator who answered a colleague",
    "promises.ballot.recorded_by": _STAFF,
    "promises.boardmeeting.recorded_by": "the staff member who recorded a board meeting",
    "promises.promiseversion.changed_by_user": "the staff member who changed a promise",
    "promises.proposal.recorded_by": _STAFF,
    "promises.vote.recorded_by": _STAFF,
    "rewards.expenseclaim.created_by": _STAFF,
    "rewards.ledgerentry.created_by": _STAFF,
    "rewards.paymentbatch.approved_by": "the finance officer who approved a payment batch",
    "rewards.paymentbatch.paid_by": "the finance officer who paid a batch",
    "rewards.rewardchoice.updated_by": _STAFF,
    "rewards.rewardline.reviewed_by": "the coordinator who checked a reward line",
    "rewards.rewardoffer.updated_by": "the staff member who wrote a project's reward offer",
    "rewards.rewardpolicy.created_by": "the staff member who wrote the reward policy",
    "stories.impactchange.recorded_by": "the staff member who recorded a change",
    "stories.selfassessment.recorded_by": _STAFF,
    "stories.story.interviewer": "the staff member who recorded a story",
}

# Secrets that give access (not information about the person): never in a copy.
SECRET_FIELDS = frozenset({"password", "token"})
# How many records of each kind the readable summary shows; the JSON always has them all.
SUMMARY_LIMIT = 200


# Turning records into JSON ------------------------------------------------------------------


def _plain(value: Any) -> Any:
    if isinstance(value, dt.datetime):
        return (
            timezone.localtime(value).isoformat() if timezone.is_aware(value) else value.isoformat()
        )
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return str(value)
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, FieldFile):
        return value.name or ""
    return value


class _Encoder(json.JSONEncoder):
    def default(self, o: Any) -> Any:
        plain = _plain(o)
        return super().default(o) if plain is o else plain


def _record(obj: models.Model, **extra: Any) -> dict[str, Any]:
    """Every stored field of a record, with choice labels; links as numbers; no staff logins."""
    user_model = get_user_model()
    row: dict[str, Any] = {}
    for field in obj._meta.concrete_fields:
        if field.name in SECRET_FIELDS:
            continue
        if field.is_relation:
            if field.related_model is user_model:
                continue  # which login did it: for staff, not about the subject
            row[field.attname] = getattr(obj, field.attname)
            continue
        value = _plain(field.value_from_object(obj))
        row[field.name] = value
        if field.choices and isinstance(value, str | int) and value != "":
            row[f"{field.name}_label"] = str(dict(field.flatchoices).get(value, value))
    row.update({k: _plain(v) for k, v in extra.items()})
    return row


# One function per area; each returns {section: [records]} with a few queries at most -------


def _profile(person: Person) -> dict[str, list[dict[str, Any]]]:
    user = person.user
    login = []
    if user is not None:
        login.append(
            {
                "email": user.email,
                "full_name": user.full_name,
                "role": user.get_role_display(),  # type: ignore[attr-defined]
                "active": user.is_active,
                "date_joined": _plain(user.date_joined),
                "last_login": _plain(user.last_login),
            }
        )
    feeds = [
        _record(
            feed,
            note="A private web address for your calendar of sessions exists. "
            "The address itself is a secret key and is not shown here.",
        )
        for feed in CalendarFeed.objects.filter(person=person)
    ]
    area = person.area.name if person.area_id and person.area else ""
    return {"person": [_record(person, area_name=area)], "login": login, "calendar_feed": feeds}


def _signups(person: Person) -> dict[str, list[dict[str, Any]]]:
    match = Q(person=person)
    if person.email:
        # Sign-ups never linked to the record still concern them when the email matches.
        match |= Q(email__iexact=person.email)
    return {"signups": [_record(i) for i in Interest.objects.filter(match).order_by("created_at")]}


def _projects(person: Person) -> dict[str, list[dict[str, Any]]]:
    return {
        "memberships": [
            _record(m, project_title=m.project.title)
            for m in ProjectMember.objects.filter(person=person).select_related("project")
        ],
        "participation": [
            _record(p, project_title=p.project.title)
            for p in ProjectParticipation.objects.filter(person=person).select_related("project")
        ],
    }


def _meeting_extra(meeting: Any) -> dict[str, Any]:
    return {
        "session_title": meeting.title,
        "session_starts_at": meeting.starts_at,
        "project_title": meeting.project.title,
    }


def _sessions(person: Person) -> dict[str, list[dict[str, Any]]]:
    return {
        "invitations": [
            _record(i, **_meeting_extra(i.meeting))
            for i in Invitation.objects.filter(person=person).select_related("meeting__project")
        ],
        "attendance": [
            _record(a, **_meeting_extra(a.meeting))
            for a in Attendance.objects.filter(person=person).select_related("meeting__project")
        ],
        "time_given": [
            _record(t, project_title=t.project.title)
            for t in TimeGiven.objects.filter(person=person).select_related("project")
        ],
    }


def _messages(person: Person) -> dict[str, list[dict[str, Any]]]:
    return {
        "messages": [
            _record(m, kind_label=m.get_kind_display())
            for m in Message.objects.filter(person=person).order_by("created_at", "pk")
        ],
        "contact_preferences": [
            _record(p) for p in ContactPreference.objects.filter(person=person)
        ],
        "texts_received": [
            _record(t) for t in InboundText.objects.filter(person=person).order_by("received_at")
        ],
        **_earlier_messages(person),
    }


def _earlier_messages(person: Person) -> dict[str, list[dict[str, Any]]]:
    # Before the message store: what we sent is known from the records of sending.
    messages: list[dict[str, Any]] = []
    for i in Invitation.objects.filter(person=person).select_related("meeting"):
        messages.append(
            {"kind": "Invitation to a session", "about": i.meeting.title, "sent_at": i.invited_at}
        )
        if i.reminded_at:
            messages.append(
                {"kind": "Session reminder", "about": i.meeting.title, "sent_at": i.reminded_at}
            )
    for r in QuickQuestionRecipient.objects.filter(person=person).select_related("question"):
        messages.append(
            {
                "kind": "Quick question",
                "about": r.question.title,
                "sent_at": r.question.created_at,
                "channel": r.channel,
            }
        )
    messages.sort(key=lambda m: m["sent_at"])
    return {"earlier_messages": [{k: _plain(v) for k, v in m.items()} for m in messages]}


def _questions(person: Person) -> dict[str, list[dict[str, Any]]]:
    answers = []
    for r in QuickQuestionRecipient.objects.filter(person=person).select_related("question"):
        q = r.question
        answers.append(
            _record(
                r,
                title=q.title,
                questions_and_answers=[
                    {"question": text, "answer": getattr(r, f"answer_{n}")}
                    for n, text in enumerate(q.questions, start=1)
                ],
            )
        )
    lists = [
        {"name": o.name, "made_at": _plain(o.created_at), "chosen_by": o.criteria}
        for o in OutreachList.objects.filter(people=person)
    ]
    return {"quick_questions": answers, "outreach_lists": lists}


def _rewards(person: Person) -> dict[str, list[dict[str, Any]]]:
    lines = []
    for line in RewardLine.objects.filter(person=person).select_related("project", "voucher"):
        voucher = getattr(line, "voucher", None)
        extra: dict[str, Any] = {"project_title": line.project.title}
        if voucher is not None:
            extra["voucher"] = {"kind": voucher.kind, "code": voucher.code, "value": voucher.value}
            extra["voucher"] = {k: _plain(v) for k, v in extra["voucher"].items()}
        lines.append(_record(line, **extra))
    return {
        "choice": [_record(c) for c in RewardChoice.objects.filter(person=person)],
        "reward_lines": lines,
        "expense_claims": [
            _record(c, project_title=c.project.title)
            for c in ExpenseClaim.objects.filter(person=person).select_related("project")
        ],
        "ledger": [_record(e) for e in LedgerEntry.objects.filter(person=person)],
    }


def _equality(person: Person) -> dict[str, list[dict[str, Any]]]:
    records = []
    for r in EqualityRecord.objects.filter(person=person):
        questions = {
            f.name: str(f.verbose_name) for f in r._meta.concrete_fields if not f.is_relation
        }
        records.append(_record(r, disabled=r.disabled, questions=questions))
    return {
        "answers": records,
        "consent": [_record(c) for c in EqualityConsent.objects.filter(person=person)],
    }


def _evaluation(person: Person) -> dict[str, list[dict[str, Any]]]:
    evidence = []
    items = EvidenceItem.objects.filter(gathered_by_person=person).select_related(
        "health_check", "original"
    )
    for item in items:
        original = getattr(item, "original", None)
        evidence.append(
            _record(
                item,
                health_check_title=item.health_check.title,
                original_text=original.text if original is not None else None,
            )
        )
    return {
        "evaluator_roles": [
            _record(e, health_check_title=e.health_check.title)
            for e in Evaluator.objects.filter(person=person).select_related("health_check")
        ],
        "evidence": evidence,
        "evidence_batches": [
            _record(b) for b in EvidenceBatch.objects.filter(gathered_by_person=person)
        ],
        "codings": [
            _record(
                c,
                theme_label=c.theme.label if c.theme else None,
                promise_title=c.promise.title if c.promise else None,
            )
            for c in Coding.objects.filter(coder=person).select_related("theme", "promise")
        ],
        "judgements": [
            _record(j, promise_title=j.promise.title, health_check_title=j.health_check.title)
            for j in Judgement.objects.filter(updated_by=person).select_related(
                "promise", "health_check"
            )
        ],
        "themes": [_record(t) for t in Theme.objects.filter(made_by_person=person)],
        "report_sections": [_record(s) for s in ReportSection.objects.filter(updated_by=person)],
        "report_section_versions": [
            _record(v) for v in ReportSectionVersion.objects.filter(by=person)
        ],
    }


def _promises(person: Person) -> dict[str, list[dict[str, Any]]]:
    comments = Q(person=person)
    if person.user_id:
        comments |= Q(user_id=person.user_id)
    return {
        "proposals": [
            _record(
                p,
                promise_set_title=p.promise_set.title,
                you_proposed=p.proposed_by_id == person.pk,
                you_decided=p.decided_by_id == person.pk,
            )
            for p in Proposal.objects.filter(Q(proposed_by=person) | Q(decided_by=person))
            .select_related("promise_set")
            .order_by("created_at")
        ],
        "comments": [_record(c) for c in Comment.objects.filter(comments)],
        "votes": [
            _record(v, proposal=str(v.proposal))
            for v in Vote.objects.filter(person=person).select_related(
                "proposal", "proposal__promise"
            )
        ],
        "ballots": [
            _record(b, promise_set_title=b.promise_set.title)
            for b in Ballot.objects.filter(person=person).select_related("promise_set")
        ],
        "co_designer": [
            _record(c, promise_set_title=c.promise_set.title)
            for c in CoDesigner.objects.filter(person=person).select_related("promise_set")
        ],
        "board_meetings_presented_at": [
            _record(b, promise_set_title=b.promise_set.title)
            for b in BoardMeeting.objects.filter(presenters=person).select_related("promise_set")
        ],
        "promise_versions": [
            _record(v) for v in PromiseVersion.objects.filter(changed_by_person=person)
        ],
    }


def _stories(person: Person) -> dict[str, list[dict[str, Any]]]:
    stories = []
    answers = Prefetch("answers", StoryAnswer.objects.select_related("question"))
    for s in (
        Story.objects.filter(storyteller=person)
        .select_related("project")
        .prefetch_related(answers, "impact_changes")
    ):
        stories.append(
            _record(
                s,
                project_title=s.project.title,
                answers=[
                    _record(a, question=a.question.text, question_number=a.question.number)
                    for a in s.answers.all()
                ],
                used_in_changes=[c.title for c in s.impact_changes.all()],
            )
        )
    journal = []
    if person.user_id:
        entries = (
            JournalEntry.objects.filter(author_id=person.user_id)
            .select_related("project")
            .prefetch_related("files")
        )
        for e in entries:
            journal.append(
                _record(
                    e,
                    project_title=e.project.title,
                    files=[_record(f) for f in e.files.all()],
                )
            )
    return {
        "stories": stories,
        "self_assessments": [_record(a) for a in SelfAssessment.objects.filter(person=person)],
        "journal_entries": journal,
    }


def _data_requests(person: Person) -> dict[str, list[dict[str, Any]]]:
    return {"requests": [_record(r) for r in DataRequest.objects.filter(person=person)]}


def _audit(person: Person) -> dict[str, list[dict[str, Any]]]:
    about = Q(object_type="people.person", object_id=str(person.pk))
    request_ids = [
        str(pk) for pk in DataRequest.objects.filter(person=person).values_list("pk", flat=True)
    ]
    if request_ids:
        about |= Q(object_type="privacy.datarequest", object_id__in=request_ids)
    if person.user_id:
        about |= Q(object_type="accounts.user", object_id=str(person.user_id))
        about |= Q(actor_id=person.user_id)
    rows = []
    for entry in AuditEntry.objects.filter(about).order_by("at", "id").iterator(chunk_size=2000):
        own = person.user_id is not None and entry.actor_id == person.user_id
        rows.append(
            {
                "at": _plain(entry.at),
                "action": entry.action,
                "record": f"{entry.object_type} {entry.object_id}".strip(),
                "summary": entry.summary,
                "by": "you"
                if own
                else ("a member of staff" if entry.actor_email else "the system"),
                # Their own address and browser are theirs; staff members' are not.
                "ip_address": entry.ip_address if own else None,
                "user_agent": entry.user_agent if own else None,
            }
        )
    return {"entries": rows}


GATHERERS: dict[str, Callable[[Person], dict[str, list[dict[str, Any]]]]] = {
    "profile": _profile,
    "signups": _signups,
    "projects": _projects,
    "sessions": _sessions,
    "messages": _messages,
    "questions": _questions,
    "rewards": _rewards,
    "equality": _equality,
    "evaluation": _evaluation,
    "promises": _promises,
    "stories": _stories,
    "data_requests": _data_requests,
    "audit": _audit,
}


def gather(person: Person) -> dict[str, dict[str, list[dict[str, Any]]]]:
    """Everything held about the person, by area and section."""
    return {area: GATHERERS[area](person) for area in AREAS}


def _files(person: Person) -> Iterable[tuple[str, FieldFile]]:
    for claim in ExpenseClaim.objects.filter(person=person).exclude(receipt=""):
        yield f"files/receipts/{claim.pk}-{claim.receipt.name.rsplit('/', 1)[-1]}", claim.receipt
    if person.user_id:
        from coproduce.stories.models import JournalFile

        for f in JournalFile.objects.filter(entry__author_id=person.user_id):
            yield f"files/journal/{f.pk}-{f.original_name.rsplit('/', 1)[-1]}", f.file


# The readable summary -----------------------------------------------------------------------


def _humanise(key: str) -> str:
    return key.replace("_", " ").capitalize()


def _summary_rows(record: dict[str, Any]) -> list[tuple[str, str]]:
    rows = []
    for key, value in record.items():
        if key == "id" or key.endswith("_id") or f"{key}_label" in record:
            continue
        label = _humanise(key[: -len("_label")] if key.endswith("_label") else key)
        if value in (None, "", [], {}):
            continue
        if isinstance(value, bool):
            text = "Yes" if value else "No"
        elif isinstance(value, list | dict):
            text = json.dumps(value, ensure_ascii=False, cls=_Encoder)
        else:
            text = str(value)
        rows.append((label, text))
    return rows


def _summary_context(
    person: Person, data: dict[str, dict[str, list[dict[str, Any]]]], made_at: dt.datetime
) -> dict[str, Any]:
    areas = []
    for area, sections in data.items():
        parts = []
        for section, records in sections.items():
            parts.append(
                {
                    "title": _humanise(section),
                    "count": len(records),
                    "records": [_summary_rows(r) for r in records[:SUMMARY_LIMIT]],
                    "more": max(0, len(records) - SUMMARY_LIMIT),
                }
            )
        areas.append(
            {
                "name": area,
                "title": _humanise(area),
                "about": AREAS[area],
                "file": f"{area}.json",
                "count": sum(len(r) for r in sections.values()),
                "sections": parts,
            }
        )
    return {"person": person, "areas": areas, "made_at": timezone.localtime(made_at)}


README = """A copy of the information {organisation} holds about you
=========================================================

Made on {made_at} for {name}.

What is in this file
--------------------
summary.html   Everything below in plain words. Open it in any web browser.
summary.pdf    The same summary, ready to print.
*.json         The same information in a form computers can read, one file per area:
{areas}
files/         Files you gave us, such as receipts and journal photos (if any).

Notes
-----
- Dates and times are in UK time and written year-month-day (ISO 8601).
- Money is in pounds, written as text such as "12.50" so no pennies are lost.
- Records we hold about many people (such as a session) are named but not copied in full.
- Where a member of staff did something on your record, we say so, but not who; ask the
  data-protection lead if you want to know.
- If anything here is wrong, you can ask us to correct it. You can also ask us to erase
  your information or to stop using it.
"""


def subject_access_export(
    *, person: Person, actor: User | None, request: HttpRequest | None = None
) -> bytes:
    """Everything held about `person`, as a ZIP. Audited (as done by the system if no actor)."""
    from django.conf import settings

    made_at = timezone.now()
    data = gather(person)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for area, sections in data.items():
            body = {"area": area, "about": AREAS[area], "made_at": _plain(made_at), **sections}
            zf.writestr(
                f"{area}.json",
                json.dumps(body, ensure_ascii=False, indent=2, cls=_Encoder).encode("utf-8"),
            )
        html = render_to_string("privacy/summary.html", _summary_context(person, data, made_at))
        zf.writestr("summary.html", html.encode("utf-8"))
        zf.writestr("summary.pdf", _pdf(html))
        zf.writestr(
            "README.txt",
            README.format(
                organisation=settings.ORGANISATION_NAME,
                made_at=f"{timezone.localtime(made_at):%-d %B %Y at %H:%M}",
                name=person.full_name,
                areas="\n".join(f"  {a}.json: {about}" for a, about in AREAS.items()),
            ).encode("utf-8"),
        )
        for name, field_file in _files(person):
            try:
                with field_file.open("rb") as source, zf.open(name, "w") as target:
                    shutil.copyfileobj(source, target)
            except (FileNotFoundError, OSError):
                zf.writestr(f"{name}.missing.txt", "This file could not be found in storage.\n")
    counts = ", ".join(f"{a} {sum(len(r) for r in s.values())}" for a, s in data.items())
    audit_record(
        action="privacy.export_made",
        actor=actor,
        obj=person,
        request=request,
        summary=f"Copy of everything held made ({counts})",
    )
    return buffer.getvalue()


def _pdf(html: str) -> bytes:
    from weasyprint import HTML  # type: ignore[import-untyped]

    return bytes(HTML(string=html).write_pdf())
