from typing import Any, NoReturn

from django.conf import settings
from django.db import models

from coproduce.core.audit_guard import MESSAGE as APPEND_ONLY


class AppendOnlyError(ValueError):
    """Raised on any attempt to change or delete audit entries through Django."""


class AuditEntryQuerySet(models.QuerySet["AuditEntry"]):
    """Refuses every bulk change. The database refuses them too (migration core.0004)."""

    def update(self, **kwargs: Any) -> NoReturn:
        raise AppendOnlyError(APPEND_ONLY)

    def delete(self) -> NoReturn:
        raise AppendOnlyError(APPEND_ONLY)

    def bulk_update(self, objs: Any, fields: Any, batch_size: int | None = None) -> NoReturn:
        raise AppendOnlyError(APPEND_ONLY)

    def update_or_create(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise AppendOnlyError(APPEND_ONLY)


class AuditEntry(models.Model):
    """One line of the append-only audit log: who did what, to which record, when, from where."""

    at = models.DateTimeField(auto_now_add=True, db_index=True)
    # PROTECT: a login that acted is never deleted (erasure renames it instead), and SET_NULL
    # would change the log, which the database refuses.
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    # The actor's email at the time, kept even when the login is later renamed by an erasure.
    actor_email = models.CharField(max_length=254, blank=True)
    action = models.CharField(max_length=64, db_index=True)
    object_type = models.CharField(max_length=64, blank=True, db_index=True)
    object_id = models.CharField(max_length=64, blank=True, db_index=True)
    summary = models.CharField(max_length=500, blank=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    user_agent = models.CharField(max_length=300, blank=True)

    objects = AuditEntryQuerySet.as_manager()

    class Meta:
        # Related lookups and deletion collection use the refusing queryset too.
        base_manager_name = "objects"
        ordering = ["-at", "-id"]
        verbose_name_plural = "audit entries"
        indexes = [models.Index(fields=["object_type", "object_id", "-at"])]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_email or 'system'} {self.action}"

    def save(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        if self.pk is not None:
            raise AppendOnlyError("The audit log is append-only: entries cannot be changed.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        raise AppendOnlyError("The audit log is append-only: entries cannot be deleted.")


def _job_token() -> str:
    import secrets

    return secrets.token_urlsafe(24)


class UploadJob(models.Model):
    """An uploaded file waiting for, or being read by, a background task.

    The file lives under MEDIA_ROOT/uploads/<stored_name> until the work is finished (or a day
    has passed); the page that started the job polls it by its random token.
    """

    class Status(models.TextChoices):
        QUEUED = "queued", "Waiting to start"
        RUNNING = "running", "Reading the file"
        READY = "ready", "Checked: waiting for you to confirm"
        DONE = "done", "Finished"
        FAILED = "failed", "Could not be used"

    token = models.CharField(max_length=40, unique=True, default=_job_token)
    kind = models.CharField(max_length=40)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    progress = models.PositiveSmallIntegerField(default=0)
    message = models.CharField(max_length=300, blank=True)
    params = models.JSONField(default=dict, blank=True)
    result = models.JSONField(default=dict, blank=True)
    error = models.TextField(blank=True)
    file_name = models.CharField(max_length=255)
    stored_name = models.CharField(max_length=80, blank=True)
    size = models.BigIntegerField(default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.kind} {self.file_name} ({self.status})"

    @property
    def path(self):  # type: ignore[no-untyped-def]
        from coproduce.core.uploads import uploads_dir

        return uploads_dir() / self.stored_name

    @property
    def working(self) -> bool:
        return self.status in (self.Status.QUEUED, self.Status.RUNNING)

    def discard_file(self) -> None:
        if self.stored_name:
            self.path.unlink(missing_ok=True)

    def report(self, progress: int, message: str) -> None:
        UploadJob.objects.filter(pk=self.pk).update(
            status=self.Status.RUNNING, progress=progress, message=message[:300]
        )

    def finish(self, status: str, *, result: dict | None = None, error: str = "") -> None:
        from django.utils import timezone

        self.status = status
        self.result = result or {}
        self.error = error
        self.progress = 100
        self.message = ""
        self.finished_at = timezone.now()
        self.save(update_fields=["status", "result", "error", "progress", "message", "finished_at"])
