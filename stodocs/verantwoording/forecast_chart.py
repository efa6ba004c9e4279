"""An inline SVG line chart of the forecast: subsidy spent cumulatively against the subsidy granted. No JavaScript."""
from __future__ import annotations

from decimal import ROUND_CEILING, Decimal

from markupsafe import Markup, escape

from ..chart import _n, _nice_step
from ..formatting import euro, euro_rounded
from .accounts import Forecast

WIDTH, HEIGHT = 640, 280
LEFT, RIGHT, TOP, BOTTOM = 84, 180, 16, 34
# Okabe-Ito colours (as chart.py), each series also with its own dash pattern and marker, so the
# chart reads in black and white and with colour blindness.
SERIES = (
    ("gerealiseerd", "Gerealiseerd", "#0072B2", ""),
    ("plan", "Volgens plan", "#009E73", "6 3"),
    ("tempo", "Huidig tempo", "#E69F00", "2 3"),
)
GRANTED_COLOUR = "#CC79A7"


def cumulative(forecast: Forecast) -> dict[str, list[tuple[int, Decimal]]]:
    """Return each series as (year, subsidy spent up to and including that year); realised for the closed years and the running year (so far)."""
    out: dict[str, list[tuple[int, Decimal]]] = {key: [] for key, *_ in SERIES}
    running = {"gerealiseerd": Decimal(0), "plan": Decimal(0), "tempo": Decimal(0)}
    for year in forecast.jaren:
        for key in ("plan", "tempo"):
            running[key] += getattr(year, key)
            out[key].append((year.jaar, running[key]))
        if year.gerealiseerd is not None:
            running["gerealiseerd"] += year.gerealiseerd
            out["gerealiseerd"].append((year.jaar, running["gerealiseerd"]))
    return out


def forecast_chart(forecast: Forecast) -> Markup:
    """Return an SVG of the cumulative subsidy spent per year, three ways, with the granted amount as a line."""
    series = cumulative(forecast)
    highest = max([forecast.toegekend] + [v for points in series.values() for _, v in points])
    step = _nice_step(highest)
    ticks = max(int((highest / step).to_integral_value(rounding=ROUND_CEILING)), 1)
    top_value = step * ticks
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    years = [y.jaar for y in forecast.jaren]
    band = Decimal(plot_w) / len(years)

    def x_of(year: int) -> Decimal:
        return LEFT + band * years.index(year) + band / 2

    def y_of(value: Decimal) -> Decimal:
        return TOP + plot_h - value * plot_h / top_value

    out = [f'<svg class="chart" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" '
           f'font-family="Lato, sans-serif" role="img" aria-labelledby="prognose-titel prognose-uitleg">',
           '<title id="prognose-titel">Prognose van de bestede subsidie tot en met 2028</title>',
           '<desc id="prognose-uitleg">Lijnen: per jaar de tot dan toe bestede subsidie, gerealiseerd, volgens plan en '
           'bij het huidige tempo; een horizontale lijn toont de toegekende subsidie. De bedragen staan in de tabel '
           'hierboven.</desc>']
    for i in range(ticks + 1):
        value = step * i
        y = _n(y_of(value))
        out.append(f'<line x1="{LEFT}" x2="{LEFT + plot_w}" y1="{y}" y2="{y}" stroke="#dde3ea" stroke-width="0.8"/>')
        out.append(f'<text x="{LEFT - 8}" y="{y}" font-size="10" fill="#5b6673" text-anchor="end" '
                   f'dominant-baseline="middle">{escape(euro_rounded(value))}</text>')
    for year in years:
        out.append(f'<text x="{_n(x_of(year))}" y="{HEIGHT - BOTTOM + 18}" font-size="12" font-weight="700" '
                   f'fill="#1d2733" text-anchor="middle">{year}</text>')
    granted = _n(y_of(forecast.toegekend))
    out.append(f'<line x1="{LEFT}" x2="{LEFT + plot_w}" y1="{granted}" y2="{granted}" stroke="{GRANTED_COLOUR}" '
               f'stroke-width="2"><title>Toegekende subsidie: {escape(euro(forecast.toegekend))}</title></line>')
    for key, name, colour, dash in SERIES:
        points = series[key]
        if not points:
            continue
        path = " ".join(f"{_n(x_of(year))},{_n(y_of(value))}" for year, value in points)
        dashing = f' stroke-dasharray="{dash}"' if dash else ""
        out.append(f'<polyline points="{path}" fill="none" stroke="{colour}" stroke-width="2.2"{dashing}/>')
        for year, value in points:
            out.append(f'<circle cx="{_n(x_of(year))}" cy="{_n(y_of(value))}" r="3.2" fill="{colour}">'
                       f'<title>{escape(name)} t/m {year}: {escape(euro(value))}</title></circle>')
    out.append(f'<line x1="{LEFT}" x2="{LEFT + plot_w}" y1="{TOP + plot_h}" y2="{TOP + plot_h}" stroke="#1d2733" '
               'stroke-width="1"/>')
    legend_x = LEFT + plot_w + 22
    entries = [(name, colour, dash) for _, name, colour, dash in SERIES] + [("Toegekend", GRANTED_COLOUR, "")]
    for row, (name, colour, dash) in enumerate(entries):
        y = TOP + 12 + row * 22
        dashing = f' stroke-dasharray="{dash}"' if dash else ""
        out.append(f'<line x1="{legend_x}" x2="{legend_x + 22}" y1="{y}" y2="{y}" stroke="{colour}" '
                   f'stroke-width="2.2"{dashing}/>')
        out.append(f'<text x="{legend_x + 28}" y="{y}" font-size="11" fill="#1d2733" dominant-baseline="middle">'
                   f'{escape(name)}</text>')
    out.append("</svg>")
    return Markup("\n".join(out))
