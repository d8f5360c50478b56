import csv
import io
from collections import Counter

import pytest
from django.urls import reverse

from coproduce.core.models import AuditEntry
from coproduce.diversity import selectors, services
from coproduce.diversity.models import EqualityConsent, OutreachList, QuickQuestion
from coproduce.meetings.models import Invitation
from tests.diversity.conftest import add_person


def test_outreach_finds_people_never_involved_from_an_unheard_group(world):
    found = set(
        selectors.outreach_candidates(
            characteristic="ethnicity", category="black", involvement="never"
        )
    )
    assert found == set(world["people"][72:100])


def test_outreach_by_equality_data_uses_only_outreach_consent(world):
    person = world["people"][80]
    EqualityConsent.objects.filter(person=person).update(outreach=False)
    found = set(selectors.outreach_candidates(characteristic="ethnicity", category="black"))
    assert person not in found
    # Without equality data in the criteria, they can still be invited like anyone else.
    assert person in set(
        selectors.outreach_candidates(characteristic="area", category=str(world["south"].pk))
    )


def test_outreach_respects_contact_consent(world):
    person = world["people"][90]
    person.contact_consent = False
    person.save()
    assert person not in set(selectors.outreach_candidates())


def test_a_list_is_audited_invited_in_one_step_and_exported_without_equality_data(login, world):
    client = login("carol")
    response = client.post(
        reverse("diversity:outreach"),
        {"group": "carer:yes", "involvement": "never", "channel": "", "availability": ""},
    )
    outreach = OutreachList.objects.get()
    assert response["Location"] == reverse("diversity:outreach_list", args=[outreach.pk])
    assert outreach.people.count() == 28
    assert AuditEntry.objects.filter(action="outreach.list_created").exists()
    from django.utils import timezone

    meeting = world["meeting"]
    meeting.starts_at = timezone.now() + timezone.timedelta(days=7)
    meeting.ends_at = meeting.starts_at + timezone.timedelta(hours=2)
    meeting.save()
    client.post(reverse("diversity:outreach_list", args=[outreach.pk]), {"meeting": meeting.pk})
    assert Invitation.objects.filter(meeting=meeting).count() == 28
    export = client.get(reverse("diversity:outreach_export", args=[outreach.pk]))
    rows = list(csv.reader(io.StringIO(export.content.decode())))
    assert len(rows) == 29
    assert "ethnicity" not in ",".join(rows[0])
    assert AuditEntry.objects.filter(action="outreach.list_exported").exists()


@pytest.mark.parametrize(
    "persona,code",
    [("alice", 403), ("fiona", 403), ("brenda", 403), ("dora", 403), ("adam", 200), ("carol", 200)],
)
def test_who_may_build_outreach_lists(login, world, persona, code):
    assert login(persona).get(reverse("diversity:outreach")).status_code == code


def test_stratified_sample_keeps_the_pools_mix():
    pool = [(i, "a" if i < 600 else "b" if i < 900 else "c") for i in range(1000)]
    chosen = services.stratified_sample(pool, 30, seed=1)
    mix = Counter("a" if i < 600 else "b" if i < 900 else "c" for i in chosen)
    assert len(chosen) == 30
    assert mix == {"a": 18, "b": 9, "c": 3}
    assert services.stratified_sample(pool, 30, seed=1) == chosen


def test_a_quick_question_to_30_matches_the_pool_and_takes_phone_answers(login, world, users):
    for n in range(100, 140):
        add_person(n, area=world["north"], ethnicity="asian_pakistani", channels=("online",))
    client = login("carol")
    response = client.post(
        reverse("diversity:quick_questions"),
        {
            "project": world["project"].pk,
            "title": "Bins",
            "question_1": "Are bins collected?",
            "question_2": "",
            "question_3": "",
            "sample_size": 30,
            "strata": ["ethnicity"],
        },
    )
    question = QuickQuestion.objects.get()
    assert response["Location"] == reverse("diversity:quick_question", args=[question.pk])
    recipients = list(question.recipients.select_related("person__equality"))
    assert len(recipients) == 30
    pool = Counter(
        k.split("|")[0] for _, k, _ in selectors.quick_question_pool(strata=["ethnicity"])
    )
    sample = Counter(selectors.ethnic_group(r.person.equality.ethnicity) for r in recipients)
    for group, n in pool.items():
        expected = 30 * n / sum(pool.values())
        assert abs(sample[group] - expected) <= 1, (group, sample[group], expected)
    phone = next(r for r in recipients if r.channel == "phone")
    web = next(r for r in recipients if r.channel == "email")
    client.post(
        reverse("diversity:quick_answer_on_behalf", args=[phone.pk]),
        {"answer_1": "No, every other week", "recorded_via": "phone"},
    )
    client.logout()
    client.post(reverse("diversity:quick_answer_public", args=[web.token]), {"answer_1": "Yes"})
    page = login("carol").get(reverse("diversity:quick_question", args=[question.pk]))
    assert b"No, every other week" in page.content and b"Yes" in page.content
    assert b"written down by" in page.content


def test_a_bad_token_is_a_404_not_an_error(client, db):
    assert client.get("/diversity/ask/r/nope/").status_code == 404


def test_an_answer_on_someones_behalf_says_how_and_refuses_an_unknown_way(login, world, users):
    client = login("carol")
    client.post(
        reverse("diversity:quick_questions"),
        {
            "project": world["project"].pk,
            "title": "Bins",
            "question_1": "Are bins collected?",
            "question_2": "",
            "question_3": "",
            "sample_size": 5,
            "strata": ["ethnicity"],
        },
    )
    recipient = QuickQuestion.objects.get().recipients.first()
    url = reverse("diversity:quick_answer_on_behalf", args=[recipient.pk])

    page = client.get(url)
    assert b'type="radio"' in page.content and b"How did they answer?" in page.content

    refused = client.post(url, {"answer_1": "Yes", "recorded_via": "carrier pigeon"})
    assert refused.status_code == 200
    assert b"Select a valid choice" in refused.content
    recipient.refresh_from_db()
    assert not recipient.answered_at

    client.post(url, {"answer_1": "Yes", "recorded_via": "paper"})
    recipient.refresh_from_db()
    assert recipient.answered_at and recipient.recorded_via == "paper"
