"""Classification of change sets by the region's wijzigingsprocedure, and the Wijzigingsvoorstel Markdown."""
from __future__ import annotations

import json
import re
import shutil
from decimal import Decimal

import pytest

from gitrepo import GitRepo
from markdowntext import rendered, shown
from stodocs.formatting import WORD_JOINER
from stodocs.diff.changeset import compare_regions
from stodocs.impact import AUDIENCES, RECORDS, classify
from stodocs.pipeline import check
from stodocs.proposal import proposal_markdown, say
from stodocs.sources import GitRevision, WorkingTree
from stodocs.validate import load_schema


@pytest.fixture(scope="module")
def repo(tmp_path_factory) -> GitRepo:
    repo = GitRepo.example(tmp_path_factory.mktemp("impact") / "repo")
    repo.commit("Regioplan Lindewaard")
    return repo


def impact_of(repo: GitRepo, edit, valid: bool = True):
    """Apply `edit` to the working tree, classify against HEAD, and restore the working tree."""
    try:
        edit(repo)
        new = check(WorkingTree(repo.root), ["lindewaard"])
        assert new.ok == valid, [p.format() for p in new.problems]
        old = check(GitRevision(repo.root, "HEAD"), ["lindewaard"])
        changeset = compare_regions("lindewaard", old.regions["lindewaard"], new.regions["lindewaard"])
        return changeset.changes, classify(changeset, old.regions["lindewaard"], new.regions["lindewaard"])
    finally:
        repo.git("checkout", "-q", "--", "content")
        repo.git("clean", "-qfd", "--", "content")


def casus_zorgrobots(repo: GitRepo) -> None:
    """Casus 1: a new activity under a new doelstelling, with a 3D printer paid by lowering two lines."""
    repo.apply_case("casussen/zorgrobots")


def casus_new_school(repo: GitRepo) -> None:
    """Casus 2: a vmbo school joins; EUR 20.000 moves from programmalijn instroom to its keuzevakken."""
    repo.apply_case("casussen/nieuwe-school")


def kinds(impact):
    return {f.soort for f in impact.findings}


def said(finding) -> list[str]:
    """Return a finding's details as the Wijzigingsvoorstel says them, with plain spaces."""
    return [say(d).replace("\xa0", " ") for d in finding.details]


def test_every_change_is_in_some_finding(repo):
    def many(r):
        casus_zorgrobots(r)
        r.apply_case("casussen/nieuwe-school", context=1)  # both add a line at the end of begroting.yaml
        r.replace("regioplan.md", "sterke maakindustrie", "krachtige maakindustrie")
    changes, impact = impact_of(repo, many)
    covered = [c for f in impact.all_findings for c in f.changes]
    assert all(change in covered for change in changes)


def test_casus_zorgrobots(repo):
    _, impact = impact_of(repo, casus_zorgrobots)
    assert kinds(impact) == {"nieuwe-activiteit", "nieuwe-doelstelling", "verschuiving-onder-drempel"}
    assert not impact.unclassified and not impact.dusi_melding
    assert [s.key for s in impact.decisions()] == ["stuurgroep", "programmamanager"]
    assert "regiocoordinator" in [s.key for s in impact.informing()]
    shift = next(f for f in impact.findings if f.soort == "verschuiving-onder-drempel")
    assert str(shift.bedrag) == "7500.00"


def test_casus_new_school(repo):
    _, impact = impact_of(repo, casus_new_school)
    assert kinds(impact) == {"partner-toetreding", "verschuiving-boven-drempel"}
    assert not impact.unclassified
    assert [s.key for s in impact.decisions()] == ["bestuurlijk-overleg", "stuurgroep"]
    assert {s.key for s in impact.records()} == {"regioplan", "begroting", "administratie",
                                                 "huishoudelijk-reglement", "ocw-communicatie"}
    joining = next(f for f in impact.findings if f.soort == "partner-toetreding")
    assert "doet mee aan activiteit 'Gezamenlijke keuzevakken vmbo-mbo'" in said(joining)


def test_delay_drop_and_substance_ask_for_a_dusi_melding(repo):
    def edit(r):
        r.replace("activiteiten.yaml", "    start: 2027-01\n    eind: 2028-06", "    start: 2027-01\n    eind: 2028-09")
        r.replace("activiteiten.yaml", "groep 5 tot en met 8.", "groep 3 tot en met 8.")
        r.replace("activiteiten.yaml", "status: lopend", "status: vervallen", after="  - id: regie-monitoring")
    _, impact = impact_of(repo, edit)
    assert {"activiteit-vertraagd", "activiteit-gewijzigd", "activiteit-vervallen"} <= kinds(impact)
    assert impact.dusi_melding
    assert "**Nodig: ja.**" in proposal_markdown(impact)


