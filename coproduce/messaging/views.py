"""Pages for messages: the email unsubscribe link (one click, RFC 8058)."""

from __future__ import annotations

from django.core import signing
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from coproduce.messaging import services
from coproduce.messaging.models import Channel
from coproduce.people.models import Person

UNSUBSCRIBE_MAX_AGE = 60 * 60 * 24 * 400  # a link in an old email still works for a year or so


@csrf_exempt  # mail programs post the one-click unsubscribe with no cookie; the token is signed
@require_http_methods(["GET", "POST"])
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    try:
        data = signing.loads(token, salt="messaging.unsubscribe", max_age=UNSUBSCRIBE_MAX_AGE)
        person = Person.objects.get(pk=data["p"])
    except (signing.BadSignature, KeyError, TypeError, Person.DoesNotExist):
        return render(request, "messaging/unsubscribe_bad.html", status=404)
    if request.method == "POST":
        services.opt_out(person=person, channel=Channel.EMAIL, how="unsubscribe link in an email")
        return render(request, "messaging/unsubscribed.html")
    return render(request, "messaging/unsubscribe.html", {"token": token})
