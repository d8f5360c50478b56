"""Writes for a TSM year: the year and its methodology, survey files, weighting targets,
management figures, publication. Each refuses with a ValidationError and changes nothing."""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Mapping
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from coproduce.core.audit import audit_record
from coproduce.tsm import calc, management, survey
from coproduce.tsm.models import (
    ManagementFigure,
    SurveyResponse,
    SurveyUpload,
    TsmYear,
    WeightTarget,
)

if TYPE_CHECKING:
    from django.http import HttpRequest

    from coproduce.accounts.models import User

BATCH = 2000
METHOD_FIELDS = (
    "lcra_homes",
    "lcho_homes",
    "survey_timing",
    "collection_methods",
    "sample_method",
    "contractor",
    "contractor_role",
    "exclusions",
    "incentives",
    "changes",
    "weighting_note",
    "other_notes",
)


def _check_unpublished(year: TsmYear) -> None:
    if year.published_at is not None:
        raise ValidationError(
            f"The {year.label} results are published. Take them off the public page first, "
            "then change them and publish again."
        )


def year_end_for(label: str) -> dt.date:
    """'2025/26' ends on 31 March 2026."""
    start = int(label[:4])
    return dt.date(start + 1, 3, 31)


@transaction.atomic
def year_create(*, label: str, actor: User, request: HttpRequest | None = None) -> TsmYear:
    label = label.strip()
    if not (
        len(label) == 7
        and label[:4].isdigit()
        and label[4] == "/"
        and label[5:].isdigit()
        and (int(label[:4]) + 1) % 100 == int(label[5:])
    ):
        raise ValidationError(
            {"label": "Write the reporting year as the two years it spans, like 2025/26."}
        )
    if TsmYear.objects.filter(label=label).exists():
        raise ValidationError({"label": f"There is already a {label} year."})
    year = TsmYear.objects.create(label=label, year_end=year_end_for(label))
    audit_record(action="tsm.year_created", actor=actor, obj=year, request=request, summary=label)
    return year


@transaction.atomic
def year_update(
    *,
    year: TsmYear,
    data: Mapping[str, Any],
    version: int,
    actor: User,
    request: HttpRequest | None = None,
) -> TsmYear:
    locked = TsmYear.objects.select_for_update().get(pk=year.pk)
    _check_unpublished(locked)
    if locked.version != version:
        raise ValidationError(
            "Someone changed this year's details while you were editing. Your changes were not "
            "saved: look at theirs, then make yours again."
        )
    for name in METHOD_FIELDS:
        if name in data:
            setattr(locked, name, data[name])
    locked.version += 1
    locked.full_clean()
    locked.save(update_fields=[*METHOD_FIELDS, "version", "updated_at"])
    audit_record(
        action="tsm.year_updated", actor=actor, obj=locked, request=request, summary=locked.label
    )
    return locked


def _as_validation(exc: ValueError) -> ValidationError:
    return ValidationError(f"Nothing was imported. {exc}")


@transaction.atomic
def survey_import(
    *,
    year: TsmYear,
    data: bytes,
    filename: str,
    actor: User | None,
    request: HttpRequest | None = None,
) -> SurveyUpload:
    """One survey file into the year, all or nothing. The same file twice is refused (so an
    import is idempotent); a respondent already in the year from another file is refused."""
    locked = TsmYear.objects.select_for_update().get(pk=year.pk)
    _check_unpublished(locked)
    digest = hashlib.sha256(data).hexdigest()
    earlier = SurveyUpload.objects.filter(year=locked, sha256=digest).first()
    if earlier is not None:
        raise ValidationError(
            f"Nothing was imported. This file was already imported as {earlier.filename} on "
            f"{timezone.localtime(earlier.uploaded_at):%d %B %Y}."
        )
    try:
        parsed = survey.read_tsm_survey(data, filename)
    except ValueError as exc:
        raise _as_validation(exc) from None
    # Respondents already in the year (from earlier waves), read once and compared here: a
    # 50,000-name IN list is more than SQLite takes.
    earlier_rows = dict(
        SurveyResponse.objects.filter(year=locked).values_list("respondent", "pk").iterator()
    )
    clashes = sorted({row.respondent for row in parsed.responses} & earlier_rows.keys())
    if clashes:
        clash = SurveyResponse.objects.select_related("upload").get(pk=earlier_rows[clashes[0]])
        raise ValidationError(
            f"Nothing was imported. Respondent '{clash.respondent}' is already in this year "
            f"(from {clash.upload.filename}, line {clash.line}). Each respondent may be "
            "counted once."
        )
    try:
        # A savepoint: the same file sent twice at once, or a respondent added by another
        # import a moment ago, meets the database's unique constraints here.
        with transaction.atomic():
            upload = SurveyUpload.objects.create(
                year=locked,
                filename=filename[:255],
                sha256=digest,
                responses=len(parsed.responses),
                uploaded_by=actor,
            )
            rows = [
                SurveyResponse(
                    year=locked,
                    upload=upload,
                    respondent=row.respondent,
                    line=row.line,
                    tenure=row.tenure,
                    answers=dict(row.answers),
                    weight=row.weight,
                    profile=dict(row.profile),
                    answered_on=row.date,
                )
                for row in parsed.responses
            ]
            SurveyResponse.objects.bulk_create(rows, batch_size=BATCH)
    except IntegrityError:
        raise ValidationError(
            "Nothing was imported. Someone imported this file, or answers from the same "
            "respondents, a moment ago: look at the year's files."
        ) from None
    audit_record(
        action="tsm.survey_imported",
        actor=actor,
        obj=locked,
        request=request,
        summary=f"{len(rows)} responses from {filename}",
    )
    return upload


