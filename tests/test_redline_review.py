"""A redline the stuurgroep can decide from, through the CLI on real repositories: every change found and shown
with its detail, page numbers on the first pages, no steps asked that are not required, and a proposal that
breaks a rule (or an old version that does) still diffed."""
from __future__ import annotations

import json
import re

import pytest
from pypdf import PdfReader

from gitrepo import GitRepo

COMPACT = "-alleen-wijzigingen"
LINK = "Zie ook [de regionale arbeidsmarktmonitor](https://oud.example.nl/monitor) voor de cijfers per sector."
MOVED = "De regio bouwt voort op de resultaten van de periode 2020-2023."


def plain(text: str) -> str:
    return " ".join(text.replace("\xa0", " ").split())


def shown(markdown: str) -> str:
    """Return the Markdown as a reader sees its text: backslash escapes and invisible word joiners gone."""
    return re.sub(r"\\(.)", r"\1", markdown).replace("\u2060", "")


def outputs(repo: GitRepo) -> dict[str, object]:
    """Return the diff files of lindewaard: the full and compact PDF text (per page), the Markdown and the JSON."""
    folder = repo.root / "output" / "diffs" / "lindewaard"
    (full,) = (p for p in folder.glob("*.pdf") if not p.stem.endswith(COMPACT))
    (compact,) = folder.glob(f"*{COMPACT}.pdf")
    return {"pages": [plain(page.extract_text()) for page in PdfReader(full).pages],
            "compact": [plain(page.extract_text()) for page in PdfReader(compact).pages],
            "md": plain(shown(full.with_suffix(".md").read_text(encoding="utf-8"))),
            "json": json.loads(full.with_suffix(".json").read_text(encoding="utf-8")),
            "html": full.with_suffix(".html").read_text(encoding="utf-8")}


def overview(pages: list[str]) -> str:
    """Return the text of the first pages: everything before the Wijzigingsvoorstel."""
    text = " ".join(pages)
    return text[:text.index("Wijzigingsvoorstel Wat deze wijziging")]


@pytest.fixture(scope="module")
def reviewed(tmp_path_factory):
    """A rename, a line moved to another year, a paragraph moved to another section, a link with a new target."""
    repo = GitRepo.example(tmp_path_factory.mktemp("review") / "repo")
    repo.replace("regioplan.md", "## Governance", f"{LINK}\n\n## Governance")
    repo.commit("basis", tag="v1.0")
    repo.replace("activiteiten.yaml", "naam: Techniekroute basisonderwijs", "naam: Techniekroute primair onderwijs")
    repo.replace("begroting.yaml", "    jaar: 2027", "    jaar: 2028", after="  - id: fablab-lindewaard-2027-uren")
    path = repo.file("regioplan.md")
    text = path.read_text(encoding="utf-8")
    start = text.index(MOVED)
    paragraph = text[start:text.index("\n\n", start)]
    text = text.replace(paragraph + "\n\n", "")
    text = text.replace("## Ambities", paragraph + "\n\n## Ambities")
    path.write_text(text.replace("https://oud.example.nl/monitor", "https://nieuw.example.nl/monitor"), encoding="utf-8")
    repo.commit("Naam, jaar, alinea en link")
    done = repo.run_cli("diff", "--from", "v1.0")
    return done, outputs(repo)


def test_the_review_diff_succeeds_quietly(reviewed):
    done, _ = reviewed
    assert done.returncode == 0, done.stderr
    assert done.stderr == ""


def test_a_year_move_shows_the_budget_overview_with_the_line_detail(reviewed):
    _, out = reviewed
    first = overview(out["pages"])
    assert "Begroting: oud, mutatie, nieuw" in first
    assert "Ontwikkeling en uitvoering fablab" in first and "jaar: 2027 → 2028" in first
    assert re.search(r"Jaar 2027 € [\d.]+,00 − € 120\.000,00", first)
    assert "### Begroting" in out["md"] and "jaar: 2027 → 2028" in out["md"]
    # € 120.000 moved without a new toelichting, above the threshold of € 5.000
    assert out["json"]["budget"]["toelichting_ontbreekt"] == ["fablab-lindewaard-2027-uren"]
    assert "toelichting ontbreekt" in first


def test_a_moved_paragraph_is_verplaatst_in_json_markdown_and_pdf(reviewed):
    _, out = reviewed
    moved = {c["id"]: c for c in out["json"]["changes"] if c["entity"] == "tekst"}
    assert {i: c["kind"] for i, c in moved.items()} == {"regioplan#h-aanleiding-en-context": "verplaatst",
                                                        "regioplan#h-visie": "verplaatst",
                                                        "regioplan#h-ambities": "gewijzigd"}  # the link
    assert moved["regioplan#h-visie"]["related"] == ["regioplan#h-aanleiding-en-context"]
    assert "Regioplan, § Aanleiding en context: verplaatst (tekst van of naar § Visie" in out["md"]
    first = overview(out["pages"])
    assert re.search(r"§ Visie \(blz\. \d+\): verplaatst \(tekst van of naar § Aanleiding en context", first)
    body = " ".join(out["pages"])
    assert f"verplaatst {MOVED}" in body  # the label before the moved paragraph in the document itself
    # Only moved, so no decision: listed as redactional, not for assessment.
    proposal = body[body.index("Wijzigingsvoorstel Wat deze wijziging"):]
    to_assess = proposal[proposal.index("Niet geclassificeerd – beoordelen"):proposal.index("Redactioneel – geen besluit")]
    assert "Ambities" in to_assess and "Visie" not in to_assess and "Aanleiding" not in to_assess
    assert "Verplaatst: tekst 'Visie' in het regioplan" in proposal[proposal.index("Redactioneel – geen besluit"):]


