"""Every kind has a template for every channel it may use; each starts with a subject, and a
text message fits in three text fragments (459 characters) even with long names and places."""

from __future__ import annotations

import pytest

from coproduce.messaging import kinds, services
from coproduce.people.models import Person

LONG_TITLE = "Health check: what the survey says about repairs, damp and mould"
SESSION = {
    "title": LONG_TITLE,
    "when": "Wednesday 30 September 2026, 10:30am to 12:30pm",
    "where": "Come to Garden room, Riverside Community Centre, 1 Quay Street, Northfield, "
    "RV1 2AB, or join online: https://meet.example.org/riverside-health-check-getting-started",
    "project": "Annual health check 2026-27",
    "reply_url": "https://involve.riverside.example/sessions/123/",
}
CONTEXTS = {
    "invitation": SESSION,
    "reminder": SESSION,
    "session_changed": SESSION,
    "session_cancelled": SESSION,
    "outreach": SESSION,
    "reward_issued": {
        "total": "£1,240.00",
        "items": ["Residents' panel, October 2026 (2 hours): £30.00, into your bank account"],
        "how": "as a donation to the charity you chose",
        "voucher": True,
        "url": "https://involve.riverside.example/rewards/mine/",
    },
    "evidence_call": {
        "title": "Annual health check of our customer promises 2026-27",
        "until": "31 January 2027",
        "plan_people": "Tenants in sheltered schemes and people who rang about repairs",
        "url": "https://involve.riverside.example/health-checks/4/evidence/",
    },
    "you_said_we_did": {
        "project": "Changes to the repairs service, and how we tell you about them " * 3,
        "decision": "Repair appointments can be booked by phone as well as online " * 5,
        "decided_on": "12 May 2026",
        "you_said": "Not everyone is online.",
        "we_did": "We kept the phone line open seven days a week and trained staff " * 6,
        "url": "https://involve.riverside.example/projects/3/",
    },
    "password_reset": {
        "email": "someone@example.org",
        "reset_url": "https://involve.riverside.example/accounts/reset/MQ/abc-123/",
    },
}


def test_every_kind_has_a_context_here():
    # Kinds that other tests register for themselves (no templates) are not the app's.
    ours = {k.name for k in kinds.all_kinds() if "test" not in k.name}
    assert ours - {"quick_question"} <= set(CONTEXTS)


@pytest.mark.parametrize("kind", sorted(CONTEXTS))
def test_every_channel_of_every_kind_renders(db, kind):
    person = Person.objects.create(first_name="Bartholomew-Alexander", user=None)
    spec = kinds.get(kind)
    options = spec.reply.options(None) if spec.reply else []  # type: ignore[arg-type]
    for channel in spec.channels:
        context = {
            **CONTEXTS[kind],
            "person": person,
            "first_name": person.first_name,
            "channel": channel,
            "options": [
                {"number": n, "code": c, "label": label}
                for n, (c, label) in enumerate(options, start=1)
            ],
            "reference": "ABC-DEFG",
        }
        subject, body = services.render(kind, channel, "en", context)
        assert subject and body, (kind, channel)
        assert "{{" not in body and "{%" not in body
        assert "Bartholomew-Alexander" in body
        if channel == "text":
            assert len(body) <= 459, (kind, len(body), body)


def test_messages_are_plain_text_never_html_escaped(db):
    person = Person.objects.create(first_name="D'Arcy")
    context = {**SESSION, "title": 'Residents\' panel: "repairs & rents" <2026>'}
    context |= {"person": person, "first_name": person.first_name, "options": []}
    subject, body = services.render("invitation", "email", "en", context)
    assert subject.startswith('You are invited: Residents\' panel: "repairs & rents" <2026>')
    assert "Hello D'Arcy," in body and "&#" not in body and "&amp;" not in body
