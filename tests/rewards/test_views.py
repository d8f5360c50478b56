"""Pages: forms save through services, bad input never gives a server error."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from coproduce.rewards import services
from coproduce.rewards.models import (
    EntryKind,
    ExpenseClaim,
    LedgerEntry,
    LineStatus,
    RewardChoice,
    RewardForm,
    RewardLine,
    RewardOffer,
    RewardPolicy,
)
from tests.rewards.conftest import choose, review_all


def test_tenant_chooses_a_voucher_and_must_say_which(login, users):
    client = login("alice")
    url = reverse("rewards:mine_choice")
    response = client.post(url, {"form": "voucher", "voucher_kind": ""})
    assert response.status_code == 200
    assert "Say which voucher you would like" in response.content.decode()
    response = client.post(
        url, {"form": "voucher", "voucher_kind": "Supermarket", "wants_benefit_info": "on"}
    )
    assert response.status_code == 302
    choice = RewardChoice.objects.get(person=users["alice"].person)
    assert choice.form == RewardForm.VOUCHER and choice.voucher_kind == "Supermarket"
    assert choice.wants_benefit_info and choice.updated_by == users["alice"]


def test_tenant_cannot_set_the_advice_date_but_the_coordinator_can(login, users):
    client = login("alice")
    client.post(reverse("rewards:mine_choice"), {"form": "none", "advice_offered_on": "2025-01-01"})
    assert RewardChoice.objects.get(person=users["alice"].person).advice_offered_on is None
    client = login("carol")
    pk = users["alice"].person.pk
    response = client.post(
        reverse("rewards:person_choice", args=[pk]),
        {"form": "donation", "charity_name": "Shelter", "advice_offered_on": "2025-01-01"},
    )
    assert response.status_code == 302
    choice = RewardChoice.objects.get(person=users["alice"].person)
    assert choice.advice_offered_on == dt.date(2025, 1, 1) and choice.charity_name == "Shelter"


@pytest.mark.parametrize("cap", ["abc", "-1", "1e400", "NaN", "99999999999"])
def test_bad_amounts_are_errors_not_crashes(login, cap):
    response = login("alice").post(
        reverse("rewards:mine_choice"), {"form": "lower", "lower_cap": cap}
    )
    assert response.status_code == 200
    assert "govuk-error-summary" in response.content.decode()


def test_lower_amount_saves_as_decimal(login, users):
    login("alice").post(reverse("rewards:mine_choice"), {"form": "lower", "lower_cap": "£7.5"})
    assert RewardChoice.objects.get(person=users["alice"].person).lower_cap == Decimal("7.50")


def test_the_choice_page_prefills_the_sign_up_preference(login, users):
    person = users["alice"].person
    person.reward_preference = "donation"
    person.save()
    page = login("alice").get(reverse("rewards:mine_choice")).content.decode()
    assert 'value="donation" checked' in page
    assert "---------" not in page


def test_coordinator_writes_an_offer_tenants_read_in_plain_words(login, project):
    client = login("carol")
    response = client.post(
        reverse("rewards:offer_edit", args=[project.pk]),
        {
            "activities": "Sessions",
            "rewards_sessions": "on",
            "rate_basis": "hour",
            "rate": "15",
            "applies_from": "2025-01-01",
            "covers_travel": "on",
            "covers_childcare": "on",
        },
    )
    assert response.status_code == 302
    assert RewardOffer.objects.get(project=project).rate == Decimal("15.00")
    page = login("alice").get(reverse("rewards:offer", args=[project.pk])).content.decode()
    assert "£15.00 per hour" in page and "Childcare" in page and "Travel" in page
    client = login("carol")
    bad = client.post(
        reverse("rewards:offer_edit", args=[project.pk]),
        {"rate": "lots", "rate_basis": "weekly", "applies_from": "not a date"},
    )
    assert bad.status_code == 200 and "govuk-error-summary" in bad.content.decode()


def test_policy_versions_keep_history(login):
    client = login("carol")
    for text in ("First policy", "Second policy"):
        client.post(reverse("rewards:policy_new"), {"text": text, "effective_from": "2025-01-01"})
    assert list(RewardPolicy.objects.values_list("version", flat=True)) == [2, 1]
    page = login("alice").get(reverse("rewards:policy")).content.decode()
    assert "Second policy" in page and "Version 1" in page


def test_coordinator_reviews_and_finance_approves_on_the_web(login, offer, session, users):
    choose(users["alice"].person)
    choose(users["bob"].person)
    client = login("carol")
    client.post(reverse("rewards:accrue"))
    ids = list(RewardLine.objects.values_list("pk", flat=True))
    page = client.get(reverse("rewards:review")).content.decode()
    assert "Alice Example" in page
    client.post(reverse("rewards:review"), {"line": [str(i) for i in ids] + ["junk"]})
    assert set(RewardLine.objects.values_list("status", flat=True)) == {LineStatus.REVIEWED}
    client = login("frank")
    response = client.post(
        reverse("rewards:approve", args=["fee"]), {"line": [str(i) for i in ids]}
    )
    assert response.status_code == 302
    assert LedgerEntry.objects.filter(kind=EntryKind.APPROVED).count() == 2
    nothing = client.post(reverse("rewards:approve", args=["fee"]), {"line": [str(ids[0])]})
    assert "Tick at least one line" in nothing.content.decode()
    assert client.get(reverse("rewards:approve", args=["nonsense"])).status_code == 404


def test_finance_must_confirm_warnings(login, offer, session, users, settings):
    settings.REWARDS_TAX_YEAR_ALLOWANCE = "10.00"
    choose(users["alice"].person)
    services.rewards_accrue()
    ids = review_all(users)
    client = login("frank")
    page = client.get(reverse("rewards:approve", args=["fee"])).content.decode()
    assert "over the £1,000 trading" in page or "over the" in page
    refused = client.post(reverse("rewards:approve", args=["fee"]), {"line": ids})
    assert refused.status_code == 200 and "tick the box" in refused.content.decode()
    done = client.post(
        reverse("rewards:approve", args=["fee"]), {"line": ids, "confirm_warnings": "yes"}
    )
    assert done.status_code == 302


def test_expense_with_an_uploaded_receipt(login, offer, users, project):
    client = login("carol")
    url = reverse("rewards:expense_new", args=[users["alice"].person.pk])
    fake = SimpleUploadedFile("receipt.pdf", b"MZ not a pdf", content_type="application/pdf")
    response = client.post(
        url,
        {
            "project": project.pk,
            "kind": "travel",
            "incurred_on": "2025-03-04",
            "amount": "3.80",
            "receipt_file": fake,
        },
    )
    assert "not really a PDF" in response.content.decode()
    exe = SimpleUploadedFile("receipt.exe", b"%PDF", content_type="application/pdf")
    response = client.post(
        url,
        {
            "project": project.pk,
            "kind": "travel",
            "incurred_on": "2025-03-04",
            "amount": "3.80",
            "receipt_file": exe,
        },
    )
    assert "must be a PDF, JPG or PNG" in response.content.decode()
    none = client.post(
        url,
        {"project": project.pk, "kind": "travel", "incurred_on": "2025-03-04", "amount": "3.80"},
    )
    assert "tick that you have seen a paper receipt" in none.content.decode()
    meals = client.post(
        url,
        {
            "project": project.pk,
            "kind": "meals",
            "incurred_on": "2025-03-04",
            "amount": "3.80",
            "paper_receipt_seen": "on",
        },
    )
    assert "does not cover" in meals.content.decode()
    png = SimpleUploadedFile("r.png", b"\x89PNG\r\n\x1a\nrest", content_type="image/png")
    response = client.post(
        url,
        {
            "project": project.pk,
            "kind": "travel",
            "incurred_on": "2025-03-04",
            "amount": "3.80",
            "receipt_file": png,
        },
    )
    assert response.status_code == 302
    claim = ExpenseClaim.objects.get()
    assert claim.amount == Decimal("3.80") and claim.receipt
    line = claim.lines.get()
    assert line.category == "expense" and not line.is_income
    download = login("alice").get(reverse("rewards:receipt", args=[claim.pk]))
    assert download.status_code == 200


def test_correction_form_reverses_and_rejects_bad_input(login, offer, session, users):
    choose(users["alice"].person)
    services.rewards_accrue()
    line = RewardLine.objects.get()
    client = login("carol")
    url = reverse("rewards:line_correct", args=[line.pk])
    bad = client.post(url, {"reason": "", "new_amount": "x"})
    assert bad.status_code == 200 and "govuk-error-summary" in bad.content.decode()
    ok = client.post(url, {"reason": "Left early", "new_amount": "20"})
    assert ok.status_code == 302
    line.refresh_from_db()
    assert line.status == LineStatus.REVERSED
    assert RewardLine.objects.get(corrects=line).amount == Decimal("20.00")
    again = client.post(url, {"reason": "again"})
    assert "already been cancelled" in again.content.decode()


def test_tenant_sees_statuses_and_downloads_a_year_summary(login, offer, session, users):
    choose(users["alice"].person)
    services.rewards_accrue()
    client = login("alice")
    page = client.get(reverse("rewards:mine")).content.decode()
    assert "Waiting for a check" in page and "£37.50" in page
    csv_response = client.get(reverse("rewards:mine_summary", args=[2024]) + "?format=csv")
    assert csv_response["Content-Type"] == "text/csv"
    assert b"37.50" in csv_response.content
    assert client.get(reverse("rewards:mine_summary", args=[1])).status_code == 404
    assert client.get(reverse("rewards:mine_summary", args=[2024])).status_code == 200


def test_staff_home_lists_counts(login, offer, session, users):
    choose(users["alice"].person)
    services.rewards_accrue()
    page = login("carol").get(reverse("rewards:home")).content.decode()
    assert "Lines to check" in page and "People still to choose a reward" in page


def test_list_pages_have_constant_queries(
    login, offer, project, users, django_assert_max_num_queries
):
    from tests.rewards.conftest import attend, make_session

    choose(users["alice"].person)
    choose(users["bob"].person)
    for day in range(1, 20):
        meeting = make_session(project, dt.date(2025, 5, day))
        attend(meeting, users["alice"].person)
        attend(meeting, users["bob"].person)
    services.rewards_accrue()
    client = login("carol")
    with django_assert_max_num_queries(15):
        review = client.get(reverse("rewards:review"))
    assert review.status_code == 200
    with django_assert_max_num_queries(15):
        person = client.get(reverse("rewards:person", args=[users["alice"].person.pk]))
    assert person.status_code == 200


def test_a_tenant_claims_a_cost_with_a_receipt_for_their_own_project(login, offer, users):
    from coproduce.projects.models import Project

    other = Project.objects.create(title="Repairs", purpose="p", owner=users["carol"])
    RewardOffer.objects.create(
        project=other,
        activities="x",
        rate_basis="hour",
        rate=Decimal("10.00"),
        applies_from=dt.date(2025, 1, 1),
    )
    client = login("alice")
    url = reverse("rewards:mine_expense")
    page = client.get(url).content.decode()
    assert "Repairs" not in page and "paper receipt" not in page
    bad = client.post(
        url,
        {
            "project": other.pk,
            "kind": "travel",
            "incurred_on": "2025-03-04",
            "amount": "2.50",
            "paper_receipt_seen": "on",
        },
    )
    assert bad.status_code == 200 and "govuk-error-summary" in bad.content.decode()
    assert "Upload a photo or scan of your receipt" in bad.content.decode()
    jpg = SimpleUploadedFile("bus.jpg", b"\xff\xd8\xff\xe0rest", content_type="image/jpeg")
    ok = client.post(
        url,
        {
            "project": offer.project.pk,
            "kind": "travel",
            "incurred_on": "2025-03-04",
            "amount": "2.50",
            "receipt_file": jpg,
        },
    )
    assert ok.status_code == 302
    claim = ExpenseClaim.objects.get()
    assert claim.person == users["alice"].person and not claim.paper_receipt_seen
    assert claim.lines.get().status == LineStatus.TO_REVIEW
