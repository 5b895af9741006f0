"""An indicator's series chart: its values against its targets inside the traffic light's
bands (geometry computed in Python, checked here), drawn as SVG that WeasyPrint prints."""

import io
import re
from decimal import Decimal

import pytest
from django.template.loader import render_to_string
from pypdf import PdfReader

from evaluation import charts, selectors
from evaluation.services import indicators as services
from pmot.core.pdf import render_pdf
from tests.evaluation.conftest import TODAY
from tests.evaluation.test_indicators import set_target

D = Decimal


@pytest.fixture
def planner(persona):
    return persona("planner")


def report(indicator, number, a, by, year=2026, b="100"):
    return services.measurement_report(
        indicator=indicator, year=year, number=number, a=a, b=b, by=by, today=TODAY
    )


def chart_of(indicator):
    return charts.series_chart(indicator, selectors.series(indicator, TODAY))


def column(chart, label):
    return next(c for c in chart.columns if c.label == label)


def band(col, fill):
    return next(r for r in col.rects if r.fill == fill)


def test_a_value_exactly_at_its_target_sits_on_the_target_line(indicator, planner):
    set_target(indicator, 1, "60")
    report(indicator, 1, "60", planner)
    chart = chart_of(indicator)
    t1 = column(chart, "2026-T1")
    assert t1.colour == "green"
    assert t1.point_y == t1.target_y
    # the target line passes through that height across the period
    assert f"M {t1.left} {t1.target_y} H" in chart.target_path or f"V {t1.target_y}" in (
        chart.target_path
    )


def test_a_higher_value_sits_higher(indicator, planner):
    set_target(indicator, 1, "50")
    set_target(indicator, 2, "50")
    report(indicator, 1, "40", planner)
    report(indicator, 2, "60", planner)
    chart = chart_of(indicator)
    assert column(chart, "2026-T2").point_y < column(chart, "2026-T1").point_y


def test_the_bands_scale_with_the_target(indicator, planner):
    set_target(indicator, 1, "40")
    set_target(indicator, 2, "80")
    chart = chart_of(indicator)
    t1, t2 = column(chart, "2026-T1"), column(chart, "2026-T2")
    # the default green band is 90–110 % of the target: twice as tall for twice the target
    assert band(t2, charts.GREEN_BAND).height == pytest.approx(
        2 * band(t1, charts.GREEN_BAND).height, abs=0.05
    )
    # and it holds the target line
    for col in (t1, t2):
        green = band(col, charts.GREEN_BAND)
        assert green.y < col.target_y < green.y + green.height


def test_the_band_edges_of_an_ascending_indicator_are_per_cent_of_the_target():
    edges = charts.band_edges("ascending", D(200), charts.Bands(D(90), D(110), D(75), D(125)))
    assert edges == {
        "green_low": D(180),
        "green_high": D(220),
        "yellow_low": D(150),
        "yellow_high": D(250),
    }


def test_a_descending_indicators_green_runs_from_zero_through_its_target():
    # At or below the target it has met it: green from 0 up to the target and on to
    # target×100/green_low (compliance = target ÷ value above it); yellow on to ×100/yellow_low.
    edges = charts.band_edges("descending", D(110), charts.Bands(D(90), D(110), D(75), D(125)))
    assert edges["green_low"] == D(0)
    assert edges["green_high"] == pytest.approx(D("122.2222"), abs=D("0.001"))  # ×100/90
    assert edges["yellow_low"] == D(0)  # under the green: no yellow below the target
    assert edges["yellow_high"] == pytest.approx(D("146.6667"), abs=D("0.001"))  # ×100/75


def test_a_descending_indicators_chart_puts_green_down_to_zero(make_indicator, planner):
    indicator = make_indicator(direction="descending")
    set_target(indicator, 1, "50")
    report(indicator, 1, "50", planner)
    report(indicator, 2, "40", planner)  # no target: no bands
    chart = chart_of(indicator)
    t1 = column(chart, "2026-T1")
    green = band(t1, charts.GREEN_BAND)
    assert t1.point_y == t1.target_y
    # target 50: green from 0 to 50×100/90 ≈ 55.56; read back from the drawing's scale
    # through the target line (value 50 at target_y)
    scale = (chart.axis_y - t1.target_y) / 50
    assert (chart.axis_y - green.y) / scale == pytest.approx(55.56, abs=0.05)
    assert green.y + green.height == pytest.approx(chart.axis_y, abs=0.05)
    t2 = column(chart, "2026-T2")
    assert t2.colour == "no_target"
    assert t2.rects == []
    assert t2.target_y is None


