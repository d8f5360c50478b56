"""Background work for sessions, run by `manage.py db_worker` (django-tasks)."""

from __future__ import annotations

from django_tasks import task

from coproduce.meetings import services


@task()
def send_session_reminders(meeting_id: int) -> int:
    """Send a session's reminders if they are due and not sent yet; returns how many went."""
    return services.meeting_send_reminders(meeting_id=meeting_id)
