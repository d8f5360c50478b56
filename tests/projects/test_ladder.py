import datetime as dt

from coproduce.projects.ladder import DecisionFacts, measure
from coproduce.projects.models import Ladder

D = dt.date


def facts(on, by, views=True, fed=True):
    return DecisionFacts(decided_on=on, decided_by=by, views_recorded=views, feedback_given=fed)


def test_no_decisions_cannot_be_measured():
    result = measure(first_tenant_joined=D(2025, 1, 1), decisions=[])
    assert result.rung is None
    assert "cannot be measured" in result.summary


def test_tenants_from_the_start_deciding_most_things_is_co_production():
    decisions = [
        facts(D(2025, 2, 1), "tenants"),
        facts(D(2025, 3, 1), "together"),
        facts(D(2025, 4, 1), "tenants"),
        facts(D(2025, 5, 1), "board"),
    ]
    result = measure(first_tenant_joined=D(2025, 1, 10), decisions=decisions)
    assert result.rung == Ladder.CO_PRODUCTION
    assert all(c.good for c in result.checks[:4])


def test_decisions_made_before_tenants_joined_pull_it_down():
    decisions = [
        facts(D(2024, 12, 1), "staff"),
        facts(D(2025, 1, 5), "staff"),
        facts(D(2025, 2, 1), "tenants"),
        facts(D(2025, 3, 1), "together"),
        facts(D(2025, 4, 1), "tenants"),
        facts(D(2025, 5, 1), "tenants"),
    ]
    result = measure(first_tenant_joined=D(2025, 1, 10), decisions=decisions)
    assert result.rung == Ladder.ENGAGEMENT
    assert result.checks[0].good is False
    assert "2 of 6" in result.checks[2].answer


def test_staff_deciding_after_asking_is_consultation():
    decisions = [
        facts(D(2025, 2, 1), "staff"),
        facts(D(2025, 3, 1), "staff"),
        facts(D(2025, 4, 1), "board", fed=False),
    ]
    result = measure(first_tenant_joined=D(2025, 1, 1), decisions=decisions)
    assert result.rung == Ladder.CONSULTATION
    assert "asked for their views" in result.summary


def test_only_telling_tenants_is_informing():
    decisions = [facts(D(2025, 2, 1), "staff", views=False, fed=True)]
    assert measure(first_tenant_joined=None, decisions=decisions).rung == Ladder.INFORMING


def test_neither_asked_nor_told_is_coercion():
    decisions = [facts(D(2025, 2, 1), "board", views=False, fed=False)]
    assert measure(first_tenant_joined=None, decisions=decisions).rung == Ladder.COERCION


def test_half_shared_is_co_design():
    decisions = [facts(D(2025, 2, 1), "together"), facts(D(2025, 3, 1), "staff", fed=False)]
    assert measure(first_tenant_joined=D(2025, 1, 1), decisions=decisions).rung == Ladder.CO_DESIGN
