"""Hostile uploads to a TSM year: zip bombs, files over the limit, a huge cell, too many form
fields, and the same survey sent twice at once. Each gets a clear message, never a 500, and
nothing is half-imported."""

from __future__ import annotations

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections
from django.test import Client
from django.urls import reverse

from coproduce.core.models import AuditEntry
from coproduce.tsm import services
from coproduce.tsm.models import ManagementFigure, SurveyResponse, SurveyUpload, WeightTarget
from tests.support.fixtures import bombs  # noqa: F401 (fixture)
from tests.support.hostile_files import MB
from tests.tsm.helpers import SURVEY, upload

SAFELY = "so we cannot read it safely"
WEIGHTS = b"variable,category,population_share\nage_band,35-49,100\n"
FIGURES = b"code,part,numerator,denominator\nRP01,,12,1000\n"


@pytest.fixture
def year(users):
    return services.year_create(label="2025/26", actor=users["carol"])


@pytest.fixture
def year_with_survey(year, users):
    """Weights need a survey to weight: with one in place, only the file decides."""
    services.survey_import(year=year, data=SURVEY, filename="survey.csv", actor=users["carol"])
    return year


def _post(client, which: str, year, name: str, data: bytes):
    """The upload form for `which` (survey, weights or figures), as the browser sends it."""
    url = reverse(f"tsm:{which}_upload" if which != "figures" else "tsm:figures", args=[year.pk])
    fields = {f"{which}-file": upload(name, data)}
    if which == "figures":
        fields["import"] = "1"
    return client.post(url, fields)


def _imported(year) -> dict[str, int]:
    return {
        "survey": SurveyResponse.objects.filter(year=year).count(),
        "weights": WeightTarget.objects.filter(year=year).count(),
        "figures": ManagementFigure.objects.filter(year=year).count(),
    }


def _audited(which: str) -> int:
    action = {"survey": "tsm.survey_imported", "weights": "tsm.weights_imported"}
    return AuditEntry.objects.filter(action=action.get(which, "tsm.figures_saved")).count()


FORMS = ["survey", "weights", "figures"]


@pytest.mark.django_db
@pytest.mark.parametrize("which", FORMS)
@pytest.mark.parametrize("bomb", ["xlsx", "many.xlsx"])
def test_a_zip_bomb_is_refused_with_a_clear_message_and_imports_nothing(
    login,
    year_with_survey,
    bombs,  # noqa: F811
    which,
    bomb,
):
    year = year_with_survey
    before, audited = _imported(year), _audited(which)
    response = _post(login("carol"), which, year, "results.xlsx", bombs[bomb].read_bytes())
    assert response.status_code == 400
    page = response.content.decode()
    assert "Nothing was imported." in page and SAFELY in page
    assert "results.xlsx" in page  # the message names the file
    assert _imported(year) == before
    assert _audited(which) == audited


@pytest.mark.django_db
@pytest.mark.parametrize("which", FORMS)
def test_a_file_over_the_upload_limit_is_refused_with_a_clear_message(
    login, year_with_survey, settings, which
):
    settings.MAX_UPLOAD_BYTES = 1 * MB
    year = year_with_survey
    before = _imported(year)
    big = b"respondent_id,tenure_type,TP01,comment\n" + b"R,LCRA,5,x\n" * (MB // 10)
    response = _post(login("carol"), which, year, "big.csv", big)
    assert response.status_code == 400
    assert (
        "The file is larger than 1 MB. Split it or ask us to raise the limit."
        in response.content.decode()
    )
    assert _imported(year) == before


@pytest.mark.django_db
def test_a_survey_with_100_kb_in_one_comment_cell_is_imported(login, year):
    comment = "The lift. " * 10_240  # 100 KB in one cell, as a long free-text answer can be
    data = (
        f'respondent_id,tenure_type,TP01,TP01_comment\nR1,LCRA,5,"{comment}"\nR2,LCHO,2,\n'
    ).encode()
    response = _post(login("carol"), "survey", year, "comments.csv", data)
    assert response.status_code == 302
    assert SurveyResponse.objects.filter(year=year).count() == 2
    # Comments are not kept: nothing on a page could show one respondent's words.
    assert "lift" not in str(SurveyResponse.objects.get(respondent="R1").profile)


@pytest.mark.django_db
def test_a_cell_past_the_csv_readers_limit_is_refused_with_a_message(login, year):
    # Python's CSV reader stops at 128 KB in one field: a clear refusal, not a 500.
    data = f'respondent_id,tenure_type,TP01,comment\nR1,LCRA,5,"{"x" * 200_000}"\n'.encode()
    response = _post(login("carol"), "survey", year, "comments.csv", data)
    assert response.status_code == 400
    page = response.content.decode()
    assert "Nothing was imported." in page and "line 2 cannot be read as CSV" in page
    assert not SurveyResponse.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("which", "data", "expected"),
    [
        # A 100 KB category: longer than the database holds, refused before anything else.
        (
            "weights",
            b"variable,category,population_share\nage_band," + b"y" * 100_000 + b",100\n",
            "the category is longer than 100 characters",
        ),
        # A 100 KB measure code: refused, not stored.
        (
            "figures",
            b"code,part,numerator,denominator\n" + b"z" * 100_000 + b",,1,2\n",
            "is not a management measure",
        ),
    ],
)
def test_100_kb_in_one_cell_of_the_weights_or_figures_is_refused_with_a_message(
    login, year_with_survey, which, data, expected
):
    year = year_with_survey
    before = _imported(year)
    response = _post(login("carol"), which, year, "long.csv", data)
    assert response.status_code == 400
    assert expected in response.content.decode()
    assert _imported(year) == before


