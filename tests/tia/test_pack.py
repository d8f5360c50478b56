"""The TIA evidence pack: who may see it, what it shows, where its figures lead, and its cost."""

from __future__ import annotations

import datetime as dt
import io
import re
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from pypdf import PdfReader

from coproduce.evaluation.models import Action, Recommendation, TsmFigure
from coproduce.projects.models import DecidedBy, Project
from coproduce.promises.models import SetStatus
from coproduce.tia import selectors
from coproduce.tsm import services as tsm_services
from tests.tia.conftest import decision, health_check, promise_set
from tests.tsm.helpers import STATEMENT, SURVEY, every_figure, ready_year

ALLOWED = ["alice", "bob", "carol", "fiona", "adam", "dora", "brenda"]
REFUSED = ["frank", "colin", "sam"]
HEADINGS = [
    "1.1 Fairness and respect",
    "1.2 Diverse needs",
    "1.3 Engagement with tenants",
    "1.4 Information about landlord services",
    "1.5 Performance information",
    "1.6 Complaints",
]


def figure_links(body: str) -> list[str]:
    """Every figure's link on the pack (the figures carry data-source)."""
    return re.findall(r'data-source href="([^"]+)"', body)


def text(body: str) -> str:
    """The page's visible words, without tags, on one line."""
    body = re.sub(r'<span class="govuk-visually-hidden">[^<]*</span>', "", body)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", body)).replace("&#x27;", "'")


# --- who may see it ------------------------------------------------------------------------------
@pytest.mark.parametrize("persona", ALLOWED)
def test_the_board_the_involvement_team_the_dpo_and_tenants_see_the_pack(login, world, persona):
    response = login(persona).get(reverse("tia:pack"))
    assert response.status_code == 200
    body = response.content.decode()
    for heading in HEADINGS:
        assert heading in body


@pytest.mark.parametrize("persona", REFUSED)
def test_finance_colleagues_and_the_sysadmin_are_refused_the_page_and_the_pdf(
    login, world, persona
):
    client = login(persona)
    assert client.get(reverse("tia:pack")).status_code == 403
    assert client.get(reverse("tia:pack_pdf")).status_code == 403


def test_an_anonymous_visitor_is_sent_to_sign_in(client, world):
    for name in ("tia:pack", "tia:pack_pdf"):
        response = client.get(reverse(name))
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:login"))


# --- every figure leads somewhere the viewer may go ----------------------------------------------
@pytest.mark.parametrize("persona", ALLOWED)
def test_every_figure_links_to_a_page_the_viewer_may_open(login, world, persona):
    client = login(persona)
    links = figure_links(client.get(reverse("tia:pack")).content.decode())
    assert links, "the pack should link its figures"
    for href in sorted(set(links)):
        assert client.get(href.split("#")[0]).status_code == 200, (persona, href)


def test_a_tenant_gets_links_only_to_what_they_may_open(login, world):
    repairs = reverse("projects:detail", args=[world["repairs"].pk])
    estate = reverse("projects:detail", args=[world["estate"].pk])
    check = reverse("evaluation:check", args=[world["check"].pk])
    public = reverse("promises:public", args=[world["published"].pk])
    adopted = reverse("promises:set", args=[world["adopted"].pk])

    alice = set(figure_links(login("alice").get(reverse("tia:pack")).content.decode()))
    assert repairs in alice and check in alice and public in alice  # her project, her check
    assert estate not in alice and adopted not in alice  # not her project

    bob = set(figure_links(login("bob").get(reverse("tia:pack")).content.decode()))
    assert public in bob  # published promises are for everyone
    assert not {repairs, estate, check, adopted} & bob
    assert reverse("diversity:dashboard") not in bob

    brenda = set(figure_links(login("brenda").get(reverse("tia:pack")).content.decode()))
    assert {repairs, estate, check, adopted, reverse("diversity:dashboard")} <= brenda


