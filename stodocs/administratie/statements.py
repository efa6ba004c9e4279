"""The statements to sign, rendered to HTML: Bijlage 1 per jaartaak, 2 per verklaring, 4 per partner per year, 6.

These hold personal data (names with hours and rates): they are written only to the private
folder (docs/privacy.md), never beside the plan documents.
"""
from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from typing import Any

from markupsafe import Markup

from ..formatting import fte
from ..model import YEARS, Region
from ..render import TEMPLATE_DIR, environment, stylesheet, w3c_datetime
from ..sources import Version
from .model import FOLDER, NORMJAARTAAK

KINDS = {
    "bijlage-1": "Bijlage 1 · Individuele jaartaak",
    "bijlage-2": "Bijlage 2 · Verklaring inzet niet-onderwijzend personeel",
    "bijlage-4": "Bijlage 4 · Staat van geleverde inspanning",
    "bijlage-6": "Bijlage 6 · Staat van afschrijvingen",
}
SIGN_STATUS = "ter ondertekening"
SOURCE_FILE = {"bijlage-1": "personeel.yaml", "bijlage-2": "personeel.yaml", "bijlage-4": "personeel.yaml",
               "bijlage-6": "afschrijvingen.yaml"}


@dataclass(frozen=True)
class Statement:
    """One statement to render: its kind (bijlage-1 …), a name for its file and title, and what it shows."""

    kind: str
    name: str  # e.g. the jaartaak id, or 'csg-lindewaard-2025'
    title: str
    context: dict

    def source(self, region: Region) -> str:
        """The file the statement's facts come from (for problems)."""
        return f"{region.folder}/{FOLDER}/{SOURCE_FILE[self.kind]}"


def statements(region: Region) -> list[Statement]:
    """Return every statement the region's realisatie asks for, in a fixed order."""
    r = region.realisatie
    if r is None:
        return []
    people = r.medewerkers_by_id
    partners = region.partners_by_id
    lines = region.begroting.lines_by_id
    out = []
    for j in sorted(r.jaartaken, key=lambda j: j.id):
        m = people[j.medewerker]
        out.append(Statement("bijlage-1", j.id, f"Individuele jaartaak {m.naam}, schooljaar {j.schooljaar.naam}",
                             {"jaartaak": j, "medewerker": m, "partner": partners.get(m.partner), "lines": lines}))
    for v in sorted(r.verklaringen, key=lambda v: v.id):
        m = people[v.medewerker]
        out.append(Statement("bijlage-2", v.id, f"Verklaring inzet niet-onderwijzend personeel {m.naam}",
                             {"verklaring": v, "medewerker": m, "partner": partners.get(m.partner), "lines": lines}))
    for (partner_id, year), rows in r.inzet_rows(region.begroting).items():
        partner = partners.get(partner_id)
        naam = partner.naam if partner else partner_id
        out.append(Statement("bijlage-4", f"{partner_id}-{year}", f"Staat van geleverde inspanning {naam} {year}",
                             {"partner": partner, "jaar": year, "rows": rows, "lines": lines,
                              "uren": sum((row.inzet.uren for row in rows), Decimal(0)),
                              "loonkosten": sum((row.inzet.loonkosten for row in rows), Decimal("0.00"))}))
    if r.afschrijvingen:
        out.append(Statement("bijlage-6", region.id, f"Staat van afschrijvingen {region.naam}",
                             {"afschrijvingen": r.afschrijvingen, "totaal_per_jaar": {
                                 year: sum((a.charged().get(year, Decimal("0.00")) for a in r.afschrijvingen),
                                           Decimal("0.00")) for year in YEARS}}))
    return out


@cache
def _statement_css() -> Markup:
    return Markup((TEMPLATE_DIR / "verklaring.css").read_text(encoding="utf-8"))


def render_statement(region: Region, statement: Statement, version: Version) -> str:
    """Return the complete HTML of one statement.

    A statement is signed, not vastgesteld: its status says so, whatever the plan's status.
    """
    status = SIGN_STATUS
    env = environment()
    context: dict[str, Any] = {
        "region": region, "realisatie": region.realisatie, "statement": statement, "kind": KINDS[statement.kind],
        "version": version, "status": status, "created": w3c_datetime(version.date), "NORMJAARTAAK": NORMJAARTAAK,
        "fte": fte,
        "penvoerder": region.partners_by_id.get(region.penvoerder), **statement.context,
    }
    body = env.get_template(f"{statement.kind}.html").render(context)
    return env.get_template("verklaring.html").render(context, body=Markup(body),
                                                      css=Markup(stylesheet() + "\n" + _statement_css()))


def statement_path(region: str, statement: Statement, version: Version, fmt: str) -> str:
    """Return e.g. `lindewaard/bijlage-1-kees-de-boer-2025-2026-1a2b3c4d5e.pdf`, below the private folder."""
    return f"{region}/{statement.kind}-{statement.name}-{version.slug}.{fmt}"
