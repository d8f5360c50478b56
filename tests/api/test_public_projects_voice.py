"""Projects and decisions, what is already public, and whose voice (suppressed totals only)."""

from __future__ import annotations

import pytest
from django.utils import timezone

from coproduce.api.tokens import token_create
from coproduce.diversity.models import EqualityConsent, EqualityRecord
from coproduce.evaluation.models import Judgement, Stage
from coproduce.meetings.models import Attendance
from coproduce.people.models import Person
from coproduce.promises.models import Promise
from tests.api.conftest import ApiClient
from tests.support.world import build_world


@pytest.fixture
def world(db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return build_world()


def client(world, *scopes: str) -> ApiClient:
    sam = world["users"]["sam"]
    made = token_create(
        name="Site", kind="service", owner=sam, scopes=list(scopes), days=30, created_by=sam
    )
    return ApiClient(made.secret)


def test_projects_and_you_said_we_did(world):
    decision = world["decision"]
    decision.tenant_views = "You said meetings were too far apart."
    decision.feedback = "We now meet monthly."
    decision.save()
    reader = client(world, "sessions:read")
    projects = reader.get("/api/v1/projects/").json()["items"]
    assert world["project"].pk in [p["id"] for p in projects]
    one = reader.get(f"/api/v1/projects/{world['project'].pk}").json()
    assert one["title"] == "Customer promises"
    decisions = reader.get(f"/api/v1/decisions/?project_id={world['project'].pk}").json()
    [shown] = decisions["items"]
    assert shown["you_said"] == "You said meetings were too far apart."
    assert shown["we_did"] == "We now meet monthly."
    assert shown["decided_by"] == "together"
    later = reader.get("/api/v1/decisions/?decided_since=2030-01-01").json()
    assert later["items"] == []
    assert client(world, "public:read").get("/api/v1/projects/").status_code == 403


def test_only_published_promises_are_public(world):
    Promise.objects.create(
        promise_set=world["promise_set"], title="Dropped", wording="x", position=2, dropped=True
    )
    sets = client(world, "public:read").get("/api/v1/public/promises").json()
    assert [s["id"] for s in sets] == [world["promise_set"].pk]  # not the draft set
    assert [p["title"] for p in sets[0]["promises"]] == ["Listen"]  # not the dropped one


def test_a_health_check_is_public_once_presented(world):
    check = world["check"]
    reader = client(world, "public:read")
    assert reader.get("/api/v1/public/health-checks").json() == []
    Judgement.objects.create(
        health_check=check,
        promise=world["promise"],
        rating="amber",
        narrative="Partly kept.",
        improve="Call back.",
    )
    check.stage = Stage.PRESENTED
    check.save()
    world["recommendation"].board_agreed = "yes"
    world["recommendation"].save()
    [shown] = reader.get("/api/v1/public/health-checks").json()
    assert shown["id"] == check.pk and shown["stage"] == "presented"
    [judgement] = shown["judgements"]
    assert judgement["rating"] == "amber"
    assert judgement["rating_label"] == "Amber: partly kept"
    assert judgement["in_our_words"] == "Partly kept."
    [recommendation] = shown["recommendations"]
    assert recommendation["board_agreed"] == "yes"
    assert recommendation["actions"][0]["description"] == "Set up call-backs"
    # Evidence never leaves: no quotes, no evidence text anywhere in the answer.
    assert "Repairs were slow." not in str(shown)


def test_only_published_tsm_years_are_public(world):
    years = client(world, "public:read").get("/api/v1/public/tsm").json()
    assert [y["label"] for y in years] == ["2024/25"]  # not the draft 2025/26
    assert years[0]["page"] == "/tsm/results/2024-25/"
    measures = {f["measure"] for f in years[0]["figures"]}
    assert {"HOMES", "SAMPLE"} <= measures


def test_voice_gives_suppressed_totals_and_never_a_person(world, settings):
    # Twenty-one participants: ten White British, ten Indian, and one of a mixed background,
    # who must not be shown (nor one group of ten, which would give the one away).
    meeting = world["meeting"]
    area = world["alice_person"].area
    for n in range(21):
        person = Person.objects.create(first_name=f"P{n}", area=area)
        ethnicity = "white_british" if n < 10 else "asian_indian" if n < 20 else "mixed_white_asian"
        EqualityRecord.objects.create(person=person, ethnicity=ethnicity)
        EqualityConsent.objects.create(person=person, statistics=True, given_at=timezone.now())
        Attendance.objects.create(
            meeting=meeting, person=person, took_part_via="in_person", minutes=60
        )
    body = client(world, "voice:read").get("/api/v1/voice/").json()
    ethnicity = next(c for c in body["characteristics"] if c["key"] == "ethnicity")
    counts = {g["code"]: g["participants"] for g in ethnicity["groups"]}
    assert counts["white_british"] == 10
    assert counts["mixed"] is None and counts["asian"] is None
    assert all(value is None or value == 0 or value >= 5 for value in counts.values())
    assert body["participants"] is not None
    assert "P20" not in str(body)
    backwards = "/api/v1/voice/?start=2026-02-01&end=2026-01-01"
    assert client(world, "voice:read").get(backwards).status_code == 400
    assert client(world, "people:read").get("/api/v1/voice/").status_code == 403
