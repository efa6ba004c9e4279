"""End to end: both seed casussen committed in a real repository, `build.py diff` and `build.py log` run as a user would."""
from __future__ import annotations

import re
import shutil

import pytest
from pypdf import PdfReader

from gitrepo import GitRepo
from stodocs.approval import find_approval
from stodocs.formatting import WORD_JOINER
from stodocs.pipeline import check
from stodocs.render import document_status, render_document
from stodocs.sources import GitRevision, WorkingTree

APPROVAL = """vaststellingen:
  - commit: {commit}
    datum: 2026-03-14
    orgaan: stuurgroep
    kenmerk: SG-2026-03 besluit 4
    samenvatting: Regioplan 2025-2028 vastgesteld.
"""


def flat(text: str) -> str:
    return " ".join(text.split())


def run_diff(repo: GitRepo, base: str) -> tuple[str, str]:
    """Run `build.py diff --from base`; return the PDF text and the Markdown summary, whitespace-flattened."""
    result = repo.run_cli("diff", "--from", base)
    assert result.returncode == 0, result.stderr
    folder = repo.root / "output" / "diffs" / "lindewaard"
    (pdf,) = (p for p in folder.glob("*.pdf") if not p.stem.endswith("-alleen-wijzigingen"))
    (markdown,) = folder.glob("*.md")
    text = "\n".join(page.extract_text() for page in PdfReader(pdf).pages)
    return flat(text), flat(unescaped(markdown.read_text(encoding="utf-8")))


def unescaped(markdown: str) -> str:
    """Return Markdown with the escapes of content text taken out (markdown_text), its structure kept."""
    return re.sub(r"\\([!-/:-@\[-`{-~])", r"\1", markdown).replace(WORD_JOINER, "")


def section(text: str, start: str, end: str) -> str:
    at = text.index(start)
    return text[at:text.index(end, at)]


@pytest.fixture(scope="module")
def zorgrobots(tmp_path_factory):
    """Casus 1 on an approved base: base, vaststelling of the base, then the new activity."""
    repo = GitRepo.example(tmp_path_factory.mktemp("casus1") / "repo")
    base = repo.commit("Basisversie regioplan Lindewaard")
    repo.file("vaststellingen.yaml").write_text(APPROVAL.format(commit=base[:10]), encoding="utf-8")
    repo.commit("Vaststelling stuurgroep 14 maart 2026 vastgelegd", date="2026-03-15T09:00:00+01:00")
    repo.apply_case("casussen/zorgrobots")  # a new activity under a new doelstelling, with a 3D printer
    repo.commit("Nieuwe activiteit Zorgrobots in de praktijk met 3D-printer", date="2026-04-01T09:00:00+02:00")
    pdf, markdown = run_diff(repo, base)
    return repo, base, pdf, markdown


def test_casus_zorgrobots_steps_in_pdf_and_markdown(zorgrobots):
    _, _, pdf, markdown = zorgrobots
    for text in (pdf, markdown):
        proposal = text[text.index("Wijzigingsvoorstel"):]
        assert "Nieuwe doelstelling 'Techniek zichtbaar maken in andere domeinen'" in proposal
        assert "Nieuwe activiteit 'Zorgrobots in de praktijk'" in proposal
        assert ("Besluit door de stuurgroep over: nieuwe doelstelling (het regioplan zelf wijzigt); nieuwe activiteit "
                "(volgens de regels 'Nieuwe doelstelling (het regioplan zelf wijzigt)' en 'Nieuwe activiteit')"
                ) in proposal.replace("vol- gens", "volgens")  # the PDF may break the word
        assert "nieuwe-activiteit" not in proposal and "wijzigingsprocedure.yaml" not in proposal  # names, no ids
        assert "Besluit door de programmamanager over: verschuiving in de begroting onder de drempel" in proposal
        informing = section(proposal, "Informeren", "Vastleggen")
        for who in ("Penvoerder (CSG Lindewaard)", "Regiocoördinator (Saskia de Wit)", "Partnerscholen (",
                    "Projectleiders ("):
            assert who in informing
        assert "Stuurgroep" not in informing
        records = section(proposal, "Vastleggen", "DUS-I-melding")
        for what in ("Regioplan aanpassen", "Activiteitenplan aanpassen", "Meerjarenbegroting aanpassen",
                     "Vastleggen in de projectadministratie"):
            assert what in records
        assert "Nodig: nee" in proposal
        assert "Geen: elke wijziging valt onder een regel van de wijzigingsprocedure." in proposal
        signing = proposal[proposal.index("Niet geclassificeerd – beoordelen"):]
        for field in ("Besluit", "Datum", "Door wie", "Handtekening"):
            assert field in signing
    assert "- [ ] Regiocoördinator (Saskia de Wit)" in markdown
    assert "€ 7.500,00 verschoven" in pdf.replace("\xa0", " ")


