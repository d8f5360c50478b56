"""`{% your_data_requests person %}`: a person's own requests and the buttons to ask, for
their profile page (so the people app need not know about this one)."""

from __future__ import annotations

from typing import Any

from django import template

from coproduce.privacy import selectors
from coproduce.privacy.models import RequestKind, RequestStatus

register = template.Library()


@register.inclusion_tag("privacy/_my_requests.html", takes_context=True)
def your_data_requests(context: Any, person: Any) -> dict[str, Any]:
    requests = selectors.person_requests(person)
    open_kinds = {r.kind for r in requests if r.status == RequestStatus.OPEN}
    return {
        "csrf_token": context.get("csrf_token"),
        "requests": requests,
        "open_access": RequestKind.ACCESS in open_kinds,
        "open_erasure": RequestKind.ERASURE in open_kinds,
    }
