"""A quick question by post: the coordinator asks, admin support prints the letter pack, types
in three reply slips with the keyboard alone, and the coordinator sees the answers by post
beside the one given online. Every page scanned by axe."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect
from pypdf import PdfReader

from coproduce.diversity.models import QuickQuestion, RecordedVia
from coproduce.messaging.models import ContactPreference, Message, Status
from coproduce.people.models import Person
from coproduce.projects.models import Project
from tests.browser.conftest import axe_violations, screenshot
from tests.conftest import PASSWORD

pytestmark = pytest.mark.browser

CODE = re.compile(r"\b[A-Z2-9]{3}-[A-Z2-9]{4}\b")


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


def pool() -> list[Person]:
    """Three people who asked for post, one who answers online: the whole involvement pool."""
    made = []
    for n, first in enumerate(("Amira", "Ben", "Chloe"), start=1):
        person = Person.objects.create(
            first_name=first,
            last_name="Post",
            address=f"{n} Oak Street, Northfield",
            postcode=f"NF1 {n}AB",
            contact_consent=True,
            involvement="active",
            preferred_channels=["paper"],
        )
        ContactPreference.objects.create(person=person, channels=["letter"])
        made.append(person)
    made.append(
        Person.objects.create(
            first_name="Dev",
            last_name="Online",
            email="dev@example.org",
            contact_consent=True,
            involvement="active",
            preferred_channels=["online"],
        )
    )
    return made


def test_a_quick_question_by_post_comes_back_on_reply_slips(
    browser, live_server, page, users, settings, tmp_path, mailoutbox
):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    settings.SITE_URL = live_server.url
    project = Project.objects.create(
        title="Bins and recycling", purpose="Better collections", owner=users["carol"]
    )
    pool()

    # The coordinator asks, with four answers to choose from.
    sign_in(page, "carol@example.org")
    page.goto("/diversity/ask/")
    page.get_by_label("Project").select_option(label=project.title)
    page.get_by_label("What is it about?").fill("Bin collections")
    page.get_by_label("Question 1", exact=True).fill("Are your bins collected on the right day?")
    page.get_by_label("Answers to choose from (optional)").fill(
        "Yes, always\nMost weeks\nNo, often late\nNot sure"
    )
    page.get_by_label("How many people to ask").fill("4")
    check(page, "letters-quick-question-new")
    page.get_by_role("button", name="Send").click()
    expect(page.get_by_role("heading", name="Bin collections")).to_be_visible()
    question = QuickQuestion.objects.get()
    letters = Message.objects.filter(kind="quick_question", channel="letter")
    assert letters.count() == 3 and {m.status for m in letters} == {Status.TO_PRINT}

    # Dev answers online, from the link in the email.
    assert len(mailoutbox) == 1
    link = re.search(r"https?://\S+/diversity/ask/r/\S+/", mailoutbox[0].body).group(0)
    online = browser.new_context(base_url=live_server.url)
    opage = online.new_page()
    opage.goto(link)
    opage.get_by_label("Most weeks").check()
    check(opage, "letters-answer-online")
    opage.get_by_role("button", name="Send").click()
    expect(opage.get_by_text("Thank you")).to_be_visible()
    online.close()

    # Admin support prints the pack.
    admin = browser.new_context(base_url=live_server.url, accept_downloads=True)
    apage = admin.new_page()
    apage.set_default_timeout(30_000)
    sign_in(apage, "adam@example.org")
    apage.get_by_role("navigation", name="Main").get_by_role("link", name="Letters").click()
    expect(apage.get_by_role("heading", name="Letters to print")).to_be_visible()
    check(apage, "letters-to-print")
    with apage.expect_download() as download:
        apage.get_by_role("button", name=re.compile(r"^Print these 3 letters")).click()
    saved = tmp_path / "pack.pdf"
    download.value.save_as(saved)
    assert download.value.suggested_filename.startswith("letters-pack-")
    pdf = PdfReader(str(saved))
    texts = [p.extract_text() for p in pdf.pages]
    assert len(pdf.pages) >= 3 and sum("Reply slip" in t for t in texts) == 3
    codes = {}
    for text in texts:
        if "Reply slip" in text:
            # The line at the foot of each letter: the person's name and the slip's reference.
            name, code = re.search(r"(\w+) Post · (" + CODE.pattern + ")", text).groups()
            codes[name] = code
    assert sorted(codes) == ["Amira", "Ben", "Chloe"]
    assert {m.status for m in letters.all()} == {Status.PRINTED}
    apage.reload()
    expect(apage.get_by_text("No letters are waiting to print.")).to_be_visible()
    check(apage, "letters-printed")

    # Three slips, keyboard only: type the code, Tab, the box, Enter; the cursor comes back.
    apage.get_by_role("link", name="type them in here").click()
    expect(apage.get_by_role("heading", name="Reply slips")).to_be_visible()
    check(apage, "letters-reply-slips")
    ticked = {"Amira": "1", "Ben": "3", "Chloe": "1"}
    for name, box in ticked.items():
        focused = apage.evaluate("document.activeElement.name")
        assert focused == "reference", name
        # As on the slip, but in small letters and without the dash.
        apage.keyboard.type(codes[name].replace("-", "").lower())
        apage.keyboard.press("Tab")
        apage.keyboard.type(box)
        apage.keyboard.press("Enter")
        expect(apage.get_by_text(f"Recorded for {name} Post:")).to_be_visible()
    check(apage, "letters-reply-slips-done")
    # The same slip again: told plainly, nothing changed.
    apage.keyboard.type(codes["Amira"])
    apage.keyboard.press("Tab")
    apage.keyboard.type("2")
    apage.keyboard.press("Enter")
    expect(apage.get_by_text("An answer was already recorded on").first).to_be_visible()
    assert apage.evaluate("document.activeElement.name") == "change"
    check(apage, "letters-reply-slips-twice")
    admin.close()

    answers = {
        r.person.first_name: (r.answer_1, r.recorded_via, r.recorded_by)
        for r in question.recipients.select_related("person", "recorded_by")
    }
    assert answers["Amira"][:2] == ("Yes, always", RecordedVia.POST)
    assert answers["Ben"][:2] == ("No, often late", RecordedVia.POST)
    assert answers["Chloe"][2] == users["adam"]
    assert answers["Dev"] == ("Most weeks", RecordedVia.SELF, None)

    # The coordinator sees the post answers beside the online one.
    page.goto(f"/diversity/ask/{question.pk}/")
    tally = page.get_by_role("region", name="What people chose, and how their answers came")
    expect(tally.get_by_role("row", name=re.compile(r"^Yes, always 2 0 2"))).to_be_visible()
    expect(tally.get_by_role("row", name=re.compile(r"^Most weeks 1 1 0"))).to_be_visible()
    answers_table = page.get_by_role("region", name="Answers, how each came and who entered it")
    expect(answers_table.get_by_text("By post, on a reply slip")).to_have_count(3)
    expect(answers_table.get_by_text("By the person, online")).to_have_count(1)
    expect(answers_table.get_by_text("Adam Example (written down by staff)")).to_have_count(3)
    check(page, "letters-quick-question-answers")