@transaction.atomic
def survey_remove(*, upload: SurveyUpload, actor: User, request: HttpRequest | None = None) -> None:
    year = TsmYear.objects.select_for_update().get(pk=upload.year_id)
    _check_unpublished(year)
    count = upload.responses
    upload.delete()
    audit_record(
        action="tsm.survey_removed",
        actor=actor,
        obj=year,
        request=request,
        summary=f"{count} responses from {upload.filename}",
    )


@transaction.atomic
def weights_import(
    *,
    year: TsmYear,
    data: bytes,
    filename: str,
    actor: User | None,
    request: HttpRequest | None = None,
) -> list[WeightTarget]:
    """The landlord's weighting targets, replacing any before; refused unless the survey can
    be weighted to them."""
    from coproduce.tsm import selectors

    locked = TsmYear.objects.select_for_update().get(pk=year.pk)
    _check_unpublished(locked)
    try:
        weighting = calc.read_weights(data, filename)
        calc.respondent_weights(selectors.responses(locked), weighting)
    except ValueError as exc:
        raise ValidationError(f"The weights were not saved. {exc}") from None
    WeightTarget.objects.filter(year=locked).delete()
    scoped = {"": weighting.targets, **weighting.tenure_targets}
    targets = WeightTarget.objects.bulk_create(
        WeightTarget(
            year=locked,
            tenure=tenure,
            variable=variable,
            category=category,
            population_share=share,
        )
        for tenure, variables in sorted(scoped.items())
        for variable, shares in sorted(variables.items())
        for category, share in sorted(shares.items())
    )
    audit_record(
        action="tsm.weights_imported",
        actor=actor,
        obj=locked,
        request=request,
        summary=f"{len(targets)} targets from {filename}",
    )
    return targets


@transaction.atomic
def weights_clear(*, year: TsmYear, actor: User, request: HttpRequest | None = None) -> None:
    locked = TsmYear.objects.select_for_update().get(pk=year.pk)
    _check_unpublished(locked)
    WeightTarget.objects.filter(year=locked).delete()
    audit_record(action="tsm.weights_cleared", actor=actor, obj=locked, request=request)


def _spec(code: str, part: int | None) -> management.Spec:
    for spec in management.MANAGEMENT:
        if spec.code == code and spec.part == part:
            return spec
    raise ValidationError(f"{code} has no part {part}." if part else f"{code} is not a measure.")


@transaction.atomic
def figures_save(
    *,
    year: TsmYear,
    figures: Mapping[tuple[str, int | None], tuple[Decimal | None, Decimal | None]],
    actor: User | None,
    request: HttpRequest | None = None,
    source: str = "entered",
) -> int:
    """Management figures, each (code, part) -> (numerator, denominator). A pair left empty
    removes that figure; half a pair is refused."""
    locked = TsmYear.objects.select_for_update().get(pk=year.pk)
    _check_unpublished(locked)
    saved = 0
    for (code, part), (numerator, denominator) in sorted(
        figures.items(), key=lambda item: (item[0][0], item[0][1] or 0)
    ):
        spec = _spec(code, part)
        label = management.label(spec)
        if numerator is None and denominator is None:
            ManagementFigure.objects.filter(year=locked, code=code, part=part or 0).delete()
            continue
        if numerator is None or denominator is None:
            raise ValidationError(f"{label}: give both numbers, or neither.")
        try:
            management.management_result(spec, numerator, denominator)
        except ValueError as exc:
            raise ValidationError(f"{label}: {exc}") from None
        ManagementFigure.objects.update_or_create(
            year=locked,
            code=code,
            part=part or 0,
            defaults={"numerator": numerator, "denominator": denominator, "entered_by": actor},
        )
        saved += 1
    audit_record(
        action="tsm.figures_saved",
        actor=actor,
        obj=locked,
        request=request,
        summary=f"{saved} management figures {source}",
    )
    return saved


def figures_import(
    *,
    year: TsmYear,
    data: bytes,
    filename: str,
    actor: User | None,
    request: HttpRequest | None = None,
) -> int:
    try:
        rows = management.read_management_file(data, filename)
    except ValueError as exc:
        raise _as_validation(exc) from None
    return figures_save(
        year=year,
        figures={(row.code, row.part): (row.numerator, row.denominator) for row in rows},
        actor=actor,
        request=request,
        source=f"from {filename}",
    )


@transaction.atomic
def year_publish(*, year: TsmYear, actor: User, request: HttpRequest | None = None) -> TsmYear:
    from coproduce.tsm import selectors

    locked = TsmYear.objects.select_for_update().get(pk=year.pk)
    if locked.published_at is not None:
        return locked  # pressed twice: one clean outcome
    missing = selectors.missing_for_publication(locked)
    if missing:
        raise ValidationError("Not published yet. Still missing: " + "; ".join(missing) + ".")
    locked.published_at = timezone.now()
    locked.published_by = actor
    locked.save(update_fields=["published_at", "published_by", "updated_at"])
    audit_record(action="tsm.published", actor=actor, obj=locked, request=request)
    return locked


@transaction.atomic
def year_unpublish(*, year: TsmYear, actor: User, request: HttpRequest | None = None) -> TsmYear:
    locked = TsmYear.objects.select_for_update().get(pk=year.pk)
    if locked.published_at is None:
        return locked
    locked.published_at = None
    locked.published_by = None
    locked.save(update_fields=["published_at", "published_by", "updated_at"])
    audit_record(action="tsm.unpublished", actor=actor, obj=locked, request=request)
    return locked
