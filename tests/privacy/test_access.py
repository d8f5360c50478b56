"""Subject access: the ZIP of everything held about one person, its coverage, web and CLI."""

from __future__ import annotations

import io
import json
import re
import zipfile

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from coproduce.cli import main as coproduce_main
from coproduce.core.models import AuditEntry
from coproduce.people.models import Interest, Person
from coproduce.privacy import access
from coproduce.privacy.links import person_links
from tests.conftest import PERSONAS


def _zip(data: bytes) -> zipfile.ZipFile:
    return zipfile.ZipFile(io.BytesIO(data))


def _area(zf: zipfile.ZipFile, area: str) -> dict:
    return json.loads(zf.read(f"{area}.json").decode("utf-8"))


def _entries(body: dict) -> int:
    return sum(len(v) for k, v in body.items() if isinstance(v, list))


# Coverage -----------------------------------------------------------------------------------


def test_every_link_to_a_person_is_exported_or_explained(db):
    labels = {link.label for link in person_links()}
    declared = set(access.EXPORTED) | set(access.NOT_ABOUT_SUBJECT)
    forgotten = sorted(labels - declared)
    assert not forgotten, (
        "These links to a person or login are neither exported nor explained in "
        f"privacy/access.py (EXPORTED or NOT_ABOUT_SUBJECT): {forgotten}"
    )


def test_coverage_lists_no_link_that_does_not_exist_and_none_twice(db):
    labels = {link.label for link in person_links()}
    assert set(access.EXPORTED) <= labels
    assert set(access.NOT_ABOUT_SUBJECT) <= labels
    assert not set(access.EXPORTED) & set(access.NOT_ABOUT_SUBJECT)


def test_every_exported_link_names_a_real_area():
    assert set(access.EXPORTED.values()) <= set(access.AREAS)
    assert set(access.GATHERERS) == set(access.AREAS)


def test_every_explanation_is_written_out():
    assert all(len(reason) > 20 for reason in access.NOT_ABOUT_SUBJECT.values())


def test_a_person_with_data_everywhere_gets_an_entry_in_every_area(users, alice, involve):
    involve(alice)
    zf = _zip(access.subject_access_export(person=alice, actor=users["dora"]))
    names = set(zf.namelist())
    assert {"summary.html", "summary.pdf", "README.txt"} <= names
    empty = [a for a in access.AREAS if _entries(_area(zf, a)) == 0]
    assert empty == [], f"areas with no entry: {empty}"
    # And every section that has a source in the data builder is filled, not just the area.
    empty_sections = [
        f"{a}.{section}"
        for a in access.AREAS
        for section, rows in _area(zf, a).items()
        if isinstance(rows, list) and not rows
    ]
    assert empty_sections == []


# Content ------------------------------------------------------------------------------------


def test_the_json_is_utf8_with_iso_dates_and_money_as_strings(users, alice, involve):
    Person.objects.filter(pk=alice.pk).update(first_name="Zoë")
    alice.refresh_from_db()
    involve(alice)
    zf = _zip(access.subject_access_export(person=alice, actor=users["dora"]))
    profile = zf.read("profile.json").decode("utf-8")
    assert "Zoë" in profile
    person = json.loads(profile)["person"][0]
    assert person["date_of_birth"] == "1980-05-01"
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d.*[+-]\d\d:\d\d", person["created_at"])
    rewards = _area(zf, "rewards")
    assert rewards["reward_lines"][0]["amount"] == "12.50"
    assert rewards["expense_claims"][0]["amount"] == "4.20"
    assert rewards["ledger"][0]["amount"] == "12.50"


def test_consents_come_with_their_wording_and_evidence_with_its_original(users, alice, involve):
    involve(alice)
    zf = _zip(access.subject_access_export(person=alice, actor=users["dora"]))
    equality = _area(zf, "equality")
    assert "never be used to make any other decision" in equality["consent"][0]["wording"]
    assert equality["answers"][0]["ethnicity_label"].startswith("English, Welsh")
    evidence = _area(zf, "evaluation")["evidence"][0]
    assert evidence["text"] == "[name] said the lift is broken"
    assert evidence["original_text"] == "Maureen said the lift is broken"
    story = _area(zf, "stories")["stories"][0]
    assert story["consent_label"].startswith("Private")
    assert story["answers"][0]["text"] == "Hard at first"


