"""Two reward choices (or offers) for the same person (or project) at the same moment end in
one clean outcome: one row, both requests done, never an IntegrityError (found by an attack
run on /rewards/people/<id>/choice/)."""

from __future__ import annotations

import datetime as dt
import threading
from decimal import Decimal

import pytest
from django.db import connection, connections
from django.test import Client
from django.urls import reverse

from coproduce.core.models import AuditEntry
from coproduce.rewards import services
from coproduce.rewards.models import RewardChoice, RewardForm, RewardOffer
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db(transaction=True)


def _postgres_only() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("Needs PostgreSQL: SQLite runs one write at a time, so there is no race.")


def _at_once(count: int, work) -> tuple[list[object], list[BaseException]]:
    barrier = threading.Barrier(count)
    results: list[object] = []
    errors: list[BaseException] = []

    def run(index: int) -> None:
        try:
            barrier.wait(timeout=10)
            results.append(work(index))
        except BaseException as exc:  # noqa: BLE001 - reported by the test
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return results, errors


def test_two_choices_for_one_person_at_once_both_succeed_and_one_row_is_kept(users):
    _postgres_only()
    person = users["alice"].person
    forms = [RewardForm.VOUCHER, RewardForm.DONATION, RewardForm.NONE, RewardForm.VOUCHER]
    data = [
        {"form": RewardForm.VOUCHER, "voucher_kind": "Supermarket"},
        {"form": RewardForm.DONATION, "charity_name": "Shelter"},
        {"form": RewardForm.NONE},
        {"form": RewardForm.VOUCHER, "voucher_kind": "Books"},
    ]

    def choose(index: int) -> RewardChoice:
        return services.choice_save(person=person, data=dict(data[index]), actor=users["frank"])

    results, errors = _at_once(4, choose)
    assert errors == []
    assert len(results) == 4
    choice = RewardChoice.objects.get(person=person)
    assert choice.form in forms
    assert AuditEntry.objects.filter(action="rewards.choice_saved").count() == 4


def test_two_staff_posts_of_a_choice_at_once_are_never_a_500(users):
    _postgres_only()
    person = users["alice"].person
    url = reverse("rewards:person_choice", args=[person.pk])
    clients = []
    for _ in range(2):
        client = Client()
        assert client.login(username="carol@example.org", password=PASSWORD)
        clients.append(client)
    charities = ["Shelter", "Crisis"]

    def post(index: int) -> int:
        data = {"form": "donation", "charity_name": charities[index], "wants_benefit_info": "on"}
        return clients[index].post(url, data).status_code

    results, errors = _at_once(2, post)
    assert errors == []
    assert results == [302, 302]
    assert RewardChoice.objects.get(person=person).charity_name in charities


def test_two_offers_for_one_project_at_once_both_succeed_and_one_row_is_kept(users, project):
    _postgres_only()

    def save(index: int) -> RewardOffer:
        data = {
            "activities": f"Sessions {index}",
            "rewards_sessions": True,
            "rate_basis": "hour",
            "rate": Decimal("15.00"),
            "applies_from": dt.date(2025, 1, 1),
        }
        return services.offer_save(project=project, data=data, actor=users["carol"])

    results, errors = _at_once(2, save)
    assert errors == []
    assert len(results) == 2
    assert RewardOffer.objects.filter(project=project).count() == 1
