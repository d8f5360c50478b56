"""Replies to a session's messages ("coming or not"), taken back in by messaging: a text
"YES", a ticked reply slip typed in by admin support, an answer given on the phone.

`REPLY` is registered for the invitation and reminder kinds when the app starts (and by
diversity for its outreach invitations). It records the answer with `rsvp_record`, as the
person's own reply when they sent it themselves, or on their behalf (marked so, with who typed
it) when a member of staff enters it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError

from coproduce.meetings import services
from coproduce.meetings.models import Invitation, RecordedVia, Rsvp
from coproduce.messaging.kinds import Reply

if TYPE_CHECKING:
    from coproduce.messaging.models import Message

OPTIONS = [(Rsvp.YES.value, "Coming"), (Rsvp.MAYBE.value, "Maybe"), (Rsvp.NO.value, "Not coming")]

# How the reply reached us, by the channel of the message it answers.
_THEMSELVES = {"text": RecordedVia.TEXT}  # anything else they answered themselves: online
_BY_STAFF = {
    "letter": RecordedVia.PAPER,
    "phone": RecordedVia.PHONE,
    "text": RecordedVia.TEXT,
    "email": RecordedVia.EMAIL,
}


def _options(message: Message) -> list[tuple[str, str]]:
    return list(OPTIONS)


def invitation_of(message: Message) -> Invitation:
    """The invitation a message is about; ValueError with a plain message if there is none."""
    app_model, _, pk = message.about.partition(":")
    invitation = None
    if app_model == "meetings.invitation" and pk.isdigit():
        invitation = (
            Invitation.objects.select_related("meeting", "person")
            .filter(pk=int(pk), person_id=message.person_id)
            .first()
        )
    if invitation is None:
        raise ValueError("The invitation this message was about no longer exists.")
    return invitation


def _record(message: Message, code: str, actor: Any) -> str:
    invitation = invitation_of(message)
    on_behalf = actor is not None and actor.pk != invitation.person.user_id
    via = (_BY_STAFF if on_behalf else _THEMSELVES).get(message.channel, RecordedVia.WEB)
    try:
        services.rsvp_record(
            invitation=invitation,
            rsvp=code,
            actor=actor,
            via=via,
            on_behalf=on_behalf,
            now=message.replied_at,
        )
    except ValidationError as exc:
        raise ValueError(" ".join(exc.messages)) from None
    label = dict(OPTIONS)[code]
    return f"Reply '{label}' recorded for '{invitation.meeting.title}'."


REPLY = Reply(options=_options, record=_record)
