"""Pages for messages: the email unsubscribe link (one click, RFC 8058), printing letters, and
the fast screen for reply slips that come back by post."""

from __future__ import annotations

import re
import tempfile
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core import signing
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from coproduce.accounts import roles
from coproduce.accounts.types import AuthenticatedHttpRequest
from coproduce.messaging import letters as letter_pdfs
from coproduce.messaging import selectors, services
from coproduce.messaging.forms import ReplySlipForm
from coproduce.messaging.models import Channel, LetterPack
from coproduce.people.models import Person

UNSUBSCRIBE_MAX_AGE = 60 * 60 * 24 * 400  # a link in an old email still works for a year or so
DONE = "messaging:reply_slip_done"  # the last slip recorded, shown once on the blank form
ENTERED = "messaging:reply_slips_entered"


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


def _require(check: Any, request: HttpRequest) -> None:
    if not check(request.user):
        raise PermissionDenied


@login_required
def letters(request: AuthenticatedHttpRequest) -> HttpResponse:
    _require(roles.can_print_letters, request)
    return render(
        request,
        "messaging/letters.html",
        {
            "groups": selectors.letters_to_print(),
            "packs": selectors.recent_packs(),
            "limit": selectors.PACK_LIMIT,
            "can_enter_slips": roles.can_enter_reply_slips(request.user),
        },
    )


def _pdf_response(pack: LetterPack) -> FileResponse:
    # On disk, not in memory: a pack of hundreds of letters is several megabytes.
    out = tempfile.TemporaryFile()  # noqa: SIM115 (FileResponse closes it when sent)
    letter_pdfs.letter_pack(selectors.pack_letters(pack).iterator(chunk_size=500), out)
    out.seek(0)
    return FileResponse(
        out,
        as_attachment=True,
        filename=f"letters-pack-{pack.pk}.pdf",
        content_type="application/pdf",
    )


@login_required
@require_POST
def letters_print(request: AuthenticatedHttpRequest) -> HttpResponseBase:
    """Print the letters the page showed (their ids), as one PDF, and mark them printed."""
    _require(roles.can_print_letters, request)
    typed = request.POST.get("ids", "")
    if not re.fullmatch(r"\d{1,12}(,\d{1,12})*", typed):
        messages.error(request, "Those letters could not be read. Choose a group to print again.")
        return redirect("messaging:letters")
    ids = [int(pk) for pk in typed.split(",")][: selectors.PACK_LIMIT]
    pack = services.letters_print(ids=ids, actor=request.user, request=request)
    if pack is None:
        messages.info(
            request,
            "Those letters have been printed already, perhaps by someone else a moment ago. "
            "Their pack is in the list below if you need to print it again.",
        )
        return redirect("messaging:letters")
    return _pdf_response(pack)


@login_required
def letter_pack(request: AuthenticatedHttpRequest, pk: int) -> HttpResponseBase:
    """The same pack again: the same letters, with the date they were first printed."""
    _require(roles.can_print_letters, request)
    pack = get_object_or_404(LetterPack, pk=pk)
    services.letters_reprinted(pack=pack, actor=request.user, request=request)
    return _pdf_response(pack)


@login_required
@require_http_methods(["GET", "POST"])
def reply_slips(request: AuthenticatedHttpRequest) -> HttpResponse:
    """One slip at a time, as fast as typing: the reference, the ticked boxes, Enter. The blank
    form comes straight back with the cursor in the reference box."""
    _require(roles.can_enter_reply_slips, request)
    done = request.session.pop(DONE, None) if request.method == "GET" else None
    form = ReplySlipForm(request.POST or None)
    ask_to_change = False
    if request.method == "POST" and form.is_valid():
        try:
            services.record_reply(
                message=form.message,
                code=form.codes,
                actor=request.user,
                replace=form.cleaned_data["change"],
                request=request,
            )
        except services.AlreadyReplied as exc:
            form.add_error(
                "reference",
                f"{exc} To replace it with the boxes typed here, tick the box below and save.",
            )
            ask_to_change = True
        except ValueError as exc:
            form.add_error("ticked", str(exc))
        else:
            request.session[DONE] = f"Recorded for {form.message.person.full_name}: {form.answer}"
            request.session[ENTERED] = request.session.get(ENTERED, 0) + 1
            return redirect("messaging:reply_slips")
    # The cursor goes where the next keystroke belongs: the first box with a problem, or the
    # reference of the next slip.
    focus = "reference"
    if ask_to_change:
        focus = "change"
    elif form.errors and "reference" not in form.errors and "ticked" in form.errors:
        focus = "ticked"
    form.fields[focus].widget.attrs["autofocus"] = True
    return render(
        request,
        "messaging/reply_slips.html",
        {
            "form": form,
            "done": done,
            "entered": request.session.get(ENTERED, 0),
            "ask_to_change": ask_to_change or bool(form.data.get("change")),
            "can_print": roles.can_print_letters(request.user),
        },
    )
