"""Errors as RFC 9457 problem details (``application/problem+json``), the same shape everywhere.

A problem has ``type``, ``title``, ``status`` and ``detail``; validation problems add ``errors``
(one per field or row, with where it is and what is wrong). ``type`` is ``about:blank`` when the
HTTP status says it all, or ``urn:coproduce:problem:<slug>`` for our own kinds (docs/api.md).
"""

from __future__ import annotations

import json
from typing import Any

from django.http import HttpResponse
from ninja import Schema

MEDIA_TYPE = "application/problem+json"


class ProblemError(Schema):
    loc: list[str | int]
    msg: str


class Problem(Schema):
    type: str
    title: str
    status: int
    detail: str
    errors: list[ProblemError] | None = None


class ApiProblem(Exception):
    """Raise from an endpoint or service wrapper to answer with a problem."""

    def __init__(
        self,
        status: int,
        detail: str,
        *,
        slug: str = "",
        title: str = "",
        errors: list[dict[str, Any]] | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(detail)
        self.status = status
        self.detail = detail
        self.slug = slug
        self.title = title
        self.errors = errors
        self.headers = headers or {}


TITLES = {
    400: "Bad request",
    401: "Not signed in",
    403: "Not allowed",
    404: "Not found",
    405: "Method not allowed",
    409: "Conflict",
    412: "Changed by someone else",
    413: "Too large",
    422: "Not valid",
    428: "If-Match needed",
    429: "Too many requests",
    500: "Something went wrong",
}


def problem_response(
    status: int,
    detail: str,
    *,
    slug: str = "",
    title: str = "",
    errors: list[dict[str, Any]] | None = None,
    headers: dict[str, str] | None = None,
) -> HttpResponse:
    body: dict[str, Any] = {
        "type": f"urn:coproduce:problem:{slug}" if slug else "about:blank",
        "title": title or TITLES.get(status, "Error"),
        "status": status,
        "detail": detail,
    }
    if errors is not None:
        body["errors"] = errors
    response = HttpResponse(json.dumps(body), status=status, content_type=MEDIA_TYPE)
    for name, value in (headers or {}).items():
        response[name] = value
    return response


def from_exception(problem: ApiProblem) -> HttpResponse:
    return problem_response(
        problem.status,
        problem.detail,
        slug=problem.slug,
        title=problem.title,
        errors=problem.errors,
        headers=problem.headers,
    )
