"""The queue of texts that came in and wait for a person: the coordinator or admin support reads
each one and records the answer it gives, or marks it dealt with and says how."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render

from coproduce.accounts import roles
from coproduce.accounts.types import AuthenticatedHttpRequest
from coproduce.core.audit import audit_record
from coproduce.core.forms import submit
from coproduce.messaging import selectors, services
from coproduce.messaging.forms_inbound import TextAnswerForm, TextDealtWithForm
from coproduce.messaging.models import InboundStatus, InboundText

PER_PAGE = 25


def _check(request: AuthenticatedHttpRequest) -> None:
    if not roles.can_handle_replies(request.user):
        raise PermissionDenied


def _forms(
    text: InboundText,
    choices: list[tuple[str, str]],
    *,
    answer: TextAnswerForm | None = None,
    dealt_with: TextDealtWithForm | None = None,
) -> dict[str, Any]:
    prefix = f"t{text.pk}"
    return {
        "text": text,
        "answer_form": answer or TextAnswerForm(choices=choices, prefix=f"{prefix}a"),
        "dealt_with_form": dealt_with or TextDealtWithForm(prefix=f"{prefix}d"),
        "has_choices": bool(choices),
    }


@login_required
def inbound(request: AuthenticatedHttpRequest) -> HttpResponse:
    _check(request)
    page = Paginator(selectors.waiting_texts(), PER_PAGE).get_page(request.GET.get("page"))
    texts = list(page.object_list)
    choices = selectors.answer_choices_by_person(t.person_id for t in texts if t.person_id)
    cards = [_forms(t, choices.get(t.person_id or 0, [])) for t in texts]
    audit_record(
        action="messages.texts_viewed",
        actor=request.user,
        object_type="messaging.inboundtext",
        request=request,
        summary=f"Viewed the texts waiting (page {page.number})",
    )
    return render(
        request,
        "messaging/inbound.html",
        {"page": page, "cards": cards, "can_see_people": roles.can_list_people(request.user)},
    )


@login_required
def inbound_resolve(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """One text: GET shows it with its two forms; POST records the answer (`action=answer`) or
    marks it dealt with (`action=close`). A text already dealt with goes back to the queue."""
    _check(request)
    text = get_object_or_404(InboundText.objects.select_related("person", "message"), pk=pk)
    if text.status != InboundStatus.WAITING:
        messages.info(request, "That text has already been dealt with.")
        return redirect("messaging:inbound")
    choices = selectors.answer_choices_by_person([text.person_id] if text.person_id else []).get(
        text.person_id or 0, []
    )
    card = _forms(text, choices)
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "answer":
            form = TextAnswerForm(request.POST, choices=choices, prefix=f"t{text.pk}a")
            card["answer_form"] = form
            done: list[str] = []
            if submit(
                form,
                lambda data: done.append(
                    services.inbound_text_answer(
                        text=text,
                        message_id=data["answer"][0],
                        code=data["answer"][1],
                        actor=request.user,
                        request=request,
                    )
                ),
            ):
                messages.success(request, f"Answer recorded. {done[0]}")
                return redirect("messaging:inbound")
        elif action == "close":
            note_form = TextDealtWithForm(request.POST, prefix=f"t{text.pk}d")
            card["dealt_with_form"] = note_form
            if submit(
                note_form,
                lambda data: services.inbound_text_close(
                    text=text, note=data["note"], actor=request.user, request=request
                ),
            ):
                messages.success(request, "The text is marked as dealt with.")
                return redirect("messaging:inbound")
        else:
            messages.error(request, "Choose whether to record an answer or mark it dealt with.")
            return redirect("messaging:inbound_resolve", pk=text.pk)
        status = 400
    else:
        status = 200
    audit_record(
        action="messages.text_viewed",
        actor=request.user,
        obj=text.person if text.person_id else text,
        request=request,
        summary=f"Viewed text {text.pk}",
    )
    return render(
        request,
        "messaging/inbound_resolve.html",
        {"card": card, "can_see_people": roles.can_list_people(request.user)},
        status=status,
    )
