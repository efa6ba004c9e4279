"""Shared fixtures: real git repositories with the example region, built once per session."""
from __future__ import annotations

import pytest

from gitrepo import GitRepo

NEW_ACTIVITY = """
  - id: zorgrobots
    naam: Zorgrobots in de praktijk
    doelstelling: lob-en-studiekeuze
    trekker: fatima-ouali
    partners: [het-waardcollege, zorggroep-de-waard]
    start: 2026-09
    eind: 2028-06
    status: gepland
    omschrijving: |
      Leerlingen werken met zorgrobots in een praktijklokaal van Het Waardcollege.
    resultaten:
      - Twee praktijkopdrachten met zorgrobots per schooljaar.
"""


@pytest.fixture(scope="session")
def changed_repo(tmp_path_factory) -> GitRepo:
    """A repository with two commits: the example region (tag v1.0), then a set of typical changes.

    The changes: one word in the regioplan ("daalt" -> "krimpt"), a budget shift of EUR 10.000 between
    two lines (the increase without toelichting), a new activity, a renamed activity, and two partners
    and two people swapped in their lists (a reorder, which is no change).
    """
    repo = GitRepo(tmp_path_factory.mktemp("changed") / "repo")
    repo.add_region()
    repo.commit("Regioplan Lindewaard", tag="v1.0")
    region = "content/lindewaard"
    repo.replace(f"{region}/regioplan.md", "Tegelijk daalt het aantal leerlingen", "Tegelijk krimpt het aantal leerlingen")
    repo.replace(f"{region}/begroting.yaml", "    aantal: 40\n    eenheid: leskist", "    aantal: 48\n    eenheid: leskist")
    repo.replace(f"{region}/begroting.yaml",
                 "    aantal: 2600\n    eenheid: uur\n    prijs: 50\n",
                 "    aantal: 2400\n    eenheid: uur\n    prijs: 50\n    toelichting: Uren verschoven naar leskisten.\n")
    text = repo.path(f"{region}/activiteiten.yaml").read_text(encoding="utf-8")
    repo.path(f"{region}/activiteiten.yaml").write_text(text.rstrip("\n") + "\n" + NEW_ACTIVITY, encoding="utf-8")
    repo.replace(f"{region}/activiteiten.yaml", "naam: Techniekfestival en regionale doe-dagen",
                 "naam: Techniekfestival en doe-dagen in de regio")
    partners = repo.path(f"{region}/partners.yaml").read_text(encoding="utf-8")
    blocks = partners.split("\n\n")
    blocks[1], blocks[2] = blocks[2], blocks[1]
    repo.path(f"{region}/partners.yaml").write_text("\n\n".join(blocks), encoding="utf-8")
    repo.replace(f"{region}/personen.yaml",
                 "  - id: linda-hoekstra\n    naam: Linda Hoekstra\n    functie: werkgroeplid\n    rol: uitvoerend\n"
                 "    partner: cbs-het-kompas\n\n", "")
    repo.replace(f"{region}/personen.yaml", "  # Ondersteunende rol\n",
                 "  - id: linda-hoekstra\n    naam: Linda Hoekstra\n    functie: werkgroeplid\n    rol: uitvoerend\n"
                 "    partner: cbs-het-kompas\n\n  # Ondersteunende rol\n")
    repo.commit("Wijziging: leskisten, zorgrobots")
    return repo


@pytest.fixture(scope="session")
def compared(changed_repo):
    """The example region compared from tag v1.0 to the changed commit."""
    from stodocs.diff.pipeline import compare_sources
    from stodocs.sources import GitRevision
    [result] = compare_sources(GitRevision(changed_repo.root, "v1.0"), GitRevision(changed_repo.root, "HEAD"))
    return result
