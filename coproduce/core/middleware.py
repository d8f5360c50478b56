"""Request guards and calm error pages (never a stack trace, never a 500 for bad input)."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from typing import Any

from django.conf import settings
from django.core.exceptions import BadRequest, SuspiciousOperation
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string

from coproduce.core.problems import api_problem, is_api

logger = logging.getLogger("coproduce")
security_logger = logging.getLogger("coproduce.security")

NUL = "\x00"


def _has_nul(pairs: Iterable[tuple[str, Any]]) -> bool:
    for key, value in pairs:
        if NUL in key:
            return True
        if isinstance(value, str) and NUL in value:
            return True
    return False


def nul_response(request: HttpRequest) -> HttpResponse:
    security_logger.warning("Refused a request with a NUL byte on %r", request.path)
    if is_api(request):
        return api_problem(
            400,
            "Bad request",
            "The request has a NUL byte (\\u0000) in it. Remove it and send it again.",
            slug="nul-byte",
        )
    html = render_to_string("core/400_nul.html", {"site_name": settings.SITE_NAME})
    response = HttpResponse(html, status=400)
    # Answered before the clickjacking middleware runs, so say it here.
    response["X-Frame-Options"] = settings.X_FRAME_OPTIONS
    return response


class RefuseNulMiddleware:
    """Answer 400 with a clear page for a request that carries a NUL byte anywhere we read.

    PostgreSQL cannot store NUL in text, so a NUL that reached a query or a save would end in
    a 500. The address, the query string and the cookies are checked before anything else runs
    (so the session is never looked up with one); form data is checked in ``process_view``,
    where the CSRF check would parse it anyway. Text inside uploaded files is for the readers
    of those files to check.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if NUL in request.path or _has_nul(request.COOKIES.items()):
            return nul_response(request)
        try:
            query = list(request.GET.lists())
        except SuspiciousOperation:
            query = []  # too many fields: the view meets it again and answers 400
        if _has_nul((key, value) for key, values in query for value in values):
            return nul_response(request)
        return self.get_response(request)

    def process_view(
        self, request: HttpRequest, view: Any, args: Any, kwargs: Any
    ) -> HttpResponse | None:
        if request.method != "POST" or getattr(view, "csrf_exempt", False):
            # A view exempt from the CSRF check may set its own upload handlers, which must
            # happen before the body is read: leave its body alone.
            return None
        return form_nul_response(request)


def form_nul_response(request: HttpRequest) -> HttpResponse | None:
    """The NUL page if the posted form (field names, values, file names) carries a NUL."""
    pairs = [(key, value) for key, values in request.POST.lists() for value in values]
    names = [(key, getattr(upload, "name", "") or "") for key, upload in request.FILES.items()]
    if _has_nul(pairs) or _has_nul(names):
        return nul_response(request)
    return None


class ErrorPageMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        from django.core.exceptions import PermissionDenied
        from django.http import Http404

        if isinstance(exception, PermissionDenied | Http404):
            return None  # Django's own 403/404 handling renders our templates.
        if isinstance(exception, SuspiciousOperation | BadRequest):
            # Too many fields or files, a body too big...: Django answers 400 through
            # ``handler400`` (coproduce.core.views.bad_request), which says what was wrong.
            return None
        if settings.DEBUG and not getattr(settings, "TESTING", False):
            return None
        logger.exception("Unhandled error on %s", request.path)
        html = render_to_string("500.html", {"site_name": settings.SITE_NAME})
        return HttpResponse(html, status=500)
