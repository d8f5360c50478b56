"""The kinds of message we send, the consent each needs, and how replies to each are recorded.

The standard kinds are registered when the app starts. An app above this one that takes replies
to its messages (meetings: "coming or not"; diversity: a quick question's answer) registers a
`Reply` for its kind in its AppConfig.ready, and a consent question this layer cannot ask
itself (outreach consent is diversity's) is registered the same way.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from coproduce.messaging.models import Channel

if TYPE_CHECKING:
    from coproduce.messaging.models import Message
    from coproduce.people.models import Person

ALL_CHANNELS = (Channel.EMAIL, Channel.TEXT, Channel.LETTER, Channel.PHONE)

CONTACT = "contact"  # the person's "happy to be contacted"
OUTREACH = "outreach"  # outreach consent as well (diversity's equality consent, part b)
NONE = "none"  # a message the person asked for themselves (a password reset)


@dataclass(frozen=True)
class Reply:
    """How a reply to a kind is offered and recorded.

    `options(message)` lists (code, label) pairs: the tick boxes on a reply slip and the words a
    text reply may use (each option's number, code or label). `record(message, code, actor)`
    records the answer (on the person's behalf when `actor` is staff) and returns a sentence saying
    what it did; `message.replied_at` is already set to when the reply came. It raises ValueError
    with a plain message when the answer cannot be taken.

    `several(message)`, when given and true, lets one reply choose several options (a reply slip
    that says "tick every box that applies"): `record` then gets their codes joined by commas.
    Without it a reply is one option. `answered(message)`, when given, says when the person last
    answered by any way at all (online, say), so staff typing a reply slip are told before they
    overwrite it.
    """

    options: Callable[[Message], list[tuple[str, str]]]
    record: Callable[[Message, str, Any], str]
    several: Callable[[Message], bool] | None = None
    answered: Callable[[Message], dt.datetime | None] | None = None

    def allows_several(self, message: Message) -> bool:
        return bool(self.several and self.several(message))


@dataclass
class Kind:
    name: str
    label: str
    consent: str = CONTACT
    channels: tuple[str, ...] = ALL_CHANNELS
    reply: Reply | None = field(default=None)


_KINDS: dict[str, Kind] = {}
_CONSENTS: dict[str, Callable[[Person], bool]] = {}


def register(kind: Kind) -> Kind:
    existing = _KINDS.get(kind.name)
    if existing is not None:
        return existing
    _KINDS[kind.name] = kind
    return kind


def get(name: str) -> Kind:
    try:
        return _KINDS[name]
    except KeyError:
        raise LookupError(f"There is no message kind called {name!r}.") from None


def all_kinds() -> list[Kind]:
    return sorted(_KINDS.values(), key=lambda k: k.label)


def label_for(name: str) -> str:
    kind = _KINDS.get(name)
    return kind.label if kind else name


def register_reply(name: str, reply: Reply) -> None:
    get(name).reply = reply


def register_consent(consent: str, check: Callable[[Person], bool]) -> None:
    _CONSENTS[consent] = check


def consents(kind: Kind, person: Person) -> bool:
    """Whether `person` gave the consent this kind needs."""
    if kind.consent == NONE:
        return True
    if not person.contact_consent:
        return False
    if kind.consent == CONTACT:
        return True
    check = _CONSENTS.get(kind.consent)
    return bool(check and check(person))  # no one to ask: never


def register_standard_kinds() -> None:
    for kind in (
        Kind("invitation", "Session invitation"),
        Kind("reminder", "Session reminder"),
        Kind("session_changed", "Session changed"),
        Kind("session_cancelled", "Session cancelled"),
        Kind("quick_question", "Quick question"),
        Kind("outreach", "Invitation to get involved", consent=OUTREACH),
        Kind("reward_issued", "Reward issued"),
        Kind("evidence_call", "Health check: call for evidence"),
        Kind("you_said_we_did", "You said, we did"),
        Kind("password_reset", "Password reset", consent=NONE, channels=(Channel.EMAIL,)),
    ):
        register(kind)
