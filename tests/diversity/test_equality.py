import pytest
from django.urls import reverse

from coproduce.core.models import AuditEntry
from coproduce.diversity.models import EqualityConsent, EqualityRecord
from coproduce.people.models import Person
from tests.conftest import PERSONAS

ANSWERS = {
    "ethnicity": "asian_indian",
    "long_term_condition": "yes",
    "condition_impact": "a_little",
    "sex": "female",
    "gender_same_as_birth": "yes",
    "sexual_orientation": "straight",
    "religion": "hindu",
    "first_language_english": "no",
    "first_language": "Gujarati",
}


def test_a_tenant_answers_about_themselves_with_consent(login, users):
    client = login("alice")
    response = client.post(
        reverse("diversity:about_me"), {**ANSWERS, "statistics": "on", "outreach": "on"}
    )
    assert response.status_code == 302
    alice = Person.objects.get(user=users["alice"])
    record = EqualityRecord.objects.get(person=alice)
    assert record.ethnicity == "asian_indian"
    assert record.disabled == "yes"
    consent = EqualityConsent.objects.get(person=alice)
    assert consent.statistics and consent.outreach and "never be used" in consent.wording


def test_answers_without_any_consent_are_refused_and_nothing_is_kept(login, users):
    response = login("alice").post(reverse("diversity:about_me"), ANSWERS)
    assert response.status_code == 200
    assert b"Without your consent we keep nothing" in response.content
    assert not EqualityRecord.objects.exists()


def test_a_tenant_can_delete_their_answers(login, users):
    client = login("alice")
    client.post(reverse("diversity:about_me"), {**ANSWERS, "statistics": "on"})
    client.post(reverse("diversity:about_me_withdraw"))
    assert not EqualityRecord.objects.exists() and not EqualityConsent.objects.exists()


def test_staff_record_answers_by_phone_without_seeing_earlier_ones(login, users):
    bob = Person.objects.get(user=users["bob"])
    login("bob").post(reverse("diversity:about_me"), {**ANSWERS, "statistics": "on"})
    client = login("fiona")
    page = client.get(reverse("diversity:record_for_person", args=[bob.pk]))
    assert b"Gujarati" not in page.content
    response = client.post(
        reverse("diversity:record_for_person", args=[bob.pk]),
        {
            **ANSWERS,
            "ethnicity": "black_caribbean",
            "statistics": "on",
            "recorded_via": "phone",
            "consent_read_out": "on",
        },
    )
    assert response.status_code == 302
    consent = EqualityConsent.objects.get(person=bob)
    assert consent.recorded_via == "phone" and consent.recorded_by == users["fiona"]
    assert EqualityRecord.objects.get(person=bob).ethnicity == "black_caribbean"


@pytest.mark.parametrize("persona", sorted(PERSONAS))
def test_only_the_dpo_sees_a_persons_equality_answers(client, users, persona):
    bob = Person.objects.get(user=users["bob"])
    client.force_login(users["bob"])
    client.post(reverse("diversity:about_me"), {**ANSWERS, "statistics": "on"})
    client.force_login(users[persona])
    response = client.get(reverse("diversity:equality_record", args=[bob.pk]))
    assert response.status_code == (200 if persona == "dora" else 403)
    if persona == "dora":
        assert b"Indian" in response.content
        assert AuditEntry.objects.filter(action="equality.viewed").exists()


@pytest.mark.parametrize("persona", sorted(PERSONAS))
def test_who_may_record_answers_for_someone_else(client, users, persona):
    bob = Person.objects.get(user=users["bob"])
    client.force_login(users[persona])
    response = client.get(reverse("diversity:record_for_person", args=[bob.pk]))
    assert response.status_code == (200 if persona in {"carol", "fiona", "adam"} else 403)


def test_population_counts_are_validated(login):
    client = login("carol")
    response = client.post(
        reverse("diversity:population"),
        {"characteristic": "ethnicity", "category": "martian", "count": 5, "as_of": "2025-04-01"},
    )
    assert b"Use one of" in response.content
    response = client.post(
        reverse("diversity:population"),
        {
            "characteristic": "ethnicity",
            "category": "asian",
            "count": 500,
            "as_of": "2025-04-01",
            "source": "Tenant census",
        },
    )
    assert response.status_code == 302
