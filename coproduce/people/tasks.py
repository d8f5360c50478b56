"""Background jobs for the staff import page (django-tasks; run by `manage.py db_worker`).

The web request only stores the file (core.uploads.job_create); these read it. A check job
ends READY (the preview, nothing saved) or DONE with rejected rows; an apply job imports
the file all-or-nothing once the coordinator confirms.
"""

from __future__ import annotations

import logging
from dataclasses import asdict
from typing import Any

from django_tasks import task

CHECK = "people.check"
APPLY = "people.apply"
REJECTIONS_KEPT = 200
UNEXPECTED = (
    "Something went wrong while reading the file, so nothing was saved. Please try again, "
    "or ask for help if it happens again"
)
logger = logging.getLogger("coproduce")


def _result(result: Any) -> dict[str, Any]:
    return {
        "file_name": result.file_name,
        "created": result.created,
        "updated": result.updated,
        "unchanged": result.unchanged,
        "rejected": result.rejected,
        "rejections": [asdict(r) for r in result.rejections[:REJECTIONS_KEPT]],
        "sample": [asdict(row) for row in result.sample],
        "saved": result.saved,
    }


def _run(job_id: int, *, apply: bool) -> None:
    from coproduce.core.models import UploadJob
    from coproduce.core.uploads import JobProgress
    from coproduce.people.importing import ImportFileError, analyse_file, import_file

    job = UploadJob.objects.select_related("created_by").filter(pk=job_id).first()
    if job is None or not job.working:
        return
    job.report(5, "Checking the file" if not apply else "Importing the people")
    Status = UploadJob.Status
    try:
        if apply:
            result = import_file(
                job.path,
                actor=job.created_by,
                file_name=job.file_name,
                how=" (staff page)",
                report=JobProgress(job),
            )
        else:
            result = analyse_file(job.path, file_name=job.file_name, report=JobProgress(job))
    except ImportFileError as exc:
        job.discard_file()
        job.finish(Status.FAILED, error=str(exc))
        return
    except FileNotFoundError:
        job.finish(Status.FAILED, error="The uploaded file has gone. Please upload it again.")
        return
    except Exception:
        logger.exception("Import job %s failed", job.pk)
        job.discard_file()
        job.finish(Status.FAILED, error=UNEXPECTED)
        return
    data = _result(result)
    if result.rejections or apply:
        job.discard_file()  # nothing more to do with it: fix and upload again, or imported
        job.finish(Status.DONE, result=data)
    else:
        job.finish(Status.READY, result=data)


@task()
def check_import(job_id: int) -> None:
    _run(job_id, apply=False)


@task()
def apply_import(job_id: int) -> None:
    _run(job_id, apply=True)
