"""Rapportages and model G2 from the fixture's plan and realisatie: every figure against a value computed by hand.

The hand computations (fixture realisatie, tests/fixture/content/lindewaard/realisatie/):
2025: kosten op factuur 160.279,00 + natura 80.800,00 + personeel 137.832,50 (15 inzetregels uren x tarief)
      + afschrijvingen 56.783,01 (maandbedragen op de cent: 1.190,48 x 10 + 2.000,00 x 10 + 567,19 x 4
      + 666,67 x 9 + 800,00 x 8 + 1.134,38 x 9) = 435.694,51; cofinanciering 80.800,00 natura + 28.000,00 geld
      = 108.800,00; ten laste van de subsidie 326.894,51.
2026 (tot en met november, de peildatum): 139.120,00 + 106.500,00 + 93.968,60 + 71.070,92 (1.190,48 x 11
      + 2.000,00 x 11 + 567,19 x 11 + 666,67 x 11 + 800,00 x 11 + 1.134,38 x 11 + 125,00 x 9) = 410.659,52;
      cofinanciering 106.500,00; subsidie 304.159,52.
2026 tot en met 31 augustus (de peildatum van de rapportage 2026): zonder de twee facturen van 31 oktober
      (7.650,00 + 11.400,00): 120.070,00 + 106.500,00 + 93.968,60 + 51.619,76 (6.358,72 x 8 + 125,00 x 6)
      = 372.158,36; subsidie 265.658,36.
Voorschotten: 1.046.100,00 (2025) and 806.200,00 (2026); beschikking 3.850.000,00.
"""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from pypdf import PdfReader

from gitrepo import EXAMPLE, GitRepo
from stodocs.diff.htmltree import parse
from stodocs.verantwoording.report_diff import diff_reports
from stodocs.verantwoording.reporting import make_g2, make_reports, render_report
from stodocs.sources import GitRevision, WorkingTree

EINDVERSLAG = Path(__file__).resolve().parent / "eindverslag"


def rows(html: str) -> dict[str, list[str]]:
    """Return every table row with an id as its cells' text, spaces normalised."""
    root, _ = parse(html)
    return {e.get("id"): [" ".join(c.text().replace("\xa0", " ").split()) for c in e.children
                          if not isinstance(c, str) and c.tag in ("td", "th")]
            for e in root.iter() if e.tag == "tr" and e.get("id")}


def text_of(element_id: str, html: str) -> str:
    root, _ = parse(html)
    found = next(e for e in root.iter() if e.get("id") == element_id)
    return " ".join(found.text().replace("\xa0", " ").split())


def pdf_text(path: Path) -> str:
    return " ".join(pdf_pages(path))


def pdf_pages(path: Path) -> list[str]:
    """Return the text of each page, white space collapsed."""
    return [" ".join((p.extract_text() or "").replace("\xa0", " ").split()) for p in PdfReader(path).pages]


@pytest.fixture(scope="session")
def report_2026(tmp_path_factory) -> str:
    """The fixture's 2026 voortgangsrapportage as HTML."""
    repo = GitRepo.example(tmp_path_factory.mktemp("rapportage") / "repo")
    repo.commit("Regioplan met realisatie")
    [path] = make_reports(WorkingTree(repo.root), None, 2026, "html", tmp_path_factory.mktemp("out"))
    return path.read_text(encoding="utf-8")


def test_voortgangsrapportage_2026_money_per_year(report_2026: str):
    found = rows(report_2026)
    assert found["realisatie-jaar-2025"] == ["2025 afgesloten", "€ 1.154.900,00", "€ 435.694,51", "− € 719.205,49", "37,7%"]
    # the rapportage's own peildatum, 31 August 2026: not the administratie's (30 November). The verklaring
    # linda-postma-2026 runs 1 January to 30 November (334 days), 580 uur: up to 31 August (243 days) count
    # 580 x 243 / 334 = 421,98 -> 422,0 uur x 60,10 = 25.362,20 instead of 34.858,00 (9.495,80 less):
    # 372.158,36 - 9.495,80 = 362.662,56
    assert found["realisatie-jaar-2026"] == ["2026", "€ 990.700,00", "€ 362.662,56", "− € 628.037,44", "36,6%"]
    assert found["realisatie-jaar-2027"] == ["2027", "€ 1.107.000,00", "€ 0,00", "− € 1.107.000,00", "0,0%"]
    # 435.694,51 + 362.662,56 = 798.357,07 of 4.371.600,00
    assert found["realisatie-jaar-totaal"] == ["Totaal", "€ 4.371.600,00", "€ 798.357,07", "− € 3.573.242,93", "18,3%"]


