"""An inline SVG bar chart of the budget per year, stacked by cost category. No JavaScript."""
from __future__ import annotations

from decimal import ROUND_CEILING, Decimal
from typing import Mapping

from markupsafe import Markup, escape

from .formatting import euro, euro_rounded
from .model import Totals

# One fill per category, bottom of the stack first: blue, orange, green, pale blue, rose (hues from the
# Okabe-Ito and Tol palettes, told apart with the common forms of colour blindness). Each has its own
# lightness, alternating dark-light up the stack, so that a grey print keeps them apart too: in grey
# 41, 162, 81, 212 and 134 of 255, neighbours at least 40 apart even when a category between them is
# missing from a year. Every category is also named beside the last bar (direct labels).
CATEGORY_COLOURS = ("#00355A", "#E69F00", "#117733", "#B3DEF5", "#CC6677")
LABEL_GAP = 15  # least vertical distance between two direct labels

WIDTH, HEIGHT = 640, 300
LEFT, RIGHT, TOP, BOTTOM = 78, 170, 16, 34  # plot margins; the legend sits in the right margin


def _nice_step(maximum: Decimal, most_ticks: int = 5) -> Decimal:
    """Return a round axis step (1, 2, 2.5 or 5 × 10^k) giving at most `most_ticks` steps."""
    if maximum <= 0:
        return Decimal(1)
    magnitude = Decimal(10) ** (len(str(int(maximum))) - 1)
    for factor in (Decimal("0.1"), Decimal("0.2"), Decimal("0.25"), Decimal("0.5"), 1, 2, Decimal("2.5"), 5, 10):
        step = magnitude * factor
        if maximum / step <= most_ticks:
            return step
    return magnitude * 10


def _n(value: Decimal | int) -> str:
    """Return an SVG coordinate with one decimal, the same on every machine."""
    return str(Decimal(value).quantize(Decimal("0.1")))


def _spread(wanted: list[Decimal], low: Decimal, high: Decimal) -> list[Decimal]:
    """Return label heights near `wanted` (top to bottom, ascending) at least LABEL_GAP apart, within low..high."""
    placed: list[Decimal] = []
    for y in wanted:
        placed.append(max(y, placed[-1] + LABEL_GAP) if placed else max(y, low))
    overflow = placed[-1] - high if placed else 0
    if overflow > 0:  # pushed past the bottom: move the whole column up, as far as the top allows
        placed = [y - overflow for y in placed]
        for i in range(len(placed)):
            placed[i] = max(placed[i], low + LABEL_GAP * i)
    return placed


def budget_chart(cells: Mapping[tuple[int, str], Totals], years, categories: Mapping[str, str]) -> Markup:
    """Return an SVG of the total cost per year, with one stacked segment per category."""
    totals = {y: sum((cells.get((y, c), Totals()).totaal for c in categories), Decimal(0)) for y in years}
    step = _nice_step(max(totals.values(), default=Decimal(0)))
    highest = max(totals.values(), default=Decimal(0))
    ticks = max(int((highest / step).to_integral_value(rounding=ROUND_CEILING)), 1)
    top_value = step * ticks
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    band = Decimal(plot_w) / len(years)
    bar_w = band * Decimal("0.56")

    def y_of(value: Decimal) -> Decimal:
        return TOP + plot_h - value * plot_h / top_value

    out = [f'<svg class="chart" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" '
           f'font-family="Lato, sans-serif" role="img" aria-labelledby="grafiek-titel grafiek-uitleg">',
           '<title id="grafiek-titel">Begroting per jaar en kostencategorie</title>',
           '<desc id="grafiek-uitleg">Gestapelde staven: per jaar de totale kosten, opgedeeld naar kostencategorie. '
           'De bedragen staan in de tabel hierboven.</desc>']
    for i in range(ticks + 1):
        value = step * i
        y = _n(y_of(value))
        out.append(f'<line x1="{LEFT}" x2="{LEFT + plot_w}" y1="{y}" y2="{y}" stroke="#dde3ea" stroke-width="0.8"/>')
        out.append(f'<text x="{LEFT - 8}" y="{y}" font-size="10" fill="#5b6673" text-anchor="end" dominant-baseline="middle">'
                   f'{escape(euro_rounded(value))}</text>')
    last_right, last_middle = Decimal(LEFT + plot_w), {}
    for i, year in enumerate(years):
        x = LEFT + band * i + (band - bar_w) / 2
        base = Decimal(0)
        middle: dict[str, Decimal] = {}
        for index, (key, name) in enumerate(categories.items()):
            amount = cells.get((year, key), Totals()).totaal
            if amount <= 0:
                continue
            y_top, y_bottom = y_of(base + amount), y_of(base)
            out.append(f'<rect class="segment" data-category="{escape(key)}" x="{_n(x)}" y="{_n(y_top)}" '
                       f'width="{_n(bar_w)}" height="{_n(y_bottom - y_top)}" fill="{CATEGORY_COLOURS[index]}" stroke="#ffffff" '
                       f'stroke-width="1"><title>{escape(name)} {year}: {escape(euro(amount))}</title></rect>')
            middle[key] = (y_top + y_bottom) / 2
            base += amount
        if i == len(years) - 1:
            last_right, last_middle = x + bar_w, dict(middle)
        centre = _n(x + bar_w / 2)
        out.append(f'<text x="{centre}" y="{_n(y_of(base) - 5)}" font-size="10" font-weight="700" fill="#1d2733" text-anchor="middle">'
                   f'{escape(euro_rounded(base))}</text>')
        out.append(f'<text x="{centre}" y="{HEIGHT - BOTTOM + 18}" font-size="12" font-weight="700" fill="#1d2733" text-anchor="middle">{year}</text>')
    out.append(f'<line x1="{LEFT}" x2="{LEFT + plot_w}" y1="{TOP + plot_h}" y2="{TOP + plot_h}" stroke="#1d2733" stroke-width="1"/>')
    # Direct labels: each category named beside the last bar, level with its segment there (a category
    # missing from that bar sits where it would be stacked), the labels spread so that none overlap.
    label_x = LEFT + plot_w + 26
    keys = list(categories)
    wanted, previous = [], Decimal(TOP + plot_h)
    for key in keys:  # bottom of the stack first
        previous = last_middle.get(key, previous)
        wanted.append(previous)
    order = sorted(range(len(keys)), key=lambda k: (wanted[k], -k))  # top to bottom
    placed = _spread([wanted[k] for k in order], Decimal(TOP + 6), Decimal(TOP + plot_h - 6))
    for index, y in zip(order, placed):
        if keys[index] in last_middle:
            out.append(f'<path d="M{_n(last_right + 2)},{_n(wanted[index])} L{_n(label_x - 8)},{_n(y)}" '
                       f'stroke="#5b6673" stroke-width="0.6" fill="none"/>')
        out.append(f'<rect x="{label_x}" y="{_n(y - 6)}" width="12" height="12" fill="{CATEGORY_COLOURS[index]}" '
                   f'stroke="#1d2733" stroke-width="0.4"/>')
        out.append(f'<text class="label" data-category="{escape(keys[index])}" x="{label_x + 18}" y="{_n(y)}" '
                   f'font-size="11" fill="#1d2733" dominant-baseline="middle">{escape(categories[keys[index]])}</text>')
    out.append("</svg>")
    return Markup("\n".join(out))
