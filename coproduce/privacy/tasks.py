"""Background work for the register, run by `manage.py db_worker` (django-tasks)."""

from __future__ import annotations

from django_tasks import task

from coproduce.privacy import services


@task()
def send_data_request_reminder(data_request_id: int) -> int:
    """Remind the data-protection leads of a deadline if due and not sent yet."""
    return services.data_request_send_reminder(data_request_id=data_request_id)