def test_voortgangsrapportage_2026_key_figures(report_2026: str):
    found = rows(report_2026)
    assert found["kerncijfer-toegekend"][1] == "€ 3.850.000,00"
    assert found["kerncijfer-gerealiseerd"][1] == "€ 798.357,07"
    assert found["kerncijfer-gerealiseerd-subsidie"][1] == "€ 583.057,07"  # 326.894,51 + 256.162,56
    assert found["kerncijfer-gerealiseerd-cofinanciering"][1] == "€ 215.300,00"  # 108.800,00 + 106.500,00
    assert found["kerncijfer-ontvangen"][1] == "€ 1.852.300,00"  # 1.046.100,00 + 806.200,00
    # bedrijven (cofinanciering.yaml, partners.yaml): 20.000 + 60.800 + 15.000 + 19.000 + 59.000 + 28.500; the
    # penvoerder's 13.000 does not count. Norm: 10% of 798.357,07 = 79.835,707, rounded up
    assert found["kerncijfer-cofinanciering-bedrijven"][1] == "€ 202.300,00"
    assert text_of("toets-cofinanciering-gerealiseerd", report_2026) == (
        "Cofinanciering door bedrijven: € 202.300,00, 25,3% van de gerealiseerde kosten; de norm is ten minste 10%, "
        "€ 79.835,71: voldoet.")


def test_voortgangsrapportage_2026_per_category_activity_and_line(report_2026: str):
    found = rows(report_2026)
    # invoices on materiële-kosten lines: 30.250 + 18.150 + 43.560 + 12.705 (2025) + 20.993 + 9.707 (2026)
    assert found["realisatie-categorie-materiele-kosten"][1:3] == ["€ 139.500,00", "€ 135.365,00"]
    # A line in a closed year more than the drempel off shows its toelichting; in a running year it waits.
    # techniekroute-po-2025-uren: (160 + 90) uur x 52,40 + 170 uur x 43,75 = 13.100,00 + 7.437,50
    assert found["afwijking-techniekroute-po-2025-uren"][1:5] == [
        "Inzet vmbo-docenten techniek voor lessen op basisscholenTechniekroute basisonderwijs · Personeel intern",
        "€ 100.000,00", "€ 20.537,50", "− € 79.462,50"]
    assert found["afwijking-techniekroute-po-2025-uren"][5].startswith("De lessen op de basisscholen begonnen pas")
    assert found["afwijking-techniekroute-po-2026-inhuur"][5] == "jaar loopt nog"


def test_voortgangsrapportage_2026_forecast(report_2026: str):
    found = rows(report_2026)
    # rate of the closed year 2025: 326.894,51 / 1.046.100,00; 806.200,00 x rate = 251.928,45, less than the
    # 256.162,56 of subsidie 2026 already realised by the peildatum: the running year counts at least that
    assert found["prognose-2025"] == ["2025", "€ 1.046.100,00", "€ 326.894,51", "€ 326.894,51", "€ 326.894,51"]
    assert found["prognose-2026"] == ["2026", "€ 806.200,00", "€ 256.162,56", "€ 806.200,00", "€ 256.162,56"]
    assert found["prognose-2027"] == ["2027", "€ 878.700,00", "–", "€ 878.700,00", "€ 274.583,89"]
    assert found["prognose-2028"] == ["2028", "€ 1.119.000,00", "–", "€ 1.119.000,00", "€ 349.674,94"]
    # plan: 326.894,51 + 806.200 + 878.700 + 1.119.000 = 3.130.794,51; tempo: 326.894,51 + 256.162,56
    # + 274.583,89 + 349.674,94 = 1.207.315,90
    assert found["prognose-besteed"] == ["Besteed op 31 december 2028", "", "", "€ 3.130.794,51", "€ 1.207.315,90"]
    assert found["prognose-onbesteed"] == ["Onbesteed van € 3.850.000,00", "", "", "€ 719.205,49", "€ 2.642.684,10"]
    assert text_of("prognose-risico", report_2026) == ("Risico op terugvordering: bij het huidige bestedingstempo "
                                                        "blijft € 2.642.684,10 van de subsidie onbesteed.")
    assert '<svg class="chart"' in report_2026 and "Toegekende subsidie: € 3.850.000,00" in report_2026.replace("\xa0", " ")


def test_voortgangsrapportage_2026_fills_figures_into_the_text(report_2026: str):
    text = " ".join(report_2026.replace("\xa0", " ").split())
    assert ("Tot en met de peildatum is € 798.357,07 aan kosten gerealiseerd, 18,3% van de totale begroting van "
            "€ 4.371.600,00. In 2025 was de realisatie € 435.694,51 tegenover een begroting van € 1.154.900,00.") in text
    assert "{{" not in text