def test_a_changed_link_target_shows_old_and_new_address(reviewed):
    _, out = reviewed
    said = "link 'de regionale arbeidsmarktmonitor': https://oud.example.nl/monitor → https://nieuw.example.nl/monitor"
    assert said in overview(out["pages"]), overview(out["pages"])
    assert said in out["md"]


def test_a_rename_needs_no_dusi_melding(reviewed):
    _, out = reviewed
    for text in (" ".join(out["pages"]), out["md"]):
        proposal = text[text.index("Wijzigingsvoorstel"):]
        assert "Nodig: nee" in proposal
        assert "Activiteit inhoudelijk gewijzigd" not in proposal
        assert "Activiteit 'Techniekroute primair onderwijs' redactioneel gewijzigd" in proposal


def test_every_item_on_the_first_pages_carries_its_page_number(reviewed):
    _, out = reviewed
    pages = out["pages"]
    first = overview(pages)
    numbers = [int(n) for n in re.findall(r"\(blz\. (\d+)\)", first)]
    assert len(numbers) >= 6
    assert all(1 < n <= len(pages) for n in numbers)
    html = out["html"]
    overview_html = html[html.index('id="overzicht"'):html.index('id="wijzigingsvoorstel"')]
    assert overview_html.count('<a class="redline-ref"') == len(numbers)
    # the number is where the link leads: the renamed activity's page shows its new name
    at = first.index("Techniekroute primair onderwijs (blz. ")
    page = int(re.match(r"Techniekroute primair onderwijs \(blz\. (\d+)\)", first[at:]).group(1))
    assert "Techniekroute basisonderwijs primair onderwijs" in pages[page - 1]  # the heading: struck, then inserted


def test_the_compact_redline_folds_unchanged_paragraphs_and_the_markdown_links_both(reviewed):
    _, out = reviewed
    compact = " ".join(out["compact"])
    assert len(out["compact"]) < len(out["pages"])
    assert re.search(r"… \d+ ongewijzigde alinea's …", compact)
    assert "De volledige redline:" in compact
    links = re.findall(r"\[([^\]]+\.pdf)\]", out["md"])
    assert len(links) == 2 and links[1].endswith(f"{COMPACT}.pdf")


def test_an_old_version_that_fails_todays_schema_still_diffs_with_a_warning(tmp_path):
    repo = GitRepo.example(tmp_path / "repo")
    repo.replace("regio.yaml", "soort: techniekregio", "soort: techniekregio\nwebsite: https://lindewaard.example.nl")
    repo.commit("oude versie met een sleutel die het schema nu niet kent")
    repo.replace("regio.yaml", "\nwebsite: https://lindewaard.example.nl", "")
    repo.replace("regioplan.md", "sterke maakindustrie", "krachtige maakindustrie")
    repo.commit("opgeschoond")
    done = repo.run_cli("diff", "--from", "HEAD~1")
    assert done.returncode == 0, done.stderr
    assert re.search(r"^waarschuwing: lindewaard: de oude versie \(HEAD~1\) voldoet niet aan de huidige regels",
                     done.stderr, re.M)
    assert "HEAD~1:content/lindewaard/regio.yaml:" in done.stderr and "website" in done.stderr
    out = outputs(repo)
    first = overview(out["pages"])
    assert "De oude versie voldoet niet aan de huidige regels" in first
    assert "Deze versie voldoet niet aan de regels" not in first
    assert "§ Aanleiding en context" in first  # the rest compares as usual


def test_a_rule_breaking_proposal_names_the_rule_and_who_decides(tmp_path):
    repo = GitRepo.example(tmp_path / "repo")
    repo.commit("basis")
    repo.replace("begroting.yaml", "    cofinanciering: 118000\n    cofinancier: waardmetaal",
                 "    cofinanciering: 18000\n    cofinancier: waardmetaal")
    done = repo.run_cli("diff", "--from", "HEAD")
    assert done.returncode == 1
    assert "minder dan 10% van de subsidiabele kosten" in done.stderr
    out = outputs(repo)
    first = overview(out["pages"])
    assert "Deze versie voldoet niet aan de regels" in first and "minder dan 10% van de subsidiabele kosten" in first
    body = " ".join(out["pages"])
    proposal = body[body.index("Wijzigingsvoorstel Wat deze wijziging"):]
    assert "Herstel 2 fouten in de nieuwe versie" in proposal
    assert "Cofinanciering door bedrijven onder de norm van 10%" in proposal
    assert "Besluit door de stuurgroep over: cofinanciering door bedrijven onder de norm van 10% " \
           "(volgens de regel 'Cofinanciering door bedrijven onder de norm van 10%')" in out["md"]
    assert ("Volgens de regel 'Cofinanciering door bedrijven onder de norm van 10%' van de wijzigingsprocedure: "
            in proposal)
    assert "€ 408.600,00 is minder dan de norm van € 437.160,00" in proposal
    assert "⚠ Deze versie voldoet niet aan de regels" in out["md"]