def test_figures_without_a_link_are_still_shown(login, world):
    body = text(login("bob").get(reverse("tia:pack")).content.decode())
    assert "Repairs panel 3 2 (67%) 2 (67%) Co-design" in body
    assert "Estate walkabouts 1 0 (0%) 0 (0%) Coercion" in body


# --- real figures from the world -----------------------------------------------------------------
def test_the_engagement_section_counts_decisions_and_measures_the_ladder(login, world):
    body = text(login("brenda").get(reverse("tia:pack")).content.decode())
    assert "Decisions recorded: 4" in body
    assert "Made by tenants, or by tenants and staff together: 2 (50%)" in body
    assert "Tenants' views written down: 2 (50%)" in body
    assert "Fed back to tenants (“you said, we did”): 2 (50%)" in body
    assert "Projects measured as real co-production: 0 of 2 measured" in body
    assert "Decisions sent to project members as a message: 1 ." in body
    assert "Messages that reached someone: 1 ." in body
    # The latest "you said, we did", newest first.
    assert body.index("Done.") < body.index("We added evening slots from March.")
    assert "2 decisions have not been fed back to tenants yet." in body


def test_a_tenant_reads_you_said_we_did_only_from_projects_they_may_see(login, world):
    alice = text(login("alice").get(reverse("tia:pack")).content.decode())
    assert "We added evening slots from March." in alice
    bob = text(login("bob").get(reverse("tia:pack")).content.decode())
    assert "We added evening slots from March." not in bob
    assert "Decisions recorded: 4" in bob  # the totals are the same for everyone


def test_the_promises_section_shows_how_tenants_made_them(login, world):
    body = text(login("carol").get(reverse("tia:pack")).content.decode())
    row = (
        "Our repair promises Published (15 June 2025) 2 13 1 1 1 "
        "Presented 1 time; last on 1 June 2025 (adopted)"
    )
    assert row in body
    assert "Estate promises Adopted by the board (1 July 2025) 2 fewer than 10 1 2 0" in body


def test_the_health_check_section_shows_findings_and_the_boards_actions(login, world):
    body = text(login("alice").get(reverse("tia:pack")).content.decode())
    assert "Health check 2025 (2025, following up)" in body
    assert "2 : 1 Red: not kept; 1 Green: kept" in body
    assert "2 : 1 in progress; 1 done" in body
    assert "Presented to the board on 4 March 2026" in body
    assert "Listen Green: kept" in body and "Repairs Red: not kept" in body
    assert "Answer repair calls within a day." in body
    assert "Agreed : We will hire two more call handlers." in body


def test_the_complaints_section_reads_the_newest_published_satisfaction_measures(
    login, world, users
):
    carol = users["carol"]
    older = ready_year(tsm_services.year_create(label="2023/24", actor=carol), carol)
    tsm_services.year_publish(year=older, actor=carol)
    newer = tsm_services.year_create(label="2024/25", actor=carol)
    tsm_services.survey_import(year=newer, data=SURVEY, filename="s.csv", actor=carol)
    figures = every_figure() | {("CH01", 1): (Decimal(125), Decimal(10000))}
    tsm_services.figures_save(year=newer, figures=figures, actor=carol)
    newer.refresh_from_db()
    newer = tsm_services.year_update(year=newer, data=STATEMENT, version=newer.version, actor=carol)
    tsm_services.year_publish(year=newer, actor=carol)
    shown = {f.code: f for f in selectors.complaints_context()}
    # CH01 part 1: 125 stage one complaints for 10,000 homes is 12.5 per 1,000 homes.
    assert shown["CH01"].value.startswith("part 1: 12.5 per 1,000 homes")
    assert shown["CH01"].year == "2024/25"
    # CH02 (both parts): 9 of 10 answered in time.
    assert shown["CH02"].value == "part 1: 90.0%; part 2: 90.0%"
    # TP09: in tests.tsm.helpers' survey nobody answered TP09, so it is not shown.
    assert "TP09" not in shown
    response = login("brenda").get(reverse("tia:pack"))
    body = text(response.content.decode())
    assert "CH01 Complaints relative to the size of the landlord part 1: 12.5" in body
    assert reverse("tsm:publication", args=["2024-25"]) in response.content.decode()
    # The perception measures sit under performance information: TP01 for tenants is 5 of 9.
    assert "What tenants told us in the 2024/25 satisfaction survey" in body
    assert "TP01 Overall satisfaction LCRA 55.6% (9 answered)" in body


