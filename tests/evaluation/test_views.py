"""One view per operation: each takes a valid post, shows an invalid one again with the error
beside the field (and changes nothing), and refuses a persona who may not use it."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from coproduce.core.text import SINGLE_LINE_MESSAGE
from coproduce.evaluation import services
from coproduce.evaluation.models import (
    Action,
    Coding,
    Evaluator,
    EvidenceItem,
    HealthCheck,
    Judgement,
    Recommendation,
    Theme,
)
from coproduce.people.models import Person


def _shows_error(response, field_id: str, message: str = "") -> None:
    """The page came back (200) with the summary and the error beside the field."""
    html = response.content.decode()
    assert response.status_code == 200
    assert "govuk-error-summary" in html
    assert f'id="{field_id}-error"' in html
    assert f'href="#{field_id}"' in html
    if message:
        assert message in html


def _item(check, users, text="Repairs are slow.") -> EvidenceItem:
    return services.evidence_add(
        check=check,
        kind="interview",
        source="Interview",
        text=text,
        gathered_on=dt.date(2026, 5, 1),
        person=None,
        actor=users["carol"],
    )


@pytest.fixture
def themes(check, users):
    first = Theme.objects.create(health_check=check, label="Slow repairs")
    second = Theme.objects.create(health_check=check, label="Damp")
    items = [_item(check, users, f"Note {n} about repairs.") for n in range(3)]
    for item in items:
        Coding.objects.create(item=item, theme=first)
    return {"first": first, "second": second, "items": items}


# The plan and the evaluators ------------------------------------------------------------------


def test_an_evaluator_saves_the_plan(login, check):
    url = reverse("evaluation:plan_save", args=[check.pk])
    response = login("alice").post(url, {"stage": "gathering", "plan_people": "Repairs team"})
    assert response.status_code == 302
    assert HealthCheck.objects.get(pk=check.pk).plan_people == "Repairs team"


def test_a_plan_with_a_bad_date_is_shown_again_and_not_saved(login, check):
    url = reverse("evaluation:plan_save", args=[check.pk])
    response = login("carol").post(
        url, {"stage": "gathering", "plan_people": "Everyone", "starts_on": "soon"}
    )
    _shows_error(response, "id_starts_on", "Enter a valid date.")
    assert HealthCheck.objects.get(pk=check.pk).plan_people == ""


def test_the_board_cannot_change_the_plan(login, check):
    url = reverse("evaluation:plan_save", args=[check.pk])
    assert login("brenda").post(url, {"stage": "gathering"}).status_code == 403


def test_the_coordinator_adds_an_evaluator(login, users, check):
    bob = Person.objects.get(user=users["bob"])
    client = login("carol")
    page = client.get(reverse("evaluation:check", args=[check.pk])).content.decode()
    assert f'<option value="{bob.pk}">Bob Example</option>' in page
    response = client.post(reverse("evaluation:evaluator_add", args=[check.pk]), {"person": bob.pk})
    assert response.status_code == 302
    assert Evaluator.objects.filter(health_check=check, person=bob).exists()


def test_an_evaluator_from_outside_the_project_is_refused_beside_the_field(login, check):
    outsider = Person.objects.create(first_name="Out", last_name="Sider")
    response = login("carol").post(
        reverse("evaluation:evaluator_add", args=[check.pk]), {"person": outsider.pk}
    )
    _shows_error(response, "id_person", "Choose a person from the project.")
    assert not Evaluator.objects.filter(person=outsider).exists()


def test_an_evaluator_cannot_add_evaluators(login, users, check):
    bob = Person.objects.get(user=users["bob"])
    response = login("alice").post(
        reverse("evaluation:evaluator_add", args=[check.pk]), {"person": bob.pk}
    )
    assert response.status_code == 403
    assert not Evaluator.objects.filter(person=bob).exists()


# Evidence -------------------------------------------------------------------------------------

NOTE = {
    "note-kind": "interview",
    "note-source": "Interview with the repairs manager",
    "note-gathered_on": "2026-05-01",
    "note-text": "We aim for 28 days.",
}


def test_an_evaluator_adds_a_note(login, check):
    response = login("alice").post(reverse("evaluation:evidence_note", args=[check.pk]), NOTE)
    assert response.status_code == 302
    assert EvidenceItem.objects.get(health_check=check).source == NOTE["note-source"]


@pytest.mark.parametrize(
    ("source", "message"),
    [
        ("", "This field is required."),
        ("Interview\nwith a tenant", SINGLE_LINE_MESSAGE),
        ("x" * 100_000, "Ensure this value has at most 300 characters"),
    ],
)
def test_a_bad_source_is_shown_beside_the_field_and_nothing_is_added(login, check, source, message):
    response = login("alice").post(
        reverse("evaluation:evidence_note", args=[check.pk]), {**NOTE, "note-source": source}
    )
    _shows_error(response, "id_note-source", message)
    assert not EvidenceItem.objects.exists()


def test_a_nul_in_the_source_gets_the_clear_400_page_and_nothing_is_added(login, check):
    response = login("alice").post(
        reverse("evaluation:evidence_note", args=[check.pk]),
        {**NOTE, "note-source": "Inter\x00view"},
    )
    assert response.status_code == 400
    assert "a character we cannot store" in response.content.decode()
    assert not EvidenceItem.objects.exists()


def test_the_evidence_search_finds_by_words_and_source(login, check):
    client = login("alice")
    client.post(reverse("evaluation:evidence_note", args=[check.pk]), NOTE)
    client.post(
        reverse("evaluation:evidence_note", args=[check.pk]),
        {**NOTE, "note-kind": "observation", "note-text": "The bins were missed again."},
    )
    url = reverse("evaluation:evidence", args=[check.pk])
    assert "2 items." in client.get(url).content.decode()
    by_words = client.get(url, {"q": "bins"}).content.decode()
    assert "1 items." in by_words and "The bins were missed again." in by_words
    by_source = client.get(url, {"kind": "interview"}).content.decode()
    assert "1 items." in by_source and "We aim for 28 days." in by_source
    assert 'value="interview" selected' in by_source
    unknown = client.get(url, {"kind": "gossip", "q": "x" * 5000})
    assert unknown.status_code == 200
    assert "Select a valid choice" in unknown.content.decode()


@pytest.mark.parametrize("name", ["evidence_note", "evidence_import", "evidence_tsm"])
def test_the_board_cannot_add_evidence(login, check, name):
    response = login("brenda").post(reverse(f"evaluation:{name}", args=[check.pk]), NOTE)
    assert response.status_code == 403
    assert not EvidenceItem.objects.exists()


def test_an_empty_tsm_file_is_shown_beside_the_field(login, check):
    from django.core.files.uploadedfile import SimpleUploadedFile

    response = login("alice").post(
        reverse("evaluation:evidence_tsm", args=[check.pk]),
        {"tsm-file": SimpleUploadedFile("tsm.csv", b"")},
    )
    _shows_error(response, "id_tsm-file", "file is empty.")


# Themes ---------------------------------------------------------------------------------------


def test_an_evaluator_accepts_and_discards_themes(login, check, themes):
    client = login("alice")
    for name, theme, status in (
        ("theme_accept", themes["first"], "accepted"),
        ("theme_discard", themes["second"], "discarded"),
    ):
        response = client.post(reverse(f"evaluation:{name}", args=[check.pk, theme.pk]))
        assert response.status_code == 302
        theme.refresh_from_db()
        assert theme.status == status


@pytest.mark.parametrize(
    "name", ["theme_accept", "theme_discard", "theme_rename", "theme_merge", "theme_split"]
)
def test_staff_cannot_decide_themes(login, check, themes, name):
    theme = themes["first"]
    response = login("carol").post(
        reverse(f"evaluation:{name}", args=[check.pk, theme.pk]),
        {f"rename-{theme.pk}-label": "Other", "split-label": "New"},
    )
    assert response.status_code == 403
    theme.refresh_from_db()
    assert theme.status == "proposed" and theme.label == "Slow repairs"


def test_an_evaluator_renames_a_theme(login, check, themes):
    theme = themes["first"]
    url = reverse("evaluation:theme_rename", args=[check.pk, theme.pk])
    page = login("alice").get(reverse("evaluation:themes", args=[check.pk])).content.decode()
    assert "New name for “Slow repairs”" in page
    response = login("alice").post(url, {f"rename-{theme.pk}-label": "Repairs take too long"})
    assert response.status_code == 302
    theme.refresh_from_db()
    assert theme.label == "Repairs take too long"


@pytest.mark.parametrize("label", ["", "Two\nlines", "x" * 100_000])
def test_a_bad_new_name_is_shown_beside_the_field_and_nothing_changes(login, check, themes, label):
    theme = themes["first"]
    response = login("alice").post(
        reverse("evaluation:theme_rename", args=[check.pk, theme.pk]),
        {f"rename-{theme.pk}-label": label},
    )
    _shows_error(response, f"id_rename-{theme.pk}-label")
    theme.refresh_from_db()
    assert theme.label == "Slow repairs"


def test_an_evaluator_merges_a_theme(login, check, themes):
    first, second = themes["first"], themes["second"]
    response = login("alice").post(
        reverse("evaluation:theme_merge", args=[check.pk, first.pk]),
        {f"merge-{first.pk}-into": second.pk},
    )
    assert response.status_code == 302
    first.refresh_from_db()
    assert first.status == "merged" and first.merged_into == second


def test_a_theme_cannot_be_merged_into_itself(login, check, themes):
    first = themes["first"]
    response = login("alice").post(
        reverse("evaluation:theme_merge", args=[check.pk, first.pk]),
        {f"merge-{first.pk}-into": first.pk},
    )
    _shows_error(response, f"id_merge-{first.pk}-into", "Choose another theme to merge into.")
    first.refresh_from_db()
    assert first.status == "proposed"


def test_an_evaluator_splits_a_theme(login, check, themes):
    first, moved = themes["first"], themes["items"][0]
    client = login("alice")
    page = client.get(reverse("evaluation:theme", args=[check.pk, first.pk])).content.decode()
    assert f"Move item {moved.pk}: “Note 0 about repairs.”" in page
    response = client.post(
        reverse("evaluation:theme_split", args=[check.pk, first.pk]),
        {"split-items": [moved.pk], "split-label": "Note zero"},
    )
    assert response.status_code == 302
    assert Coding.objects.get(item=moved).theme.label == "Note zero"


def test_a_split_without_items_is_shown_again_and_nothing_moves(login, check, themes):
    first = themes["first"]
    response = login("alice").post(
        reverse("evaluation:theme_split", args=[check.pk, first.pk]),
        {"split-label": "Note zero"},
    )
    _shows_error(response, "id_split-items", "Choose the items that belong in the new theme.")
    assert not Theme.objects.filter(label="Note zero").exists()


# Judgements -----------------------------------------------------------------------------------


def test_a_judgement_without_words_is_shown_beside_the_field(login, check):
    promise = check.promise_set.promises.first()
    response = login("alice").post(
        reverse("evaluation:judgement_save", args=[check.pk, promise.pk]),
        {f"p{promise.pk}-rating": "amber", f"p{promise.pk}-narrative": ""},
    )
    _shows_error(response, f"id_p{promise.pk}-narrative", "This field is required.")
    assert not Judgement.objects.exists()


# Follow-up ------------------------------------------------------------------------------------


@pytest.fixture
def rec(check) -> Recommendation:
    return Recommendation.objects.create(health_check=check, text="Fix repairs faster")


def test_an_evaluator_adds_a_recommendation_about_a_promise(login, check):
    promise = check.promise_set.promises.first()
    response = login("alice").post(
        reverse("evaluation:recommendation_add", args=[check.pk]),
        {"recommend-text": "Answer in a week", "recommend-promise": promise.pk},
    )
    assert response.status_code == 302
    assert Recommendation.objects.get().promise == promise


def test_an_empty_recommendation_is_shown_beside_the_field(login, check):
    response = login("alice").post(
        reverse("evaluation:recommendation_add", args=[check.pk]), {"recommend-text": ""}
    )
    _shows_error(response, "id_recommend-text", "This field is required.")
    assert not Recommendation.objects.exists()


def test_staff_cannot_write_recommendations(login, check):
    response = login("carol").post(
        reverse("evaluation:recommendation_add", args=[check.pk]), {"recommend-text": "x"}
    )
    assert response.status_code == 403
    assert not Recommendation.objects.exists()


def test_the_board_choices_come_from_the_form(login, check, rec):
    page = login("brenda").get(reverse("evaluation:follow_up", args=[check.pk])).content.decode()
    for value, label in (("yes", "Agreed"), ("partly", "Partly agreed"), ("no", "Not agreed")):
        assert f'<option value="{value}">{label}</option>' in page


def test_a_board_response_without_an_answer_is_shown_beside_the_field(login, check, rec):
    response = login("brenda").post(
        reverse("evaluation:board_response", args=[check.pk, rec.pk]),
        {f"respond-{rec.pk}-response": "We agree", f"respond-{rec.pk}-agreed": "maybe"},
    )
    _shows_error(response, f"id_respond-{rec.pk}-agreed", "Select a valid choice.")
    rec.refresh_from_db()
    assert rec.board_agreed == "" and rec.board_response == ""


@pytest.mark.parametrize("persona", ["fiona", "dora", "alice"])
def test_only_the_board_and_the_coordinator_record_the_boards_response(login, check, rec, persona):
    response = login(persona).post(
        reverse("evaluation:board_response", args=[check.pk, rec.pk]),
        {f"respond-{rec.pk}-response": "x", f"respond-{rec.pk}-agreed": "yes"},
    )
    assert response.status_code == 403
    rec.refresh_from_db()
    assert rec.board_agreed == ""


def test_a_due_date_that_is_not_a_date_is_shown_beside_the_field(login, check, rec):
    response = login("carol").post(
        reverse("evaluation:action_add", args=[check.pk, rec.pk]),
        {
            f"action-{rec.pk}-description": "New contract",
            f"action-{rec.pk}-owner": "Head of repairs",
            f"action-{rec.pk}-due_on": "next spring",
        },
    )
    _shows_error(response, f"id_action-{rec.pk}-due_on", "Enter the due date as a date.")
    assert not Action.objects.exists()


def test_the_board_cannot_add_actions(login, check, rec):
    response = login("brenda").post(
        reverse("evaluation:action_add", args=[check.pk, rec.pk]),
        {f"action-{rec.pk}-description": "x", f"action-{rec.pk}-owner": "y"},
    )
    assert response.status_code == 403
    assert not Action.objects.exists()


def test_the_coordinator_records_progress_on_an_action(login, check, rec):
    action = Action.objects.create(recommendation=rec, description="New contract", owner="Head")
    url = reverse("evaluation:action_progress", args=[check.pk, action.pk])
    client = login("carol")
    invalid = client.post(
        url, {f"progress-{action.pk}-text": "Signed", f"progress-{action.pk}-status": "bogus"}
    )
    _shows_error(invalid, f"id_progress-{action.pk}-status", "Select a valid choice.")
    action.refresh_from_db()
    assert action.status == "not_started" and not action.updates.exists()
    response = client.post(
        url, {f"progress-{action.pk}-text": "Signed", f"progress-{action.pk}-status": "done"}
    )
    assert response.status_code == 302
    action.refresh_from_db()
    assert action.status == "done" and action.updates.get().text == "Signed"
    refused = login("brenda").post(
        url, {f"progress-{action.pk}-text": "x", f"progress-{action.pk}-status": "in_progress"}
    )
    assert refused.status_code == 403
    action.refresh_from_db()
    assert action.status == "done"


def test_the_evidence_page_asks_who_the_evaluator_is_twice_not_three_times(login, check):
    # Once to let them see the check, once for the page (it was also asked for "can add").
    client = login("alice")
    with CaptureQueriesContext(connection) as page:
        response = client.get(reverse("evaluation:evidence", args=[check.pk]))
    assert response.status_code == 200
    assert "note-text" in response.content.decode()  # an evaluator may add evidence
    asked = [q for q in page.captured_queries if "evaluation_evaluator" in q["sql"]]
    assert len(asked) == 2