def test_sign_ups_are_found_by_email_as_well_as_by_link(users, alice):
    Interest.objects.create(name="A. Example", email="ALICE@example.org", message="by email")
    Interest.objects.create(name="Alice", person=alice, email="", message="by link")
    Interest.objects.create(name="Someone", email="someone@example.org", message="not hers")
    zf = _zip(access.subject_access_export(person=alice, actor=users["dora"]))
    messages = sorted(s["message"] for s in _area(zf, "signups")["signups"])
    assert messages == ["by email", "by link"]


def test_another_persons_data_is_not_in_the_copy(users, alice, bob, involve):
    involve(bob)
    data = access.subject_access_export(person=alice, actor=users["dora"])
    zf = _zip(data)
    for name in zf.namelist():
        if name.endswith(".json") or name == "summary.html":
            assert "bob@example.org" not in zf.read(name).decode("utf-8"), name
    assert _entries(_area(zf, "sessions")) == 0


def test_secrets_and_staff_logins_are_left_out(users, alice, involve):
    involve(alice)
    zf = _zip(access.subject_access_export(person=alice, actor=users["dora"]))
    feed = _area(zf, "profile")["calendar_feed"][0]
    assert "token" not in feed
    everything = "".join(zf.read(n).decode("utf-8") for n in zf.namelist() if n.endswith(".json"))
    assert "carol@example.org" not in everything
    assert "password" not in everything


def test_the_summary_is_self_contained_plain_html(users, alice, involve):
    involve(alice)
    zf = _zip(access.subject_access_export(person=alice, actor=users["dora"]))
    html = zf.read("summary.html").decode("utf-8")
    assert "The information we hold about Alice Example" in html
    assert "<script" not in html
    assert not re.search(r"""(src|href)=["']?(https?:)?//""", html)
    assert zf.read("summary.pdf").startswith(b"%PDF")
    assert "Dates and times are in UK time" in zf.read("README.txt").decode("utf-8")


def test_the_export_does_not_query_once_per_row(users, alice, bob, involve):
    involve(alice, sessions=1)
    with CaptureQueriesContext(connection) as few:
        access.gather(alice)
    involve(bob, sessions=12)
    with CaptureQueriesContext(connection) as many:
        access.gather(bob)
    assert len(many) == len(few)


def test_making_a_copy_is_audited(users, alice):
    access.subject_access_export(person=alice, actor=users["dora"])
    entry = AuditEntry.objects.get(action="privacy.export_made")
    assert entry.actor == users["dora"]
    assert (entry.object_type, entry.object_id) == ("people.person", str(alice.pk))


def test_audit_entries_about_them_or_by_their_login_are_included(users, alice, bob):
    from coproduce.core.audit import audit_record

    audit_record(action="person.viewed", actor=users["carol"], obj=alice)
    audit_record(action="login.succeeded", actor=users["alice"], summary="Signed in")
    audit_record(action="person.viewed", actor=users["carol"], obj=bob)
    zf = _zip(access.subject_access_export(person=alice, actor=users["dora"]))
    entries = _area(zf, "audit")["entries"]
    assert sorted(e["action"] for e in entries) == ["login.succeeded", "person.viewed"]
    viewed = next(e for e in entries if e["action"] == "person.viewed")
    assert viewed["by"] == "a member of staff"


# On the web ---------------------------------------------------------------------------------


