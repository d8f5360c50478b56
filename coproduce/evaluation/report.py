"""The health-check report: one template for the web page, the PDF and the command line."""

from __future__ import annotations

import sys
from typing import Any, TypedDict

from django.template.loader import render_to_string
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from coproduce.evaluation import selectors
from coproduce.evaluation.models import (
    RATING_VALUE,
    EvidenceItem,
    EvidenceKind,
    HealthCheck,
    Judgement,
    Theme,
)
from coproduce.promises.models import Promise

BAR_COLOURS = {"red": "#d4351c", "amber": "#f47738", "green": "#00703c"}

# The page's own font (assets/coproduce.scss, $govuk-font-family). The chart sets it on the
# <svg> itself because GOV.UK Frontend gives a font only to its own classes, so inline SVG
# text (and the PDF, which has no page CSS) would otherwise fall back to a serif font.
CHART_FONT = 'system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif'


def _bar_chart(rows: list[tuple[str, float, str]], *, title: str, unit: str = "") -> SafeString:
    """A horizontal bar chart as SVG, with a text alternative. Values are 0..max.

    Each label sits above its bar, so the chart is narrow (400 units) and stays readable
    when it shrinks to a phone's width; the same figures are in a table beside it.
    """
    row_height = 46
    height = row_height * len(rows) + 6
    peak = max((v for _, v, _ in rows), default=0) or 1
    bars = []
    for i, (label, value, colour) in enumerate(rows):
        y = 4 + i * row_height
        width = max(4.0, 330 * value / peak)
        bars.append(
            f'<text x="0" y="{y + 15}" font-size="15">{escape(label[:44])}</text>'
            f'<rect x="0" y="{y + 21}" width="{width:.1f}" height="18" fill="{colour}"/>'
            f'<text x="{width + 5:.1f}" y="{y + 35}" font-size="15">'
            f"{escape(f'{value:g}{unit}')}</text>"
        )
    return mark_safe(  # noqa: S308 - every label is escaped above
        f'<svg class="cp-chart" role="img" aria-label="{escape(title)}" viewBox="0 0 400 {height}" '
        f'width="100%" font-family=\'{CHART_FONT}\' fill="#0b0c0c" '
        f'xmlns="http://www.w3.org/2000/svg"><title>{escape(title)}</title>'
        + "".join(bars)
        + "</svg>"
    )


class PromiseRow(TypedDict):
    """One promise in the report, with its judgement (if any) and what supports it."""

    promise: Promise
    judgement: Judgement | None
    label: str
    score: int | None  # the figure the ratings chart draws (100 = fully kept)
    quotes: list[EvidenceItem]
    themes: list[Theme]


def report_context(check: HealthCheck) -> dict[str, Any]:
    promises = list(check.promise_set.promises.filter(dropped=False).order_by("position"))
    judgements = selectors.judgements(check)
    rows: list[PromiseRow] = []
    for promise in promises:
        j = judgements.get(promise.pk)
        rows.append(
            {
                "promise": promise,
                "judgement": j,
                "label": selectors.rating_label(check, j.rating) if j else "Not judged",
                "score": round(100 * RATING_VALUE.get(j.rating, 0)) if j else None,
                "quotes": list(j.quotes.all()[:5]) if j else [],
                "themes": list(j.themes.all()) if j else [],
            }
        )
    rating_chart = _bar_chart(
        [
            (
                r["promise"].title,
                r["score"] or 0,
                BAR_COLOURS.get(j.rating, "#1d70b8"),
            )
            for r in rows
            if (j := r["judgement"])
        ],
        title="How well each promise is kept (100 = fully)",
        unit="",
    )
    kinds = dict(EvidenceKind.choices)
    by_source = selectors.evidence_by_source(check)
    source_chart = _bar_chart(
        [
            (kinds.get(k, k), n, "#0b5c55")
            for k, n in sorted(by_source.items(), key=lambda kv: -kv[1])
        ],
        title="Evidence items by source",
    )
    trend = selectors.trend(check)
    return {
        "check": check,
        "rows": rows,
        "sections": list(check.sections.all()),
        "method": selectors.method_figures(check),
        "rating_chart": rating_chart,
        "source_chart": source_chart,
        "by_source": {kinds.get(k, k): n for k, n in by_source.items()},
        "trend": trend,
        "has_trend": any(len(r["years"]) > 1 for r in trend),
        "recommendations": list(check.recommendations.select_related("promise")),
        "tsm": list(check.tsm_figures.all()),
    }


def render_html(check: HealthCheck) -> str:
    return render_to_string("evaluation/report.html", report_context(check))


def render_pdf(check: HealthCheck, base_url: str | None = None) -> bytes:
    from weasyprint import HTML

    html = render_html(check)
    return HTML(string=html, base_url=base_url).write_pdf(pdf_variant="pdf/ua-1")  # type: ignore[no-any-return]


def cli_main(argv: list[str]) -> int:
    """`coproduce report HEALTHCHECK_ID --format pdf|html --out FILE`."""
    import argparse

    class Parser(argparse.ArgumentParser):
        def error(self, message: str) -> None:  # type: ignore[override]
            sys.stderr.write(f"coproduce report: {message}\n")
            raise SystemExit(2)

    parser = Parser(prog="coproduce report", description="Write a health-check report.")
    parser.add_argument("health_check_id", type=int)
    parser.add_argument("--format", choices=["pdf", "html"], default="pdf")
    parser.add_argument("--out", required=True)
    try:
        args = parser.parse_args(argv)
    except SystemExit as done:
        return int(done.code or 0)
    check = HealthCheck.objects.filter(pk=args.health_check_id).first()
    if check is None:
        sys.stderr.write(f"coproduce report: there is no health check {args.health_check_id}\n")
        return 2
    try:
        if args.format == "pdf":
            data = render_pdf(check)
            with open(args.out, "wb") as binary:
                binary.write(data)
        else:
            with open(args.out, "w", encoding="utf-8") as text:
                text.write(render_html(check))
    except OSError as exc:
        sys.stderr.write(f"coproduce report: cannot write {args.out}: {exc.strerror}\n")
        return 2
    sys.stdout.write(f"Wrote {args.out}\n")
    return 0
