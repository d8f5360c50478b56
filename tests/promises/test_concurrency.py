"""Two people editing the same promise at once: one saves, the other is told and keeps
their text to merge. Nothing is lost."""

import threading

import pytest
from django.db import connection, connections
from django.urls import reverse

from coproduce.promises import services
from coproduce.promises.models import Promise


def test_the_second_of_two_simultaneous_edits_is_told_and_keeps_its_text(client, users, group):
    url = reverse("promises:promise", args=[group["promise"].pk])
    client.force_login(users["alice"])
    alice_version = client.get(url).context["form"].initial["version"]
    bob = client.__class__()
    bob.force_login(users["bob"])
    bob_version = bob.get(url).context["form"].initial["version"]
    assert alice_version == bob_version == 1
    saved = client.post(
        url,
        {
            "title": "Listen",
            "wording": "We will listen, always.",
            "in_practice": "",
            "version": alice_version,
        },
    )
    assert saved.status_code == 302
    refused = bob.post(
        url,
        {
            "title": "Listen",
            "wording": "We listen and we act.",
            "in_practice": "",
            "version": bob_version,
        },
    )
    assert refused.status_code == 200
    assert b"Someone changed this promise while you were editing" in refused.content
    assert b"We listen and we act." in refused.content  # their text is kept in the box
    assert b"We will listen, always." in refused.content  # beside the other person's
    promise = Promise.objects.get(pk=group["promise"].pk)
    assert promise.wording == "We will listen, always."
    # Bob merges and saves against the new version: both changes are now in the history.
    merged = bob.post(
        url,
        {
            "title": "Listen",
            "wording": "We will listen, always, and act.",
            "in_practice": "",
            "version": refused.context["form"].data["version"],
        },
    )
    assert merged.status_code == 302
    assert list(Promise.objects.get(pk=promise.pk).versions.values_list("wording", flat=True)) == [
        "We will listen to you.",
        "We will listen, always.",
        "We will listen, always, and act.",
    ]


@pytest.mark.django_db(transaction=True)
def test_real_concurrent_edits_on_postgresql_never_lose_one(users, group):
    if connection.vendor != "postgresql":
        pytest.skip("SQLite serialises writers; the race needs PostgreSQL's row locks")
    promise = group["promise"]
    results: list[str] = []
    barrier = threading.Barrier(2)

    def edit(text: str, person) -> None:
        try:
            barrier.wait()
            services.promise_edit(
                promise=promise,
                title="Listen",
                wording=text,
                in_practice="",
                expected_version=1,
                person=person,
                actor=None,
            )
            results.append("saved")
        except services.StaleEdit:
            results.append("stale")
        finally:
            connections.close_all()

    threads = [
        threading.Thread(target=edit, args=(f"Edit {i}", group["members"][i])) for i in range(2)
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(results) == ["saved", "stale"]
    assert Promise.objects.get(pk=promise.pk).version == 2
