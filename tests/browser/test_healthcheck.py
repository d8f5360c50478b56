"""An evaluator imports a survey, runs theming, renames and merges a theme, codes a passage,
writes a judgement and downloads the PDF; a staff member cannot change the judgement."""

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from coproduce.evaluation.models import Judgement, Theme
from tests.browser.conftest import axe_violations, screenshot
from tests.browser.test_shell import sign_in
from tests.evaluation.conftest import SURVEY, check  # noqa: F401  (shared fixture)

pytestmark = pytest.mark.browser


def test_an_evaluator_runs_a_health_check_end_to_end(page, users, check, tmp_path):  # noqa: F811
    survey = tmp_path / "tsm-2026.csv"
    survey.write_text(SURVEY * 1)
    sign_in(page, "alice@example.org")
    page.goto(f"/health-checks/{check.pk}/evidence/")
    page.get_by_text("Import a file: survey comments").click()
    page.get_by_label("Survey comments (CSV or Excel)").check()
    page.get_by_label("Name for this evidence").fill("TSM survey 2026")
    page.locator("#id_import-gathered_on").fill("2026-06-01")
    page.get_by_label("File").set_input_files(str(survey))
    page.get_by_role("button", name="Import", exact=True).click()
    # The file is read in the background (uploads never parse inside the request).
    call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)  # the worker
    page.reload()
    expect(page.get_by_text("10 items imported")).to_be_visible()
    screenshot(page, "hc-evidence")
    assert axe_violations(page) == []

    page.goto(f"/health-checks/{check.pk}/themes/")
    page.get_by_role("button", name="Find themes").click()
    expect(page.get_by_text("Theming has started")).to_be_visible()
    call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)  # the worker
    page.reload()
    expect(page.get_by_text("Finished")).to_be_visible()
    themes = list(Theme.objects.filter(health_check=check).order_by("id"))
    first, second = themes[0], themes[1]
    page.get_by_label(f"New name for “{first.label}”").fill("Repairs take too long")
    page.locator(f"#theme-{first.pk}").get_by_role("button", name="Rename").click()
    expect(page.get_by_text("The themes have been updated.")).to_be_visible()
    page.get_by_label(f"Merge “{second.label}” into").select_option(label="Repairs take too long")
    page.locator(f"#theme-{second.pk}").get_by_role("button", name="Merge").click()
    expect(page.get_by_role("link", name="Repairs take too long")).to_be_visible()
    screenshot(page, "hc-themes")
    assert axe_violations(page) == []

    item = check.evidence.get(reference="R1")
    page.goto(f"/health-checks/{check.pk}/evidence/{item.pk}/")
    page.get_by_label("The passage").fill("took three weeks")
    page.get_by_label("Theme", exact=True).select_option(label="Repairs take too long")
    page.get_by_label("Promise", exact=True).select_option(label="Repairs")
    page.get_by_role("button", name="Save coding").click()
    expect(page.get_by_role("cell", name="took three weeks")).to_be_visible()
    screenshot(page, "hc-item")
    assert axe_violations(page) == []

    page.goto(f"/health-checks/{check.pk}/judgements/")
    promise = check.promise_set.promises.get(title="Repairs")
    section = page.locator(f"#promise-{promise.pk}")
    section.get_by_label("Red: not kept").check()
    section.get_by_label("What we found, in our own words").fill("Repairs are far too slow.")
    section.get_by_role("button", name="Save our judgement").click()
    expect(page.get_by_text("Your judgement on “Repairs” is saved.")).to_be_visible()
    screenshot(page, "hc-judgements")
    assert axe_violations(page) == []

    page.goto(f"/health-checks/{check.pk}/report/")
    with page.expect_download() as download:
        page.get_by_role("link", name="Download the report (PDF)").click()
    pdf = tmp_path / "report.pdf"
    download.value.save_as(pdf)
    assert pdf.read_bytes().startswith(b"%PDF")
    screenshot(page, "hc-report")
    assert axe_violations(page) == []

    sign_in_staff = page.context.browser.new_context(base_url=page.url.split("/health")[0])
    staff = sign_in_staff.new_page()
    sign_in(staff, "carol@example.org")
    staff.goto(f"/health-checks/{check.pk}/judgements/")
    expect(
        staff.get_by_text("Only the tenant evaluators write and change judgements.")
    ).to_be_visible()
    expect(staff.get_by_role("button", name="Save our judgement")).to_have_count(0)
    sign_in_staff.close()
    assert Judgement.objects.get(health_check=check, promise=promise).rating == "red"
