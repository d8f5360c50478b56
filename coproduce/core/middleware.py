"""Turn any unexpected error into a calm, plain-English page (never a stack trace)."""

from __future__ import annotations

import logging
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string

logger = logging.getLogger("coproduce")


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
        if settings.DEBUG and not getattr(settings, "TESTING", False):
            return None
        logger.exception("Unhandled error on %s", request.path)
        html = render_to_string("500.html", {"site_name": settings.SITE_NAME})
        return HttpResponse(html, status=500)
