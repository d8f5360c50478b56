"""Background work for webhooks, run by `manage.py db_worker` (django-tasks)."""

from __future__ import annotations

from django_tasks import task

from coproduce.webhooks import services


@task()
def deliver_webhook(delivery_id: int) -> str:
    """Send one webhook delivery if it is due; a failed try queues itself again."""
    return services.deliver(delivery_id)