def test_a_zero_yellow_floor_of_a_descending_indicator_reaches_the_top(make_indicator, planner):
    indicator = make_indicator(
        direction="descending", green_low=90, green_high=110, yellow_low=0, yellow_high=125
    )
    set_target(indicator, 1, "50")
    chart = chart_of(indicator)
    yellow = band(column(chart, "2026-T1"), charts.YELLOW_BAND)
    assert yellow.y == chart.plot.y


def test_sin_reporte_periods_are_marked(indicator, planner):
    set_target(indicator, 1, "50")
    report(indicator, 1, "50", planner)
    chart = chart_of(indicator)
    missing = [c.label for c in chart.columns if c.no_report]
    assert missing == ["2025-T1", "2025-T2", "2025-T3", "2025-T4", "2026-T2"]
    t2 = column(chart, "2026-T2")
    assert t2.marker is not None
    assert t2.marker.fill == "none"
    svg = render_to_string("evaluation/charts/_series_svg.html", {"chart": chart})
    assert svg.count("series-chart__marker--no_report") == 5
    assert "2026-T2 · Sin reporte" in svg


def test_each_colour_has_its_own_marker_shape():
    shapes = {c: charts.marker_path(c, 10, 10) for c in charts.COLOURS}
    assert len({shapes[c] for c in (*charts.COUNTED, "no_report")}) == 5


def test_the_table_gives_every_figure(indicator, planner):
    set_target(indicator, 1, "50")
    report(indicator, 1, "45", planner)
    html = render_to_string("evaluation/charts/_series.html", {"chart": chart_of(indicator)})
    row = re.search(r"<th scope=\"row\">2026-T1</th>(.*?)</tr>", html, re.S).group(1)
    cells = [re.sub(r"\s+", " ", c).strip() for c in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)]
    assert cells[:3] == ["50", "45", "90 %"]
    assert cells[3].startswith("Verde")
    assert "por validar" in cells[3].lower()
    assert "<title" in html
    assert "<desc" in html
    assert "style=" not in html
    assert "<script" not in html


def test_a_long_monthly_series_labels_the_years(make_indicator):
    indicator = make_indicator(frequency="monthly", first_year=2021)
    chart = chart_of(indicator)
    assert len(chart.columns) == 67  # Jan 2021 to Jul 2026
    assert chart.width == charts.MAX_WIDTH
    assert chart.scrolls  # sideways on a phone, rather than shrunk to unreadable text
    assert [tick.label for tick in chart.x_ticks] == [str(y) for y in range(2021, 2027)]


def test_a_shorter_monthly_series_labels_every_few_months(make_indicator):
    chart = chart_of(make_indicator(frequency="monthly", first_year=2025))
    assert len(chart.columns) == 19  # Jan 2025 to Jul 2026
    labels = [tick.label for tick in chart.x_ticks]
    # on the same months each year, from January
    assert labels[:3] == ["2025-01", "2025-03", "2025-05"]
    assert "2026-01" in labels
    # labels never overlap: each is at least its text's width from the next
    ticks = chart.x_ticks
    gaps = [b.position - a.position for a, b in zip(ticks, ticks[1:], strict=False)]
    assert min(gaps) > len("2025-01") * charts.PERIOD_CHAR


def test_a_short_quarterly_series_labels_every_period(indicator):
    chart = chart_of(indicator)
    assert not chart.scrolls
    assert [t.label for t in chart.x_ticks] == [c.label for c in chart.columns]


def test_the_targets_take_one_query_and_none_when_prefetched(indicator, django_assert_num_queries):
    lights = selectors.series(indicator, TODAY)
    with django_assert_num_queries(1):
        charts.series_chart(indicator, lights)
    indicator = type(indicator).objects.prefetch_related("targets").get(pk=indicator.pk)
    with django_assert_num_queries(0):
        charts.series_chart(indicator, lights)


def pdf_text(chart) -> str:
    pdf = render_pdf("evaluation/charts/_series.html", {"chart": chart})
    assert pdf.startswith(b"%PDF-")
    return " ".join(
        " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages).split()
    )


def test_the_chart_prints_in_a_pdf_with_its_labels(indicator, planner):
    set_target(indicator, 1, "50")
    report(indicator, 1, "45", planner)
    chart = chart_of(indicator)
    text = pdf_text(chart)
    for tick in chart.x_ticks:
        assert tick.label in text
    for tick in chart.y_ticks:
        assert tick.label in text
    assert "Meta" in text
    assert "Sin reporte" in text
    assert chart.title in text


def test_a_long_chart_prints_in_a_pdf(make_indicator):
    chart = chart_of(make_indicator(frequency="monthly", first_year=2021))
    assert "2021" in pdf_text(chart)
