"""An inline SVG bar chart of the budget per year, stacked by cost category. No JavaScript."""
from __future__ import annotations

from decimal import ROUND_CEILING, Decimal
from typing import Mapping

from markupsafe import Markup, escape

from .formatting import euro, euro_rounded
from .model import Totals

# Okabe-Ito colours: distinguishable with the common forms of colour blindness. Yellow is left
# out because it vanishes on white paper.
CATEGORY_COLOURS = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9")

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
    for i, year in enumerate(years):
        x = LEFT + band * i + (band - bar_w) / 2
        base = Decimal(0)
        for colour, (key, name) in zip(CATEGORY_COLOURS, categories.items()):
            amount = cells.get((year, key), Totals()).totaal
            if amount <= 0:
                continue
            y_top, y_bottom = y_of(base + amount), y_of(base)
            out.append(f'<rect x="{_n(x)}" y="{_n(y_top)}" width="{_n(bar_w)}" height="{_n(y_bottom - y_top)}" '
                       f'fill="{colour}" stroke="#ffffff" stroke-width="1"><title>{escape(name)} {year}: '
                       f'{escape(euro(amount))}</title></rect>')
            base += amount
        centre = _n(x + bar_w / 2)
        out.append(f'<text x="{centre}" y="{_n(y_of(base) - 5)}" font-size="10" font-weight="700" fill="#1d2733" text-anchor="middle">'
                   f'{escape(euro_rounded(base))}</text>')
        out.append(f'<text x="{centre}" y="{HEIGHT - BOTTOM + 18}" font-size="12" font-weight="700" fill="#1d2733" text-anchor="middle">{year}</text>')
    out.append(f'<line x1="{LEFT}" x2="{LEFT + plot_w}" y1="{TOP + plot_h}" y2="{TOP + plot_h}" stroke="#1d2733" stroke-width="1"/>')
    legend_x = LEFT + plot_w + 22
    # The legend lists categories top-down in the order they are stacked bottom-up, so it reads like the bars.
    names = list(categories.values())
    for row, index in enumerate(reversed(range(len(names)))):
        y = TOP + 10 + row * 22
        out.append(f'<rect x="{legend_x}" y="{y}" width="12" height="12" fill="{CATEGORY_COLOURS[index]}"/>')
        out.append(f'<text x="{legend_x + 18}" y="{y + 6}" font-size="11" fill="#1d2733" dominant-baseline="middle">'
                   f'{escape(names[index])}</text>')
    out.append("</svg>")
    return Markup("\n".join(out))
