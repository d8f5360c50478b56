"""The retention page is the data-protection lead's alone: the plan, today's dry run, Remove now."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from coproduce.core.models import AuditEntry
from coproduce.people.models import Interest
from tests.conftest import PERSONAS

URL = "/privacy/retention/"


@pytest.fixture
def overdue(db) -> Interest:
    interest = Interest.objects.create(name="Wanda Waiting", email="wanda@example.org")
    Interest.objects.update(created_at=dt.datetime(2020, 1, 1, tzinfo=dt.UTC))
    return interest


def test_the_page_has_its_name():
    assert reverse("privacy:retention") == URL


@pytest.mark.parametrize("persona", sorted(PERSONAS))
def test_only_the_data_protection_lead_can_open_the_page(login, persona):
    response = login(persona).get(URL)
    assert response.status_code == (200 if persona == "dora" else 403)


@pytest.mark.parametrize("persona", sorted(set(PERSONAS) - {"dora"}))
def test_nobody_else_can_remove_anything(login, overdue, persona):
    assert login(persona).post(URL).status_code == 403
    assert Interest.objects.filter(pk=overdue.pk).exists()
    assert not AuditEntry.objects.filter(action__startswith="retention.").exists()


def test_anonymous_is_sent_to_sign_in(client, db):
    response = client.get(URL)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))
    assert client.post(URL).status_code == 302


def test_the_lead_sees_the_schedule_and_what_would_go_today(login, overdue):
    response = login("dora").get(URL)
    page = response.content.decode()
    assert "Equality answers" in page
    assert "3 years" in page and "6 tax years" in page and "90 days" in page
    assert "1 record would be removed" in page
    assert f"#{overdue.pk}" in page
    # Ids only: the page is not another copy of the data it lists.
    assert "Wanda" not in page and "wanda@example.org" not in page
    assert "Remove now" in page
    assert "No nightly run is waiting" in page
    assert Interest.objects.filter(pk=overdue.pk).exists()


def test_remove_now_removes_what_is_due_and_is_audited_as_the_lead(login, overdue, users):
    response = login("dora").post(URL, follow=True)
    assert response.redirect_chain[-1][0] == URL
    assert "1 record removed" in response.content.decode()
    assert not Interest.objects.filter(pk=overdue.pk).exists()
    removed = AuditEntry.objects.get(action="retention.remove")
    assert (removed.object_type, removed.object_id, removed.actor) == (
        "people.interest",
        str(overdue.pk),
        users["dora"],
    )
    assert AuditEntry.objects.get(action="retention.run").actor == users["dora"]
    assert "Nothing is due to be removed today" in response.content.decode()


def test_remove_now_with_nothing_due_says_so(login, db):
    response = login("dora").post(URL, follow=True)
    assert "Nothing was due to be removed today" in response.content.decode()


def test_the_page_shows_when_the_next_nightly_run_is(login, db):
    from coproduce.privacy.retention_tasks import retention_schedule_start

    retention_schedule_start()
    assert "The next nightly run is at 02:30" in login("dora").get(URL).content.decode()
