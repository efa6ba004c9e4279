"""The two casussen of the seed deck as edits to the example region (content/lindewaard)."""
from __future__ import annotations

from pathlib import Path

from repo_helpers import region_file, replace_in

NEW_GOAL = """
      - id: techniek-andere-domeinen
        naam: Techniek zichtbaar maken in andere domeinen
        omschrijving: |
          Leerlingen uit niet-technische profielen ervaren hoe techniek hun eigen vakgebied verandert,
          te beginnen met zorg en welzijn.
        indicator: In 2028 werkt elke leerling van het profiel Zorg en welzijn minstens één project met techniek.
"""
ZORGROBOTS = """
  - id: zorgrobots
    naam: Zorgrobots in de praktijk
    doelstelling: techniek-andere-domeinen
    trekker: fatima-ouali
    partners: [het-waardcollege, zorggroep-de-waard]
    start: 2026-09
    eind: 2028-06
    status: gepland
    omschrijving: |
      Leerlingen van Zorg en welzijn werken samen met techniekleerlingen aan het programmeren en
      inzetten van zorgrobots in een simulatieomgeving. Met een 3D-printer ontwerpen en printen zij
      hulpmiddelen, zoals braces en onderdelen van de zorgrobots.
    resultaten:
      - Een simulatieomgeving met twee zorgrobots bij Het Waardcollege.
"""
PRINTER_LINE = """  - id: zorgrobots-2026-3d-printer
    activiteit: zorgrobots
    jaar: 2026
    categorie: afschrijvingen
    omschrijving: 3D-printer voor hulpmiddelen en onderdelen van zorgrobots
    aantal: 1
    eenheid: printer
    prijs: 7500
    toelichting: Economische levensduur twee jaar, volledig binnen de looptijd afgeschreven; betaald uit minder uren techniekdagen en fablab.
"""
NEW_SCHOOL = """
  - id: vmbo-de-brug
    naam: Vmbo De Brug
    soort: vmbo
    plaats: Brugwijk
    brin: "27BR"
    vestiging: "01"
    profielen: [MVI, DP, ZW]
    leerwegen: [basis, kader]
    toegetreden: 2026-08-01
"""
SCHOOL_LINE = """  - id: keuzevakken-vmbo-mbo-2027-de-brug
    activiteit: keuzevakken-vmbo-mbo
    jaar: 2027
    categorie: personeel-intern
    omschrijving: Inzet docenten Vmbo De Brug bij de keuzevakken MVI, DP en ZW
    aantal: 400
    eenheid: uur
    prijs: 50
    toelichting: Vrijgemaakt uit de programmalijn instroombevordering (techniekmiddagen en techniekroute).
"""


def _append(path: Path, text: str) -> None:
    path.write_text(path.read_text(encoding="utf-8").rstrip("\n") + "\n" + text, encoding="utf-8")


def casus_zorgrobots(repo: Path) -> None:
    """Casus 1: a new activity under a new doelstelling, with a 3D printer paid by lowering two lines."""
    replace_in(region_file(repo, "programmalijnen.yaml"), "\n\n  - id: leerlijnen-en-faciliteiten",
               NEW_GOAL.rstrip("\n") + "\n\n  - id: leerlijnen-en-faciliteiten")
    _append(region_file(repo, "activiteiten.yaml"), ZORGROBOTS)
    begroting = region_file(repo, "begroting.yaml")
    replace_in(begroting, "    omschrijving: Organisatie Techniekfestival en doe-dagen door docenten\n    aantal: 2600",
               "    omschrijving: Organisatie Techniekfestival en doe-dagen door docenten\n    aantal: 2500")
    text = begroting.read_text(encoding="utf-8")
    start = text.index("  - id: fablab-lindewaard-2027-uren")
    end = text.index("    aantal: 2400", start)
    begroting.write_text(text[:end] + "    aantal: 2350" + text[end + len("    aantal: 2400"):], encoding="utf-8")
    _append(begroting, PRINTER_LINE)


def casus_new_school(repo: Path) -> None:
    """Casus 2: a vmbo school joins; € 20.000 moves from programmalijn instroom to its keuzevakken."""
    _append(region_file(repo, "partners.yaml"), NEW_SCHOOL)
    replace_in(region_file(repo, "activiteiten.yaml"),
               "partners: [lindewaard-college, het-waardcollege, csg-lindewaard, zorggroep-de-waard]",
               "partners: [lindewaard-college, het-waardcollege, csg-lindewaard, zorggroep-de-waard, vmbo-de-brug]")
    begroting = region_file(repo, "begroting.yaml")
    for line_id, old, new in (("techniekmiddagen-po-2027-uren", "2400", "2200"),
                              ("techniekroute-po-2028-uren", "1600", "1400")):
        text = begroting.read_text(encoding="utf-8")
        start = text.index(f"  - id: {line_id}\n")
        at = text.index(f"    aantal: {old}", start)
        begroting.write_text(text[:at] + f"    aantal: {new}" + text[at + len(f"    aantal: {old}"):], encoding="utf-8")
    _append(begroting, SCHOOL_LINE)