def test_uncovered_change_is_listed_for_assessment(repo):
    def edit(r):
        r.replace("regioplan.md", "sterke maakindustrie", "krachtige maakindustrie")
    _, impact = impact_of(repo, edit)
    assert not impact.findings and len(impact.unclassified) == 1
    text = proposal_markdown(impact)
    section = text[text.index("### Niet geclassificeerd – beoordelen"):]
    assert "[ ] Tekst 'Aanleiding en context' gewijzigd in het regioplan ('sterke' → 'krachtige')" in shown(section)


def test_reglement_people_and_subsidie(repo):
    def edit(r):
        r.replace("huishoudelijk-reglement.md", "In dit reglement wordt verstaan onder:",
                  "In dit reglement wordt hieronder verstaan:")
        r.replace("personen.yaml", "functie: werkgroeptrekker", "functie: projectleider")
        r.replace("begroting.yaml", "    aantal: 1\n    eenheid: jaar\n    prijs: 24500", "    aantal: 1\n    eenheid: jaar\n    prijs: 14500")
    _, impact = impact_of(repo, edit)
    assert {"reglement-gewijzigd", "personen-gewijzigd", "subsidie-gewijzigd"} <= kinds(impact)
    subsidie = next(f for f in impact.findings if f.soort == "subsidie-gewijzigd")
    assert str(subsidie.bedrag) == "-10000.00"
    assert "bestuurlijk-overleg" == subsidie.rule.besluit


def test_new_rules_are_not_used_to_decide_their_own_change(repo):
    def edit(r):
        casus_new_school(r)
        r.replace("wijzigingsprocedure.yaml",
                  "  - soort: partner-toetreding\n    besluit: bestuurlijk-overleg",
                  "  - soort: partner-toetreding\n    besluit: penvoerder")
    _, impact = impact_of(repo, edit)
    joining = next(f for f in impact.findings if f.soort == "partner-toetreding")
    assert joining.rule.besluit == "bestuurlijk-overleg"
    assert "reglement-gewijzigd" in kinds(impact)


def test_cofinanciering_under_the_norm(repo):
    def edit(r):
        r.replace("begroting.yaml", "    cofinanciering: 118000\n    cofinancier: waardmetaal",
                  "    cofinanciering: 18000\n    cofinancier: waardmetaal")
    _, impact = impact_of(repo, edit, valid=False)  # validation reports the same norm as an error
    assert "cofinanciering-onder-norm" in kinds(impact) and "subsidie-gewijzigd" in kinds(impact)


def test_checklist_names_everyone_and_everything_the_schema_allows():
    rules = load_schema("wijzigingsprocedure")["regels"]["schema"]["schema"]
    assert set(AUDIENCES) == set(rules["informeren"]["schema"]["allowed"])
    assert set(RECORDS) == set(rules["vastleggen"]["schema"]["allowed"])


def test_a_line_moved_to_another_year_is_a_shift_above_the_threshold(repo):
    def edit(r):
        r.replace("begroting.yaml", "    jaar: 2026", "    jaar: 2027", after="  - id: techniekroute-po-2026-inhuur")
        shutil.rmtree(r.file("realisatie"))  # its 2026 invoices on this line would no longer fit; only the plan matters here
    changes, impact = impact_of(repo, edit)
    shift = next(f for f in impact.findings if f.soort == "verschuiving-boven-drempel")
    assert str(shift.bedrag) == "28500.00"
    assert "tussen jaren: van 2026 (€ 28.500,00) naar 2027 (€ 28.500,00)" in said(shift)
    assert [c.id for c in shift.changes] == ["techniekroute-po-2026-inhuur"]
    assert not impact.unclassified


def test_a_line_moved_to_another_year_below_the_threshold(repo):
    def edit(r):
        r.replace("begroting.yaml", "    jaar: 2026", "    jaar: 2027", after="  - id: praktijklokaal-energie-2026-materiaal")
        shutil.rmtree(r.file("realisatie"))  # its 2026 invoices on this line would no longer fit; only the plan matters here
    _, impact = impact_of(repo, edit)
    assert kinds(impact) == {"verschuiving-onder-drempel"}
    shift = impact.findings[0]
    assert str(shift.bedrag) == "9707.00"
    assert any(d.startswith("tussen jaren: van 2026 (€ 9.707,00) naar 2027") for d in said(shift))


