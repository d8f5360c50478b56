"""ETags and If-Match: the web's optimistic locking (a record's ``updated_at``) over HTTP."""

from __future__ import annotations

from django.db.models import Model
from django.http import HttpRequest

from coproduce.api.problems import ApiProblem


def etag(obj: Model) -> str:
    stamp = obj.updated_at  # type: ignore[attr-defined]
    return f'"{obj.pk}.{int(stamp.timestamp() * 1_000_000)}"'


def check_if_match(request: HttpRequest, obj: Model, *, required: bool) -> None:
    """412 if If-Match names another version; 428 if it is missing and ``required``."""
    header = request.headers.get("If-Match", "").strip()
    if not header:
        if required:
            raise ApiProblem(
                428,
                "Send If-Match with the ETag you last read, so that a change made since is not "
                "overwritten.",
                slug="if-match-required",
            )
        return
    if header == "*":
        return
    wanted = [tag.strip().removeprefix("W/") for tag in header.split(",")]
    if etag(obj) not in wanted:
        raise ApiProblem(
            412,
            "This record changed since you read it. Read it again, then send your change with "
            "the new ETag.",
            slug="changed",
            headers={"ETag": etag(obj)},
        )
