import time

from django.core import signing
from django.urls import reverse

from coproduce.people.forms import GetInvolvedForm
from coproduce.people.models import Interest, InterestStatus, Person

URL = "/people/get-involved/"


def _token(seconds_ago: int, monkeypatch) -> str:
    now = time.time()
    monkeypatch.setattr(signing.time, "time", lambda: now - seconds_ago)
    token = GetInvolvedForm.new_start_token()
    monkeypatch.setattr(signing.time, "time", lambda: now)
    return token


def _data(token, **overrides):
    data = {
        "name": "Pat Jones",
        "email": "pat@example.org",
        "phone": "",
        "postcode": "nf1 1aa",
        "preferred_channels": ["phone", "paper"],
        "availability": ["weekend"],
        "reward_preference": "voucher",
        "message": "I care about repairs.",
        "contact_consent": "on",
        "website": "",
        "started": token,
    }
    data.update(overrides)
    return data


def test_a_person_who_takes_a_minute_is_accepted(client, db, monkeypatch):
    response = client.post(URL, _data(_token(60, monkeypatch)))
    assert response.status_code == 302
    interest = Interest.objects.get()
    assert interest.preferred_channels == ["phone", "paper"]
    assert interest.postcode == "NF1 1AA"
    assert interest.status == InterestStatus.NEW


def test_a_bot_filling_every_field_instantly_is_refused(client, db, monkeypatch):
    response = client.post(URL, _data(_token(0, monkeypatch), website="http://spam.example"))
    assert response.status_code == 400
    assert b"we could not accept your form" in response.content
    assert Interest.objects.count() == 0


def test_an_instant_post_without_the_honeypot_is_refused(client, db, monkeypatch):
    response = client.post(URL, _data(_token(1, monkeypatch)))
    assert response.status_code == 400
    assert Interest.objects.count() == 0


def test_a_forged_start_time_is_refused(client, db):
    response = client.post(URL, _data("start:1:forged"))
    assert response.status_code == 400
    assert Interest.objects.count() == 0


def test_a_hundred_posts_from_one_address_are_throttled(client, db, monkeypatch):
    token = _token(120, monkeypatch)
    codes = [
        client.post(URL, _data(token, name=f"Person {i}"), REMOTE_ADDR="203.0.113.9").status_code
        for i in range(100)
    ]
    assert codes[:5] == [302] * 5
    assert set(codes[5:]) == {429}
    assert Interest.objects.count() == 5
    # Another address is not affected.
    assert client.post(URL, _data(token), REMOTE_ADDR="203.0.113.10").status_code == 302


def test_missing_contact_details_are_explained(client, db, monkeypatch):
    response = client.post(URL, _data(_token(60, monkeypatch), email="", phone=""))
    assert response.status_code == 200
    assert b"Give us an email address or a phone number" in response.content
    assert Interest.objects.count() == 0


def test_garbage_input_never_causes_a_server_error(client, db, monkeypatch):
    token = _token(60, monkeypatch)
    for data in (
        {},
        {"started": token, "preferred_channels": ["nonsense"]},
        {"started": token, "name": "x" * 5000, "email": "not-an-email"},
        {"started": "\x00\x01", "name": "caf\u00e9 \u202e"},
    ):
        assert client.post(URL, data).status_code in (200, 400)


def test_coordinator_confirms_a_sign_up_into_the_pool(login, users):
    interest = Interest.objects.create(
        name="Pat van Jones",
        email="pat@example.org",
        preferred_channels=["phone"],
        contact_consent=True,
    )
    response = login("carol").post(
        reverse("people:interest_decide", args=[interest.pk]), {"decision": "confirm"}
    )
    assert response.status_code == 302
    person = Person.objects.get(email="pat@example.org")
    assert (person.first_name, person.last_name) == ("Pat van", "Jones")
    assert person.involvement == "active"
    interest.refresh_from_db()
    assert interest.status == InterestStatus.CONFIRMED and interest.person == person


def test_a_sign_up_cannot_be_confirmed_twice(login, users):
    interest = Interest.objects.create(name="Pat Jones", email="pat@example.org")
    client = login("adam")
    url = reverse("people:interest_decide", args=[interest.pk])
    client.post(url, {"decision": "confirm"})
    response = client.post(url, {"decision": "confirm"}, follow=True)
    assert b"already been dealt with" in response.content
    assert Person.objects.filter(email="pat@example.org").count() == 1
