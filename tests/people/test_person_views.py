from django.urls import reverse

from coproduce.core.models import AuditEntry
from coproduce.people.models import Person


def _valid(**overrides):
    data = {
        "first_name": "Grace",
        "last_name": "Okafor",
        "email": "grace@example.org",
        "phone": "07700 900123",
        "address": "1 Mill Lane",
        "postcode": "NF1 2AB",
        "area": "",
        "scheme": "",
        "tenure": "general_needs",
        "date_of_birth": "1990-02-03",
        "external_ref": "RH-9",
        "preferred_channels": ["online", "phone"],
        "availability": ["weekday_evening"],
        "accessibility_needs": "",
        "language_needs": "",
        "caring_responsibilities": "yes",
        "digital_access": "online",
        "reward_preference": "voucher",
        "contact_consent": "on",
        "involvement": "active",
    }
    data.update(overrides)
    return data


def test_coordinator_adds_a_person(login):
    response = login("carol").post(reverse("people:create"), _valid())
    person = Person.objects.get(external_ref="RH-9")
    assert response["Location"] == reverse("people:detail", args=[person.pk])
    assert person.preferred_channels == ["online", "phone"]
    assert person.contact_consent_at is not None
    assert AuditEntry.objects.filter(action="person.created", object_id=str(person.pk)).exists()


def test_a_bad_date_is_explained_and_nothing_is_saved(login):
    response = login("carol").post(reverse("people:create"), _valid(date_of_birth="31/02/1990"))
    assert response.status_code == 200
    assert b"Enter a valid date" in response.content
    assert not Person.objects.filter(external_ref="RH-9").exists()


def test_editing_records_changed_field_names_not_values(login, users):
    bob = Person.objects.get(user=users["bob"])
    client = login("fiona")
    page = client.get(reverse("people:edit", args=[bob.pk]))
    version = page.context["form"].initial["version"]
    data = _valid(first_name="Robert", external_ref=bob.external_ref, version=version)
    response = client.post(reverse("people:edit", args=[bob.pk]), data)
    assert response.status_code == 302
    entry = AuditEntry.objects.get(action="person.updated")
    assert "first_name" in entry.summary
    assert "Robert" not in entry.summary


def test_two_people_editing_at_once_do_not_lose_a_change(login, users):
    bob = Person.objects.get(user=users["bob"])
    client = login("carol")
    version = client.get(reverse("people:edit", args=[bob.pk])).context["form"].initial["version"]
    first = _valid(first_name="Robert", external_ref=bob.external_ref, version=version)
    assert client.post(reverse("people:edit", args=[bob.pk]), first).status_code == 302
    second = _valid(first_name="Bobby", external_ref=bob.external_ref, version=version)
    response = client.post(reverse("people:edit", args=[bob.pk]), second)
    assert response.status_code == 200
    assert b"Someone else changed this record" in response.content
    bob.refresh_from_db()
    assert bob.first_name == "Robert"


def test_tenant_sees_and_edits_their_own_profile(login, users):
    client = login("alice")
    assert b"Alice" in client.get(reverse("people:my_profile")).content
    response = client.post(
        reverse("people:my_profile_edit"),
        {
            "email": "alice@example.org",
            "phone": "01234 567890",
            "preferred_channels": ["paper"],
            "availability": ["weekend"],
            "accessibility_needs": "Large print",
            "language_needs": "",
            "caring_responsibilities": "no",
            "digital_access": "none",
            "reward_preference": "donation",
            "contact_consent": "on",
        },
    )
    assert response.status_code == 302
    alice = Person.objects.get(user=users["alice"])
    assert alice.preferred_channels == ["paper"]
    assert alice.reward_preference == "donation"


def test_tenant_cannot_change_their_reference_or_tenure(login, users):
    client = login("alice")
    client.post(
        reverse("people:my_profile_edit"),
        {
            "external_ref": "HACKED",
            "tenure": "leasehold",
            "email": "alice@example.org",
            "reward_preference": "",
            "caring_responsibilities": "",
            "digital_access": "",
        },
    )
    alice = Person.objects.get(user=users["alice"])
    assert alice.external_ref == "T-ALICE"
    assert alice.tenure == "general_needs"


def test_people_list_searches_by_name_and_counts_queries(
    login, users, django_assert_max_num_queries
):
    client = login("carol")
    for i in range(30):
        Person.objects.create(first_name=f"P{i}", last_name="Zed")
    with django_assert_max_num_queries(8):
        response = client.get(reverse("people:list"), {"q": "Zed"})
    assert response.status_code == 200
    assert response.context["page"].paginator.count == 30


def test_people_list_returns_only_the_results_for_htmx(login, users):
    response = login("carol").get(reverse("people:list"), HTTP_HX_REQUEST="true")
    assert b"<html" not in response.content
    assert b'id="results"' in response.content
