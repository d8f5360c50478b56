"""A facilitator imports an interview transcript, corrects the split, and the story reads
right. Every page scanned by axe."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import expect

from coproduce.projects.models import Project, ProjectStaff, StaffRole
from coproduce.stories.models import Story
from tests.browser.conftest import axe_violations, screenshot
from tests.conftest import PASSWORD

pytestmark = pytest.mark.browser

TRANSCRIPT = (
    Path(__file__).resolve().parent.parent / "stories" / "fixtures" / "plain_paraphrased.txt"
)


def sign_in(page, email: str) -> None:
    page.goto("/accounts/login/")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/")


def check(page, name: str) -> None:
    screenshot(page, name)
    assert axe_violations(page) == [], name
    assert "Server Error" not in page.content()


def test_facilitator_imports_a_transcript_and_corrects_the_split(browser, live_server, page, users):
    project = Project.objects.create(
        title="Our customer promises", purpose="Write them together", owner=users["carol"]
    )
    ProjectStaff.objects.create(project=project, user=users["fiona"], role=StaffRole.FACILITATOR)

    sign_in(page, "fiona@example.org")
    page.get_by_role("navigation", name="Main").get_by_role(
        "link", name="Stories and impact"
    ).click()
    expect(page.get_by_role("heading", name="Stories and impact")).to_be_visible()
    check(page, "stories-home")
    page.get_by_role("link", name="Record a story").click()
    check(page, "story-new")
    page.get_by_label("Project", exact=True).select_option(label=project.title)
    page.get_by_label("Title", exact=True).fill("Dev's story")
    page.get_by_label("Storyteller's name").fill("Dev")
    page.get_by_label("Their role").fill("Repairs planner")
    page.get_by_label("Internal: staff and the board").check()
    page.get_by_label("Transcript file (optional)").set_input_files(str(TRANSCRIPT))
    page.get_by_role("button", name="Save the story").first.click()

    expect(page.get_by_role("heading", name="Check where each answer goes")).to_be_visible()
    expect(page.get_by_text("8 of 8 questions found")).to_be_visible()
    check(page, "story-split")

    # The storyteller's remark about missed appointments is really about the impact (4):
    # it already is; move the "jargon" answer from question 3 to question 4 as a correction.
    story = Story.objects.get()
    index = next(i for i, p in enumerate(story.parts) if p["text"].startswith("We found out"))
    select = page.locator(f"#part_{index}")
    expect(select).to_have_value("3")
    select.select_option("4")
    page.get_by_role("button", name="Save the split").click()

    expect(page.get_by_role("heading", name="Dev's story")).to_be_visible()
    expect(page.get_by_text("The split is saved.")).to_be_visible()
    check(page, "story-detail")
    answers = {a.question.number: a.text for a in story.answers.all()}
    assert 3 not in answers
    assert answers[4].startswith("We found out our letters were full of jargon")
    assert "Missed appointments dropped" in answers[4]
    expect(
        page.get_by_role("heading", name="3. What did you and the organisation learn or change?")
    ).to_have_count(0)


def test_every_stories_page_passes_axe(browser, live_server, page, users, settings, tmp_path):
    import datetime as dt

    from coproduce.people.models import Person
    from coproduce.projects.models import ProjectMember
    from coproduce.stories import services
    from coproduce.stories.models import StoryConsent

    settings.MEDIA_ROOT = tmp_path
    project = Project.objects.create(
        title="Our customer promises", purpose="Write them together", owner=users["carol"]
    )
    alice = Person.objects.get(user=users["alice"])
    ProjectMember.objects.create(project=project, person=alice, joined_on=dt.date(2026, 1, 5))
    story = services.story_create(
        project=project,
        guide=services.guide_ensure_default(),
        title="How we wrote the promises",
        storyteller_name="Maureen",
        interviewer=users["fiona"],
        recorded_on=dt.date(2026, 3, 1),
        consent=StoryConsent.PUBLIC,
        public_name="Maureen, a tenant",
        answers={5: "It took a long time.", 8: "It changes what we do."},
    )
    services.journal_entry_create(
        project=project,
        author=users["alice"],
        happened_on=dt.date(2026, 2, 1),
        what_happened="We agreed the first promise.",
        lightbulb="Tenants present to the board.",
        consent="internal",
    )

    page.goto(f"/stories/public/{story.public_id}/")
    expect(page.get_by_text("Told by Maureen, a tenant")).to_be_visible()
    check(page, "story-public")

    sign_in(page, "alice@example.org")
    page.goto("/stories/mine/")
    check(page, "stories-mine")
    page.get_by_role("link", name="Do a short check-in").click()
    page.get_by_role("group", name="How confident do you feel speaking up?").get_by_label(
        "4"
    ).check()
    page.get_by_role(
        "group", name="How much do you feel you have the skills to take part?"
    ).get_by_label("3 – somewhat").check()
    page.get_by_role("group", name="How much do you feel listened to?").get_by_label(
        "5 – very"
    ).check()
    check(page, "stories-check-in")
    page.get_by_role("button", name="Save my check-in").click()
    expect(page.get_by_text("Your check-in is saved.")).to_be_visible()
    page.goto(f"/stories/projects/{project.pk}/journal/")
    check(page, "stories-journal")

    page.context.clear_cookies()
    sign_in(page, "carol@example.org")
    for url, name in [
        ("/stories/learning/", "stories-learning"),
        ("/stories/impact/", "stories-impact"),
        ("/stories/impact/new/", "stories-impact-new"),
        ("/stories/report/2026/", "stories-report"),
        (f"/stories/{story.pk}/edit/", "stories-edit"),
    ]:
        page.goto(url)
        check(page, name)