def test_voortgangsrapportage_2026_progress_per_activity(report_2026: str):
    found = rows(report_2026)
    assert found["resultaat-techniekroute-po-2"] == ["Veertig techniekleskisten die tussen de basisscholen rouleren.",
                                                    "behaald", "Alle veertig leskisten rouleren sinds januari 2026."]
    assert found["resultaat-keuzevakken-vmbo-mbo-2"][1:] == ["nog niet aan de orde", ""]
    assert "Deze activiteit begint na de peildatum." in text_of("voortgang-meiden-in-techniek", report_2026)
    assert text_of("voortgang-doelstelling-techniek-in-po", report_2026).startswith(
        "Doelstelling: Techniek structureel in het basisonderwijs Indicator: In 2028 volgen alle leerlingen")


def test_stands_follow_their_result_when_the_plan_reorders_them(repo: GitRepo, tmp_path: Path):
    first = "      - Een vastgestelde leerlijn met afspraken over verzilvering van vmbo-onderdelen in het mbo.\n"
    second = "      - Jaarlijks minimaal 60 leerlingen in de leerlijn.\n"
    repo.replace("activiteiten.yaml", first + second, second + first)
    [path] = make_reports(WorkingTree(repo.root), None, 2026, "html", tmp_path / "out")
    found = rows(path.read_text(encoding="utf-8"))
    assert found["resultaat-leerlijn-installatie-1"] == [
        "Jaarlijks minimaal 60 leerlingen in de leerlijn.", "deels behaald",
        "De leerlijn draait sinds schooljaar 2025-2026 met 46 leerlingen."]
    assert found["resultaat-leerlijn-installatie-2"][0].startswith("Een vastgestelde leerlijn")
    assert found["resultaat-leerlijn-installatie-2"][2] == (
        "Twee mbo-onderdelen worden al verzilverd; de andere twee volgen in 2027.")


def test_rapportage_and_g2_hold_no_personal_data(report_2026: str, tmp_path: Path):
    folder = GitRepo.example(tmp_path / "repo")
    written, _ = make_g2(WorkingTree(folder.root), None, 2025, "html", tmp_path / "out")
    outputs = [report_2026] + [p.read_text(encoding="utf-8") for p in written]
    personal = ["Kees de Boer", "Dennis Hofman", "Marloes Vermeulen", "Youssef Benali", "54,70", "52,40", "61,25"]
    for output in outputs:
        for word in personal:
            assert word not in output.replace("\xa0", " ")


def test_g2_csv_cells_from_the_content_are_never_formulas(tmp_path: Path):
    folder = GitRepo.example(tmp_path / "repo")
    folder.replace("regio.yaml", "naam: Techniekregio Lindewaard", 'naam: "=HYPERLINK(\'http://x\',\'klik\')"')
    folder.replace("realisatie/subsidie.yaml", 'kenmerk: "DUS-I/STO25-0417"', 'kenmerk: "@SUM(A1)"')
    folder.commit("Regio met formules")
    written, _ = make_g2(WorkingTree(folder.root), None, 2025, "html", tmp_path / "out")
    [row] = next(p for p in written if p.suffix == ".csv").read_text(encoding="utf-8-sig").splitlines()[1:]
    cells = row.split(";")
    assert cells[0] == "'=HYPERLINK('http://x','klik')" and cells[5] == "'@SUM(A1)"
    assert cells[7:] == ["3850000,00", "0,00", "1046100,00", "326894,51", "326894,51", "719205,49"]


