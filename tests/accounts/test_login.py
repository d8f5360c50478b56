from django.core import mail
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from coproduce.core.models import AuditEntry
from tests.conftest import PASSWORD

LOGIN = "/accounts/login/"


def _post(client, email, password, **extra):
    return client.post(LOGIN, {"username": email, "password": password}, **extra)


def test_it_signs_in_with_email_and_password(client, users):
    response = _post(client, "carol@example.org", PASSWORD)
    assert response.status_code == 302
    assert response["Location"] == "/"
    assert client.get("/").context["user"] == users["carol"]


def test_every_sign_in_is_audited(client, users):
    _post(client, "carol@example.org", PASSWORD, REMOTE_ADDR="192.0.2.7")
    entry = AuditEntry.objects.get(action="login")
    assert entry.actor == users["carol"]
    assert entry.ip_address == "192.0.2.7"


def test_a_wrong_password_is_refused_and_audited(client, users):
    response = _post(client, "carol@example.org", "wrong password")
    assert response.status_code == 200
    assert b"The email address or password is not right" in response.content
    assert AuditEntry.objects.filter(action="login.failed").count() == 1


def test_it_throttles_guessing(client, users, settings):
    settings.LOGIN_FAILURE_LIMIT = 5
    for _ in range(5):
        _post(client, "carol@example.org", "guess")
    response = _post(client, "carol@example.org", PASSWORD)
    assert response.status_code == 429
    assert b"Too many attempts" in response.content
    assert "_auth_user_id" not in client.session


def test_it_ignores_an_offsite_next_url(client, users):
    response = client.post(
        LOGIN + "?next=https://evil.example/",
        {"username": "carol@example.org", "password": PASSWORD, "next": "https://evil.example/"},
    )
    assert response["Location"] == "/"


def test_passwords_are_hashed_with_argon2_in_production(settings):
    from coproduce import settings as project_settings

    assert "Argon2PasswordHasher" in project_settings.PASSWORD_HASHERS[1]
    assert any("Argon2" in h for h in project_settings.PASSWORD_HASHERS)


def test_password_reset_sends_an_email(client, users):
    response = client.post(reverse("accounts:password_reset"), {"email": "alice@example.org"})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    assert "/accounts/reset/" in mail.outbox[0].body


def test_password_reset_for_unknown_email_says_the_same_and_sends_nothing(client, users):
    response = client.post(reverse("accounts:password_reset"), {"email": "nobody@example.org"})
    assert response.status_code == 302
    assert mail.outbox == []


def test_logout_needs_post(client, users):
    client.force_login(users["alice"])
    assert client.get("/accounts/logout/").status_code == 405
    assert client.post("/accounts/logout/").status_code == 302
    assert "_auth_user_id" not in client.session


def _device(user, confirmed=True):
    return TOTPDevice.objects.create(user=user, name="phone", confirmed=confirmed)


def test_staff_with_two_step_sign_in_must_give_a_code(client, users, settings):
    settings.OTP_TOTP_THROTTLE_FACTOR = 0  # django-otp's own back-off is not under test here
    device = _device(users["carol"])
    response = _post(client, "carol@example.org", PASSWORD)
    assert response["Location"] == reverse("accounts:login_verify")
    assert "_auth_user_id" not in client.session
    response = client.post(reverse("accounts:login_verify"), {"token": "000000"})
    assert "_auth_user_id" not in client.session
    code = f"{totp(device.bin_key):06d}"
    response = client.post(reverse("accounts:login_verify"), {"token": code})
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(users["carol"].pk)


def test_staff_can_enrol_in_two_step_sign_in(client, users):
    client.force_login(users["carol"])
    page = client.get(reverse("accounts:security"))
    assert b"<svg" in page.content
    device = TOTPDevice.objects.get(user=users["carol"], confirmed=False)
    response = client.post(reverse("accounts:security"), {"token": f"{totp(device.bin_key):06d}"})
    assert response.status_code == 200
    assert len(response.context["codes"]) == 10
    device.refresh_from_db()
    assert device.confirmed
    assert AuditEntry.objects.filter(action="2fa.enrolled").exists()


def test_a_wrong_enrolment_code_does_not_turn_it_on(client, users):
    client.force_login(users["carol"])
    client.get(reverse("accounts:security"))
    response = client.post(reverse("accounts:security"), {"token": "123456"})
    assert response.status_code == 200
    assert b"That code is not right" in response.content
    assert not TOTPDevice.objects.filter(user=users["carol"], confirmed=True).exists()


def test_tenants_are_not_offered_enrolment(client, users):
    client.force_login(users["alice"])
    client.get(reverse("accounts:security"))
    assert not TOTPDevice.objects.filter(user=users["alice"]).exists()
