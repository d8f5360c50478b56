import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from coproduce.promises import services
from coproduce.promises.diff import word_diff
from coproduce.promises.models import Promise, Proposal, ProposalStatus, SetStatus, Vote
from tests.conftest import PERSONAS


def _reword(group, wording="We will always listen to you and act."):
    return services.proposal_create(
        promise_set=group["set"],
        kind="reword",
        promise=group["promise"],
        person=group["members"][0],
        actor=None,
        data={"title": "Listen and act", "wording": wording},
    )


def test_word_diff_shows_exactly_what_changed():
    pieces = word_diff("We will listen to you.", "We will always listen to you and act.")
    assert [(p.op, p.text) for p in pieces if p.op != "same"] == [
        ("added", " always"),
        ("removed", "you."),
        ("added", "you and act."),
    ]


def test_an_accepted_rewording_becomes_a_new_version_and_keeps_history(group):
    proposal = _reword(group)
    for person, choice in zip(group["members"], ["for", "for", "against"], strict=True):
        services.vote_cast(proposal=proposal, person=person, choice=choice, actor=None)
    services.proposal_decide(proposal=proposal, person=group["members"][1], actor=None)
    promise = Promise.objects.get(pk=group["promise"].pk)
    assert promise.wording == "We will always listen to you and act."
    assert promise.version == 2
    assert list(promise.versions.values_list("wording", flat=True)) == [
        "We will listen to you.",
        "We will always listen to you and act.",
    ]


def test_majority_against_rejects(group):
    proposal = _reword(group)
    services.vote_cast(proposal=proposal, person=group["members"][0], choice="for", actor=None)
    services.vote_cast(proposal=proposal, person=group["members"][1], choice="against", actor=None)
    assert (
        services.proposal_decide(proposal=proposal, person=None, actor=None).status
        == ProposalStatus.REJECTED
    )
    assert Promise.objects.get(pk=group["promise"].pk).version == 1


def test_under_consent_one_objection_blocks(group):
    group["set"].decision_rule = "consent"
    group["set"].save()
    proposal = _reword(group)
    for person, choice in zip(group["members"], ["for", "for", "against"], strict=True):
        services.vote_cast(proposal=proposal, person=person, choice=choice, actor=None)
    assert (
        services.proposal_decide(proposal=proposal, person=None, actor=None).status
        == ProposalStatus.REJECTED
    )


def test_too_few_votes_cannot_be_decided(group):
    proposal = _reword(group)
    services.vote_cast(proposal=proposal, person=group["members"][0], choice="for", actor=None)
    with pytest.raises(ValidationError, match="At least 2 people"):
        services.proposal_decide(proposal=proposal, person=None, actor=None)


def test_a_proposal_overtaken_by_another_change_is_not_applied(group):
    first, second = _reword(group), _reword(group, "We will listen, then act.")
    for proposal in (first, second):
        for person in group["members"][:2]:
            services.vote_cast(proposal=proposal, person=person, choice="for", actor=None)
    services.proposal_decide(proposal=first, person=None, actor=None)
    assert (
        services.proposal_decide(proposal=second, person=None, actor=None).status
        == ProposalStatus.SUPERSEDED
    )
    assert (
        Promise.objects.get(pk=group["promise"].pk).wording
        == "We will always listen to you and act."
    )


def test_new_merge_split_and_drop(group):
    def decide(proposal):
        for person in group["members"][:2]:
            services.vote_cast(proposal=proposal, person=person, choice="for", actor=None)
        return services.proposal_decide(proposal=proposal, person=None, actor=None)

    decide(
        services.proposal_create(
            promise_set=group["set"],
            kind="new",
            person=None,
            actor=None,
            data={"title": "Respect", "wording": "We will treat you with respect."},
        )
    )
    assert group["set"].promises.filter(title="Respect", dropped=False).exists()
    decide(
        services.proposal_create(
            promise_set=group["set"],
            kind="merge",
            promise=group["promise"],
            other_promise=group["second"],
            person=None,
            actor=None,
            data={"title": "Listen and fix", "wording": "We listen and fix."},
        )
    )
    live = set(group["set"].promises.filter(dropped=False).values_list("title", flat=True))
    assert live == {"Respect", "Listen and fix"}
    merged = group["set"].promises.get(title="Listen and fix")
    decide(
        services.proposal_create(
            promise_set=group["set"],
            kind="split",
            promise=merged,
            person=None,
            actor=None,
            data={
                "title": "Listen",
                "wording": "We listen.",
                "title_2": "Fix",
                "wording_2": "We fix.",
            },
        )
    )
    live = set(group["set"].promises.filter(dropped=False).values_list("title", flat=True))
    assert live == {"Respect", "Listen", "Fix"}
    respect = group["set"].promises.get(title="Respect")
    decide(
        services.proposal_create(
            promise_set=group["set"], kind="drop", promise=respect, person=None, actor=None, data={}
        )
    )
    assert Promise.objects.get(pk=respect.pk).dropped


