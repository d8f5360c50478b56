"""The register of data requests: who sees it, opening, closing, extending, reminders, and a
person asking from their own profile."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import transaction
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone

from coproduce.cli import main as coproduce_main
from coproduce.core.models import AuditEntry
from coproduce.privacy import services
from coproduce.privacy.models import DataRequest
from tests.conftest import PERSONAS

STAFF_NOT_LEAD = sorted(set(PERSONAS) - {"dora", "alice", "bob"})
NOT_LEAD = sorted(set(PERSONAS) - {"dora"})


def _date(text: str) -> dt.date:
    return dt.date.fromisoformat(text)


# Who may see it -----------------------------------------------------------------------------


@pytest.mark.parametrize("persona", NOT_LEAD)
def test_only_the_data_protection_lead_sees_the_register(
    client, users, alice, make_request, persona
):
    data_request = make_request(alice)
    client.force_login(users[persona])
    for url in (
        reverse("privacy:register"),
        reverse("privacy:open"),
        reverse("privacy:detail", args=[data_request.pk]),
    ):
        assert client.get(url).status_code == 403, url
    for name in ("privacy:close", "privacy:extend"):
        response = client.post(
            reverse(name, args=[data_request.pk]), {"status": "done", "note": "x", "months": 1}
        )
        assert response.status_code == 403
    data_request.refresh_from_db()
    assert data_request.status == "open"


def test_the_lead_sees_the_register_and_the_request(login, alice, make_request):
    data_request = make_request(alice)
    client = login("dora")
    assert b"Alice Example" in client.get(reverse("privacy:register")).content
    assert client.get(reverse("privacy:detail", args=[data_request.pk])).status_code == 200


def test_anonymous_is_sent_to_sign_in(client, db):
    assert client.get(reverse("privacy:register")).status_code == 302


def test_only_the_lead_has_data_requests_in_the_menu(login):
    assert b"Data requests" in login("dora").get(reverse("home:home")).content
    for persona in ("carol", "alice", "sam"):
        assert b"Data requests" not in login(persona).get(reverse("home:home")).content


# The register -------------------------------------------------------------------------------


def test_the_register_says_plainly_when_each_is_due(login, alice, bob, make_request):
    make_request(alice, days_ago=3)
    make_request(bob, days_ago=40)
    content = login("dora").get(reverse("privacy:register")).content.decode()
    assert re.search(r"Due in 2[5-8] days", content)
    assert re.search(r"Overdue by [0-9]+ days", content)
    assert "1 request due within 7 days or overdue" in content


def test_requests_due_within_a_week_are_highlighted(login, alice, make_request):
    make_request(alice, days_ago=25)
    content = login("dora").get(reverse("privacy:register")).content.decode()
    assert "govuk-tag--orange" in content
    assert "due within 7 days" in content


def test_closed_requests_are_listed_apart(login, alice, make_request):
    make_request(alice, status="done")
    client = login("dora")
    assert b"There are no open requests" in client.get(reverse("privacy:register")).content
    assert b"Alice Example" in client.get(reverse("privacy:register") + "?show=closed").content


def test_the_register_does_not_query_once_per_row(login, users, alice, bob, make_request):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = login("dora")
    make_request(alice)
    with CaptureQueriesContext(connection) as one:
        response = client.get(reverse("privacy:register"))
    assert response.status_code == 200
    make_request(bob)
    make_request(bob, kind="erasure")
    with CaptureQueriesContext(connection) as three:
        response = client.get(reverse("privacy:register"))
    assert response.status_code == 200
    assert len(three) == len(one)


# Opening a request --------------------------------------------------------------------------


def test_the_lead_finds_a_person_by_housing_reference(login, alice):
    response = login("dora").get(reverse("privacy:open"), {"q": "T-ALICE"})
    assert f"?person={alice.pk}".encode() in response.content


def test_the_lead_finds_a_person_by_name(login, alice):
    response = login("dora").get(reverse("privacy:open"), {"q": "alice exam"})
    assert f"?person={alice.pk}".encode() in response.content


def test_an_unknown_person_gives_a_clear_message(login, users):
    response = login("dora").get(reverse("privacy:open"), {"q": "T-NOBODY"})
    assert response.status_code == 200
    assert "We could not find anyone matching “T-NOBODY”" in response.content.decode()


def test_a_search_with_a_nul_or_line_break_is_refused_clearly(login, users):
    client = login("dora")
    response = client.get(reverse("privacy:open"), {"q": "Line1\nLine2"})
    assert response.status_code == 200
    assert b"Type it on one line" in response.content
    # A NUL byte never reaches the view: RefuseNulMiddleware answers with its own page.
    response = client.get(reverse("privacy:open"), {"q": "a\x00b"})
    assert response.status_code == 400
    assert b"NUL" in response.content


def test_the_lead_opens_a_request_due_one_calendar_month_later(login, alice):
    response = login("dora").post(
        reverse("privacy:open"),
        {"person": alice.pk, "kind": "access", "received_on": "2026-01-31", "notes": "By phone"},
    )
    data_request = DataRequest.objects.get()
    assert response.status_code == 302
    assert data_request.due_on == _date("2026-02-28")
    assert data_request.opened_by.email == "dora@example.org"
    assert AuditEntry.objects.filter(action="privacy.request_opened").count() == 1


def test_opening_for_a_person_who_does_not_exist_is_refused_clearly(login, users):
    response = login("dora").post(
        reverse("privacy:open"), {"person": 99999, "kind": "access", "received_on": "2026-01-31"}
    )
    assert response.status_code == 400
    assert b"We could not find that person" in response.content
    assert not DataRequest.objects.exists()


def test_choosing_an_unknown_person_id_says_so(login, users):
    response = login("dora").get(reverse("privacy:open"), {"person": "99999"})
    assert b"We could not find anyone" in response.content


def test_a_date_in_the_future_is_refused(login, alice):
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    response = login("dora").post(
        reverse("privacy:open"), {"person": alice.pk, "kind": "access", "received_on": tomorrow}
    )
    assert response.status_code == 400
    assert b"cannot be in the future" in response.content


def test_a_second_open_request_of_the_same_kind_is_refused_clearly(login, alice, make_request):
    make_request(alice)
    response = login("dora").post(
        reverse("privacy:open"),
        {"person": alice.pk, "kind": "access", "received_on": timezone.localdate()},
    )
    assert response.status_code == 400
    assert b"There is already an open request" in response.content
    assert DataRequest.objects.count() == 1


def test_a_different_kind_or_a_closed_one_does_not_block(users, alice, make_request):
    make_request(alice, kind="access", status="done")
    make_request(alice, kind="erasure")
    services.data_request_open(person=alice, kind="access", actor=users["dora"])
    assert DataRequest.objects.filter(status="open").count() == 2


def test_two_requests_at_the_same_moment_make_one_and_a_clear_message(users, alice, monkeypatch):
    # Both got past the friendly check before either was saved: the database rule decides.
    monkeypatch.setattr(QuerySet, "exists", lambda self: False)
    with transaction.atomic():
        services.data_request_open(person=alice, kind="access", actor=users["dora"])
        with pytest.raises(ValidationError, match="already an open request"):
            services.data_request_open(person=alice, kind="access", actor=users["dora"])
        # The savepoint kept the outer transaction usable.
        assert DataRequest.objects.count() == 1


# Notes: bad input ---------------------------------------------------------------------------


def _open(client, alice, notes: str):
    return client.post(
        reverse("privacy:open"),
        {"person": alice.pk, "kind": "access", "received_on": timezone.localdate(), "notes": notes},
    )


def test_notes_with_a_nul_byte_are_refused_clearly(login, alice):
    response = _open(login("dora"), alice, "before\x00after")
    assert response.status_code == 400
    assert b"hidden control character" in response.content
    assert not DataRequest.objects.exists()


def test_notes_with_line_breaks_are_kept(login, alice):
    response = _open(login("dora"), alice, "Line1\nLine2")
    assert response.status_code == 302
    assert DataRequest.objects.get().notes == "Line1\nLine2"


def test_a_hundred_kilobytes_of_notes_are_refused_clearly(login, alice):
    response = _open(login("dora"), alice, "x" * 100_000)
    assert response.status_code == 400
    assert b"at most 5,000 characters long; these are 100,000" in response.content
    assert not DataRequest.objects.exists()


# Closing and extending ----------------------------------------------------------------------


def test_the_lead_marks_a_request_done_with_a_note(login, alice, make_request):
    data_request = make_request(alice)
    response = login("dora").post(
        reverse("privacy:close", args=[data_request.pk]),
        {"status": "done", "note": "Sent by secure email"},
    )
    assert response.status_code == 302
    data_request.refresh_from_db()
    assert (data_request.status, data_request.outcome) == ("done", "Sent by secure email")
    assert data_request.completed_by.email == "dora@example.org"
    assert AuditEntry.objects.filter(action="privacy.request_closed").exists()


@pytest.mark.parametrize(
    ("note", "message"),
    [
        ("", b"This field is required"),
        ("a\x00b", b"hidden control character"),
        ("y" * 100_000, b"at most 5,000 characters"),
    ],
)
def test_closing_needs_a_clean_note(login, alice, make_request, note, message):
    data_request = make_request(alice)
    response = login("dora").post(
        reverse("privacy:close", args=[data_request.pk]), {"status": "refused", "note": note}
    )
    assert response.status_code == 400
    assert message in response.content
    data_request.refresh_from_db()
    assert data_request.status == "open"


def test_a_closed_request_cannot_be_closed_again(login, alice, make_request):
    data_request = make_request(alice, status="withdrawn")
    response = login("dora").post(
        reverse("privacy:close", args=[data_request.pk]), {"status": "done", "note": "again"}
    )
    assert response.status_code == 400
    assert b"already closed" in response.content


def test_the_deadline_can_be_extended_by_two_months_with_a_reason(login, alice, make_request):
    data_request = make_request(alice)
    received = data_request.received_on
    response = login("dora").post(
        reverse("privacy:extend", args=[data_request.pk]),
        {"months": 2, "reason": "Many records across years"},
    )
    assert response.status_code == 302
    data_request.refresh_from_db()
    assert data_request.due_on == services.calendar_months_after(received, 3)
    assert data_request.extended_reason == "Many records across years"


def test_the_deadline_cannot_go_beyond_three_months(login, alice, make_request):
    data_request = make_request(alice)
    client = login("dora")
    client.post(reverse("privacy:extend", args=[data_request.pk]), {"months": 2, "reason": "Big"})
    response = client.post(
        reverse("privacy:extend", args=[data_request.pk]), {"months": 1, "reason": "More"}
    )
    assert response.status_code == 400
    assert b"beyond three months" in response.content
    response = client.post(
        reverse("privacy:extend", args=[data_request.pk]), {"months": 3, "reason": "More"}
    )
    assert response.status_code == 400


def test_extending_needs_a_reason(login, alice, make_request):
    data_request = make_request(alice)
    response = login("dora").post(
        reverse("privacy:extend", args=[data_request.pk]), {"months": 1, "reason": ""}
    )
    assert response.status_code == 400
    data_request.refresh_from_db()
    assert not data_request.extended_reason


def test_calendar_months_keep_to_the_end_of_short_months():
    assert services.calendar_months_after(_date("2026-01-31"), 1) == _date("2026-02-28")
    assert services.calendar_months_after(_date("2026-01-31"), 3) == _date("2026-04-30")
    assert services.calendar_months_after(_date("2026-11-30"), 3) == _date("2027-02-28")
    assert services.calendar_months_after(_date("2027-12-15"), 2) == _date("2028-02-15")


# Reminders ----------------------------------------------------------------------------------


def test_opening_a_request_queues_a_reminder_that_emails_the_leads(
    users, alice, settings, django_capture_on_commit_callbacks
):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    received = timezone.localdate() - dt.timedelta(days=25)  # due within the week
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        data_request = services.data_request_open(
            person=alice, kind="access", received_on=received, actor=users["dora"]
        )
    assert len([c for c in callbacks if "_enqueue_reminder" in c.__qualname__]) == 1
    assert [m.to for m in mail.outbox] == [["dora@example.org"]]
    assert f"#{data_request.pk}" in mail.outbox[0].subject
    assert "Alice" not in mail.outbox[0].body  # the email names the request, not the person
    data_request.refresh_from_db()
    assert data_request.reminder_sent_on == timezone.localdate()


def test_a_reminder_is_not_sent_early(users, alice, make_request):
    data_request = make_request(alice, days_ago=0)
    assert services.data_request_send_reminder(data_request_id=data_request.pk) == 0
    assert mail.outbox == []


def test_a_reminder_is_sent_once_to_every_active_lead(users, alice, make_request):
    from tests.conftest import make_user

    make_user("dina", "data_protection")
    retired = make_user("dave", "data_protection")
    retired.is_active = False
    retired.save(update_fields=["is_active"])
    data_request = make_request(alice, days_ago=26)
    assert services.data_request_send_reminder(data_request_id=data_request.pk) == 2
    assert sorted(m.to[0] for m in mail.outbox) == ["dina@example.org", "dora@example.org"]
    assert services.data_request_send_reminder(data_request_id=data_request.pk) == 0
    assert len(mail.outbox) == 2
    assert AuditEntry.objects.filter(action="privacy.reminder_sent").count() == 1


def test_no_reminder_for_a_closed_request(users, alice, make_request):
    data_request = make_request(alice, days_ago=26, status="done")
    assert services.data_request_send_reminder(data_request_id=data_request.pk) == 0
    assert mail.outbox == []


def test_extending_the_deadline_allows_a_fresh_reminder(users, alice, make_request):
    data_request = make_request(alice, days_ago=26, reminder_sent_on=timezone.localdate())
    services.data_request_extend(
        data_request=data_request, months=1, reason="Complex", actor=users["dora"]
    )
    data_request.refresh_from_db()
    assert data_request.reminder_sent_on is None
    later = data_request.due_on - dt.timedelta(days=3)
    assert services.data_request_send_reminder(data_request_id=data_request.pk, on=later) == 1


def test_the_reminder_command_sends_the_due_ones(users, alice, bob, make_request, capsys):
    make_request(alice, days_ago=26)
    make_request(bob, days_ago=1)
    call_command("send_data_request_reminders")
    assert "Reminded about 1 request." in capsys.readouterr().out
    assert coproduce_main(["dpo", "remind"]) == 0
    assert "Reminded about 0 requests." in capsys.readouterr().out
    assert len(mail.outbox) == 1


# The person asks ----------------------------------------------------------------------------


def test_a_tenant_asks_for_a_copy_from_their_profile(login, alice):
    client = login("alice")
    response = client.post(reverse("privacy:ask"), {"kind": "access"}, follow=True)
    data_request = DataRequest.objects.get()
    assert (data_request.person, data_request.kind) == (alice, "access")
    assert data_request.asked_by_person
    content = response.content.decode()
    assert f"We will reply by {data_request.due_on:%-d %B %Y}" in content
    assert f"You asked for a copy of your data on {data_request.received_on:%-d %B %Y}" in content
    assert "Ask for a copy of my data" not in content


def test_a_tenant_asks_to_be_erased_which_opens_an_erasure_request(login, alice):
    login("alice").post(reverse("privacy:ask"), {"kind": "erasure"})
    assert DataRequest.objects.get().kind == "erasure"


def test_a_tenant_asking_twice_is_told_when_they_asked(login, alice, make_request):
    make_request(alice, days_ago=3)
    response = login("alice").post(reverse("privacy:ask"), {"kind": "access"}, follow=True)
    assert b"You already asked for this on" in response.content
    assert DataRequest.objects.count() == 1


def test_a_tenant_cannot_ask_for_restriction_or_nonsense(login, alice):
    client = login("alice")
    response = client.post(reverse("privacy:ask"), {"kind": "restriction"}, follow=True)
    assert b"Choose what you are asking for" in response.content
    # A NUL byte is refused for every form by RefuseNulMiddleware, with its own clear page.
    response = client.post(reverse("privacy:ask"), {"kind": "x\x00"})
    assert response.status_code == 400
    assert b"NUL" in response.content
    assert not DataRequest.objects.exists()


def test_a_tenant_sees_only_their_own_requests(login, alice, bob, make_request):
    make_request(bob, days_ago=2)
    content = login("alice").get(reverse("people:my_profile")).content.decode()
    assert "You asked" not in content
    assert "Ask for a copy of my data" in content


@pytest.mark.parametrize("persona", STAFF_NOT_LEAD + ["dora"])
def test_staff_cannot_use_the_tenants_ask_page(client, users, persona):
    client.force_login(users[persona])
    assert client.post(reverse("privacy:ask"), {"kind": "access"}).status_code == 403
    assert not DataRequest.objects.exists()


def test_asking_needs_a_post(login, alice):
    assert login("alice").get(reverse("privacy:ask")).status_code == 405


@pytest.mark.django_db(transaction=True)
def test_two_leads_opening_the_same_request_at_once_end_with_one(users, alice):
    """Really at once, on PostgreSQL: one request is created, the other gets the message."""
    import threading

    from django.db import connection, connections

    if connection.vendor != "postgresql":
        pytest.skip("needs a database that runs two writers at once (PostgreSQL)")
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def open_one() -> None:
        try:
            barrier.wait(timeout=10)
            services.data_request_open(person=alice, kind="access", actor=users["dora"])
            outcomes.append("opened")
        except ValidationError as exc:
            outcomes.append(exc.messages[0])
        finally:
            connections.close_all()

    threads = [threading.Thread(target=open_one) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert outcomes.count("opened") == 1
    assert any("already an open request" in o for o in outcomes)
    assert DataRequest.objects.count() == 1
