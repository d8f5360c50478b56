"""The health-check report's charts: their text is in the page's font, not the browser's serif
fallback, and every chart has a table beside it with the same figures."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
from django.urls import reverse
from lxml import html

from coproduce.evaluation import services
from tests.evaluation.conftest import check  # noqa: F401  (shared fixture)

SCSS = Path(__file__).resolve().parents[2] / "assets" / "coproduce.scss"


def page_font() -> str:
    """The font stack the page's CSS is compiled with ($govuk-font-family)."""
    found = re.search(r"^\$govuk-font-family:\s*(.+?);", SCSS.read_text(), re.M)
    assert found
    return found.group(1)


@pytest.fixture
def report(client, users, check):  # noqa: F811
    for kind in ("interview", "interview", "survey"):
        services.evidence_add(
            check=check,
            kind=kind,
            source="Door knocking",
            text="Repairs are slow.",
            gathered_on=dt.date(2026, 5, 1),
            person=None,
            actor=users["carol"],
        )
    for promise, rating in zip(check.promise_set.promises.all(), ("amber", "green"), strict=False):
        client.force_login(users["alice"])
        response = client.post(
            reverse("evaluation:judgement_save", args=[check.pk, promise.pk]),
            {
                f"p{promise.pk}-rating": rating,
                f"p{promise.pk}-narrative": "What we found.",
                f"p{promise.pk}-version": "",
            },
        )
        assert response.status_code == 302
    client.force_login(users["brenda"])
    response = client.get(reverse("evaluation:report", args=[check.pk]))
    assert response.status_code == 200
    return html.fromstring(response.content)


def charts(tree) -> list:
    found = tree.xpath("//*[local-name()='svg'][@role='img']")
    assert len(found) == 2  # ratings, evidence by source
    return found


def test_the_charts_text_is_in_the_page_font(report):
    for chart in charts(report):
        assert chart.get("font-family") == page_font()
        # No text inside sets a font of its own.
        assert not [t for t in chart.xpath(".//*[local-name()='text']") if t.get("font-family")]


def test_every_chart_has_a_table_with_the_same_figures(report):
    for chart in charts(report):
        texts = [t.text_content() for t in chart.xpath(".//*[local-name()='text']")]
        bars = list(zip(texts[::2], texts[1::2], strict=True))
        assert bars, chart.get("aria-label")
        table = chart.xpath("following::table[1]")[0]
        rows = [
            [cell.text_content().strip() for cell in row.xpath("./td|./th")]
            for row in table.xpath(".//tbody/tr")
        ]
        for label, value in bars:
            assert any(row[0].startswith(label) and value in row[1:] for row in rows), (
                label,
                value,
                rows,
            )