def test_a_tenant_proposes_and_another_votes_through_the_pages(client, users, group):
    client.force_login(users["alice"])
    response = client.post(
        reverse("promises:propose", args=[group["set"].pk]),
        {
            "kind": "reword",
            "promise": group["promise"].pk,
            "title": "Listen",
            "wording": "We will really listen to you.",
            "reason": "Stronger",
        },
    )
    proposal = Proposal.objects.get()
    assert response["Location"] == reverse("promises:proposal", args=[proposal.pk])
    client.force_login(users["bob"])
    page = client.get(reverse("promises:proposal", args=[proposal.pk]))
    assert b"<ins>" in page.content and b"really" in page.content
    client.post(reverse("promises:vote", args=[proposal.pk]), {"vote-choice": "for"})
    client.force_login(group["cath_user"])
    client.post(reverse("promises:vote", args=[proposal.pk]), {"vote-choice": "for"})
    client.post(reverse("promises:decide", args=[proposal.pk]))
    assert Promise.objects.get(pk=group["promise"].pk).wording == "We will really listen to you."


def test_staff_cannot_accept_or_reject_by_default(client, users, group):
    proposal = _reword(group)
    for person in group["members"][:2]:
        services.vote_cast(proposal=proposal, person=person, choice="for", actor=None)
    client.force_login(users["carol"])
    assert client.post(reverse("promises:decide", args=[proposal.pk])).status_code == 403
    assert Proposal.objects.get(pk=proposal.pk).status == ProposalStatus.OPEN
    page = client.get(reverse("promises:proposal", args=[proposal.pk]))
    assert b"Close the vote" not in page.content
    assert b"Only tenants in the group can close the vote" in page.content


def test_staff_record_a_vote_on_behalf_of_someone_on_the_phone(client, users, group):
    proposal = _reword(group)
    cath = group["members"][2]
    client.force_login(users["fiona"])
    client.post(
        reverse("promises:vote", args=[proposal.pk]),
        {"vote-choice": "against", "vote-person": cath.pk, "vote-via": "phone"},
    )
    vote = Vote.objects.get(proposal=proposal, person=cath)
    assert vote.via == "phone" and vote.recorded_by == users["fiona"]


def test_a_tenant_outside_the_group_cannot_see_the_draft(client, users, group):
    from coproduce.projects.models import ProjectMember

    ProjectMember.objects.filter(person__user=users["bob"]).delete()
    client.force_login(users["bob"])
    assert client.get(reverse("promises:set", args=[group["set"].pk])).status_code == 403


@pytest.mark.parametrize("persona", sorted(PERSONAS))
def test_every_page_checks_the_role(client, users, group, persona):
    proposal = _reword(group)
    client.force_login(users[persona])
    pages = {
        "promises:list": ([], set(PERSONAS)),
        "promises:set": ([group["set"].pk], {"alice", "bob", "carol", "fiona", "adam", "brenda"}),
        "promises:propose": ([group["set"].pk], {"alice", "bob", "carol", "fiona", "adam"}),
        "promises:rank": ([group["set"].pk], {"alice", "bob", "carol", "fiona", "adam"}),
        "promises:proposal": ([proposal.pk], {"alice", "bob", "carol", "fiona", "adam", "brenda"}),
        "promises:promise": (
            [group["promise"].pk],
            {"alice", "bob", "carol", "fiona", "adam", "brenda"},
        ),
        "promises:board": ([group["set"].pk], {"carol"}),
        "promises:credits": ([group["set"].pk], {"carol"}),
    }
    for name, (args, allowed) in pages.items():
        code = client.get(reverse(name, args=args)).status_code
        assert code == (200 if persona in allowed else 403), (persona, name)


def test_anonymous_is_sent_to_sign_in(client, group):
    response = client.get(reverse("promises:set", args=[group["set"].pk]))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_the_public_page_needs_no_login_and_names_only_consenting_people(client, users, group):
    promise_set = group["set"]
    assert client.get(reverse("promises:public", args=[promise_set.pk])).status_code == 404
    for to in (SetStatus.AGREED, SetStatus.PRESENTED, SetStatus.ADOPTED, SetStatus.PUBLISHED):
        services.set_transition(promise_set=promise_set, to=to, actor=users["carol"])
    alice, bob, _ = group["members"]
    services.co_designer_set(
        promise_set=promise_set,
        person=alice,
        consent=True,
        name_as="Alice E.",
        actor=users["carol"],
    )
    services.co_designer_set(
        promise_set=promise_set, person=bob, consent=False, name_as="", actor=users["carol"]
    )
    page = client.get(reverse("promises:public", args=[promise_set.pk]))
    assert page.status_code == 200
    assert b"We will listen to you." in page.content
    assert b"Alice E." in page.content and b"Bob" not in page.content
    assert b"1 other tenant" in page.content
    large = client.get(reverse("promises:public", args=[promise_set.pk]) + "?large=1")
    assert b"cp-promises--large" in large.content  # 1.6rem text, in extra.css


def test_the_set_moves_only_along_its_life_cycle(users, group):
    with pytest.raises(ValidationError, match="cannot move"):
        services.set_transition(
            promise_set=group["set"], to=SetStatus.PUBLISHED, actor=users["carol"]
        )