def test_a_corrected_name_or_email_is_listed_for_assessment_not_as_a_people_change(repo):
    def edit(r):
        r.replace("personen.yaml", "naam: Marieke Bos", "naam: Marieke Bosch")
        r.replace("personen.yaml", "    stuurgroep: true", "    stuurgroep: true\n    email: a.elamrani@example.org",
                  after="  - id: ahmed-el-amrani")
    changes, impact = impact_of(repo, edit)
    assert "personen-gewijzigd" not in kinds(impact)
    assert sorted(c.id for f in impact.unclassified for c in f.changes) == \
        sorted(c.id for c in changes) == ["ahmed-el-amrani", "marieke-bos"]
    details = [d for f in impact.unclassified for d in said(f)]
    assert "naam: Marieke Bos → Marieke Bosch" in details
    assert "email: (leeg) → a.elamrani@example.org" in details


def test_a_changed_role_is_a_people_change_and_the_rest_of_the_same_edit_is_listed(repo):
    def edit(r):
        r.replace("personen.yaml", "    naam: Tom Verhoeven\n    functie: werkgroeptrekker\n    rol: coordinerend\n"
                  "    partner: vakcollege-de-linde",
                  "    naam: Tom Verhoeven-Smit\n    functie: werkgroeptrekker\n    rol: coordinerend\n"
                  "    partner: het-waardcollege")
    _, impact = impact_of(repo, edit)
    assert kinds(impact) == {"personen-gewijzigd"}
    [people] = impact.findings
    assert said(people) == ["Tom Verhoeven-Smit: partner Vakcollege De Linde → Het Waardcollege"]
    [rest] = impact.unclassified
    assert said(rest) == ["naam: Tom Verhoeven → Tom Verhoeven-Smit"]

def test_a_rename_and_a_new_trekker_ask_for_no_dusi_melding(repo):
    def edit(r):
        r.replace("activiteiten.yaml", "naam: Techniekroute basisonderwijs", "naam: Techniekroute primair onderwijs")
        r.replace("activiteiten.yaml", "trekker: bram-bakker", "trekker: fatima-ouali", after="naam: Techniekroute")
    _, impact = impact_of(repo, edit)
    assert kinds(impact) == {"personen-gewijzigd"} and not impact.dusi_melding and not impact.unclassified
    [people] = impact.findings
    assert said(people) == ["trekker Bram Bakker → Fatima Ouali"]
    [rename] = impact.redactional
    assert said(rename) == ["naam 'Techniekroute basisonderwijs' → 'Techniekroute primair onderwijs'"]
    assert "**Nodig: nee.**" in proposal_markdown(impact)
    assert "Redactioneel – geen besluit nodig" in proposal_markdown(impact)


def test_the_region_can_make_a_rename_substantive(repo):
    def edit(r):
        r.replace("wijzigingsprocedure.yaml", "drempel_toelichting: 5000\n",
                  "drempel_toelichting: 5000\ninhoudelijke_velden: [naam, omschrijving, doelstelling]\n")
        r.commit("Een nieuwe naam telt als inhoudelijk")
        r.replace("activiteiten.yaml", "naam: Techniekroute basisonderwijs", "naam: Techniekroute primair onderwijs")
    try:
        _, impact = impact_of(repo, edit)
    finally:
        repo.git("reset", "-q", "--hard", "HEAD~1")
    [changed] = impact.findings
    assert changed.soort == "activiteit-gewijzigd" and impact.dusi_melding
    assert "inhoudelijk zijn: naam, omschrijving, doelstelling" in say(changed.grond)


