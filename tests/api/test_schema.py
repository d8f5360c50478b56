"""schemathesis against the live OpenAPI document: every operation, generated requests.

For each operation the document lists (so new operations are covered without editing this
file): with a token of its own scope, no answer is a 5xx and every answer matches the document
(status, content type, headers, body); with no token the answer is 401; with a token carrying
every other scope but its own, 403.
"""

from __future__ import annotations

import pytest
import schemathesis
from django.core.wsgi import get_wsgi_application
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from coproduce.api.scopes import SCOPES
from coproduce.api.tokens import token_create
from tests.support.world import build_world

pytestmark = pytest.mark.django_db(transaction=True)

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
]
EXAMPLES = 15


@pytest.fixture
def schema(settings):
    settings.API_RATE_LIMIT = 1_000_000
    return schemathesis.openapi.from_wsgi("/api/v1/openapi.json", get_wsgi_application())


@pytest.fixture
def world(settings, tmp_path):
    """Something in every table the API reads, so answers have bodies to check, not only 404s
    and empty lists."""
    settings.MEDIA_ROOT = tmp_path
    return build_world()


def _secret(world, *scopes: str) -> str:
    owner = world["users"]["sam"]
    made = token_create(
        name="Schema", kind="service", owner=owner, scopes=list(scopes), days=30, created_by=owner
    )
    return made.secret


def _operations(schema):
    found = [result.ok() for result in schema.get_all_operations()]
    assert len(found) >= 4
    return found


def test_every_operation_names_a_known_scope(schema):
    for operation in _operations(schema):
        assert operation.definition.raw.get("x-scope") in SCOPES, operation.label


def _fuzz(operation, examples: int, check) -> None:
    """Run ``check(case)`` on ``examples`` requests generated for ``operation``."""

    @given(case=operation.as_strategy())
    @hypothesis_settings(
        max_examples=examples,
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    def run(case) -> None:
        check(case)

    run()


def _conforms(auth: dict[str, str]):
    def check(case) -> None:
        response = case.call(headers=auth)
        case.validate_response(response, checks=CHECKS, headers=auth)

    return check


def _refused(label: str, others: str):
    def check(case) -> None:
        assert case.call().status_code == 401, label
        wrong = case.call(headers={"Authorization": f"Bearer {others}"})
        assert wrong.status_code == 403, (label, wrong.text)

    return check


def test_generated_requests_get_documented_answers_and_no_5xx(schema, world):
    for operation in _operations(schema):
        secret = _secret(world, operation.definition.raw["x-scope"])
        _fuzz(operation, EXAMPLES, _conforms({"Authorization": f"Bearer {secret}"}))


def test_no_token_is_401_and_a_wrong_scope_is_403(schema, world):
    for operation in _operations(schema):
        scope = operation.definition.raw["x-scope"]
        others = _secret(world, *(s for s in SCOPES if s != scope))
        _fuzz(operation, 3, _refused(operation.label, others))
