"""An evaluator opens "Code these next", confirms three suggestions, corrects two, and sees the
mapping refresh once the background retraining has run."""

import datetime as dt

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from coproduce.evaluation import services
from coproduce.evaluation.models import Coding, SuggestionBatch
from tests.browser.conftest import axe_violations, screenshot
from tests.browser.test_shell import sign_in
from tests.evaluation.conftest import SURVEY, check  # noqa: F401  (shared fixture)

pytestmark = pytest.mark.browser


def _worker() -> None:
    call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)


def test_an_evaluator_confirms_and_corrects_suggestions(page, users, group, check):  # noqa: F811
    services.evidence_import(
        check=check,
        kind="survey",
        data=SURVEY.encode(),
        filename="tsm.csv",
        title="TSM",
        gathered_on=dt.date(2026, 6, 1),
        person=group["members"][0],
        actor=users["alice"],
    )
    services.theme_run_start(check=check, actor=users["alice"], engine="tfidf")
    _worker()
    sign_in(page, "alice@example.org")
    page.goto(f"/health-checks/{check.pk}/")
    page.get_by_role("link", name="Code these next").click()
    page.get_by_role("button", name="Choose passages for me").click()
    expect(page.get_by_text("The computer is choosing passages")).to_be_visible()
    _worker()
    page.reload()
    expect(page.get_by_text("This is the first batch the computer has chosen.")).to_be_visible()
    batch = SuggestionBatch.objects.get(health_check=check)
    promises = {str(p.pk): p for p in check.promise_set.promises.all()}
    for s in batch.items[:3]:
        card = page.locator(f"#suggestion-{s['item']}")
        card.get_by_role("button", name="Confirm").click()
        expect(page.get_by_text(f"Passage {s['item']} confirmed")).to_be_visible()
    for s in batch.items[3:5]:
        other = next(p for pk, p in promises.items() if pk != s["guesses"][0])
        card = page.locator(f"#suggestion-{s['item']}")
        card.get_by_label("Or choose the right promise").select_option(label=other.title)
        card.get_by_role("button", name="Correct").click()
        expect(page.get_by_text(f"Passage {s['item']} corrected")).to_be_visible()
    hand = Coding.objects.filter(item__health_check=check, by_engine=False)
    assert hand.count() == 5 and all(c.coder == group["members"][0] for c in hand)
    expect(page.get_by_text("learning from your latest codings")).to_be_visible()
    screenshot(page, "hc-code-next")
    _worker()  # the background retraining
    page.reload()
    expect(page.locator("#mapping-change")).to_contain_text("since your last batch")
    expect(page.locator("#mapping-change")).to_contain_text("It learned from 5 coded passages.")
    expect(page.get_by_text("How well the computer agrees with you")).to_be_visible()
    assert axe_violations(page) == []
    page.set_viewport_size({"width": 320, "height": 800})
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