def test_the_lead_makes_and_downloads_the_copy_and_both_are_audited(
    login, alice, make_request, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    data_request = make_request(alice)
    client = login("dora")
    response = client.post(reverse("privacy:export", args=[data_request.pk]), follow=True)
    assert b"ready to download" in response.content
    data_request.refresh_from_db()
    assert data_request.export_file.name.startswith("privacy/exports/")
    response = client.get(reverse("privacy:export_download", args=[data_request.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    zf = _zip(b"".join(response.streaming_content))
    assert "profile.json" in zf.namelist()
    actions = set(AuditEntry.objects.values_list("action", flat=True))
    assert {"privacy.export_made", "privacy.export_stored", "privacy.export_downloaded"} <= actions


def test_making_the_copy_again_keeps_only_the_latest(
    login, alice, make_request, settings, tmp_path, django_capture_on_commit_callbacks
):
    settings.MEDIA_ROOT = tmp_path
    data_request = make_request(alice)
    client = login("dora")
    client.post(reverse("privacy:export", args=[data_request.pk]))
    data_request.refresh_from_db()
    first = data_request.export_file.name
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("privacy:export", args=[data_request.pk]))
    data_request.refresh_from_db()
    # Names carry the second; if both land in the same second the storage renames the new one.
    assert data_request.export_file.name != first
    assert not (tmp_path / first).exists()
    assert (tmp_path / data_request.export_file.name).exists()


def test_an_erasure_request_has_no_copy_to_make(login, alice, make_request):
    data_request = make_request(alice, kind="erasure")
    response = login("dora").post(reverse("privacy:export", args=[data_request.pk]), follow=True)
    assert b"Only a request for a copy of their data has an export" in response.content


def test_download_before_a_copy_is_made_is_not_found(login, alice, make_request):
    data_request = make_request(alice)
    response = login("dora").get(reverse("privacy:export_download", args=[data_request.pk]))
    assert response.status_code == 404


@pytest.mark.parametrize("persona", sorted(set(PERSONAS) - {"dora"}))
def test_only_the_lead_makes_or_downloads_copies(
    client, users, alice, make_request, settings, tmp_path, persona
):
    settings.MEDIA_ROOT = tmp_path
    data_request = make_request(alice)
    client.force_login(users["dora"])
    client.post(reverse("privacy:export", args=[data_request.pk]))
    client.force_login(users[persona])
    # Even alice, whose data it is: she gets it from the lead, after checks.
    assert client.post(reverse("privacy:export", args=[data_request.pk])).status_code == 403
    download = reverse("privacy:export_download", args=[data_request.pk])
    assert client.get(download).status_code == 403
    assert not AuditEntry.objects.filter(action="privacy.export_downloaded").exists()


def test_anonymous_download_goes_to_sign_in(client, alice, make_request):
    data_request = make_request(alice)
    response = client.get(reverse("privacy:export_download", args=[data_request.pk]))
    assert response.status_code == 302


# On the command line ------------------------------------------------------------------------


def test_cli_export_writes_the_zip_audited_as_the_system(alice, tmp_path, capsys):
    out = tmp_path / "alice.zip"
    assert coproduce_main(["dpo", "export", "--person", "T-ALICE", "--out", str(out)]) == 0
    assert "profile.json" in _zip(out.read_bytes()).namelist()
    entry = AuditEntry.objects.get(action="privacy.export_made")
    assert entry.actor is None and entry.object_id == str(alice.pk)
    assert "Wrote" in capsys.readouterr().out


def test_cli_export_of_an_unknown_person_exits_2_with_one_line(users, tmp_path, capsys):
    out = tmp_path / "x.zip"
    assert coproduce_main(["dpo", "export", "--person", "NOPE", "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "no person with housing reference 'NOPE'" in err
    assert not out.exists()


def test_cli_export_to_a_folder_that_does_not_exist_exits_2(users, tmp_path, capsys):
    out = tmp_path / "missing" / "x.zip"
    assert coproduce_main(["dpo", "export", "--person", "T-ALICE", "--out", str(out)]) == 2
    assert "cannot write" in capsys.readouterr().err


def test_cli_export_needs_its_options(capsys):
    assert coproduce_main(["dpo", "export"]) == 2
    assert "required" in capsys.readouterr().err
    assert coproduce_main(["dpo", "export", "--help"]) == 0
    assert "--person EXTERNAL_REF" in capsys.readouterr().out
    assert coproduce_main(["dpo", "--help"]) == 0
