"""Sign-in history, read from the audit log: on "Your account", and per user for the sysadmin."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from coproduce.accounts import selectors
from coproduce.core.models import AuditEntry
from tests.accounts.conftest import code_for
from tests.conftest import PASSWORD, PERSONAS

LOGIN = "/accounts/login/"


def _sign_in(client, email, password, ip="192.0.2.10"):
    return client.post(LOGIN, {"username": email, "password": password}, REMOTE_ADDR=ip)


def test_successful_and_failed_sign_ins_are_in_the_history(client, users):
    _sign_in(client, "carol@example.org", "wrong", ip="198.51.100.9")
    _sign_in(client, "carol@example.org", PASSWORD)
    history = selectors.sign_in_history(user=users["carol"])
    assert [(row["event"], row["failed"], row["ip_address"]) for row in history] == [
        ("Signed in", False, "192.0.2.10"),
        ("Wrong password", True, "198.51.100.9"),
    ]


def test_a_failed_sign_in_is_filed_under_the_account_whatever_the_capitals(client, users):
    _sign_in(client, "Carol@Example.org", "wrong")
    entry = AuditEntry.objects.get(action="login.failed")
    assert entry.object_id == str(users["carol"].pk)
    assert entry.actor is None
    # The append-only log must not keep the email of an account that may later be erased.
    assert "carol" not in entry.summary.lower()


def test_a_failed_sign_in_for_an_unknown_email_is_filed_under_no_account(client, users):
    _sign_in(client, "nobody@example.org", "wrong")
    entry = AuditEntry.objects.get(action="login.failed")
    assert entry.object_id == ""
    assert "nobody@example.org" in entry.summary


def test_two_step_failures_are_in_the_history(client, users, settings):
    settings.OTP_TOTP_THROTTLE_FACTOR = 0
    device = TOTPDevice.objects.create(user=users["carol"], name="phone", confirmed=True)
    _sign_in(client, "carol@example.org", PASSWORD)
    client.post(reverse("accounts:login_verify"), {"token": "000000"})
    client.post(reverse("accounts:login_verify"), {"token": code_for(device)})
    events = [row["event"] for row in selectors.sign_in_history(user=users["carol"])]
    assert events == ["Signed in", "Wrong two-step code"]


def test_the_history_shows_only_the_last_twenty(client, users, settings):
    settings.LOGIN_FAILURE_LIMIT = 100
    for _ in range(25):
        _sign_in(client, "fiona@example.org", "wrong")
    page = client.get(reverse("accounts:login"))  # not signed in: nothing to see
    assert page.status_code == 200
    client.force_login(users["fiona"])
    rows = client.get(reverse("accounts:security")).context["history"]
    assert len(rows) == 20


def test_another_persons_sign_ins_are_not_in_my_history(client, users):
    _sign_in(client, "bob@example.org", "wrong")
    assert selectors.sign_in_history(user=users["alice"]) == []


@pytest.mark.parametrize("persona", sorted(PERSONAS))
def test_everyone_sees_their_own_sign_ins_on_your_account(login, users, persona):
    AuditEntry.objects.create(
        action="login.failed",
        object_type="accounts.user",
        object_id=str(users[persona].pk),
        ip_address="203.0.113.5",
    )
    page = login(persona).get(reverse("accounts:security")).content.decode()
    assert "Recent sign-ins" in page
    assert "203.0.113.5" in page
    assert "Wrong password" in page
