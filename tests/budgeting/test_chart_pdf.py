"""The charts' SVG inside a PDF: WeasyPrint draws it (fetching nothing, through
pmot.core.pdf) and the labels and figures of the drawing can be read back from the PDF."""

import io
from decimal import Decimal

import pytest
from pypdf import PdfReader

from budgeting import charts
from pmot.core.pdf import render_pdf
from tests.budgeting.chart_world import world  # noqa: F401


def pdf_text(chart: charts.Chart) -> str:
    pdf = render_pdf("budgeting/charts/_chart.html", {"chart": chart})
    assert pdf.startswith(b"%PDF-")
    # pypdf may put a line break wherever the drawing's text runs apart; read words.
    return " ".join(
        " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages).split()
    )


@pytest.fixture
def by_slug(world):  # noqa: F811
    poa, _ = world
    return {chart.slug: chart for chart in charts.poa_charts(poa)}


def test_a_bar_chart_prints_its_labels_and_its_bars_figures(by_slug):
    chart = by_slug["estrategia"]
    text = pdf_text(chart)
    for bar in chart.bars:
        for line in bar.lines:
            assert line.text in text
        # The compact figure ("$1.2 M · 32 %") is drawn only in the SVG, never in the table.
        assert bar.value in text, bar.value
    assert chart.title in text


def test_a_donut_prints_its_total_and_its_legend(by_slug):
    chart = by_slug["orden"]
    text = pdf_text(chart)
    assert chart.total_compact in text
    for row in chart.legend:
        assert row.label in text
        assert row.figures in text, row.figures


def test_a_single_slice_chart_prints_without_any_page_around_it():
    chart = charts.Chart(
        "x", "Una sola fuente", "bar", [charts.Slice("Todo", Decimal(10), Decimal(5), "#000")]
    )
    assert "Todo" in pdf_text(chart)
