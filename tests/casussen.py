"""Edits to the example region that tests commit: the two casussen of the seed deck, and a typical change."""
from __future__ import annotations

from gitrepo import GitRepo

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


NEW_ACTIVITY = ZORGROBOTS.replace("doelstelling: techniek-andere-domeinen", "doelstelling: lob-en-studiekeuze")


def casus_zorgrobots(repo: GitRepo) -> None:
    """Casus 1: a new activity under a new doelstelling, with a 3D printer paid by lowering two lines."""
    repo.replace("programmalijnen.yaml", "\n\n  - id: leerlijnen-en-faciliteiten",
                 NEW_GOAL.rstrip("\n") + "\n\n  - id: leerlijnen-en-faciliteiten")
    repo.append("activiteiten.yaml", ZORGROBOTS)
    repo.replace("begroting.yaml", "    omschrijving: Organisatie Techniekfestival en doe-dagen door docenten\n    aantal: 2600",
                 "    omschrijving: Organisatie Techniekfestival en doe-dagen door docenten\n    aantal: 2500")
    repo.replace("begroting.yaml", "    aantal: 2400", "    aantal: 2350", after="  - id: fablab-lindewaard-2027-uren")
    repo.append("begroting.yaml", PRINTER_LINE)


def casus_new_school(repo: GitRepo) -> None:
    """Casus 2: a vmbo school joins; € 20.000 moves from programmalijn instroom to its keuzevakken."""
    repo.append("partners.yaml", NEW_SCHOOL)
    repo.replace("activiteiten.yaml",
                 "partners: [lindewaard-college, het-waardcollege, csg-lindewaard, zorggroep-de-waard]",
                 "partners: [lindewaard-college, het-waardcollege, csg-lindewaard, zorggroep-de-waard, vmbo-de-brug]")
    repo.replace("begroting.yaml", "    aantal: 2400", "    aantal: 2200", after="  - id: techniekmiddagen-po-2027-uren\n")
    repo.replace("begroting.yaml", "    aantal: 1600", "    aantal: 1400", after="  - id: techniekroute-po-2028-uren\n")
    repo.append("begroting.yaml", SCHOOL_LINE)


def typical_change(repo: GitRepo) -> None:
    """A typical change: one word in the regioplan ("daalt" -> "krimpt"), a budget shift of EUR 10.000 between
    two lines (the increase without toelichting), a new activity, a renamed activity, and two partners and
    two people swapped in their lists (a reorder, which is no change)."""
    repo.replace("regioplan.md", "Tegelijk daalt het aantal leerlingen", "Tegelijk krimpt het aantal leerlingen")
    repo.replace("begroting.yaml", "    aantal: 40\n    eenheid: leskist", "    aantal: 48\n    eenheid: leskist")
    repo.replace("begroting.yaml", "    aantal: 2600\n    eenheid: uur\n    prijs: 50\n",
                 "    aantal: 2400\n    eenheid: uur\n    prijs: 50\n    toelichting: Uren verschoven naar leskisten.\n")
    repo.append("activiteiten.yaml", NEW_ACTIVITY)
    repo.replace("activiteiten.yaml", "naam: Techniekfestival en regionale doe-dagen",
                 "naam: Techniekfestival en doe-dagen in de regio")
    partners = repo.file("partners.yaml")
    blocks = partners.read_text(encoding="utf-8").split("\n\n")
    blocks[1], blocks[2] = blocks[2], blocks[1]
    partners.write_text("\n\n".join(blocks), encoding="utf-8")
    linda = "  - id: linda-hoekstra\n    naam: Linda Hoekstra\n    functie: werkgroeplid\n    rol: uitvoerend\n" \
            "    partner: cbs-het-kompas\n\n"
    repo.replace("personen.yaml", linda, "")
    repo.replace("personen.yaml", "  # Ondersteunende rol\n", linda + "  # Ondersteunende rol\n")