def test_g2_2025_and_2026_csv_and_pdf(tmp_path: Path):
    folder = GitRepo.example(tmp_path / "repo")
    folder.commit("Regioplan met realisatie")
    written, tables = make_g2(WorkingTree(folder.root), None, 2025, "pdf", tmp_path / "out")
    csv = next(p for p in written if p.suffix == ".csv").read_text(encoding="utf-8-sig").splitlines()
    assert csv == [
        "Regio;Verslagjaar;Model;Status;Omschrijving;Toewijzing kenmerk;Toewijzing datum;Bedrag van de toewijzing;"
        "Saldo 1 januari;Ontvangen in verslagjaar;Lasten in verslagjaar;Totale kosten 31 december;"
        "Saldo nog te besteden ultimo verslagjaar",
        # 0,00 + 1.046.100,00 − 326.894,51 = 719.205,49; decimal commas, as Dutch Excel reads them
        "Techniekregio Lindewaard;2025;G2-B;ingediend;Subsidieregeling sterk techniekonderwijs 2025-2028;"
        "DUS-I/STO25-0417;2025-01-28;3850000,00;0,00;1046100,00;326894,51;326894,51;719205,49"]
    assert [t.voorlopig for t in tables] == [False]
    # one status on the CSV, the file names and every page of the PDF (rapportages/indieningen.yaml)
    assert all("-ingediend-" in p.name for p in written)
    pages = pdf_pages(next(p for p in written if p.suffix == ".pdf"))
    assert all("ingediend op 24 juni 2026, kenmerk Jaarverslag 2025" in page for page in pages), pages
    assert next(p for p in written if p.suffix == ".csv").read_bytes().startswith(b"\xef\xbb\xbf")
    text = pdf_text(next(p for p in written if p.suffix == ".pdf"))
    assert "Model G2-B" in text and "€ 719.205,49" in text and "€ 326.894,51" in text
    # the Totaal row of the lasten per category fills every column: 435.694,51 − 108.800,00 = 326.894,51
    assert "Totaal € 435.694,51 € 108.800,00 € 326.894,51" in text
    written, tables = make_g2(WorkingTree(folder.root), None, 2026, "pdf", tmp_path / "out")
    csv = next(p for p in written if p.suffix == ".csv").read_text(encoding="utf-8-sig").splitlines()
    # 719.205,49 + 806.200,00 − 304.159,52 = 1.221.245,97; totale kosten 326.894,51 + 304.159,52 = 631.054,03
    assert csv[1] == ("Techniekregio Lindewaard;2026;G2-B;voorlopig;Subsidieregeling sterk techniekonderwijs 2025-2028;"
                      "DUS-I/STO25-0417;2025-01-28;3850000,00;719205,49;806200,00;304159,52;631054,03;1221245,97")
    assert [t.voorlopig for t in tables] == [True]  # the administratie runs to 30 November 2026
    assert all("-voorlopig-" in p.name for p in written)
    assert "Voorlopig: de projectadministratie is bijgewerkt tot en met 30 november 2026" in pdf_text(
        next(p for p in written if p.suffix == ".pdf"))
    pages = pdf_pages(next(p for p in written if p.suffix == ".pdf"))
    assert all("voorlopig: de administratie is bijgewerkt tot en met 30 november 2026" in p for p in pages), pages
    assert not any("Concept" in p for p in pages)


def test_a_concept_g2_carries_the_watermark_on_every_page_the_landscape_table_too(tmp_path: Path):
    folder = GitRepo.example(tmp_path / "repo")
    (folder.root / "content" / EXAMPLE / "rapportages" / "indieningen.yaml").unlink()
    folder.commit("Regioplan met realisatie, nog niets ingediend")
    written, _ = make_g2(WorkingTree(folder.root), None, 2025, "pdf", tmp_path / "out")
    assert all(p.name.startswith("g2-2025-") and "concept" not in p.name for p in written)  # concept: the default
    csv = next(p for p in written if p.suffix == ".csv").read_text(encoding="utf-8-sig").splitlines()
    assert csv[1].split(";")[3] == "concept"
    reader = PdfReader(next(p for p in written if p.suffix == ".pdf"))
    landscape = [page for page in reader.pages if page.mediabox.width > page.mediabox.height]
    assert landscape, "model G2 has a landscape page"
    for page in reader.pages:
        assert "concept" in page.extract_text().lower()
        # the CONCEPT watermark is the page background: the image templates/concept.jpg
        assert len(page.images) >= 1, f"page {page.page_number + 1} has no watermark"


def _eindverslag_repo(root: Path) -> GitRepo:
    """The fixture region with the eindverslag fixture: a closed realisatie 2025-2028, the eindverslag, a vaststelling."""
    repo = GitRepo.example(root)
    region = repo.root / "content" / EXAMPLE
    shutil.rmtree(region / "realisatie")
    shutil.copytree(EINDVERSLAG, region, dirs_exist_ok=True)
    return repo


def test_eindverslag_from_a_realisatie_2025_2028(tmp_path: Path):
    repo = _eindverslag_repo(tmp_path / "repo")
    repo.commit("Eindverslag")
    [path] = make_reports(WorkingTree(repo.root), None, 2029, "html", tmp_path / "out")
    assert path.name.startswith("eindverslag-")
    html = path.read_text(encoding="utf-8")
    found = rows(html)
    # invoices equal to the non-personnel lines: 2025 108.800 + 62.500 + 76.000 = 247.300 (of which 20.000 in
    # natura), 2026 30.700 + 54.000 + 275.500 = 360.200, 2027 133.000 + 256.500 = 389.500, 2028 24.500
    assert found["realisatie-jaar-2025"][:3] == ["2025 afgesloten", "€ 1.154.900,00", "€ 247.300,00"]
    assert found["realisatie-jaar-2026"][:3] == ["2026 afgesloten", "€ 990.700,00", "€ 360.200,00"]
    assert found["realisatie-jaar-2027"][:3] == ["2027 afgesloten", "€ 1.107.000,00", "€ 389.500,00"]
    assert found["realisatie-jaar-2028"][:3] == ["2028 afgesloten", "€ 1.119.000,00", "€ 24.500,00"]
    assert found["realisatie-jaar-totaal"][:3] == ["Totaal", "€ 4.371.600,00", "€ 1.021.500,00"]
    # subsidie spent: 1.021.500 − 20.000 = 1.001.500; unspent 3.850.000 − 1.001.500 = 2.848.500, both ways
    assert found["prognose-besteed"][3:] == ["€ 1.001.500,00", "€ 1.001.500,00"]
    assert found["prognose-onbesteed"][3:] == ["€ 2.848.500,00", "€ 2.848.500,00"]
    assert text_of("prognose-risico", html) == "Niet besteed en terug te betalen: € 2.848.500,00 van de subsidie."
    assert "In totaal is € 1.021.500,00 gerealiseerd tegenover € 4.371.600,00 begroot (23,4%)." in \
        " ".join(html.replace("\xa0", " ").split())


