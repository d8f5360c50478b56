"""Erasure: one transaction, refused cleanly when it must not run, every link covered."""

from __future__ import annotations

import datetime as dt
import threading
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections
from django.test import TestCase
from django.urls import reverse

from coproduce.accounts.models import User
from coproduce.core.models import AuditEntry
from coproduce.diversity.models import EqualityConsent, EqualityRecord
from coproduce.meetings.models import Attendance, CalendarFeed
from coproduce.people.models import Interest, Person
from coproduce.privacy import erasure
from coproduce.privacy.erasure import RULES, end_of_tax_year, erasure_plan, person_erase
from coproduce.privacy.links import person_links
from coproduce.privacy.models import DataRequest, RequestKind, RequestStatus
from coproduce.promises.models import Comment, Proposal
from coproduce.rewards.models import LineStatus, RewardLine
from coproduce.stories.models import JournalEntry, JournalFile, Story

from .conftest import open_request


def test_every_link_to_a_person_has_an_erasure_rule():
    labels = {link.label for link in person_links()}
    missing = sorted(labels - set(RULES))
    assert not missing, f"Links with no erasure rule: {missing}"
    assert not sorted(set(RULES) - labels), "Rules for links that no longer exist"


def test_every_rule_says_why_in_plain_words():
    for label, rule in RULES.items():
        assert rule.reason.strip().endswith("."), label
        assert rule.what in {
            erasure.DELETED,
            erasure.WORDS_REMOVED,
            erasure.PSEUDONYM,
            erasure.BY_LAW,
            erasure.OTHERS,
        }


def test_tax_years_end_on_5_april():
    assert end_of_tax_year(dt.date(2025, 4, 5)) == dt.date(2025, 4, 5)
    assert end_of_tax_year(dt.date(2025, 4, 6)) == dt.date(2026, 4, 5)
    assert end_of_tax_year(dt.date(2026, 1, 1)) == dt.date(2026, 4, 5)


def test_the_plan_lists_what_goes_and_what_stays_by_law(involved_alice):
    plan = erasure_plan(person=involved_alice["person"])
    goes = {item.link: item for item in plan.goes}
    stays = {item.link: item for item in plan.stays}
    assert goes["diversity.equalityrecord.person"].count == 1
    assert goes["stories.story.storyteller"].count == 1
    assert goes["stories.journalentry.author"].count == 1
    assert stays["rewards.rewardline.person"].what == erasure.BY_LAW
    assert "HMRC" in stays["rewards.rewardline.person"].reason
    assert plan.can_erase


def test_erasure_removes_identifying_details_and_keeps_what_the_law_needs(
    involved_alice, users, media
):
    alice = involved_alice["person"]
    photo = JournalFile.objects.get().file.path
    assert Path(photo).exists()
    request = open_request(alice)
    with TestCase.captureOnCommitCallbacks(execute=True):
        person_erase(request=request, actor=users["dora"])

    alice.refresh_from_db()
    assert alice.full_name == alice.pseudonym
    assert alice.pseudonym.startswith("Erased person ")
    assert (alice.email, alice.phone, alice.postcode, alice.address) == ("", "", "", "")
    assert alice.date_of_birth == dt.date(1980, 7, 1)  # the year only, for age totals
    assert alice.external_ref is None
    assert alice.erased_at is not None and not alice.contact_consent
    assert alice.area is not None  # kept for area totals
    login = User.objects.get(pk=users["alice"].pk)
    assert not login.is_active and not login.has_usable_password()
    assert "alice" not in login.email and login.full_name == alice.pseudonym
    # Gone.
    assert not EqualityRecord.objects.filter(person=alice).exists()
    assert not EqualityConsent.objects.filter(person=alice).exists()
    assert not Interest.objects.filter(email__iexact="alice@example.org").exists()
    assert not CalendarFeed.objects.exists()
    assert not Story.objects.exists()
    assert not JournalEntry.objects.exists() and not Path(photo).exists()
    # Words removed, their name masked in other people's words, records kept.
    assert Proposal.objects.get().reason == ""
    texts = sorted(Comment.objects.values_list("text", flat=True))
    assert texts == ["(Comment removed)", "I agree with [name]."]
    assert Attendance.objects.filter(person=alice).count() == 1
    assert RewardLine.objects.filter(person=alice).count() == 1
    # The request is done with a plain outcome; the audit entry holds no personal values.
    request.refresh_from_db()
    assert request.status == RequestStatus.DONE and request.completed_by == users["dora"]
    assert "Kept:" in request.outcome and "HMRC" in request.outcome
    entry = AuditEntry.objects.get(action="privacy.person_erased")
    assert entry.actor == users["dora"] and f"#{request.pk}" in entry.summary
    assert "Alice" not in entry.summary and "example.org" not in entry.summary


