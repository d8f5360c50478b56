from django.urls import reverse

from coproduce.core.audit import audit_record


def test_data_protection_lead_can_search_the_log(login, users):
    audit_record(
        action="person.viewed", actor=users["carol"], object_id="42", summary="zebra-summary"
    )
    audit_record(
        action="person.updated", actor=users["fiona"], object_id="43", summary="walrus-summary"
    )
    client = login("dora")
    response = client.get(reverse("home:audit_log"), {"actor": "carol"})
    assert response.status_code == 200
    assert b"zebra-summary" in response.content
    assert b"walrus-summary" not in response.content
    response = client.get(reverse("home:audit_log"), {"object_id": "43"})
    assert b"walrus-summary" in response.content and b"zebra-summary" not in response.content


def test_a_bad_date_in_the_search_shows_an_error_not_a_crash(login):
    response = login("dora").get(reverse("home:audit_log"), {"date_from": "31/31/2020"})
    assert response.status_code == 200
    assert b"Enter a valid date" in response.content