def test_g2_after_the_vaststelling_is_model_a(tmp_path: Path):
    repo = _eindverslag_repo(tmp_path / "repo")
    repo.commit("Eindverslag")
    written, [g2_2028] = make_g2(WorkingTree(repo.root), None, 2028, "html", tmp_path / "out")
    # 2028 still runs (G2-B): received before 2028 1.046.100 + 806.200 + 878.700 = 2.731.000, spent before 2028
    # 227.300 + 360.200 + 389.500 = 977.000: saldo 1 januari 1.754.000; + 1.119.000 − 24.500 = 2.848.500
    assert (g2_2028.model, g2_2028.saldo_begin, g2_2028.saldo_eind) == ("B", 1754000, 2848500)
    written, [g2_2029] = make_g2(WorkingTree(repo.root), None, 2029, "pdf", tmp_path / "out")
    csv = next(p for p in written if p.suffix == ".csv").read_text(encoding="utf-8-sig").splitlines()
    # vastgesteld 1.001.500 on 20 November 2029: te verrekenen 3.850.000 − 1.001.500 = 2.848.500
    assert csv == [
        "Regio;Verslagjaar;Model;Status;Omschrijving;Toewijzing kenmerk;Toewijzing datum;Bedrag van de toewijzing;"
        "Ontvangen t/m verslagjaar;Totale kosten;Te verrekenen ultimo verslagjaar",
        "Techniekregio Lindewaard;2029;G2-A;concept;Subsidieregeling sterk techniekonderwijs 2025-2028;"
        "DUS-I/STO25-0417;2025-01-28;3850000,00;3850000,00;1001500,00;2848500,00"]
    assert "Model G2-A" in pdf_text(next(p for p in written if p.suffix == ".pdf"))


def test_old_plan_against_current_plan(tmp_path: Path):
    repo = GitRepo.example(tmp_path / "repo")
    repo.commit("Regioplan", tag="v1.0")
    # 2027: 2.400 uur -> 2.000 uur x 50 = −20.000 on techniekroute-po-2027-uren, with a toelichting
    repo.replace("begroting.yaml", "    aantal: 2400\n    eenheid: uur\n    prijs: 50\n",
                 "    aantal: 2000\n    eenheid: uur\n    prijs: 50\n    toelichting: Minder gastlessen in 2027.\n")
    repo.replace("rapportages/2026/rapportage.md", "peildatum: 2026-08-31\n", "peildatum: 2026-08-31\nbasisplan: v1.0\n")
    repo.commit("Minder uren 2027")
    [path] = make_reports(WorkingTree(repo.root), None, 2026, "html", tmp_path / "out")
    html = path.read_text(encoding="utf-8")
    found = rows(html)
    assert found["planwijziging-totaal"] == ["Totale kosten", "€ 4.371.600,00", "− € 20.000,00", "€ 4.351.600,00"]
    assert found["planwijziging-jaar-2027"] == ["Jaar 2027", "€ 1.107.000,00", "− € 20.000,00", "€ 1.087.000,00"]
    assert found["planwijziging-categorie-personeel-intern"][1:] == ["€ 3.054.000,00", "− € 20.000,00",
                                                                     "€ 3.034.000,00"]
    assert found["planwijziging-regel-techniekroute-po-2027-uren"][1:] == [
        "€ 120.000,00", "− € 20.000,00", "€ 100.000,00", "Minder gastlessen in 2027."]


