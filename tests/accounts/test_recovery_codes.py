"""Recovery codes: ten, shown once, each works once, new ones void the old ones, all audited."""

from __future__ import annotations

import threading

import pytest
from django.db import connection, connections
from django.urls import reverse
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from coproduce.accounts import services
from coproduce.core.models import AuditEntry
from tests.accounts.conftest import code_for
from tests.conftest import PASSWORD

RECOVERY = "/accounts/login/recovery-code/"


@pytest.fixture
def enrolled(client, users, two_step_required):
    """carol has set up two-step sign-in; returns her recovery codes, then signs her out."""
    client.force_login(users["carol"])
    client.get(reverse("accounts:security"))
    device = TOTPDevice.objects.get(user=users["carol"], confirmed=False)
    response = client.post(reverse("accounts:security"), {"token": code_for(device)})
    codes = response.context["codes"]
    client.post(reverse("accounts:logout"))
    return codes


def _password_step(client):
    return client.post(
        reverse("accounts:login"), {"username": "carol@example.org", "password": PASSWORD}
    )


def test_ten_different_codes_are_made_when_two_step_is_set_up(enrolled):
    assert len(enrolled) == 10
    assert len(set(enrolled)) == 10
    assert StaticToken.objects.filter(device__user__email="carol@example.org").count() == 10


def test_the_codes_are_shown_once(enrolled, client, users):
    _password_step(client)
    client.post(RECOVERY, {"code": enrolled[0]})
    page = client.get(reverse("accounts:security")).content.decode()
    assert "9 recovery codes left" in page
    assert not any(code in page for code in enrolled)


def test_a_recovery_code_signs_in_instead_of_the_phone(enrolled, client):
    _password_step(client)
    response = client.post(RECOVERY, {"code": enrolled[0].upper()})
    assert response.status_code == 302
    assert client.get(reverse("people:list")).status_code == 200


def test_a_recovery_code_works_only_once(enrolled, client):
    _password_step(client)
    client.post(RECOVERY, {"code": enrolled[0]})
    client.post(reverse("accounts:logout"))
    _password_step(client)
    response = client.post(RECOVERY, {"code": enrolled[0]})
    assert response.status_code == 200
    assert b"has been used already" in response.content
    assert "_auth_user_id" not in client.session


def test_a_recovery_code_cannot_be_spent_twice_by_the_service(enrolled, users):
    carol = users["carol"]
    assert services.recovery_code_use(user=carol, code=enrolled[1]) is not None
    assert services.recovery_code_use(user=carol, code=enrolled[1]) is None
    assert StaticToken.objects.filter(device__user=carol).count() == 9


def test_another_persons_code_does_not_work(enrolled, users):
    assert services.recovery_code_use(user=users["fiona"], code=enrolled[0]) is None


def test_a_wrong_recovery_code_is_a_failed_two_step_attempt(enrolled, client, users):
    _password_step(client)
    response = client.post(RECOVERY, {"code": "notacode"})
    assert b"not right" in response.content
    entry = AuditEntry.objects.filter(action="2fa.failed").get()
    assert entry.object_id == str(users["carol"].pk)


def test_wrong_recovery_codes_are_throttled(enrolled, client, settings):
    settings.LOGIN_FAILURE_LIMIT = 3
    _password_step(client)
    for _ in range(3):
        client.post(RECOVERY, {"code": "guess"})
    response = client.post(RECOVERY, {"code": enrolled[0]})
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


def test_new_codes_void_the_old_ones(enrolled, client, users):
    _password_step(client)
    client.post(RECOVERY, {"code": enrolled[0]})
    response = client.post(reverse("accounts:recovery_codes_regenerate"))
    new_codes = response.context["codes"]
    assert len(new_codes) == 10
    assert not set(new_codes) & set(enrolled)
    carol = users["carol"]
    assert services.recovery_code_use(user=carol, code=enrolled[2]) is None
    assert services.recovery_code_use(user=carol, code=new_codes[0]) is not None


def test_making_new_codes_needs_the_password_again(enrolled, client, users, settings):
    _password_step(client)
    client.post(RECOVERY, {"code": enrolled[0]})
    settings.REAUTH_WINDOW = -1  # the sign-in no longer counts
    response = client.post(
        reverse("accounts:recovery_codes_regenerate"),
        headers={"Referer": "http://testserver/accounts/security/"},
    )
    assert response["Location"] == "/accounts/confirm-password/?next=%2Faccounts%2Fsecurity%2F"
    assert StaticToken.objects.filter(token=enrolled[1]).exists()


def test_setting_up_using_and_regenerating_are_audited_without_the_codes(enrolled, client, users):
    _password_step(client)
    client.post(RECOVERY, {"code": enrolled[0]})
    client.post(reverse("accounts:recovery_codes_regenerate"))
    actions = set(AuditEntry.objects.values_list("action", flat=True))
    assert {"2fa.recovery_created", "2fa.recovery_used", "2fa.recovery_regenerated"} <= actions
    texts = " ".join(AuditEntry.objects.values_list("summary", flat=True))
    assert not any(code in texts for code in enrolled)


def test_turning_two_step_off_removes_the_codes(settings, client, users, device_for):
    settings.STAFF_TWO_STEP_REQUIRED = False
    carol = users["carol"]
    device_for(carol)
    services.recovery_codes_regenerate(user=carol)
    client.force_login(carol)
    client.post(reverse("accounts:security_remove"))
    assert not StaticToken.objects.filter(device__user=carol).exists()
    assert not TOTPDevice.objects.filter(user=carol).exists()


@pytest.mark.django_db(transaction=True)
def test_the_same_code_sent_twice_at_once_works_once(users):
    if connection.vendor != "postgresql":
        pytest.skip("Two writers at once need PostgreSQL; SQLite serialises the whole file.")
    carol = users["carol"]
    TOTPDevice.objects.create(user=carol, name="phone", confirmed=True)
    code = services.recovery_codes_regenerate(user=carol)[0]
    barrier = threading.Barrier(4)
    results: list[object] = []
    errors: list[BaseException] = []

    def use() -> None:
        try:
            barrier.wait()
            results.append(services.recovery_code_use(user=carol, code=code))
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=use) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert len([r for r in results if r is not None]) == 1
    assert AuditEntry.objects.filter(action="2fa.recovery_used").count() == 1