@pytest.mark.django_db
def test_a_figures_number_bigger_than_the_database_holds_is_refused(login, year):
    data = b"code,part,numerator,denominator\nRP01,,1,1000000000000000\n"
    response = _post(login("carol"), "figures", year, "figures.csv", data)
    assert response.status_code == 400
    assert "is too big; the most is 999,999,999,999" in response.content.decode()
    assert not ManagementFigure.objects.exists()


@pytest.mark.django_db
def test_more_fields_than_allowed_on_the_figures_form_is_a_clear_400(login, year, settings):
    settings.DATA_UPLOAD_MAX_NUMBER_FIELDS = 50
    fields = {f"rp01_0_numerator{i}": "1" for i in range(60)} | {"save": "1"}
    response = login("carol").post(reverse("tsm:figures", args=[year.pk]), fields)
    assert response.status_code == 400
    page = response.content.decode()
    assert "That form sent too many fields" in page and "at most 50 fields" in page
    assert not ManagementFigure.objects.exists()


LONG = "x" * 101  # one more than the database column holds


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("survey", "expected"),
    [
        (
            f"respondent_id,tenure_type,TP01\n{LONG},LCRA,5\n",
            "the respondent id is longer than 100 characters",
        ),
        ("respondent_id,tenure_type,TP01,weight\nR1,LCRA,5,2000000\n", "is not a weight"),
    ],
)
def test_a_survey_value_bigger_than_the_database_holds_is_refused_with_a_message(
    login, year, survey, expected
):
    response = _post(login("carol"), "survey", year, "survey.csv", survey.encode())
    assert response.status_code == 400
    page = response.content.decode()
    assert "Nothing was imported." in page and expected in page
    assert not SurveyResponse.objects.exists() and not SurveyUpload.objects.exists()


@pytest.mark.django_db
def test_a_weighting_category_longer_than_the_database_holds_is_refused(login, year, users):
    survey = f"respondent_id,tenure_type,TP01,age_band\nR1,LCRA,5,{LONG}\n".encode()
    services.survey_import(year=year, data=survey, filename="survey.csv", actor=users["carol"])
    weights = f"variable,category,population_share\nage_band,{LONG},100\n".encode()
    response = _post(login("carol"), "weights", year, "weights.csv", weights)
    assert response.status_code == 400
    assert "longer than 100 characters" in response.content.decode()
    assert not WeightTarget.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_the_same_survey_sent_twice_at_once_is_imported_once(users, year):
    if connection.vendor != "postgresql":
        pytest.skip("Needs PostgreSQL: SQLite runs one write at a time, so there is no race.")
    barrier = threading.Barrier(2)
    answers: list[tuple[int, str]] = []

    def send() -> None:
        try:
            client = Client()
            client.force_login(users["carol"])
            barrier.wait(timeout=10)
            response = _post(client, "survey", year, "survey.csv", SURVEY)
            answers.append((response.status_code, response.content.decode()))
        except BaseException as exc:  # noqa: BLE001 - reported by the test
            answers.append((0, repr(exc)))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=send) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    statuses = sorted(status for status, _ in answers)
    assert statuses == [302, 400], answers
    refused = next(page for status, page in answers if status == 400)
    assert "Nothing was imported." in refused
    # The second waits for the year's lock and then finds the file (or, had it not waited, the
    # database's unique constraint would have stopped it with its own message).
    assert "already imported as survey.csv" in refused or "a moment ago" in refused
    assert SurveyUpload.objects.filter(year=year).count() == 1
    assert SurveyResponse.objects.filter(year=year).count() == 14
    assert AuditEntry.objects.filter(action="tsm.survey_imported").count() == 1


@pytest.mark.django_db(transaction=True)
def test_two_different_files_with_the_same_respondents_at_once_import_one(users, year):
    if connection.vendor != "postgresql":
        pytest.skip("Needs PostgreSQL: SQLite runs one write at a time, so there is no race.")
    barrier = threading.Barrier(2)
    results: list[str] = []
    other = SURVEY.replace(b"Northfield", b"Southfield")  # another file, the same people

    def send(data: bytes, name: str) -> None:
        try:
            barrier.wait(timeout=10)
            services.survey_import(year=year, data=data, filename=name, actor=users["carol"])
            results.append("imported")
        except ValidationError as exc:
            results.append(exc.messages[0])
        except BaseException as exc:  # noqa: BLE001 - reported by the test
            results.append(repr(exc))
        finally:
            connections.close_all()

    threads = [
        threading.Thread(target=send, args=(SURVEY, "wave1.csv")),
        threading.Thread(target=send, args=(other, "wave2.csv")),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert "imported" in results and len(results) == 2, results
    refused = next(r for r in results if r != "imported")
    assert refused.startswith("Nothing was imported.")
    assert "Respondent 'O01' is already in this year" in refused or "a moment ago" in refused
    assert SurveyResponse.objects.filter(year=year).count() == 14
