"""chart.py: the budget chart reads in grey print and for colour-blind readers; its labels sit by their segments.

The chart is rendered alone through the real PDF stage and rasterised in grey (pypdfium2, as `make preview`
does), then each segment's pixels are measured where the SVG says the segment is.
"""
from __future__ import annotations

import re
import statistics
from decimal import Decimal
from itertools import combinations

import pytest

from preview import rasterise
from stodocs.chart import HEIGHT, LABEL_GAP, WIDTH, budget_chart
from stodocs.model import CATEGORIES, YEARS, Totals
from stodocs.pdf import PdfJob, html_to_pdf
from stodocs.render import stylesheet
from test_render import VERSION

SEGMENT = re.compile(r'<rect class="segment" data-category="([^"]+)" x="([\d.]+)" y="([\d.]+)" '
                     r'width="([\d.]+)" height="([\d.]+)"')
LABEL = re.compile(r'<text class="label" data-category="([^"]+)" x="[\d.]+" y="([\d.]+)"')


def segments(svg: str) -> list[tuple[str, float, float, float, float]]:
    return [(key, *map(float, rest)) for key, *rest in SEGMENT.findall(svg)]


def grey_levels(svg: str) -> list[dict[str, tuple[float, float]]]:
    """Return per bar, per category: the mean grey level of its pixels, and their spread, in a grey print."""
    html = (f"<!DOCTYPE html><html lang='nl'><head><style>{stylesheet()}\n@page {{ size: {WIDTH}px {HEIGHT}px; "
            f"margin: 0; @top-left {{ content: none }} @bottom-left {{ content: none }} @bottom-right {{ content: none }} }}"
            f"svg {{ display: block; width: {WIDTH}px; height: {HEIGHT}px }}</style></head><body>{svg}</body></html>")
    image = rasterise(html_to_pdf(PdfJob(html, {}, VERSION.date)).data, dpi=96 * 2, grey=True)[0].convert("L")
    bars: dict[float, dict[str, tuple[float, float]]] = {}
    for key, x, y, w, h in segments(svg):
        if h < 6:
            continue  # too thin to sample away from its white outline
        box = (round((x + 2) * 2), round((y + 2) * 2), round((x + w - 2) * 2), round((y + h - 2) * 2))
        crop = image.crop(box)
        pixels = [crop.getpixel((i, j)) for i in range(crop.width) for j in range(crop.height)]
        bars.setdefault(x, {})[key] = (statistics.mean(pixels), statistics.pstdev(pixels))
    return [bars[x] for x in sorted(bars)]


@pytest.fixture(scope="module")
def chart(example_region) -> str:
    return str(budget_chart(example_region.begroting.by_year_and_category(), YEARS, CATEGORIES))


def even_cells() -> dict[tuple[int, str], Totals]:
    """Every category the same amount in every year: each segment is tall enough to measure."""
    return {(year, key): Totals(Decimal(100000), Decimal(100000), Decimal(0)) for year in YEARS for key in CATEGORIES}


@pytest.mark.parametrize("source", ["example", "even"])
def test_neighbouring_segments_differ_in_grey_and_every_category_stands_apart(chart, source):
    svg = chart if source == "example" else str(budget_chart(even_cells(), YEARS, CATEGORIES))
    bars = grey_levels(svg)
    assert bars
    for bar in bars:
        stacked = [key for key in CATEGORIES if key in bar]
        for below, above in zip(stacked, stacked[1:]):
            assert abs(bar[below][0] - bar[above][0]) >= 30, (below, above, bar[below], bar[above])
        for a, b in combinations(stacked, 2):  # in grey, no two categories look alike
            assert abs(bar[a][0] - bar[b][0]) >= 25, (a, b, bar[a], bar[b])


def test_every_category_is_named_beside_its_segment_without_overlap(chart):
    svg = str(budget_chart(even_cells(), YEARS, CATEGORIES))
    labels = {key: float(y) for key, y in LABEL.findall(svg)}
    assert set(labels) == set(CATEGORIES)
    last_x = max(x for _, x, *_ in segments(svg))
    middles = {key: y + h / 2 for key, x, y, w, h in segments(svg) if x == last_x}
    for key, y in labels.items():  # equal segments: every label level with its own segment
        assert abs(y - middles[key]) < 1, key
    placed = sorted(float(y) for _, y in LABEL.findall(chart))
    assert set(dict(LABEL.findall(chart))) == set(CATEGORIES)
    assert all(b - a >= LABEL_GAP - 0.1 for a, b in zip(placed, placed[1:])), placed  # the example's labels do not overlap
