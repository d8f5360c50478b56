"""The system admin's token pages: make a token (secret shown once), see it, revoke it."""

from __future__ import annotations

import re

from coproduce.api.models import ApiToken
from coproduce.core.models import AuditEntry
from tests.api.conftest import ApiClient
from tests.conftest import PASSWORD


def _fresh(client):
    """Confirm the password, as a system admin does before making or revoking a token."""
    client.post("/accounts/confirm-password/", {"password": PASSWORD})
    return client


def _form(users, **extra):
    data = {
        "name": "Housing system nightly sync",
        "kind": "service",
        "owner": str(users["carol"].pk),
        "scopes": ["people:read", "people:write"],
        "days": "90",
    }
    data.update(extra)
    return data


def test_make_a_token_and_see_the_secret_once(login, users):
    client = login("sam")
    _fresh(client)
    response = client.post("/api-tokens/new/", _form(users), follow=True)
    assert response.status_code == 200
    token = ApiToken.objects.get()
    page = response.content.decode()
    secret = re.search(r'id="token-secret"[^>]*>([^<]+)<', page).group(1)
    assert secret.startswith(f"cp_{token.prefix}_")
    assert token.scopes == ["people:read", "people:write"]
    assert token.owner == users["carol"]
    # The secret works, and is never shown again.
    assert ApiClient(secret).get("/api/v1/people/").status_code == 200
    again = client.get(f"/api-tokens/{token.pk}/").content.decode()
    assert secret not in again
    assert AuditEntry.objects.filter(action="api.token_created", object_id=str(token.pk)).exists()


def test_revoke_from_the_page_stops_the_token(login, users, make_token):
    token, secret = make_token("people:read")
    client = _fresh(login("sam"))
    response = client.post(f"/api-tokens/{token.pk}/revoke/", follow=True)
    assert "revoked" in response.content.decode()
    assert ApiClient(secret).get("/api/v1/people/").status_code == 401
    assert AuditEntry.objects.filter(action="api.token_revoked").count() == 1


def test_bad_input_gets_a_message_and_makes_nothing(login, users):
    client = _fresh(login("sam"))
    for extra in (
        {"name": "two\nlines"},
        {"name": "x" * 100_001},
        {"scopes": ["people:read", "everything:write"]},
        {"days": "400"},
        {"owner": str(users["alice"].pk)},  # tenants do not own tokens
        {"scopes": []},
    ):
        response = client.post("/api-tokens/new/", _form(users, **extra))
        assert response.status_code == 200, extra
        assert "govuk-error-summary" in response.content.decode(), extra
    assert ApiToken.objects.count() == 0


def test_only_the_system_admin_sees_the_pages(login, users):
    for persona in ("carol", "dora", "frank", "alice"):
        client = login(persona)
        assert client.get("/api-tokens/").status_code == 403, persona
        assert client.post("/api-tokens/new/", _form(users)).status_code == 403, persona
    assert ApiToken.objects.count() == 0
