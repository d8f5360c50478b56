"""What the home pages show: for a tenant, the next thing to do, what is coming up and what they
have done; for staff, what needs them today. Reads only; each list is a handful of queries."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ObjectDoesNotExist
from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils import timezone

from coproduce.accounts import roles
from coproduce.core import needs
from coproduce.core.needs import Need
from coproduce.diversity.models import QuickQuestionRecipient
from coproduce.meetings import selectors as meetings
from coproduce.meetings.models import (
    Invitation,
    Meeting,
    Rsvp,
    SessionChannel,
    SessionStatus,
)
from coproduce.messaging import selectors as messaging
from coproduce.messaging import selectors_staff as messages_staff
from coproduce.people.models import Interest, InterestStatus, Person
from coproduce.promises.models import Proposal, ProposalStatus, SetStatus
from coproduce.rewards import selectors as rewards
from coproduce.rewards.models import LineStatus
from coproduce.rewards.money import tax_year_start

# How many sessions "Coming up" shows before pointing to the full list.
COMING_UP = 3
# How many of the latest things done the home page shows before pointing to the history.
RECENT = 3
HISTORY_PER_PAGE = 20


@dataclass(frozen=True)
class NextThing:
    """One thing for a tenant to do: the one link that does it, and a line about it."""

    link_text: str
    hint: str
    url: str


@dataclass(frozen=True)
class DoneSummary:
    sessions_this_year: int
    sessions_total: int
    hours_total: Decimal
    rewards_this_tax_year: Decimal
    tax_year_start: dt.date


def own_person(user: AbstractBaseUser | AnonymousUser) -> Person | None:
    if not user.pk or not roles.is_tenant(user):
        return None
    return Person.objects.filter(user_id=user.pk).first()


# --- a tenant's next things to do ---------------------------------------------------------------
def _day(when: dt.datetime) -> str:
    local = timezone.localtime(when)
    return f"{local:%A} {local.day} {local:%B}"


def _replies_due(upcoming: list[Invitation]) -> list[NextThing]:
    """Sessions coming up (``meetings.person_upcoming``) they have not replied to yet."""
    return [
        NextThing(
            link_text=f"Reply to “{i.meeting.title}”",
            hint=f"On {_day(i.meeting.starts_at)}. Tell us if you can come.",
            url=reverse("meetings:detail", args=[i.meeting_id]),
        )
        for i in upcoming
        if i.rsvp == Rsvp.NO_REPLY
    ]


def _quick_questions(person: Person) -> list[NextThing]:
    # The answer link is the same private link the email carries: it works for whoever holds it,
    # so a tenant signed in as themselves can always answer online.
    waiting = (
        QuickQuestionRecipient.objects.filter(person=person, answered_at__isnull=True)
        .select_related("question")
        .order_by("question__created_at", "id")
    )
    return [
        NextThing(
            link_text=f"Answer a quick question: “{r.question.title}”",
            hint="It takes a minute or two.",
            url=reverse("diversity:quick_answer_public", args=[r.token]),
        )
        for r in waiting
    ]


def _votes_open(person: Person) -> list[NextThing]:
    """Open proposals in a promise set their group is drafting, on which they have not voted."""
    proposals = (
        Proposal.objects.filter(
            status=ProposalStatus.OPEN,
            promise_set__status__in=(SetStatus.DRAFTING, SetStatus.RETURNED),
            promise_set__project__members__person=person,
            promise_set__project__members__left_on__isnull=True,
        )
        .exclude(votes__person=person)
        .select_related("promise_set", "promise")
        .order_by("created_at", "id")
        .distinct()
    )
    return [
        NextThing(
            link_text=f"Vote on “{p}”",
            hint=f"Part of “{p.promise_set.title}”. Your group decides together.",
            url=reverse("promises:proposal", args=[p.pk]),
        )
        for p in proposals
    ]


def _reward_choice(person: Person) -> list[NextThing]:
    if _has(person, "reward_choice"):  # chosen already: no need to ask the database
        return []
    if not rewards.people_waiting_for_a_choice().filter(pk=person.pk).exists():
        return []
    return [
        NextThing(
            link_text="Choose how you would like your thank-you reward",
            hint="You took part in a project that gives a thank-you reward. "
            "Tell us how you would like yours.",
            url=reverse("rewards:mine_choice"),
        )
    ]


def _has(person: Person, one_to_one: str) -> bool:
    """Whether the reverse one-to-one (selected with the person, or asked now) exists."""
    try:
        getattr(person, one_to_one)
    except ObjectDoesNotExist:
        return False
    return True


def next_things(
    person: Person, now: dt.datetime | None = None, upcoming: list[Invitation] | None = None
) -> list[NextThing]:
    """upcoming: ``meetings.person_upcoming(person)`` when the caller has it already."""
    if upcoming is None:
        upcoming = meetings.person_upcoming(person, now=now)
    return [
        *_replies_due(upcoming),
        *_quick_questions(person),
        *_votes_open(person),
        *_reward_choice(person),
    ]


# --- what a tenant has done ---------------------------------------------------------------------
def done_summary(person: Person, history: meetings.History, today: dt.date) -> DoneSummary:
    year_start = tax_year_start(today)
    return DoneSummary(
        sessions_this_year=sum(
            1 for item in history.items if item.meeting_id and item.when.year == today.year
        ),
        sessions_total=history.sessions,
        hours_total=history.total_hours,
        rewards_this_tax_year=rewards.year_rewards_total(person, year_start),
        tax_year_start=year_start,
    )


def tenant_home(*, user: AbstractBaseUser | AnonymousUser) -> dict[str, Any]:
    """The tenant's home page. The busiest page there is (docs/benchmarks.md, issue #20): the
    person comes with their calendar address and reward choice in one query, and the replies
    due are read from the sessions coming up rather than asked for again."""
    if not user.pk or not roles.is_tenant(user):
        return {"person": None}
    person = (
        Person.objects.filter(user_id=user.pk)
        .select_related("calendar_feed", "reward_choice")
        .first()
    )
    if person is None:
        return {"person": None}
    today = timezone.localdate()
    upcoming = meetings.person_upcoming(person)
    history = meetings.person_history(person)
    return {
        "person": person,
        "next_things": next_things(person, upcoming=upcoming),
        "upcoming": upcoming[:COMING_UP],
        "more_upcoming": len(upcoming) - COMING_UP if len(upcoming) > COMING_UP else 0,
        "recent": history.items[:RECENT],
        "done": done_summary(person, history, today),
        "has_more_history": len(history.items) > RECENT,
        "calendar_feed": person.calendar_feed if _has(person, "calendar_feed") else None,
    }


def tenant_history(person: Person) -> meetings.History:
    return meetings.person_history(person)


# --- what needs a member of staff today ----------------------------------------------------------
def _upcoming_sessions(user: Any, *, every: bool) -> QuerySet[Meeting]:
    sessions = Meeting.objects.filter(status=SessionStatus.PLANNED, ends_at__gte=timezone.now())
    return sessions if every else sessions.filter(staff__user=user)


def _signups(user: Any) -> Need | None:
    if not roles.can_triage_interest(user):
        return None
    count = Interest.objects.filter(status=InterestStatus.NEW).count()
    return Need(count, "sign-up to check", "sign-ups to check", reverse("people:interest_list"))


def _replies_to_record(user: Any) -> Need | None:
    """Replies from people who cannot reply online (no login), so staff write them down."""
    if not roles.can_run_sessions(user):
        return None
    sessions = _upcoming_sessions(user, every=roles.looks_after_every_session(user))
    count = Invitation.objects.filter(
        meeting__in=sessions, rsvp=Rsvp.NO_REPLY, person__user__isnull=True
    ).count()
    return Need(
        count,
        "reply to record (by phone or post)",
        "replies to record (by phone or post)",
        reverse("meetings:list"),
    )


def _rooms_not_booked(user: Any) -> Need | None:
    if not roles.can_run_sessions(user):
        return None
    sessions = _upcoming_sessions(user, every=roles.can_manage_venues(user))
    count = sessions.filter(
        Q(channel=SessionChannel.IN_PERSON) | Q(channel=SessionChannel.HYBRID),
        booking__isnull=True,
        location_notes="",
    ).count()
    return Need(
        count,
        "session in person without a room",
        "sessions in person without a room",
        reverse("meetings:list"),
    )


def _rewards_to_check(user: Any) -> Need | None:
    if not roles.can_manage_rewards(user):
        return None
    count = rewards.review_queue().count()
    return Need(count, "reward to check", "rewards to check", reverse("rewards:review"))


def _rewards_to_approve(user: Any) -> Need | None:
    if not roles.can_approve_payments(user):
        return None
    count = rewards.lines_with_people().filter(status=LineStatus.REVIEWED).count()
    return Need(count, "reward to approve", "rewards to approve", reverse("rewards:home"))


def _texts_to_read(user: Any) -> Need | None:
    if not roles.can_handle_replies(user):
        return None
    count = messaging.waiting_texts().count()
    return Need(count, "text to read", "texts to read", reverse("messaging:inbound"))


# Messages (issue #16): who could not be reached lately, and who is waiting for a call.
def _messages_undelivered(user: Any) -> Need | None:
    if not roles.can_see_messages(user):
        return None
    count = messages_staff.unreached_recently()
    return Need(
        count,
        "message that could not be delivered",
        "messages that could not be delivered",
        reverse("messaging:unreached"),
    )


def _people_to_phone(user: Any) -> Need | None:
    if not roles.can_ring_people(user):
        return None
    count = messages_staff.to_phone_count()
    return Need(count, "person to phone", "people to phone", reverse("messaging:phone_list"))


STAFF_NEEDS = (
    _signups,
    _texts_to_read,
    _replies_to_record,
    _rooms_not_booked,
    _rewards_to_check,
    _rewards_to_approve,
    _messages_undelivered,
    _people_to_phone,
)


def staff_needs(user: Any) -> list[Need]:
    """What needs them today, only what their role may act on, and only what is waiting."""
    counted = [need for need in (count(user) for count in STAFF_NEEDS) if need is not None]
    counted += needs.counted_for(user)
    return [need for need in counted if need.count]


def staff_home(*, user: AbstractBaseUser | AnonymousUser) -> dict[str, Any]:
    return {"needs": staff_needs(user)}