def test_redline_between_two_versions_of_a_voortgangsrapportage(tmp_path: Path):
    repo = GitRepo.example(tmp_path / "repo")
    repo.commit("Voortgangsrapportage, eerste versie", tag="concept-1")
    repo.replace("rapportages/2026/techniekroute-po.md", "18 van de 24 leerkrachten", "20 van de 24 leerkrachten")
    repo.replace("rapportages/2026/fablab-lindewaard.md", "status: vertraagd", "status: lopend")
    repo.commit("Voortgangsrapportage, tweede versie")
    written = diff_reports(GitRevision(repo.root, "concept-1"), GitRevision(repo.root, "HEAD"), None, 2026,
                           tmp_path / "out")
    [pdf] = [p for p in written if p.suffix == ".pdf"]
    [html_path] = [p for p in written if p.suffix == ".html"]
    assert pdf.parent.parent.name == EXAMPLE and pdf.name.startswith("voortgangsrapportage-2026-")
    html = html_path.read_text(encoding="utf-8")
    assert "<del>18</del>" in html and "<ins>20</ins>" in html
    assert "<ins>lopend (in het activiteitenplan: </ins>vertraagd<ins>)</ins>" in html
    text = pdf_text(pdf)
    assert "Wijzigingen in de rapportage" in text and "Van Versie concept-1 van 1 maart 2026 (" in text
    items = [e.text() for e in parse(html)[0].find("section").iter() if e.tag == "li"]
    assert items == ["Activiteit: Techniekroute basisonderwijs", "Activiteit: Fablab digitale fabricage"]
    short = diff_reports(GitRevision(repo.root, "concept-1"), GitRevision(repo.root, "HEAD"), None, 2026,
                         tmp_path / "out", only_changes=True)
    [short_html] = [p for p in short if p.suffix == ".html"]
    assert short_html.stem.endswith("-alleen-wijzigingen") and html_path.exists()
    assert "ongewijzigde alinea" in short_html.read_text(encoding="utf-8")  # folded: "… 3 ongewijzigde alinea's …"


def test_cli_rapportage_and_g2(repo: GitRepo):
    done = repo.run_cli("rapportage", "2026", "--format", "html")
    assert done.returncode == 0, done.stderr
    [made] = (repo.root / "output" / EXAMPLE).glob("voortgangsrapportage-2026-*.html")
    again = repo.run_cli("rapportage", "2026", "--format", "html", "--output", "tweede")
    assert again.returncode == 0
    [second] = (repo.root / "tweede" / EXAMPLE).glob("voortgangsrapportage-2026-*.html")
    assert second.read_bytes() == made.read_bytes()  # deterministic
    wrong = repo.run_cli("rapportage", "2027")
    assert wrong.returncode == 2
    assert "fout: er is geen rapportage 2027; kies 2026, 2028, 2029" in wrong.stderr
    missing = repo.run_cli("rapportage", "2028")
    assert missing.returncode == 2 and "geen voortgangsrapportage 2028 gevonden" in missing.stderr
    typo = repo.run_cli("rapportage", "twintig")
    assert typo.returncode == 2 and "'twintig' is geen jaartal; schrijf bijvoorbeeld 2026" in typo.stderr
    outside = repo.run_cli("g2", "2024")
    assert outside.returncode == 2 and "verslagjaar 2024 valt buiten de looptijd" in outside.stderr
    only_to = repo.run_cli("rapportage", "2026", "--to", "HEAD")
    assert only_to.returncode == 2 and "--to en --alleen-wijzigingen werken alleen samen met --from" in only_to.stderr


def test_g2_without_subsidie_yaml_is_an_error_at_that_file_and_writes_nothing(repo: GitRepo):
    repo.file("realisatie/subsidie.yaml").unlink()
    # the rapportage names the toegekende subsidie and the voorschotten: an error at its peildatum
    report = repo.run_cli("rapportage", "2026", "--format", "html")
    assert report.returncode == 1
    assert (f"content/{EXAMPLE}/rapportages/2026/rapportage.md:4: de rapportage noemt de toegekende subsidie en de "
            f"ontvangen voorschotten, maar content/{EXAMPLE}/realisatie/subsidie.yaml ontbreekt") in report.stderr
    shutil.rmtree(repo.file("rapportages"))
    done = repo.run_cli("g2", "2025", "--format", "html")
    assert done.returncode == 1
    assert (f"content/{EXAMPLE}/realisatie/subsidie.yaml:1: bestand ontbreekt: de tabel model G2 noemt het kenmerk, "
            "de datum en het bedrag van de beschikking") in done.stderr
    assert not (repo.root / "output").exists()


def test_rapportage_prints_what_validate_warns_about(repo: GitRepo):
    repo.file("realisatie/personeel.yaml").unlink()
    repo.file("rapportages/2026/leerlijn-installatie.md").unlink()
    done = repo.run_cli("rapportage", "2026", "--format", "html")
    assert done.returncode == 0
    assert (f"content/{EXAMPLE}/realisatie/personeel.yaml:1: waarschuwing: bestand ontbreekt: de begroting heeft tot "
            "en met 2026 11 regels personeel intern") in done.stderr
    assert (f"content/{EXAMPLE}/rapportages/2026/leerlijn-installatie.md:1: waarschuwing: bestand ontbreekt: "
            "activiteit 'leerlijn-installatie'") in done.stderr


def test_without_a_vaststelling_the_report_says_so_for_its_reader(repo: GitRepo, tmp_path: Path):
    vastgesteld = repo.file("vaststellingen.yaml")
    if vastgesteld.exists():
        vastgesteld.unlink()
    [path] = make_reports(WorkingTree(repo.root), None, 2026, "html", tmp_path / "out")
    text = " ".join(path.read_text(encoding="utf-8").split())
    assert ("Het plan is nog niet vastgesteld; er is dus nog geen oorspronkelijk plan om het huidige plan mee te "
            "vergelijken.") in text
    assert "vaststellingen.yaml" not in text and "basisplan" not in text


