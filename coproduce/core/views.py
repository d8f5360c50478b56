from __future__ import annotations

from django.conf import settings
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views import defaults
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from coproduce.core.problems import api_problem, is_api


@require_GET
@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as exc:  # noqa: BLE001 - any database failure means "down"
        return JsonResponse(
            {"status": "error", "database": "unavailable", "reason": type(exc).__name__},
            status=503,
        )
    return JsonResponse({"status": "ok", "database": "ok"})


def _bad_request_words(exception: Exception | None) -> tuple[str, str]:
    from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent
    from django.template.defaultfilters import filesizeformat

    if isinstance(exception, TooManyFieldsSent):
        most = settings.DATA_UPLOAD_MAX_NUMBER_FIELDS
        return (
            "That form sent too many fields",
            f"A form can send at most {most} fields at once, and this one sent more. If you "
            "were sending a long list, send it in smaller parts.",
        )
    if isinstance(exception, TooManyFilesSent):
        most = settings.DATA_UPLOAD_MAX_NUMBER_FILES
        return (
            "You sent too many files at once",
            f"You can send at most {most} files at once. Send them in smaller groups.",
        )
    if isinstance(exception, RequestDataTooBig):
        size = filesizeformat(settings.DATA_UPLOAD_MAX_MEMORY_SIZE)
        return (
            "What you sent was too big",
            f"A form can send at most {size} at once. Send less at a time.",
        )
    return ("Something was wrong with that request", "")


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """Django's 404 (``handler404``); under /api/ a problem, not a page."""
    if is_api(request):
        return api_problem(404, "Not found", "There is nothing at this address.")
    return defaults.page_not_found(request, exception)  # type: ignore[arg-type]


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """Django's 400 page (``handler400``): says what was wrong when we know."""
    if is_api(request):
        heading, reason = _bad_request_words(exception)
        return api_problem(400, "Bad request", reason or heading)
    if not hasattr(request, "user"):  # refused before the sign-in middleware ran
        from django.contrib.auth.models import AnonymousUser

        request.user = AnonymousUser()
    heading, reason = _bad_request_words(exception)
    return render(request, "400.html", {"heading": heading, "reason": reason}, status=400)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    return render(request, "403_csrf.html", status=403)
