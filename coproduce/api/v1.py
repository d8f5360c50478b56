"""The API object for /api/v1/: routers, problem-details error handling, the OpenAPI document.

Each resource has a router in ``coproduce.api.routers``; each operation names the scope it needs
(``auth=scoped("people:read")``) and the responses it can give (``responses(...)``), so the
OpenAPI document says exactly what a client can get back.
"""

from __future__ import annotations

import logging
from typing import Any

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.parser import Parser

from coproduce.api.auth import Scoped
from coproduce.api.problems import MEDIA_TYPE, ApiProblem, from_exception, problem_response

logger = logging.getLogger("coproduce")
NUL = "\x00"


def _has_nul(value: Any) -> bool:
    if isinstance(value, str):
        return NUL in value
    if isinstance(value, dict):
        return any(_has_nul(k) or _has_nul(v) for k, v in value.items())
    if isinstance(value, list):
        return any(_has_nul(v) for v in value)
    return False


class RefuseNulParser(Parser):
    """JSON bodies as usual, but a NUL (``\\u0000``) anywhere is refused: PostgreSQL cannot
    store it and no field of ours needs it."""

    def parse_body(self, request: HttpRequest) -> Any:
        try:
            data = super().parse_body(request)
        except (ValueError, UnicodeDecodeError) as error:
            raise ApiProblem(400, "The body is not valid JSON (UTF-8).", slug="bad-json") from error
        if _has_nul(data):
            raise ApiProblem(
                400,
                "The request has a NUL byte (\\u0000) in it. Remove it and send it again.",
                slug="nul-byte",
            )
        return data


class CoproduceApi(NinjaAPI):
    def get_openapi_schema(self, **kwargs: Any) -> Any:
        # Each operation says which scope it needs (`x-scope`, and in words in its description),
        # so clients and the schema test know without reading our code.
        for bound in self._get_bound_routers():
            for path_view in bound.path_operations.values():
                for operation in path_view.operations:
                    scopes = [a.scope for a in operation.auth_callbacks if isinstance(a, Scoped)]
                    if scopes:
                        extra = dict(operation.openapi_extra or {})
                        extra["x-scope"] = scopes[0]
                        operation.openapi_extra = extra
                        needs = f"Needs a token with the `{scopes[0]}` scope."
                        if needs not in (operation.description or ""):
                            operation.description = "\n\n".join(
                                part for part in (operation.description, needs) if part
                            )
        schema = super().get_openapi_schema(**kwargs)
        # Errors are problem details: say so in the document, so clients (and schemathesis)
        # expect the media type we send.
        for path in schema.get("paths", {}).values():
            for operation in path.values():
                for code, response in operation.get("responses", {}).items():
                    content = response.get("content")
                    if int(code) >= 400 and content and "application/json" in content:
                        response["content"] = {MEDIA_TYPE: content["application/json"]}
        return schema


api = CoproduceApi(
    title="coproduce API",
    version="1",
    description=(
        "The landlord's systems talk to coproduce here: people, sessions and attendance, "
        "projects and decisions, reward payments for finance, and what is already public. "
        "Send `Authorization: Bearer <token>`; the system admin makes tokens with scopes. "
        "Errors are RFC 9457 problem details. See docs/api.md for worked examples."
    ),
    urls_namespace="api-v1",
    parser=RefuseNulParser(),
)


@api.exception_handler(ApiProblem)
def _problem(request: HttpRequest, exc: ApiProblem) -> HttpResponse:
    return from_exception(exc)


@api.exception_handler(AuthenticationError)
def _unauthorised(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    return problem_response(
        401,
        "Send a live token: Authorization: Bearer <token>. The token may be missing, wrong, "
        "revoked or expired, or its owner's account switched off.",
        headers={"WWW-Authenticate": 'Bearer realm="coproduce"'},
    )


@api.exception_handler(ValidationError)
def _invalid(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    errors = [
        {
            "loc": [str(part) if not isinstance(part, int) else part for part in e.get("loc", [])],
            "msg": str(e.get("msg", "Not valid")),
        }
        for e in exc.errors
    ]
    return problem_response(
        422, "Some values are not valid; nothing was changed.", slug="invalid", errors=errors
    )


@api.exception_handler(Http404)
def _not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return problem_response(404, "There is nothing here, or it is not yours to see.")


@api.exception_handler(HttpError)
def _http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    return problem_response(exc.status_code, str(exc))


@api.exception_handler(RequestDataTooBig)
def _too_big(request: HttpRequest, exc: RequestDataTooBig) -> HttpResponse:
    limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE // (1024 * 1024)
    return problem_response(
        413, f"The body is over {limit} MB. Send fewer people in one call.", slug="too-large"
    )


@api.exception_handler(Exception)
def _unexpected(request: HttpRequest, exc: Exception) -> HttpResponse:
    logger.exception("API error on %s %s", request.method, request.path)
    return problem_response(
        500, "Something went wrong on our side; nothing was changed. Please try again later."
    )


def _register() -> None:
    from coproduce.api.routers import people, projects, public, rewards, sessions, voice

    api.add_router("/people", people.router, tags=["People"])
    api.add_router("/sessions", sessions.router, tags=["Sessions and attendance"])
    api.add_router("/projects", projects.router, tags=["Projects and decisions"])
    api.add_router("/decisions", projects.decisions_router, tags=["Projects and decisions"])
    api.add_router("/reward-payments", rewards.router, tags=["Reward payments"])
    api.add_router("/voice", voice.router, tags=["Whose voice"])
    api.add_router("/public", public.router, tags=["Public"])


_register()