def test_g2_without_any_realisatie_is_an_error(repo: GitRepo):
    shutil.rmtree(repo.file("realisatie"))
    shutil.rmtree(repo.file("rapportages"))
    done = repo.run_cli("g2", "2025", "--format", "html")
    assert done.returncode == 1
    assert f"content/{EXAMPLE}/realisatie: de projectadministratie ontbreekt" in done.stderr


def test_cli_rapportage_stops_on_content_errors_and_writes_nothing(repo: GitRepo):
    repo.replace("rapportages/2026/rapportage.md", "{{ gerealiseerd 2025 }}", "{{ gerealiseerd 2031 }}")
    done = repo.run_cli("rapportage", "2026")
    assert done.returncode == 1
    assert ("content/lindewaard/rapportages/2026/rapportage.md:23: '{{ gerealiseerd 2031 }}': achter de naam mag "
            "alleen een jaar van 2025 tot en met 2028 staan") in done.stderr
    assert not (repo.root / "output").exists()


def test_basisplan_that_git_does_not_know_is_a_problem_at_its_line(repo: GitRepo):
    repo.replace("rapportages/2026/rapportage.md", "peildatum: 2026-08-31\n", "peildatum: 2026-08-31\nbasisplan: v9.9\n")
    done = repo.run_cli("rapportage", "2026", "--format", "html")
    assert done.returncode == 1
    assert done.stderr.startswith("content/lindewaard/rapportages/2026/rapportage.md:5: basisplan: revisie 'v9.9' "
                                  "niet gevonden in deze repository")


@pytest.mark.parametrize("basisplan, says", [("v9.9", "revisie 'v9.9' niet gevonden in deze repository"),
                                             ("kapot", "het plan van lindewaard in revisie kapot kan niet gelezen")])
def test_validate_checks_the_basisplan_as_the_build_needs_it(repo: GitRepo, basisplan, says):
    repo.replace("regio.yaml", "naam: Techniekregio Lindewaard", "nam: Techniekregio Lindewaard")
    repo.commit("Een kapot plan")
    repo.git("tag", "kapot")
    repo.git("checkout", "-q", "HEAD~1", "--", "content")
    repo.replace("rapportages/2026/rapportage.md", "peildatum: 2026-08-31\n", f"peildatum: 2026-08-31\nbasisplan: {basisplan}\n")
    done = repo.run_cli("validate")
    assert done.returncode == 1
    assert done.stderr.startswith(f"content/lindewaard/rapportages/2026/rapportage.md:5: basisplan: {says}")


def test_plan_diff_also_shows_a_changed_rapportage(repo: GitRepo):
    repo.git("tag", "v1.0")
    repo.replace("rapportages/2026/techniekroute-po.md", "18 van de 24 leerkrachten", "20 van de 24 leerkrachten")
    done = repo.run_cli("diff", "--from", "v1.0", "--commentaar", "commentaar.md")
    assert done.returncode == 0, done.stderr
    # the plan itself did not change, the rapportage did: the console and the comment say so
    assert done.stdout.splitlines()[0] == "lindewaard: geen wijzigingen in het plan, wel in de rapportage."
    assert "lindewaard: rapportage gewijzigd; zie " in done.stdout
    comment = (repo.root / "commentaar.md").read_text(encoding="utf-8")
    assert "verandert niets" not in comment and "**De rapportage is gewijzigd.**" in comment
    [html] = (repo.root / "output" / "diffs" / EXAMPLE / "rapportages").glob("voortgangsrapportage-2026-*.html")
    assert "<del>18</del>" in html.read_text(encoding="utf-8")
    unchanged = repo.run_cli("diff", "--from", "HEAD", "--to", "HEAD", "--output", "leeg")
    assert "rapportage gewijzigd" not in unchanged.stdout and not (repo.root / "leeg" / "diffs").exists()


def test_g2_and_status_read_a_private_realisatie_folder(repo: GitRepo, tmp_path: Path):
    private = tmp_path / "prive"
    private.mkdir()
    shutil.move(repo.file("realisatie"), private / EXAMPLE)
    done = repo.run_cli("g2", "2025", "--format", "html", "--realisatie", str(private))
    assert done.returncode == 0, done.stderr
    [csv] = (repo.root / "output" / EXAMPLE).glob("g2-2025-*.csv")
    assert csv.read_text(encoding="utf-8-sig").splitlines()[1].endswith(";0,00;1046100,00;326894,51;326894,51;719205,49")
    status = repo.run_cli("status", "--datum", "2026-08-15", "--realisatie", str(private))
    assert "er is nog geen projectadministratie" not in status.stdout
    without = repo.run_cli("status", "--datum", "2026-08-15")
    assert "er is nog geen projectadministratie" in without.stdout