def test_erasure_with_unpaid_rewards_is_refused_and_changes_nothing(involved_alice, users):
    alice = involved_alice["person"]
    RewardLine.objects.filter(person=alice).update(status=LineStatus.APPROVED)
    request = open_request(alice)
    with pytest.raises(ValidationError, match="not paid yet"):
        person_erase(request=request, actor=users["dora"])
    alice.refresh_from_db()
    assert alice.full_name == "Alice Example" and alice.erased_at is None
    assert EqualityRecord.objects.filter(person=alice).exists()
    assert Story.objects.exists()
    request.refresh_from_db()
    assert request.status == RequestStatus.OPEN
    assert not AuditEntry.objects.filter(action="privacy.person_erased").exists()


def test_a_request_that_is_not_an_open_erasure_request_is_refused(alice, users):
    access = open_request(alice, kind=RequestKind.ACCESS)
    with pytest.raises(ValidationError, match="not a request to erase"):
        person_erase(request=access, actor=users["dora"])
    done = open_request(alice, status=RequestStatus.WITHDRAWN)
    with pytest.raises(ValidationError, match="withdrawn, not open"):
        person_erase(request=done, actor=users["dora"])
    alice.refresh_from_db()
    assert alice.erased_at is None


def test_erasing_someone_twice_one_after_the_other_is_refused_the_second_time(alice, users):
    first = open_request(alice)
    person_erase(request=first, actor=users["dora"])
    with pytest.raises(ValidationError, match="not open"):
        person_erase(request=first, actor=users["dora"])
    second = open_request(alice)
    with pytest.raises(ValidationError, match="already been erased"):
        person_erase(request=second, actor=users["dora"])
    second.refresh_from_db()
    assert second.status == RequestStatus.OPEN
    assert AuditEntry.objects.filter(action="privacy.person_erased").count() == 1


@pytest.mark.django_db(transaction=True)
def test_two_erasures_of_the_same_person_at_once_end_in_one_erasure_and_one_message(users):
    if connection.vendor != "postgresql":
        pytest.skip("SQLite serialises writers; the race needs PostgreSQL's row locks")
    alice = users["alice"].person
    requests = [open_request(alice)]
    # A second request of the same kind cannot be open at once: the second copy comes from
    # the web page and the command line acting on the same request at the same moment.
    requests.append(DataRequest.objects.get(pk=requests[0].pk))
    results: list[str] = []
    barrier = threading.Barrier(2)

    def erase(data_request) -> None:
        try:
            barrier.wait()
            person_erase(request=data_request, actor=users["dora"])
            results.append("erased")
        except ValidationError as error:
            results.append(error.messages[0])
        finally:
            connections.close_all()

    threads = [threading.Thread(target=erase, args=(r,)) for r in requests]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(results) == 2 and results.count("erased") == 1
    refused = next(r for r in results if r != "erased")
    assert refused == "This request is done, not open: nothing was done."
    assert AuditEntry.objects.filter(action="privacy.person_erased").count() == 1
    assert Person.objects.get(pk=alice.pk).erased_at is not None


# The review page -----------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["alice", "carol", "fiona", "adam", "frank", "brenda", "sam"])
def test_only_the_data_protection_lead_can_open_the_erasure_page(login, alice, name):
    request = open_request(alice)
    url = reverse("privacy:erasure_review", args=[request.pk])
    assert login(name).get(url).status_code == 403
    assert login(name).post(url).status_code == 403
    alice.refresh_from_db()
    assert alice.erased_at is None


def test_signed_out_visitors_are_sent_to_sign_in(client, alice):
    request = open_request(alice)
    response = client.get(reverse("privacy:erasure_review", args=[request.pk]))
    assert response.status_code == 302 and "login" in response["Location"]


def test_the_lead_sees_the_plan_then_confirms_and_sees_the_outcome(login, involved_alice):
    alice = involved_alice["person"]
    request = open_request(alice)
    url = reverse("privacy:erasure_review", args=[request.pk])
    client = login("dora")
    page = client.get(url)
    assert page.status_code == 200
    html = page.content.decode()
    assert "What will go" in html and "What must stay, and why" in html
    assert "Equality answers" in html and "HMRC" in html
    assert "Erase this person now" in html
    done = client.post(url, follow=True)
    assert done.status_code == 200
    html = done.content.decode()
    assert "has been erased" in html and "What was done" in html
    alice.refresh_from_db()
    assert alice.erased_at is not None
    assert "Alice Example" not in html


def test_the_page_shows_why_it_cannot_erase_and_has_no_button(login, involved_alice):
    alice = involved_alice["person"]
    RewardLine.objects.filter(person=alice).update(status=LineStatus.TO_REVIEW)
    request = open_request(alice)
    url = reverse("privacy:erasure_review", args=[request.pk])
    page = login("dora").get(url).content.decode()
    assert "You cannot erase this person yet" in page and "not paid yet" in page
    assert "Erase this person now" not in page
    response = login("dora").post(url, follow=True)
    assert "not paid yet" in response.content.decode()
    alice.refresh_from_db()
    assert alice.erased_at is None


def test_an_unknown_request_is_not_found(login, users):
    assert login("dora").get(reverse("privacy:erasure_review", args=[999])).status_code == 404
