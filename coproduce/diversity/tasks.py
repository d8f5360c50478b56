"""Keep the dashboard's figures warm: after people, answers or attendance change, work them out
again in the background, so the first person to open the dashboard does not wait."""

from __future__ import annotations

from django.core.cache import cache
from django_tasks import task

FLAG = "diversity:warm-queued"


def request_warm() -> None:
    """Queue one refresh however many changes arrive (a flag in the shared cache)."""
    if cache.add(FLAG, 1, timeout=600):
        warm_dashboard.enqueue()


@task()
def warm_dashboard() -> None:
    from coproduce.diversity import selectors

    cache.delete(FLAG)  # changes from now on queue another refresh
    for raw in (False, True):
        selectors.dashboard(raw=raw)
        selectors.concentration(raw=raw)


@task()
def deliver_quick_question(question_id: int) -> int:
    """Send a new quick question to everyone asked, each on their own channel."""
    from coproduce.diversity import services

    return services.quick_question_deliver(question_id=question_id)
