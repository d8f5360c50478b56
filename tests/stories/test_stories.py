"""Stories: who sees them, the public page, typing answers and importing a transcript."""

from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from coproduce.accounts import roles
from coproduce.core.models import AuditEntry
from coproduce.stories import selectors
from coproduce.stories.models import Story, StoryConsent, StorySource

from .conftest import FIXTURES, make_story


def test_a_private_story_is_visible_only_to_its_project_team(users, private_story, login):
    team = {"carol", "fiona", "alice"}
    for name, user in users.items():
        assert roles.can_see_story(user, private_story) is (name in team), name
        listed = selectors.stories_for_user(user).filter(pk=private_story.pk).exists()
        assert listed is (name in team), name
    url = reverse("stories:detail", args=[private_story.pk])
    assert login("alice").get(url).status_code == 200
    assert login("brenda").get(url).status_code == 403
    assert login("adam").get(url).status_code == 403
    public = reverse("stories:public", args=[private_story.public_id])
    assert login("carol").get(public).status_code == 404


def test_an_internal_story_is_for_staff_and_the_board_but_not_other_tenants(users, project, guide):
    story = make_story(project, guide, users["fiona"], consent=StoryConsent.INTERNAL)
    assert roles.can_see_story(users["brenda"], story)
    assert roles.can_see_story(users["adam"], story)
    assert not roles.can_see_story(users["bob"], story)
    assert not roles.can_see_story(users["frank"], story)


def test_a_public_story_page_needs_no_login_and_shows_only_what_was_consented(
    client, users, project, guide
):
    story = make_story(
        project,
        guide,
        users["fiona"],
        consent=StoryConsent.PUBLIC,
        storyteller_name="Maureen Secretsurname",
        storyteller_role="Tenant at 4 Hidden Road",
        public_name="Maureen, a tenant",
        answers={
            1: "I have lived here twenty years.",
            5: "My neighbour's name is Private Detail.",
            8: "It changes what the organisation does.",
        },
    )
    story.answers.filter(question__number=5).update(shareable=False)
    response = client.get(reverse("stories:public", args=[story.public_id]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Maureen, a tenant" in html
    assert "I have lived here twenty years." in html
    assert "It changes what the organisation does." in html
    for secret in ("Private Detail", "Secretsurname", "Hidden Road", users["fiona"].email):
        assert secret not in html
    assert "Sign out" not in html


def test_a_story_made_private_again_disappears_from_the_public_page(client, users, project, guide):
    story = make_story(project, guide, users["fiona"], consent=StoryConsent.PUBLIC)
    url = reverse("stories:public", args=[story.public_id])
    assert client.get(url).status_code == 200
    assert client.get(reverse("stories:public_index")).content.decode().count(story.title) == 1
    story.consent = StoryConsent.INTERNAL
    story.save(update_fields=["consent"])
    assert client.get(url).status_code == 404
    assert story.title not in client.get(reverse("stories:public_index")).content.decode()


def _details(project, guide, **extra):
    data = {
        "project": project.pk,
        "guide": guide.pk,
        "title": "Amira's story",
        "storyteller_name": "Amira",
        "storyteller_role": "Tenant",
        "recorded_on": "2026-03-02",
        "consent": "internal",
        "public_name": "",
    }
    data.update(extra)
    return data


def test_a_facilitator_types_a_story_in(login, project, guide):
    client = login("fiona")
    data = _details(project, guide, answer_1="I'm Amira.", share_1="on", answer_6="Proud.")
    response = client.post(reverse("stories:create"), data)
    story = Story.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse(
        "stories:detail", args=[story.pk]
    )
    assert story.source == StorySource.TYPED
    assert {a.question.number: a.text for a in story.answers.all()} == {
        1: "I'm Amira.",
        6: "Proud.",
    }
    assert AuditEntry.objects.filter(action="story.create").exists()


def test_a_facilitator_imports_a_vtt_and_corrects_the_split(login, project, guide):
    client = login("fiona")
    upload = SimpleUploadedFile(
        "amira.vtt", (FIXTURES / "interview_speakers.vtt").read_bytes(), content_type="text/vtt"
    )
    response = client.post(reverse("stories:create"), _details(project, guide, transcript=upload))
    story = Story.objects.get()
    assert response["Location"] == reverse("stories:split", args=[story.pk])
    assert story.source == StorySource.TRANSCRIPT and story.transcript_format == "vtt"
    assert story.answers.count() == 8
    assert story.answers.get(question__number=5).text.startswith("Time. Everyone has busy lives.")

    page = client.get(reverse("stories:split", args=[story.pk]))
    assert page.status_code == 200
    assert "Asks question 5" in page.content.decode()

    # Move Amira's answer about challenges (part index of cue 10) to "how it feels".
    parts = story.parts
    index = next(i for i, p in enumerate(parts) if p["text"].startswith("Time."))
    form = {f"part_{i}": str(p["question"] or "") for i, p in enumerate(parts)}
    form[f"part_{index}"] = "6"
    response = client.post(reverse("stories:split", args=[story.pk]), form)
    assert response.status_code == 302
    answers = {a.question.number: a.text for a in story.answers.all()}
    assert 5 not in answers
    assert answers[6].startswith("Time. Everyone has busy lives.")
    assert "Listened to." in answers[6]
    assert AuditEntry.objects.filter(action="story.split").exists()


def test_an_unreadable_transcript_is_refused_with_a_message(login, project, guide):
    client = login("fiona")
    upload = SimpleUploadedFile("empty.vtt", b"WEBVTT\n\n", content_type="text/vtt")
    response = client.post(reverse("stories:create"), _details(project, guide, transcript=upload))
    assert response.status_code == 200
    assert Story.objects.count() == 0


def test_a_split_that_names_a_question_not_in_the_guide_is_refused(login, transcript_story):
    client = login("fiona")
    response = client.post(reverse("stories:split", args=[transcript_story.pk]), {"part_0": "99"})
    assert response.status_code == 400


def test_a_typed_story_has_no_split_page(login, private_story):
    assert login("fiona").get(reverse("stories:split", args=[private_story.pk])).status_code == 404


def test_editing_consent_and_public_sharing(login, private_story):
    client = login("carol")
    data = {
        "title": private_story.title,
        "storyteller_name": "Maureen",
        "storyteller_role": "",
        "consent": "public",
        "public_name": "Maureen",
        "answer_1": "I'm Maureen, a tenant.",
        "share_1": "on",
        "answer_5": "It took a long time.",
    }
    response = client.post(reverse("stories:edit", args=[private_story.pk]), data)
    assert response.status_code == 302
    private_story.refresh_from_db()
    assert private_story.consent == "public"
    assert private_story.answers.get(question__number=5).shareable is False
    public = selectors.public_answers(private_story)
    assert [a.question.number for a in public] == [1]
