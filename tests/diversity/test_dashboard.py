import pytest
from django.urls import reverse

from coproduce.core.models import AuditEntry
from coproduce.diversity import selectors, services
from coproduce.diversity.models import EqualityConsent, EqualityRecord
from tests.conftest import PERSONAS

ALLOWED = {"carol", "fiona", "adam", "brenda", "dora"}


def _table(board, key):
    return next(t for t in board.tables if t.key == key)


def _row(table, code):
    return next(r for r in table.rows if r.code == code)


@pytest.mark.parametrize("persona", sorted(PERSONAS))
def test_only_the_team_the_board_and_dpo_see_the_dashboard(client, users, world, persona):
    client.force_login(users[persona])
    for name in ("diversity:dashboard", "diversity:same_old_people"):
        response = client.get(reverse(name))
        assert response.status_code == (200 if persona in ALLOWED else 403), (persona, name)


@pytest.mark.parametrize("persona", sorted(ALLOWED))
def test_the_dashboard_links_to_just_ask_and_the_counts_only_for_who_may_use_them(
    client, users, world, persona
):
    client.force_login(users[persona])
    page = client.get(reverse("diversity:dashboard")).content.decode()
    for name in ("diversity:quick_questions", "diversity:population"):
        shown = f'href="{reverse(name)}"' in page
        answer = client.get(reverse(name)).status_code
        assert shown == (answer == 200), (persona, name, shown, answer)
    assert (f'href="{reverse("diversity:quick_questions")}"' in page) == (
        persona != "brenda" and persona != "dora"
    )
    assert (f'href="{reverse("diversity:population")}"' in page) == (persona in {"carol", "dora"})


def test_anonymous_is_sent_to_sign_in(client, world):
    assert client.get(reverse("diversity:dashboard")).status_code == 302


def test_participants_are_compared_with_the_people_we_serve(world):
    board = selectors.dashboard(raw=True)
    ethnicity = _table(board, "ethnicity")
    assert _row(ethnicity, "white_british").population == 60
    assert _row(ethnicity, "white_british").participants == 30
    assert _row(ethnicity, "black").participants == 12
    assert _row(ethnicity, "black").rate == pytest.approx(12 / 40)
    # Proportional similarity: sum of min(population share, participant share).
    assert ethnicity.similarity == pytest.approx(min(0.6, 30 / 42) + min(0.4, 12 / 42))
    assert ethnicity.rate_ratio == pytest.approx((12 / 40) / (30 / 60))
    assert any("Black" in line and "under-represented" in line for line in ethnicity.summary)


def test_everyone_but_the_dpo_sees_small_numbers_hidden(world, login):
    mixed = services.equality_answers_save(
        person=world["people"][0],
        answers={"ethnicity": "mixed_other"},
        statistics=True,
        outreach=False,
        actor=None,
    )
    assert mixed is not None
    shown = _table(selectors.dashboard(raw=False), "ethnicity")
    assert _row(shown, "mixed").participants is None
    assert _row(shown, "mixed").participant_share is None
    raw = _table(selectors.dashboard(raw=True), "ethnicity")
    assert _row(raw, "mixed").participants == 1
    # The page for the board never prints the hidden number.
    page = login("brenda").get(reverse("diversity:dashboard"))
    assert b"hidden" in page.content
    assert page.context["board"].raw is False
    assert login("dora").get(reverse("diversity:dashboard")).context["board"].raw is True


def test_filtering_down_to_a_small_group_cannot_defeat_suppression(world):
    # Only 12 people took part in Southgate; narrowing to one project and that area must
    # not reveal any group under 10, nor a total that gives one away.
    board = selectors.dashboard(raw=False, area=world["south"], project=world["project"])
    for table in board.tables:
        for row in table.rows:
            for value in (row.participants, row.population):
                assert value is None or value == 0 or value >= 10
        shown = [r.participants for r in table.rows if r.participants is not None]
        hidden = [r for r in table.rows if r.participants is None]
        if table.participant_total is not None and len(hidden) == 1:
            pytest.fail(f"{table.key}: one hidden cell beside a shown total")
        assert sum(shown) <= (table.participant_total or sum(shown))


def test_withdrawing_consent_deletes_the_answers_and_changes_the_figures(world, users):
    before = _row(_table(selectors.dashboard(raw=True), "ethnicity"), "black").participants
    person = world["attendees"][-1]
    services.equality_consent_withdraw(person=person, actor=users["dora"])
    assert not EqualityRecord.objects.filter(person=person).exists()
    assert not EqualityConsent.objects.filter(person=person).exists()
    after = _row(_table(selectors.dashboard(raw=True), "ethnicity"), "black").participants
    assert after == before - 1
    assert AuditEntry.objects.filter(action="equality.withdrawn").exists()


def test_answers_without_statistics_consent_are_not_counted(world):
    person = world["attendees"][0]
    EqualityConsent.objects.filter(person=person).update(statistics=False)
    raw = _table(selectors.dashboard(raw=True), "ethnicity")
    assert _row(raw, "white_british").participants == 29


def test_a_period_with_nobody_shows_nothing(world):
    import datetime as dt

    board = selectors.dashboard(raw=False, start=dt.date(2030, 1, 1))
    assert board.participants == 0
    assert all(t.similarity is None for t in board.tables)


def test_the_dashboard_query_count_does_not_grow_with_groups(
    world, login, django_assert_max_num_queries
):
    from coproduce.people.models import Area

    client = login("carol")
    client.get(reverse("diversity:dashboard"))  # warm the population cache
    with django_assert_max_num_queries(16) as few:
        response = client.get(reverse("diversity:dashboard"))
    assert response.status_code == 200
    for n in range(15):
        Area.objects.create(name=f"Extra area {n}")
    with django_assert_max_num_queries(len(few.captured_queries) + 2):
        response = client.get(reverse("diversity:dashboard"))
    assert response.status_code == 200


def test_same_old_people_measures_concentration(world):
    from coproduce.diversity.selectors import concentration, gini

    assert gini([1, 1, 1, 1]) == pytest.approx(0)
    assert gini([0, 0, 0, 10]) == pytest.approx(0.75)
    data = concentration(raw=True)
    assert data.people == 42
    assert data.attendances == 42
    assert data.gini == pytest.approx(0)
