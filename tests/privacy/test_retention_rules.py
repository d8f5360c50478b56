"""Each retention rule at its edges, on small data: the day before it is due, and the day it is."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from coproduce.accounts.models import User
from coproduce.accounts.roles import Role
from coproduce.core.models import AuditEntry
from coproduce.diversity.models import EqualityConsent, EqualityRecord
from coproduce.evaluation.models import EvidenceItem, EvidenceOriginal, HealthCheck
from coproduce.meetings.models import Attendance, Meeting
from coproduce.people.models import Interest, InterestStatus, Person
from coproduce.privacy.models import DataRequest, RequestKind, RequestStatus
from coproduce.privacy.retention import (
    AUDIT_ACTION,
    ledger_limit,
    retention_apply,
    retention_plan,
    tax_year_end,
)
from coproduce.projects.models import Project
from coproduce.promises.models import PromiseSet
from coproduce.rewards.models import LedgerEntry, RewardLine

LONDON = ZoneInfo("Europe/London")


def at(day: dt.date, hour: int = 10) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour), tzinfo=LONDON)


def planned(today: dt.date, *, logins: bool = False) -> dict[str, set[int]]:
    """What goes on `today`; the personas' logins (all unused) left out unless asked for."""
    found: dict[str, set[int]] = {}
    for removal in retention_plan(today=today):
        if removal.object_type == "accounts.user" and not logins:
            continue
        found.setdefault(removal.object_type, set()).update(removal.ids)
    return found


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def project(users) -> Project:
    return Project.objects.create(title="Repairs", purpose="Better repairs", owner=users["carol"])


def old_person(name: str, *, since: dt.date = dt.date(2019, 1, 1)) -> Person:
    person = Person.objects.create(first_name=name)
    Person.objects.filter(pk=person.pk).update(created_at=at(since))
    return Person.objects.get(pk=person.pk)


def answers(person: Person, *, given: dt.date = dt.date(2019, 1, 1)) -> EqualityRecord:
    EqualityConsent.objects.create(person=person, statistics=True, given_at=at(given))
    record = EqualityRecord.objects.create(person=person, ethnicity="white_british")
    EqualityRecord.objects.filter(pk=record.pk).update(updated_at=at(given))
    return record


# ---------------------------------------------------------------------------------------------
# Equality answers


def test_equality_answers_stay_three_years_after_the_last_session_and_go_the_day_after(
    users, project
):
    person = old_person("Maya")
    record = answers(person)
    meeting = Meeting.objects.create(
        project=project,
        title="Repairs group",
        channel="in_person",
        starts_at=at(dt.date(2023, 1, 10)),
        ends_at=at(dt.date(2023, 1, 10), 12),
    )
    Attendance.objects.create(meeting=meeting, person=person, took_part_via="in_person", minutes=90)
    last_kept = dt.date(2023, 1, 10) + dt.timedelta(days=3 * 365)
    assert planned(last_kept) == {}
    assert planned(last_kept + dt.timedelta(days=1)) == {
        "diversity.equalityrecord": {record.pk},
        "diversity.equalityconsent": {person.equality_consent.pk},
    }


def test_a_member_of_a_project_still_going_keeps_their_equality_answers(users, project):
    person = old_person("Maya")
    answers(person)
    project.members.create(person=person, joined_on=dt.date(2019, 2, 1))
    assert planned(dt.date(2030, 1, 1)) == {}
    project.status = "finished"
    project.save()
    assert set(planned(dt.date(2030, 1, 1))) == {
        "diversity.equalityrecord",
        "diversity.equalityconsent",
    }


def test_answers_given_recently_stay_even_with_no_other_involvement(db):
    person = old_person("Maya")
    answers(person, given=dt.date(2028, 6, 1))
    assert planned(dt.date(2030, 1, 1)) == {}


def test_restricted_people_and_people_with_an_open_request_keep_their_answers(db):
    restricted, asking = old_person("Rita"), old_person("Abe")
    answers(restricted)
    answers(asking)
    Person.objects.filter(pk=restricted.pk).update(processing_restricted=True)
    DataRequest.objects.create(
        kind=RequestKind.ACCESS,
        person=asking,
        received_on=dt.date(2029, 12, 1),
        due_on=dt.date(2030, 1, 1),
    )
    assert planned(dt.date(2030, 1, 1)) == {}


