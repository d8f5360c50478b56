"""The system admin's view of accounts: two-step status and each person's sign-in history."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from coproduce.accounts.services import REAUTH_SESSION_KEY
from coproduce.core.models import AuditEntry
from tests.accounts.conftest import age_session
from tests.conftest import PASSWORD, PERSONAS

OTHERS = sorted(set(PERSONAS) - {"sam"})


def _pages(users):
    carol = users["carol"].pk
    return [reverse("accounts:account_list"), reverse("accounts:account_detail", args=[carol])]


def test_the_system_admin_sees_every_account_and_its_two_step_status(login, users):
    TOTPDevice.objects.create(user=users["carol"], name="phone", confirmed=True)
    response = login("sam").get(reverse("accounts:account_list"))
    assert response.status_code == 200
    rows = {account.email: account.two_step for account in response.context["page"].object_list}
    assert rows["carol@example.org"] is True
    assert rows["fiona@example.org"] is False
    assert len(rows) == len(PERSONAS)


def test_the_system_admin_sees_a_persons_sign_in_history(login, client, users):
    client.post(
        "/accounts/login/",
        {"username": "carol@example.org", "password": "wrong"},
        REMOTE_ADDR="198.51.100.77",
    )
    response = login("sam").get(reverse("accounts:account_detail", args=[users["carol"].pk]))
    assert response.status_code == 200
    assert "198.51.100.77" in response.content.decode()
    assert response.context["history"][0]["event"] == "Wrong password"


@pytest.mark.parametrize("persona", OTHERS)
def test_nobody_else_sees_the_accounts_pages(login, users, persona):
    client = login(persona)
    for url in _pages(users):
        assert client.get(url).status_code == 403, url


def test_anonymous_visitors_are_sent_to_sign_in(client, users):
    for url in _pages(users):
        assert client.get(url)["Location"].startswith("/accounts/login/")


def test_the_system_admin_can_turn_off_a_lost_phone(login, users):
    carol = users["carol"]
    TOTPDevice.objects.create(user=carol, name="phone", confirmed=True)
    StaticDevice.objects.create(user=carol, name="Recovery codes", confirmed=True)
    response = login("sam").post(reverse("accounts:account_two_step_reset", args=[carol.pk]))
    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=carol).exists()
    assert not StaticDevice.objects.filter(user=carol).exists()
    entry = AuditEntry.objects.get(action="2fa.reset")
    assert entry.actor == users["sam"]
    assert entry.object_id == str(carol.pk)


def test_turning_off_someones_two_step_needs_the_password_again(login, users):
    carol = users["carol"]
    TOTPDevice.objects.create(user=carol, name="phone", confirmed=True)
    client = login("sam")
    age_session(client, REAUTH_SESSION_KEY, 3600)
    response = client.post(reverse("accounts:account_two_step_reset", args=[carol.pk]))
    assert response["Location"].startswith("/accounts/confirm-password/")
    assert TOTPDevice.objects.filter(user=carol).exists()
    client.post("/accounts/confirm-password/", {"password": PASSWORD})
    client.post(reverse("accounts:account_two_step_reset", args=[carol.pk]))
    assert not TOTPDevice.objects.filter(user=carol).exists()


@pytest.mark.parametrize("persona", OTHERS)
def test_nobody_else_can_turn_off_someones_two_step(login, users, persona):
    carol = users["carol"]
    TOTPDevice.objects.create(user=carol, name="phone", confirmed=True)
    login(persona).post(reverse("accounts:account_two_step_reset", args=[carol.pk]))
    assert TOTPDevice.objects.filter(user=carol).exists()


def test_an_unknown_account_is_a_404(login):
    assert login("sam").get(reverse("accounts:account_detail", args=[999999])).status_code == 404