def test_approved_base_renders_as_vastgesteld_and_new_version_as_concept(zorgrobots):
    _, _, pdf, _ = zorgrobots
    assert "Vastgesteld door de stuurgroep op 14 maart 2026" in pdf
    assert "concept" in pdf


def test_history_appendix_and_status_of_the_approved_version(zorgrobots):
    repo, base, _, _ = zorgrobots
    current = check(WorkingTree(repo.root), ["lindewaard"]).regions["lindewaard"]
    source = GitRevision(repo.root, base)
    assert "lindewaard" in check(source, ["lindewaard"]).regions  # the approved version itself is valid
    approval = find_approval(repo.root, "lindewaard", current.vaststellingen, source)
    status = document_status(source.version(), approval)
    assert status == "Vastgesteld door de stuurgroep op 14 maart 2026"
    approved = flat(render_document(current, "regioplan", source.version(), status))
    assert '<body class="document-regioplan">' in approved  # no CONCEPT page background, and the cover says why
    assert '<p class="cover-status vastgesteld">Vastgesteld door de stuurgroep op 14 maart 2026</p>' in approved
    html = flat(render_document(current, "regioplan", WorkingTree(repo.root).version(), "concept"))
    appendix = html[html.index("Bijlage: Wijzigingshistorie"):]
    # The version's short hash as people read it, as on the cover: "Versie van 14 maart 2026 (9dcee70)".
    assert "14 maart 2026" in appendix and "SG-2026-03 besluit 4" in appendix and base[:7] in appendix
    assert "Regioplan 2025-2028 vastgesteld." in appendix


def test_log_after_casus(zorgrobots):
    repo, base, _, _ = zorgrobots
    result = repo.run_cli("log", "lindewaard")
    assert result.returncode == 0, result.stderr
    assert "Techniekregio Lindewaard (lindewaard): 1 vastgestelde versie(s)" in result.stdout
    assert f"14 maart 2026 · de stuurgroep · SG-2026-03 besluit 4 · {base[:10]}" in result.stdout


def test_casus_new_school_and_an_uncovered_change(repo: GitRepo):
    base = repo.head
    repo.apply_case("casussen/nieuwe-school")  # a vmbo school joins; EUR 20.000 moves to its keuzevakken
    repo.commit("Vmbo De Brug treedt toe; budget uit instroombevordering")
    repo.replace("regioplan.md", "De drie vmbo-scholen in de regio", "De vier vmbo-scholen in de regio")
    repo.commit("Regioplan: vier vmbo-scholen")
    pdf, markdown = run_diff(repo, base)
    for text in (pdf, markdown):
        proposal = text[text.index("Wijzigingsvoorstel"):]
        assert "Toetreding van Vmbo De Brug" in proposal and "profielen: MVI, DP, ZW" in proposal
        assert "leerwegen: basis, kader" in proposal
        assert "Besluit door het bestuurlijk overleg over: toetreding van een partner" in proposal
        assert "Besluit door de stuurgroep over: verschuiving in de begroting boven de drempel" in proposal
        informing = section(proposal, "Informeren", "Vastleggen")
        for who in ("Penvoerder (CSG Lindewaard)", "Stuurgroep", "Regiocoördinator (Saskia de Wit)", "Vmbo De Brug"):
            assert who in informing
        records = section(proposal, "Vastleggen", "DUS-I-melding")
        for what in ("Regioplan aanpassen", "Meerjarenbegroting aanpassen", "Huishoudelijk reglement aanpassen",
                     "Communicatie aan OCW", "Vastleggen in de projectadministratie"):
            assert what in records
        assert "Activiteitenplan aanpassen" not in records
        unclassified = section(proposal, "Niet geclassificeerd – beoordelen", "Handtekening")
        assert "Tekst 'Aanleiding en context' gewijzigd in het regioplan" in unclassified


def test_diff_of_an_added_region_is_a_summary_not_a_crash(repo: GitRepo):
    repo.add_region("twee")
    done = repo.run_cli("diff", "--from", "HEAD", "--output", str(repo.root / "uit"))
    assert done.returncode == 0, done.stderr
    assert "twee:" in done.stdout and "interne fout" not in done.stderr
    [summary] = (repo.root / "uit" / "diffs" / "twee").glob("*.md")
    assert "nieuw" in summary.read_text(encoding="utf-8")


@pytest.mark.parametrize("how", ["added", "removed"])
def test_the_impact_of_an_added_or_removed_region_renders(example_region, how):
    """The checklist of a region that appears or goes (the crash was `None.besluit` in its decisions)."""
    from stodocs.diff.changeset import compare_regions
    from stodocs.impact import classify
    from stodocs.proposal import proposal_html, proposal_markdown
    old, new = (None, example_region) if how == "added" else (example_region, None)
    impact = classify(compare_regions(example_region.id, old, new), old, new)
    assert impact.decisions() == [] and impact.unclassified
    assert ("Nieuwe regio" if how == "added" else "De regio is verwijderd") in proposal_markdown(impact)
    proposal_html(impact)