# ---------------------------------------------------------------------------------------------
# Sign-ups


def test_sign_ups_never_confirmed_go_after_six_months_and_confirmed_ones_stay(users):
    waiting = Interest.objects.create(name="Wanda Waiting", email="w@example.org")
    declined = Interest.objects.create(
        name="Dee Declined", status=InterestStatus.DECLINED, decided_at=at(dt.date(2026, 3, 1))
    )
    confirmed = Interest.objects.create(name="Connie", status=InterestStatus.CONFIRMED)
    Interest.objects.update(created_at=at(dt.date(2026, 1, 1)))
    assert planned(dt.date(2026, 7, 3)) == {}
    assert planned(dt.date(2026, 7, 4)) == {"people.interest": {waiting.pk}}
    # A declined sign-up counts from the day it was decided.
    last_kept = dt.date(2026, 3, 1) + dt.timedelta(days=183)
    assert planned(last_kept) == {"people.interest": {waiting.pk}}
    assert planned(last_kept + dt.timedelta(days=1)) == {
        "people.interest": {waiting.pk, declined.pk}
    }
    retention_apply(today=dt.date(2027, 1, 1))
    assert list(Interest.objects.values_list("pk", flat=True)) == [confirmed.pk]


def test_a_rule_set_to_zero_is_switched_off(users, settings):
    Interest.objects.create(name="Wanda Waiting")
    Interest.objects.update(created_at=at(dt.date(2020, 1, 1)))
    settings.RETENTION = {**settings.RETENTION, "sign_ups": 0}
    assert planned(dt.date(2030, 1, 1)) == {}


# ---------------------------------------------------------------------------------------------
# Evidence originals


def _original(users, *, stage: str, board_date: dt.date | None) -> EvidenceOriginal:
    project = Project.objects.create(title="Promises", purpose="p", owner=users["carol"])
    promise_set = PromiseSet.objects.create(project=project, title="Our promises")
    check = HealthCheck.objects.create(
        promise_set=promise_set, year=2026, title="Check", stage=stage, board_date=board_date
    )
    item = EvidenceItem.objects.create(
        health_check=check, kind="survey", source="s", gathered_on=dt.date(2026, 1, 1), text="x"
    )
    return EvidenceOriginal.objects.create(item=item, text="The original words")


def test_evidence_originals_go_a_year_after_the_report_goes_to_the_board(users):
    original = _original(users, stage="presented", board_date=dt.date(2026, 3, 25))
    assert planned(dt.date(2027, 3, 25)) == {}
    assert planned(dt.date(2027, 3, 26)) == {"evaluation.evidenceoriginal": {original.pk}}


def test_evidence_originals_stay_while_the_report_is_unpublished_or_has_no_board_date(users):
    _original(users, stage="judging", board_date=dt.date(2020, 3, 25))
    _original(users, stage="presented", board_date=None)
    assert planned(dt.date(2030, 1, 1)) == {}


# ---------------------------------------------------------------------------------------------
# Logins


def test_unused_logins_are_switched_off_never_deleted_and_the_last_admin_stays(users, client):
    User.objects.update(date_joined=at(dt.date(2026, 1, 1)))
    User.objects.filter(email="alice@example.org").update(last_login=at(dt.date(2026, 6, 1)))
    on = dt.date(2026, 1, 1) + dt.timedelta(days=91)
    staff = {u.pk for u in User.objects.exclude(role__in=[Role.TENANT, Role.SYSADMIN])}
    assert planned(on, logins=True) == {"accounts.user": staff}
    # Two years on, bob's login goes, alice's (used in June) not yet.
    later = dt.date(2028, 1, 2)
    assert planned(later, logins=True)["accounts.user"] == staff | {users["bob"].pk}
    retention_apply(today=later)
    assert User.objects.count() == 10
    assert User.objects.get(email="sam@example.org").is_active
    assert not User.objects.get(email="bob@example.org").is_active
    assert not client.login(username="bob@example.org", password="correct horse battery staple")
    assert client.login(username="alice@example.org", password="correct horse battery staple")


# ---------------------------------------------------------------------------------------------
# The ledger and the tax year


