"""RFC 9457 problems for requests to the API that are refused before the API itself runs (a NUL
byte, an address it does not have, a request Django cannot read). The API's own errors come
from coproduce.api.problems, in the same shape."""

from __future__ import annotations

import json

from django.http import HttpRequest, HttpResponse

API_PREFIX = "/api/"


def is_api(request: HttpRequest) -> bool:
    return request.path.startswith(API_PREFIX)


def api_problem(status: int, title: str, detail: str, *, slug: str = "") -> HttpResponse:
    body = {
        "type": f"urn:coproduce:problem:{slug}" if slug else "about:blank",
        "title": title,
        "status": status,
        "detail": detail,
    }
    return HttpResponse(json.dumps(body), status=status, content_type="application/problem+json")
