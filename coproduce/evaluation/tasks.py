"""Background jobs for health checks (django-tasks; run by `manage.py db_worker`)."""

from __future__ import annotations

from django_tasks import task


@task()
def run_theming(run_id: int) -> None:
    from coproduce.evaluation.services import theme_run_execute

    theme_run_execute(run_id)


@task()
def remap_promises(check_id: int) -> None:
    from coproduce.evaluation.services import remap_execute

    remap_execute(check_id)


@task()
def import_evidence(job_id: int) -> None:
    """Read an uploaded evidence file (survey, transcript, document or TSM figures) and save
    it all-or-nothing. The web request only stored the file (core.uploads.job_create)."""
    from coproduce.evaluation.services import evidence_job_execute

    evidence_job_execute(job_id)