@pytest.mark.parametrize(
    ("day", "end"),
    [
        (dt.date(2026, 4, 5), dt.date(2026, 4, 5)),
        (dt.date(2026, 4, 6), dt.date(2027, 4, 5)),
        (dt.date(2026, 12, 31), dt.date(2027, 4, 5)),
        (dt.date(2027, 1, 1), dt.date(2027, 4, 5)),
    ],
)
def test_the_tax_year_ends_on_5_april(day, end):
    assert tax_year_end(day) == end


def test_a_payment_on_5_april_is_kept_six_tax_years_after_that_day():
    assert ledger_limit(dt.date(2033, 4, 5), 6) == dt.date(2026, 4, 5)
    assert ledger_limit(dt.date(2033, 4, 6), 6) == dt.date(2027, 4, 5)


def _paid_line(person: Person, project: Project, on: dt.date) -> LedgerEntry:
    line = RewardLine.objects.create(
        person=person,
        project=project,
        source_key=f"fixed:{on}",
        on=on,
        description="Session: Repairs group, with Maya's carer",
        form="voucher",
        voucher_kind="Shopping",
        warning="Near the benefit limit",
        amount=Decimal("25.00"),
        is_income=True,
    )
    return LedgerEntry.objects.create(
        line=line,
        person=person,
        kind="accrued",
        amount=Decimal("25.00"),
        is_income=True,
        on=on,
        note="Paid by hand to Maya at the centre",
    )


def test_ledger_detail_goes_after_six_tax_years_and_the_amounts_stay(users, project):
    person = old_person("Maya")
    entry = _paid_line(person, project, dt.date(2027, 4, 5))
    later = _paid_line(person, project, dt.date(2027, 4, 6))
    assert planned(dt.date(2033, 4, 5)) == {}
    assert planned(dt.date(2033, 4, 6)) == {
        "rewards.ledgerentry": {entry.pk},
        "rewards.rewardline": {entry.line_id},
    }
    retention_apply(today=dt.date(2033, 4, 6))
    entry = LedgerEntry.objects.get(pk=entry.pk)
    assert (entry.note, entry.amount, entry.kind, entry.on) == (
        "",
        Decimal("25.00"),
        "accrued",
        dt.date(2027, 4, 5),
    )
    line = RewardLine.objects.get(pk=entry.line_id)
    assert (line.description, line.warning, line.voucher_kind, line.amount) == (
        "Reward for time",
        "",
        "",
        Decimal("25.00"),
    )
    assert LedgerEntry.objects.get(pk=later.pk).note == "Paid by hand to Maya at the centre"
    # The ledger is still append-only for everybody else.
    with pytest.raises(ValueError, match="append-only"):
        entry.save()
    assert planned(dt.date(2034, 4, 6)) == {
        "rewards.ledgerentry": {later.pk},
        "rewards.rewardline": {later.line_id},
    }


# ---------------------------------------------------------------------------------------------
# Exports, files and the audit log


def test_a_finished_export_file_goes_30_days_after_the_request_closed_once_committed(
    users, media, django_capture_on_commit_callbacks
):
    person = old_person("Maya")
    name = default_storage.save("privacy/exports/maya.zip", ContentFile(b"zip"))
    request = DataRequest.objects.create(
        kind=RequestKind.ACCESS,
        person=person,
        received_on=dt.date(2026, 1, 2),
        due_on=dt.date(2026, 2, 2),
        status=RequestStatus.DONE,
        completed_at=at(dt.date(2026, 1, 10)),
        export_file=name,
    )
    assert planned(dt.date(2026, 2, 9)) == {}
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        retention_apply(today=dt.date(2026, 2, 10), actor=users["dora"])
    # The row is blanked at once; the file goes only when the transaction has committed.
    assert DataRequest.objects.get(pk=request.pk).export_file.name == ""
    assert default_storage.exists(name)
    for callback in callbacks:
        callback()
    assert not default_storage.exists(name)
    entry = AuditEntry.objects.get(action=AUDIT_ACTION)
    assert (entry.object_type, entry.object_id, entry.actor_email) == (
        "privacy.datarequest",
        str(request.pk),
        "dora@example.org",
    )
    assert "maya" not in entry.summary.lower()


