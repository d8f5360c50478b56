"""Fixtures for the API: tokens with chosen scopes, and a client that sends them."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client

from coproduce.api.tokens import token_create


class ApiClient:
    """Django's test client with a bearer token and JSON bodies."""

    def __init__(self, secret: str | None) -> None:
        self.client = Client()
        self.headers = {"Authorization": f"Bearer {secret}"} if secret else {}

    def _call(self, method: str, path: str, body: Any = None, **headers: str):
        call = getattr(self.client, method)
        extra = {**self.headers, **headers}
        if body is None:
            return call(path, headers=extra)
        return call(path, data=json.dumps(body), content_type="application/json", headers=extra)

    def get(self, path: str, **headers: str):
        return self._call("get", path, **headers)

    def post(self, path: str, body: Any = None, **headers: str):
        return self._call("post", path, body if body is not None else {}, **headers)

    def put(self, path: str, body: Any = None, **headers: str):
        return self._call("put", path, body if body is not None else {}, **headers)

    def patch(self, path: str, body: Any = None, **headers: str):
        return self._call("patch", path, body if body is not None else {}, **headers)


@pytest.fixture
def make_token(db, users):
    """make_token("people:read", ...) -> (ApiToken, secret), owned by the system admin."""

    def _make(*scopes: str, owner: str = "sam", days: int = 30):
        made = token_create(
            name="Test token",
            kind="service",
            owner=users[owner],
            scopes=list(scopes),
            days=days,
            created_by=users["sam"],
        )
        return made.token, made.secret

    return _make


@pytest.fixture
def api_client(make_token):
    """api_client("people:read") -> ApiClient with a fresh token carrying those scopes."""

    def _client(*scopes: str) -> ApiClient:
        return ApiClient(make_token(*scopes)[1])

    return _client


@pytest.fixture
def anonymous_api() -> ApiClient:
    return ApiClient(None)