# --- small numbers -------------------------------------------------------------------------------
def test_small_numbers_of_people_are_hidden_for_everyone_even_the_dpo(login, world):
    for persona in ("dora", "brenda", "bob"):
        body = text(login(persona).get(reverse("tia:pack")).content.decode())
        # One person took part: the total and every group are hidden.
        assert "People who took part: fewer than 10" in body
        assert "Aged" in body and "hidden" in body
        # One tenant evaluator; two voters on the estate promises.
        assert "fewer than 10" in body.split("Health check 2025 (2025")[1][:80]
        assert "Estate promises Adopted by the board (1 July 2025) 2 fewer than 10" in body
        # Nobody is named.
        assert "Alice" not in body.split("Tenants' evidence pack", 1)[1]
        assert "Helper0" not in body and "Voter0" not in body


# --- an empty platform says so -------------------------------------------------------------------
def test_with_nothing_recorded_each_section_says_what_is_missing(login, users):
    body = text(login("brenda").get(reverse("tia:pack")).content.decode())
    assert "No decisions have been recorded in any project yet." in body
    assert "No one's taking part has been recorded yet." in body
    assert "No customer promises have been adopted or published yet." in body
    assert "No health check has been done yet." in body
    assert "No complaints figures have been published yet." in body
    assert "The platform holds no evidence of fair and respectful treatment." in body


# --- a fixed number of queries -------------------------------------------------------------------
def _queries(client) -> int:
    cache.clear()  # the whose-voice figures are cached: count them worked out afresh each time
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("tia:pack")).status_code == 200
    return len(queries)


def _more(world, users, n: int) -> None:
    """n more projects with decisions, promise sets, health checks with recommendations and
    actions, and complaints figures."""
    for i in range(n):
        project = Project.objects.create(title=f"More {i}", purpose="x", owner=users["carol"])
        for day in range(1, 4):
            decision(project, dt.date(2025, day, 1), DecidedBy.TOGETHER, said="a", did="b")
        more = promise_set(project, f"More promises {i}", SetStatus.PUBLISHED)
        check = health_check(more, 2030 + i)
        rec = Recommendation.objects.create(health_check=check, text="Do better.")
        Action.objects.create(recommendation=rec, description="x", owner="y")
        TsmFigure.objects.create(
            health_check=check, code="CH01", name="Complaints", value=Decimal(i), year=str(i)
        )


@pytest.mark.parametrize("persona", ["brenda", "alice", "dora"])
def test_the_pack_is_built_with_a_fixed_number_of_queries(login, world, users, persona):
    client = login(persona)
    client.get(reverse("tia:pack"))  # warm up the session
    before = _queries(client)
    _more(world, users, 4)
    after = _queries(client)
    assert after == before, (before, after)
    assert 20 <= before <= 45, before  # 37 to 39 by persona, with the cache cold


# --- the PDF -------------------------------------------------------------------------------------
@pytest.mark.parametrize("persona", ["brenda", "bob"])
def test_the_pdf_is_a_real_pdf_with_every_section(login, world, persona):
    response = login(persona).get(reverse("tia:pack_pdf"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    reader = PdfReader(io.BytesIO(response.content))
    words = re.sub(r"\s+", " ", " ".join(page.extract_text() for page in reader.pages))
    for heading in ["Tenants' evidence pack", *HEADINGS]:
        assert heading in words, heading
    assert "Our repair promises" in words
