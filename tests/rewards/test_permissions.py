"""Every rewards URL for every persona; tenants only ever see their own."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from coproduce.rewards import services
from coproduce.rewards.models import Category, ExpenseClaim
from tests.conftest import PERSONAS
from tests.rewards.conftest import choose, review_all

COORD, FIN, TENANT = {"carol"}, {"frank"}, {"alice", "bob"}
STAFF = set(PERSONAS) - TENANT


@pytest.fixture
def world(offer, session, users, project):
    choose(users["alice"].person)
    choose(users["bob"].person)
    services.rewards_accrue()
    ids = review_all(users)
    batch = services.batch_approve(line_ids=ids, category=Category.FEE, approver=users["frank"])
    from django.core.files.uploadedfile import SimpleUploadedFile

    claim = services.expense_claim_create(
        person=users["bob"].person,
        project=project,
        data={
            "kind": "travel",
            "incurred_on": dt.date(2025, 3, 4),
            "amount": "4.20",
            "description": "Bus",
            "paper_receipt_seen": False,
        },
        receipt=SimpleUploadedFile("bus.pdf", b"%PDF-1.4 test", content_type="application/pdf"),
        actor=users["carol"],
    )
    return {
        "batch": batch,
        "claim": claim,
        "line": batch.lines.first(),
        "bob": users["bob"].person,
        "project": project,
    }


def urls(w) -> list[tuple[str, set[str]]]:
    b, p = w["batch"].pk, w["project"].pk
    return [
        (reverse("rewards:home"), COORD | FIN),
        (reverse("rewards:policy"), set(PERSONAS)),
        (reverse("rewards:policy_new"), COORD),
        (reverse("rewards:offer", args=[p]), COORD | FIN | TENANT | {"fiona", "adam", "brenda"}),
        (reverse("rewards:offer_edit", args=[p]), COORD),
        (reverse("rewards:choices"), COORD),
        (reverse("rewards:person", args=[w["bob"].pk]), COORD),
        (reverse("rewards:person_choice", args=[w["bob"].pk]), COORD),
        (reverse("rewards:expense_new", args=[w["bob"].pk]), COORD),
        (reverse("rewards:receipt", args=[w["claim"].pk]), COORD | FIN | {"bob"}),
        (reverse("rewards:review"), COORD),
        (reverse("rewards:approve", args=["fee"]), FIN),
        (reverse("rewards:approve", args=["expense"]), FIN),
        (reverse("rewards:batches"), FIN),
        (reverse("rewards:batch", args=[b]), FIN),
        (reverse("rewards:batch_bank_csv", args=[b]), FIN),
        (reverse("rewards:batch_bank_xlsx", args=[b]), FIN),
        (reverse("rewards:batch_vouchers_csv", args=[b]), FIN),
        (reverse("rewards:line_correct", args=[w["line"].pk]), COORD | FIN),
        (reverse("rewards:mine"), TENANT),
        (reverse("rewards:mine_choice"), TENANT),
        (reverse("rewards:mine_summary", args=[2024]), TENANT),
        (reverse("rewards:mine_expense"), TENANT),
    ]


def test_anonymous_visitors_are_sent_to_sign_in(client, world):
    for url, _ in urls(world) + [
        (reverse("rewards:accrue"), COORD),
        (reverse("rewards:batch_paid", args=[world["batch"].pk]), FIN),
    ]:
        response = client.get(url)
        assert response.status_code == 302, url
        assert "/accounts/login/" in response["Location"], url


@pytest.mark.parametrize("persona", sorted(PERSONAS))
def test_each_persona_gets_only_the_pages_for_their_role(client, users, world, persona):
    client.force_login(users[persona])
    for url, allowed in urls(world):
        status = client.get(url).status_code
        if persona in allowed:
            assert status == 200, (persona, url, status)
        else:
            assert status in (403, 404), (persona, url, status)


@pytest.mark.parametrize("persona", sorted(PERSONAS))
def test_only_the_right_roles_can_post_actions(client, users, world, persona):
    client.force_login(users[persona])
    accrue = client.post(reverse("rewards:accrue")).status_code
    assert (accrue == 302) if persona in COORD else accrue == 403
    paid = client.post(reverse("rewards:batch_paid", args=[world["batch"].pk])).status_code
    assert (paid == 302) if persona in FIN else paid == 403


def test_tenant_cannot_see_other_tenants_rewards(client, users, world):
    client.force_login(users["alice"])
    mine = client.get(reverse("rewards:mine")).content.decode()
    assert "Alice" in mine and "Bob Example" not in mine
    assert "4.20" not in mine  # bob's expense
    assert client.get(reverse("rewards:receipt", args=[world["claim"].pk])).status_code == 404
    assert client.get(reverse("rewards:person", args=[world["bob"].pk])).status_code == 403
    summary = client.get(reverse("rewards:mine_summary", args=[2024]) + "?format=csv")
    assert b"Bob" not in summary.content and b"Alice" not in summary.content  # rows, not names
    assert b"Session: Workshop" in summary.content


def test_a_tenant_outside_the_project_cannot_read_its_offer(client, users, world):
    from coproduce.projects.models import ProjectMember

    ProjectMember.objects.filter(person=users["bob"].person).update(left_on=dt.date(2025, 6, 1))
    client.force_login(users["bob"])
    assert client.get(reverse("rewards:offer", args=[world["project"].pk])).status_code == 403


def test_finance_cannot_edit_or_read_equality_data(client, users):
    client.force_login(users["frank"])
    pk = users["alice"].person.pk
    assert client.get(f"/diversity/people/{pk}/record/").status_code == 403
    assert client.post(f"/diversity/people/{pk}/record/", {}).status_code == 403
    assert client.get(f"/diversity/people/{pk}/").status_code == 403


def test_receipts_are_stored_under_media_root(world, settings):
    claim = ExpenseClaim.objects.get(pk=world["claim"].pk)
    assert claim.receipt.name.startswith("rewards/receipts/")
    assert claim.receipt.path.startswith(str(settings.MEDIA_ROOT))