def test_shifts_add_up_to_the_cent_and_name_lines_activities_and_years(repo):
    """A sentence changed, a line raised, a new activity with its line, another line cut (the issue's example)."""
    _, impact = impact_of(repo, lambda r: r.apply_case("casussen/nieuwe-activiteit-met-verschuiving"))
    shift = next(f for f in impact.findings if f.soort.startswith("verschuiving"))
    details = said(shift)
    for detail in (d for d in details if d.startswith("tussen ")):
        shifted, _, rest = detail.partition("; ")
        sources, targets = shifted.split(" naar ")
        amounts = [[Decimal(x.replace(".", "").replace(",", ".")) for x in re.findall(r"€ ([\d.]+,\d\d)", side)]
                   for side in (sources, targets)]
        balance = sum(amounts[1]) - sum(amounts[0])
        said_balance = re.search(r"(stijgen|dalen) met € ([\d.]+,\d\d)", rest)
        expected = Decimal(said_balance.group(2).replace(".", "").replace(",", ".")) if said_balance else Decimal(0)
        assert balance == (expected if not said_balance or said_balance.group(1) == "stijgen" else -expected), detail
    assert ("tussen activiteiten: van Fablab digitale fabricage (€ 24.000,00) naar Techniekmiddagen voor groep 7 en 8 "
            "(€ 11.400,00) en Zorgrobots in de praktijk (€ 24.000,00); het verschil: de totale kosten stijgen met "
            "€ 11.400,00") in details
    assert ("tussen jaren: van 2027 (€ 12.600,00) naar 2028 (€ 24.000,00); het verschil: de totale kosten stijgen "
            "met € 11.400,00") in details
    assert any("regel 'Docenten en begeleiding techniekbuddy's techniekmiddagen' (" in d
               and ": van € 120.000,00 naar € 131.400,00, + € 11.400,00 (aantal 2.400 uur → 2.628 uur)" in d
               for d in details), details
    assert ("nieuwe regel 'Zorgtechnoloog voor de simulatieomgeving' (Zorgrobots in de praktijk, 2028, "
            "personeel extern / inhuur): van € 0,00 naar € 24.000,00, + € 24.000,00") in details
    assert all("techniekmiddagen-po-2027-uren" not in d and "zorgrobots-2028" not in d for d in details)

def test_a_new_cofinancier_is_for_assessment_and_a_new_omschrijving_is_redactional(repo):
    def edit(r):
        r.replace("begroting.yaml", "    cofinancier: zorggroep-de-waard", "    cofinancier: waardmetaal")
        r.replace("begroting.yaml", "omschrijving: Techniekcoach voor leerkrachten basisonderwijs",
                  "omschrijving: Techniekcoach voor leerkrachten primair onderwijs")
    _, impact = impact_of(repo, edit)
    assert not impact.findings
    [assess] = impact.unclassified
    assert "cofinancier Zorggroep De Waard → Waardmetaal B.V." in said(assess)[0]
    [words_only] = impact.redactional
    assert say(words_only.titel) == "Begrotingsregel 'Techniekcoach voor leerkrachten primair onderwijs' redactioneel gewijzigd"


# --- Content in the Wijzigingsvoorstel is text, never Markdown or HTML (issue 25) ----------------------------------

HIDES_THE_REST = "Anouk Jansen\n<!--"
FAKE_HEADING = "Techniekregio Lindewaard\n\n## Geen besluit nodig\n\n<!--"
LURES = "![x](https://evil.example/p.png) [klik](https://evil.example) <a href=x>a</a> @stuurgroep www.evil.example #1"


def hostile_proposal(repo: GitRepo, person: str | None, region: str | None) -> str:
    def edit(r):
        r.replace("activiteiten.yaml", "trekker: bram-bakker", "trekker: fatima-ouali", after="naam: Techniekroute")
        if person:
            r.replace("personen.yaml", "naam: Fatima Ouali", f"naam: {json.dumps(person)}")
        if region:
            r.replace("regio.yaml", "naam: Techniekregio Lindewaard", f"naam: {json.dumps(region)}")
    return proposal_markdown(impact_of(repo, edit)[1])


@pytest.mark.parametrize("person, region", [(HIDES_THE_REST, None), (None, FAKE_HEADING), (LURES, LURES)],
                         ids=["comment-hides-the-rest", "fake-heading", "image-link-mention"])
def test_names_in_the_proposal_show_as_text_and_do_nothing_else(repo, person, region):
    html = rendered(hostile_proposal(repo, person, region))
    plain = rendered(hostile_proposal(repo, person and "Anouk Jansen", region and "Techniekregio Noord"))
    assert re.findall(r"<(h\d|table|li)\b", html) == re.findall(r"<(h\d|table|li)\b", plain)  # nothing hidden or added
    assert re.findall(r"<h\d>(.*?)</h\d>", html) == re.findall(r"<h\d>(.*?)</h\d>", plain)
    assert not re.search(r"<!--|<img|<a\b", html)
    for name in filter(None, (person, region)):
        assert " ".join(name.split()) in shown(hostile_proposal(repo, person, region))
    if person == LURES:
        assert f"@{WORD_JOINER}stuurgroep" in html and f"www{WORD_JOINER}." in html and f"#{WORD_JOINER}1" in html
