"""A reply link in an email: the person answers a message (coming or not, say) without signing
in. The link carries the message's key, signed, so it cannot be guessed or changed; it works
for 60 days and records the answer as the person's own, exactly as a text "YES" would."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from coproduce.messaging import kinds, services
from coproduce.messaging.models import Message
from coproduce.messaging.tokens import ANSWER_LIFETIME, answer_key


def _message(token: str) -> Message | None:
    key = answer_key(token)
    if key is None:
        return None
    return (
        Message.objects.select_related("person")
        .filter(key=key, created_at__gte=timezone.now() - ANSWER_LIFETIME)
        .first()
    )


@require_http_methods(["GET", "POST"])
def answer(request: HttpRequest, token: str) -> HttpResponse:
    message = _message(token)
    reply = kinds.get(message.kind).reply if message else None
    if message is None or reply is None:
        return render(request, "messaging/answer_bad.html", status=404)
    options = reply.options(message)
    error, done = "", ""
    if request.method == "POST":
        code = request.POST.get("answer", "")
        if code not in {c for c, _ in options}:
            error = "Choose one answer."
        else:
            try:
                done = services.record_reply(message=message, code=code, actor=None)
            except ValueError as exc:
                error = str(exc)
    return render(
        request,
        "messaging/answer.html",
        {"message": message, "options": options, "error": error, "done": done},
        status=400 if error else 200,
    )
