"""The statements to sign, rendered to HTML: Bijlage 1 per jaartaak, 2 per verklaring, 4 per partner per year, 6.

These hold personal data (names with hours and rates): they are written only to the private
folder (docs/privacy.md), never beside the plan documents.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from functools import cache
from typing import Any

from markupsafe import Markup

from ..formatting import fte
from ..model import YEARS, Region
from ..render import TEMPLATE_DIR, environment, stylesheet, w3c_datetime
from ..sources import Version
from .model import FOLDER, NORMJAARTAAK, cut_off
from .states import DocumentState, Step, document_state

KINDS = {
    "bijlage-1": "Bijlage 1 · Individuele jaartaak",
    "bijlage-2": "Bijlage 2 · Verklaring inzet niet-onderwijzend personeel",
    "bijlage-4": "Bijlage 4 · Staat van geleverde inspanning",
    "bijlage-6": "Bijlage 6 · Staat van afschrijvingen",
}
SOURCE_FILE = {"bijlage-1": "personeel.yaml", "bijlage-2": "personeel.yaml", "bijlage-4": "personeel.yaml",
               "bijlage-6": "afschrijvingen.yaml"}


@dataclass(frozen=True)
class Statement:
    """One statement to render: its kind (bijlage-1 …), a name for its file and title, and what it shows."""

    kind: str
    name: str  # e.g. the jaartaak id, or 'csg-lindewaard-2025'
    title: str
    context: dict
    period_end: date  # the last day the statement covers: until the administratie covers it, it is voorlopig

    @property
    def key(self) -> str:
        """The statement's name in the register (rapportages/indieningen.yaml) and its file: bijlage-4-csg-lindewaard-2025."""
        return f"{self.kind}-{self.name}"

    def source(self, region: Region) -> str:
        """The file the statement's facts come from (for problems)."""
        return f"{region.folder}/{FOLDER}/{SOURCE_FILE[self.kind]}"


def statements(region: Region) -> list[Statement]:
    """Return every statement the region's realisatie asks for, in a fixed order.

    Bijlage 1 and 2 show a jaartaak or verklaring as recorded (it is signed for its whole period). Bijlage 4
    and 6 show money, so they count what the cut-off at the peildatum counts (model.cut_off), as the G2
    does: only years the administratie has reached, each up to the peildatum.
    """
    r = region.realisatie
    if r is None:
        return []
    people = r.medewerkers_by_id
    partners = region.partners_by_id
    lines = region.begroting.lines_by_id
    names = {line.id: line.omschrijving for line in region.begroting.lines}
    activities = {a.id: a.naam for a in region.activiteiten}
    out = []
    # an entry naming an unknown medewerker has no statement: validate reports it
    for j in sorted((j for j in r.jaartaken if j.medewerker in people), key=lambda j: j.id):
        m = people[j.medewerker]
        out.append(Statement("bijlage-1", j.id, f"Individuele jaartaak {m.naam}, schooljaar {j.schooljaar.naam}",
                             {"jaartaak": j, "medewerker": m, "partner": partners.get(m.partner), "lines": lines,
                              "regelnamen": names}, j.schooljaar.end))
    for v in sorted((v for v in r.verklaringen if v.medewerker in people), key=lambda v: v.id):
        m = people[v.medewerker]
        out.append(Statement("bijlage-2", v.id, f"Verklaring inzet niet-onderwijzend personeel {m.naam}",
                             {"verklaring": v, "medewerker": m, "partner": partners.get(m.partner), "lines": lines,
                              "regelnamen": names}, v.tot_en_met))
    cut = cut_off(r, r.peildatum, region.begroting)
    for (partner_id, year), rows in cut.inzet_rows(region.begroting).items():
        partner = partners.get(partner_id)
        naam = partner.naam if partner else partner_id
        end = date(year, 12, 31)
        out.append(Statement("bijlage-4", f"{partner_id}-{year}", f"Staat van geleverde inspanning {naam} {year}",
                             {"partner": partner, "jaar": year, "rows": rows, "lines": lines, "regelnamen": names,
                              "tot_en_met": min(end, cut.peildatum) if cut.peildatum else end,
                              "uren": sum((row.inzet.uren for row in rows), Decimal(0)),
                              "loonkosten": sum((row.inzet.loonkosten for row in rows), Decimal("0.00"))}, end))
    by_partner: dict[str, list] = defaultdict(list)
    for a in cut.afschrijvingen:
        by_partner[a.partner or region.penvoerder].append(a)
    last_year = min(cut.peildatum.year, YEARS[-1]) if cut.peildatum else YEARS[-1]
    for partner_id, assets in sorted(by_partner.items()):
        partner = partners.get(partner_id)
        naam = partner.naam if partner else partner_id
        for year in (y for y in YEARS if y <= last_year):
            rows = []
            for a in assets:
                charged = a.charged(cut.until)
                if not a.charged().get(year):
                    continue  # not depreciating in this year at all
                regel = a.regel_for(year, region.begroting)
                rows.append({"asset": a, "regel": regel, "regelnaam": names.get(regel, ""),
                             "activiteit": activities.get(lines[regel].activiteit, "") if regel in lines else "",
                             "jaar": charged.get(year, Decimal("0.00")),
                             "tot_en_met_jaar": sum((v for y, v in charged.items() if y <= year), Decimal("0.00")),
                             "na_peildatum": a.subsidiabel - sum(charged.values(), Decimal("0.00"))})
            if not rows:
                continue
            end = date(year, 12, 31)
            out.append(Statement("bijlage-6", f"{partner_id}-{year}", f"Staat van afschrijvingen {naam} {year}",
                                 {"partner": partner, "jaar": year, "rows": rows,
                                  "tot_en_met": min(end, cut.peildatum) if cut.peildatum else end,
                                  "totaal": sum((row["jaar"] for row in rows), Decimal("0.00"))}, end))
    return out


@cache
def _statement_css() -> Markup:
    return Markup((TEMPLATE_DIR / "verklaring.css").read_text(encoding="utf-8"))


def statement_state(region: Region, statement: Statement, steps: tuple[Step, ...] = ()) -> DocumentState:
    """Return the statement's status: voorlopig until the administratie covers its period, then as recorded."""
    peildatum = region.realisatie.peildatum if region.realisatie is not None else None
    return document_state(statement.key, steps, peildatum, statement.period_end)


def render_statement(region: Region, statement: Statement, version: Version, status: DocumentState) -> str:
    """Return the complete HTML of one statement, with its own status (statement_state), not the plan's."""
    env = environment()
    context: dict[str, Any] = {
        "region": region, "realisatie": region.realisatie, "statement": statement, "kind": KINDS[statement.kind],
        "version": version, "status": status, "created": w3c_datetime(version.date), "NORMJAARTAAK": NORMJAARTAAK,
        "activiteiten": {a.id: a.naam for a in region.activiteiten},
        "fte": fte,
        "penvoerder": region.partners_by_id.get(region.penvoerder), **statement.context,
    }
    body = env.get_template(f"{statement.kind}.html").render(context)
    return env.get_template("verklaring.html").render(context, body=Markup(body),
                                                      css=Markup(stylesheet() + "\n" + _statement_css()))


def statement_path(region: str, statement: Statement, version: Version, fmt: str, status: DocumentState) -> str:
    """Return e.g. `lindewaard/bijlage-4-csg-lindewaard-2026-voorlopig-1a2b3c4d5e.pdf`, below the private folder."""
    return f"{region}/{statement.key}{status.in_file_name}-{version.slug}.{fmt}"
