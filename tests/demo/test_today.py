"""`coproduce demo --today`: whatever day the demo is built for, its story is current."""

from __future__ import annotations

import datetime as dt
import io

import pytest

from coproduce.demo.build import demo_build
from coproduce.demo.command import cli_main
from coproduce.demo.riverside import DEMO_EMAIL_DOMAIN, LONDON
from coproduce.diversity.models import QuickQuestionRecipient
from coproduce.evaluation.models import HealthCheck
from coproduce.meetings.models import Meeting, SessionStatus
from coproduce.people.models import Person
from coproduce.rewards.models import RewardLine

TENANT = f"tenant@{DEMO_EMAIL_DOMAIN}"


def tax_year_start(today: dt.date) -> dt.date:
    """UK tax years start on 6 April."""
    start = dt.date(today.year, 4, 6)
    return start if today >= start else dt.date(today.year - 1, 4, 6)


def midnight_after(today: dt.date) -> dt.datetime:
    return dt.datetime.combine(today + dt.timedelta(days=1), dt.time(0, 0), tzinfo=LONDON)


@pytest.fixture(params=[dt.date(2026, 12, 4), dt.date(2027, 6, 15)], ids=str)
def built(request, db) -> dt.date:
    demo_build(homes=300, seed=2026, today=request.param, stdout=io.StringIO(), progress=False)
    return request.param


def test_the_demo_tenant_has_sessions_coming_up_in_the_next_weeks(built):
    tenant = Person.objects.get(user__email=TENANT)
    coming = Meeting.objects.filter(
        invitations__person=tenant,
        status=SessionStatus.PLANNED,
        starts_at__gte=midnight_after(built),
    )
    assert coming.count() >= 3
    assert all(m.starts_at.date() <= built + dt.timedelta(weeks=8) for m in coming)
    assert not Meeting.objects.filter(
        status=SessionStatus.PLANNED, starts_at__lt=midnight_after(built)
    ).exists()


def test_a_quick_question_waits_for_the_demo_tenant(built):
    waiting = QuickQuestionRecipient.objects.filter(
        person__user__email=TENANT, answered_at__isnull=True
    )
    assert waiting.count() == 1
    question = waiting.get().question
    assert question.created_at.date() <= built
    assert question.recipients.filter(answered_at__isnull=False).exists()
    assert all(r.answered_at.date() <= built for r in question.recipients.exclude(answered_at=None))


def test_this_years_health_check_is_under_way_and_last_years_is_done(built):
    current, last = HealthCheck.objects.order_by("-year")
    assert current.stage == "gathering"
    assert current.starts_on <= built < current.board_date
    assert last.year == current.year - 1
    assert last.stage == "follow_up" and last.ends_on < built and last.board_date < built
    assert str(current.year) in current.title


def test_there_are_rewards_in_the_current_tax_year(built):
    this_year = RewardLine.objects.filter(on__gte=tax_year_start(built), on__lte=built)
    assert this_year.exists()
    assert this_year.filter(person__user__email=TENANT).exists()
    assert not RewardLine.objects.filter(on__gt=built).exists()


def test_nothing_happened_after_the_day_it_is_built_for(built):
    assert not Meeting.objects.filter(
        status=SessionStatus.HELD, starts_at__gte=midnight_after(built)
    ).exists()
    assert not Person.objects.filter(involved_since__gt=built).exists()
    assert not Person.objects.filter(date_of_birth__gt=built).exists()


def test_today_is_read_from_the_command_line(db):
    assert cli_main(["--homes", "120", "--seed", "4", "--today", "2027-06-15"]) == 0
    tenant = Person.objects.get(user__email=TENANT)
    first = (
        Meeting.objects.filter(invitations__person=tenant, status=SessionStatus.PLANNED)
        .order_by("starts_at")
        .first()
    )
    assert dt.date(2027, 6, 15) < first.starts_at.date() < dt.date(2027, 8, 10)


@pytest.mark.parametrize("text", ["15/06/2027", "2027-13-01", "soon"])
def test_a_bad_today_exits_2_with_one_line(db, capsys, text):
    assert cli_main(["--today", text]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "YYYY-MM-DD" in err
    assert not Person.objects.exists()
