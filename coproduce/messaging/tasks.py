"""Background work for messages, run by `manage.py db_worker` (django-tasks)."""

from __future__ import annotations

from django_tasks import task

from coproduce.messaging import services


@task()
def deliver_message(message_id: int) -> str:
    """Send one queued message if it is due; retries and fallbacks queue themselves again."""
    return services.deliver(message_id)
