"""Staff sessions end after STAFF_IDLE_TIMEOUT seconds without a request; tenants' do not."""

from __future__ import annotations

import pytest
from django.urls import reverse

from coproduce.accounts.middleware import LAST_SEEN_KEY
from coproduce.core.models import AuditEntry
from tests.accounts.conftest import age_session
from tests.conftest import PERSONAS

STAFF = sorted(name for name, role in PERSONAS.items() if role not in ("tenant",))


def test_the_default_is_thirty_minutes():
    from coproduce import settings as project_settings

    assert project_settings.STAFF_IDLE_TIMEOUT == 30 * 60


@pytest.mark.parametrize("persona", STAFF)
def test_staff_idle_too_long_are_signed_out_with_a_plain_message(login, persona):
    client = login(persona)
    client.get(reverse("accounts:security"))
    age_session(client, LAST_SEEN_KEY, 30 * 60 + 1)
    response = client.get(reverse("accounts:security"))
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=%2Faccounts%2Fsecurity%2F"
    assert "_auth_user_id" not in client.session
    page = client.get(response["Location"])
    assert "You were signed out after 30 minutes without activity" in page.content.decode()


def test_staff_active_within_the_limit_stay_signed_in(login):
    client = login("carol")
    client.get("/")
    age_session(client, LAST_SEEN_KEY, 29 * 60)
    assert client.get(reverse("people:list")).status_code == 200
    # ... and that request counts as activity: another 29 minutes is still fine.
    age_session(client, LAST_SEEN_KEY, 29 * 60)
    assert client.get(reverse("people:list")).status_code == 200


@pytest.mark.parametrize("persona", ["alice", "bob"])
def test_tenants_keep_the_normal_session_age(login, persona):
    client = login(persona)
    client.get("/")
    assert LAST_SEEN_KEY not in client.session
    session = client.session
    session[LAST_SEEN_KEY] = 0  # even a very old mark does not sign a tenant out
    session.save()
    assert client.get("/").status_code == 200


def test_the_limit_is_a_setting(login, settings):
    settings.STAFF_IDLE_TIMEOUT = 5 * 60
    client = login("carol")
    client.get("/")
    age_session(client, LAST_SEEN_KEY, 5 * 60 + 1)
    response = client.get("/", follow=True)
    assert "signed out after 5 minutes without activity" in response.content.decode()


def test_htmx_requests_are_sent_to_sign_in_with_a_client_redirect(login):
    client = login("carol")
    client.get("/")
    age_session(client, LAST_SEEN_KEY, 31 * 60)
    response = client.get(
        reverse("people:list") + "?q=a",
        headers={"HX-Request": "true", "HX-Current-URL": "http://testserver/people/"},
    )
    assert response.status_code == 200
    assert response["HX-Redirect"] == "/accounts/login/?next=%2Fpeople%2F"
    assert "_auth_user_id" not in client.session


def test_being_signed_out_for_inactivity_is_audited(login, users):
    client = login("carol")
    client.get("/")
    age_session(client, LAST_SEEN_KEY, 31 * 60)
    client.get("/")
    entry = AuditEntry.objects.get(action="logout.idle")
    assert entry.object_id == str(users["carol"].pk)
    assert not AuditEntry.objects.filter(action="logout").exists()