@pytest.mark.parametrize("name", ["voortgangsrapportage-2026", "g2-2025"])
def test_rapportage_and_g2_match_golden_files(example_region, name):
    """The fixture's 2026 rapportage and G2 2025 against tests/golden/ (`make golden` refreshes them; CSS left out)."""
    import os
    from gitrepo import FIXTURE
    from stodocs.verantwoording.accounts import Accounts
    from stodocs.verantwoording.reporting import Basis, RegionData, render_g2
    from stodocs.verantwoording.reports import load_reports
    from test_render import GOLDEN, VERSION, split_stylesheet
    reports, _ = load_reports(WorkingTree(FIXTURE), EXAMPLE)
    data = RegionData(example_region, reports, Accounts(example_region, example_region.realisatie))
    if name == "g2-2025":
        html = render_g2(data, data.accounts.g2(2025), VERSION, "concept")
    else:
        html = render_report(data, reports[2026], Basis(None, "", "Er is geen oorspronkelijk plan."), VERSION, "concept")
    html, _ = split_stylesheet(html)
    golden = GOLDEN / f"{name}.html"
    if os.environ.get("STODOCS_UPDATE_GOLDEN"):
        golden.write_text(html, encoding="utf-8")
    assert golden.exists(), "no golden file yet: run `make golden`"
    assert html == golden.read_text(encoding="utf-8"), f"{golden.name} changed; if intended, run `make golden`"


def test_a_figure_at_the_start_of_a_line_stays_text():
    from decimal import Decimal
    from stodocs.verantwoording.accounts import Variance
    from stodocs.markdown import parser
    from stodocs.model import Totals
    from stodocs.verantwoording.reporting import fill

    class _Accounts:  # only what fill() asks of the region: its variance
        @staticmethod
        def totaal() -> Variance:
            return Variance(Totals(), Totals(Decimal("7500.00")))

    text = fill("{{ verschil }} meer dan begroot.", _Accounts())
    assert text == "+\u00a0€\u00a07.500,00 meer dan begroot."
    assert parser().render(text, {}).startswith("<p>")  # not a list item


def test_without_basisplan_the_first_vaststelling_is_the_old_plan(tmp_path: Path):
    repo = GitRepo.example(tmp_path / "repo")
    approved = repo.commit("Regioplan")
    repo.file("vaststellingen.yaml").write_text(
        f"vaststellingen:\n  - commit: {approved[:12]}\n    datum: 2025-03-20\n    orgaan: stuurgroep\n"
        "    kenmerk: SG-2025-02 besluit 3\n", encoding="utf-8")
    repo.replace("begroting.yaml", "    aantal: 2400\n    eenheid: uur\n    prijs: 50\n",
                 "    aantal: 2000\n    eenheid: uur\n    prijs: 50\n    toelichting: Minder gastlessen in 2027.\n")
    repo.commit("Vastgesteld; minder uren 2027")
    [path] = make_reports(WorkingTree(repo.root), None, 2026, "html", tmp_path / "out")
    html = path.read_text(encoding="utf-8")
    assert rows(html)["planwijziging-totaal"] == ["Totale kosten", "€ 4.371.600,00", "− € 20.000,00", "€ 4.351.600,00"]
    assert ("Het oorspronkelijke plan is de versie die de stuurgroep op 20 maart 2025 vaststelde (SG-2025-02 besluit 3)"
            in " ".join(html.split()))


def test_rapportage_pdf_from_the_build_is_tagged_with_metadata_bookmarks_and_lato(example_build):
    """`build` renders the rapportage beside the four documents, in the same house style."""
    import io
    reader = PdfReader(io.BytesIO(example_build.pdf("voortgangsrapportage-2026")))
    assert "/StructTreeRoot" in reader.trailer["/Root"] and reader.trailer["/Root"]["/Lang"] == "nl"
    assert reader.metadata.title == "Eerste voortgangsrapportage Sterk Techniekonderwijs"
    assert reader.metadata.author == example_build.region.naam
    assert example_build.version.label in reader.metadata.subject
    assert [item.title for item in reader.outline if not isinstance(item, list)][:3] == [
        "Eerste voortgangsrapportage Sterk Techniekonderwijs", "Inhoud", "Inleiding"]
    fonts = {str(f.get_object()["/BaseFont"]).split("+")[-1] for page in reader.pages
             for f in page["/Resources"]["/Font"].values()}
    assert fonts and all(name.startswith("Lato") for name in fonts), fonts
    text = " ".join((p.extract_text() or "") for p in reader.pages).replace("\xa0", " ")
    assert "Voortgang per programmalijn en activiteit" in text and "€ 2.642.684,10" in text
