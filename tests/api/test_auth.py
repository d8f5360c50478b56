"""Tokens: no token 401, wrong scope 403, revoked/expired/owner switched off refused at once,
every use audited, rate limit per token, errors as problem details."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import override_settings
from django.utils import timezone

from coproduce.api.models import ApiToken
from coproduce.api.tokens import token_find, token_revoke
from coproduce.core.models import AuditEntry
from tests.api.conftest import ApiClient

PEOPLE = "/api/v1/people/"


def _problem(response, status: int) -> dict:
    assert response.status_code == status, response.content
    assert response["Content-Type"] == "application/problem+json"
    body = response.json()
    assert body["status"] == status
    assert body["title"] and body["detail"] and body["type"]
    return body


def test_no_token_is_401_with_a_problem(anonymous_api):
    response = anonymous_api.get(PEOPLE)
    _problem(response, 401)
    assert response["WWW-Authenticate"].startswith("Bearer")


@pytest.mark.parametrize(
    "header", ["Bearer", "Bearer nonsense", "Basic abc", "Bearer cp_00000000_" + "x" * 43]
)
def test_a_wrong_token_is_401(users, header):
    client = ApiClient(None)
    _problem(client.client.get(PEOPLE, headers={"Authorization": header}), 401)


def test_the_right_scope_reads(api_client):
    response = api_client("people:read").get(PEOPLE)
    assert response.status_code == 200
    assert {p["external_ref"] for p in response.json()["items"]} == {"T-ALICE", "T-BOB"}


def test_another_scope_is_403_and_names_the_scope(api_client):
    body = _problem(api_client("sessions:read").get(PEOPLE), 403)
    assert "people:read" in body["detail"]
    assert body["type"] == "urn:coproduce:problem:missing-scope"


def test_revoked_token_is_refused_at_once(make_token, users):
    token, secret = make_token("people:read")
    client = ApiClient(secret)
    assert client.get(PEOPLE).status_code == 200
    assert token_revoke(token=token, by=users["sam"]) is True
    _problem(client.get(PEOPLE), 401)
    assert token_revoke(token=token, by=users["sam"]) is False  # twice is one outcome


def test_expired_token_is_refused(make_token):
    token, secret = make_token("people:read")
    ApiToken.objects.filter(pk=token.pk).update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    _problem(ApiClient(secret).get(PEOPLE), 401)


def test_token_of_a_switched_off_owner_is_refused(make_token, users):
    _, secret = make_token("people:read", owner="carol")
    users["carol"].is_active = False
    users["carol"].save()
    _problem(ApiClient(secret).get(PEOPLE), 401)


def test_only_a_hash_is_kept(make_token):
    token, secret = make_token("people:read")
    token.refresh_from_db()
    assert secret not in (token.key_hash, token.prefix)
    assert secret.startswith(f"cp_{token.prefix}_")
    assert token_find(secret) == token
    assert token_find(secret + "x") is None


def test_every_use_is_audited(make_token):
    token, secret = make_token("people:read")
    client = ApiClient(secret)
    client.get(PEOPLE)
    client.get(PEOPLE + "?limit=1")
    uses = AuditEntry.objects.filter(action="api.request", object_id=str(token.pk))
    assert uses.count() == 2
    assert uses.first().summary.startswith("GET /api/v1/people/")
    token.refresh_from_db()
    assert token.last_used_at is not None


@override_settings(API_RATE_LIMIT=3)
def test_rate_limit_per_token(make_token):
    _, first = make_token("people:read")
    _, second = make_token("people:read")
    client = ApiClient(first)
    assert [client.get(PEOPLE).status_code for _ in range(3)] == [200, 200, 200]
    response = client.get(PEOPLE)
    _problem(response, 429)
    assert response["Retry-After"] == "60"
    assert ApiClient(second).get(PEOPLE).status_code == 200  # another token has its own count


def test_nul_in_a_query_is_a_problem_not_a_page(api_client):
    _problem(api_client("people:read").get(PEOPLE + "?external_ref=a%00b"), 400)


def test_bad_query_values_are_422_with_errors(api_client):
    body = _problem(api_client("people:read").get(PEOPLE + "?limit=0"), 422)
    assert body["errors"][0]["loc"][-1] == "limit"


def test_a_cursor_we_did_not_give_is_400(api_client):
    body = _problem(api_client("people:read").get(PEOPLE + "?cursor=bm90LWEtY3Vyc29y"), 400)
    assert body["type"] == "urn:coproduce:problem:bad-cursor"


def test_openapi_document_is_served_and_says_problem_json(client):
    document = client.get("/api/v1/openapi.json").json()
    assert document["openapi"].startswith("3.")
    responses = document["paths"]["/api/v1/people/"]["get"]["responses"]
    assert "application/problem+json" in responses["403"]["content"]
    assert client.get("/api/v1/docs").status_code == 200


@pytest.mark.parametrize("path", ["/api/v1/people/-5", "/api/v2/", "/api/v1/nothing-here"])
def test_addresses_the_api_does_not_have_are_problems_too(api_client, path):
    _problem(api_client("people:read").get(path), 404)


def test_other_missing_pages_are_still_pages(client, users):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/html")