@pytest.mark.django_db(transaction=True)
def test_two_runs_at_the_same_moment_remove_each_record_once():
    import threading
    import time

    from django.db import connection, connections
    from django.db.models.signals import post_delete

    if connection.vendor != "postgresql":
        pytest.skip("SQLite runs one writing transaction at a time; the race needs PostgreSQL")
    Interest.objects.bulk_create(Interest(name=f"Sign-up {n}") for n in range(50))
    Interest.objects.update(created_at=at(dt.date(2020, 1, 1)))
    barrier = threading.Barrier(2)
    results: list = []
    slow = threading.Event()

    def hold_the_first_run_open(**kwargs) -> None:
        # The first run to delete waits inside its transaction, so the second certainly
        # looks for the same rows while the first still holds them.
        if not slow.is_set():
            slow.set()
            time.sleep(1)

    post_delete.connect(hold_the_first_run_open, sender=Interest, dispatch_uid="slow-retention")

    def run() -> None:
        try:
            barrier.wait()
            results.append(retention_apply(today=dt.date(2021, 1, 1)))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    post_delete.disconnect(dispatch_uid="slow-retention", sender=Interest)
    assert not Interest.objects.exists()
    assert sum(r.count for done in results for r in done) == 50
    assert AuditEntry.objects.filter(action=AUDIT_ACTION).count() == 50


# ---------------------------------------------------------------------------------------------
# Messages


def test_messages_and_texts_go_a_year_after_but_not_while_waiting(users):
    from coproduce.messaging.models import InboundText, Message

    person = Person.objects.create(first_name="Mo", contact_consent=True)

    def message(key: str, status: str) -> Message:
        return Message.objects.create(
            key=key, kind="invitation", person=person, channel="text", status=status, body="Hi"
        )

    sent, waiting = message("old-sent", "delivered"), message("old-queued", "to_print")
    recent = message("recent", "delivered")
    Message.objects.filter(pk__in=[sent.pk, waiting.pk]).update(created_at=at(dt.date(2025, 1, 1)))
    Message.objects.filter(pk=recent.pk).update(created_at=at(dt.date(2026, 6, 1)))
    read = InboundText.objects.create(
        provider_id="a",
        from_number="+447700900123",
        body="YES",
        received_at=at(dt.date(2025, 1, 1)),
        status="matched",
    )
    InboundText.objects.create(
        provider_id="b",
        from_number="+447700900123",
        body="??",
        received_at=at(dt.date(2025, 1, 1)),
        status="waiting",
    )
    today = dt.date(2026, 12, 4)
    assert planned(today) == {"messaging.message": {sent.pk}, "messaging.inboundtext": {read.pk}}
    retention_apply(today=today)
    assert set(Message.objects.values_list("key", flat=True)) == {"old-queued", "recent"}
    assert list(InboundText.objects.values_list("provider_id", flat=True)) == ["b"]


def test_webhook_events_go_with_their_log_after_90_days_but_not_while_being_sent(db):
    from coproduce.webhooks.models import (
        DeliveryStatus,
        WebhookDelivery,
        WebhookEndpoint,
        WebhookEvent,
    )

    endpoint = WebhookEndpoint.objects.create(url="https://x.example/hook", kinds=[], secret="s")

    def event(day: dt.date, status: str) -> WebhookEvent:
        made = WebhookEvent.objects.create(kind="ping", payload={})
        WebhookEvent.objects.filter(pk=made.pk).update(created_at=at(day))
        WebhookDelivery.objects.create(endpoint=endpoint, event=made, status=status)
        return made

    old = event(dt.date(2026, 9, 4), DeliveryStatus.DELIVERED)
    old_failed = event(dt.date(2026, 9, 1), DeliveryStatus.FAILED)
    still_sending = event(dt.date(2026, 9, 1), DeliveryStatus.PENDING)
    kept = event(dt.date(2026, 9, 5), DeliveryStatus.DELIVERED)
    # 90 whole days: an event of 4 September is still there on 3 December, gone on 4 December.
    assert planned(dt.date(2026, 12, 3)) == {"webhooks.webhookevent": {old_failed.pk}}
    today = dt.date(2026, 12, 4)
    assert planned(today) == {"webhooks.webhookevent": {old.pk, old_failed.pk}}
    retention_apply(today=today)
    assert set(WebhookEvent.objects.values_list("pk", flat=True)) == {still_sending.pk, kept.pk}
    assert set(WebhookDelivery.objects.values_list("event_id", flat=True)) == {
        still_sending.pk,
        kept.pk,
    }
    assert AuditEntry.objects.filter(
        action=AUDIT_ACTION, object_type="webhooks.webhookevent", object_id=str(old.pk)
    ).exists()
