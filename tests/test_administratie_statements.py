"""The statements to sign (Bijlagen 1, 2, 4, 6): figures checked against values computed by hand, to the cent."""
from __future__ import annotations

import io
import re
from html import unescape

import pytest
from pypdf import PdfReader

from gitrepo import EXAMPLE, FIXTURE, GitRepo
from stodocs.administratie.statements import render_statement, statement_path, statement_state, statements
from stodocs.pdf import PdfJob, render_pdfs
from stodocs.sources import WorkingTree


@pytest.fixture(scope="module")
def rendered(example_region):
    """Every statement of the fixture region as (statement, HTML), by kind and name."""
    version = WorkingTree(FIXTURE).version()
    return {(s.kind, s.name): (s, render_statement(example_region, s, version, statement_state(example_region, s)))
            for s in statements(example_region)}


def text(html: str) -> str:
    """Return the visible text of `html`, whitespace collapsed."""
    body = html.split("<main>", 1)[1]
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", body)).split())


def row(html: str, ident: str) -> str:
    """Return the text of the table row with id `ident`."""
    found = re.search(rf'<tr[^>]*id="{ident}"[^>]*>(.*?)</tr>', html, re.S)
    assert found, ident
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", found.group(1))).split())


def test_one_statement_per_jaartaak_verklaring_partner_year_and_one_staat_van_afschrijvingen(rendered):
    kinds = [kind for kind, _ in rendered]
    # 6 teachers x 2 schooljaren; 4 verklaringen; 4 schools x 2 years; Bijlage 6 per institution per year up to
    # the peildatum (30 November 2026): CSG Lindewaard and Vakcollege De Linde 2025 and 2026, Het Waardcollege 2026
    assert (kinds.count("bijlage-1"), kinds.count("bijlage-2"), kinds.count("bijlage-4"), kinds.count("bijlage-6")) \
        == (12, 4, 8, 5)


def test_bijlage_1_shows_the_jaartaak_and_its_sto_hours(rendered):
    statement, html = rendered[("bijlage-1", "dennis-hofman-2024-2025")]
    assert statement.title == "Individuele jaartaak Dennis Hofman, schooljaar 2024-2025"
    assert row(html, "betrekking") == "Betrekking 1.396,7"  # 1659 x 0,9 = 1493,1 minus verlof 96,4
    assert row(html, "inzetbaar") == "Inzetbare uren 1.186,7"  # - 90 - 75 - 45
    assert row(html, "saldo") == "Saldo 96,7"  # 1186,7 - 600 lessen - 300 - 40 - 150 STO
    assert row(html, "sto-praktijkleren-bedrijven-2025-uren").endswith("150")
    assert "praktijkleren-bedrijven-2025-uren" not in text(html)  # the line by its name, activity and year
    assert "Verlof: ouderschapsverlof 1 januari 2025 31 juli 2025 0,1 − 96,4" in text(html)
    assert "€" not in text(html)  # Bijlage 1 is about hours; the rate is on Bijlage 4


def test_bijlage_2_names_exactly_one_of_the_three_cases(rendered):
    _, bart = rendered[("bijlage-2", "bart-willems-2025-2026")]
    said = text(bart)
    assert "Vakcollege De Linde, in deze kwestie rechtsgeldig vertegenwoordigd door Rob Jacobs, directeur-bestuurder" in said
    assert "In de periode van 1 september 2025 tot en met 31 juli 2026 heeft Bart Willems" in said
    assert "Aantal uren inzet t.b.v. STO 370" in said  # 170 + 200
    assert "c. De medewerker is per 1 september 2025 vervangen door Tom Verbeek." in said
    assert "a. De medewerker" not in said and "b. De medewerker" not in said
    _, ruud = rendered[("bijlage-2", "ruud-smit-2025-2026")]
    assert "uitbreiding van zijn/haar aanstelling gekregen van 0,2 fte" in text(ruud)
    _, linda = rendered[("bijlage-2", "linda-postma-2025")]
    assert "op 1 februari 2025 speciaal aangeworven" in text(linda)


def test_bijlage_4_is_hours_times_rate_per_person_to_the_cent(rendered):
    statement, html = rendered[("bijlage-4", "csg-lindewaard-2025")]
    assert statement.title == "Staat van geleverde inspanning CSG Lindewaard 2025"
    said = text(html)
    # Ruud Smit, Aug-Dec 2025 of his verklaring: 110 x 41,30
    assert "Ruud Smit technisch onderwijsassistent 1 augustus 2025 31 december 2025 " in said
    assert "110 € 41,30 € 4.543,00" in said
    assert "-uren" not in said  # budget lines by name, never by id
    # Kees de Boer, the 2025 half of schooljaar 2024-2025: 240 x 56
    assert "Kees de Boer docent PIE 1 januari 2025 31 juli 2025 " in said and "240 € 56,00 € 13.440,00" in said
    # 13440 + 6720 + 8205 + 4376 + 4543 + 37696, over 240 + 120 + 150 + 80 + 110 + 640 hours
    assert row(html, "totaal") == "Totaal 1.340 € 74.980,00"
    _, college = rendered[("bijlage-4", "het-waardcollege-2026")]
    assert row(college, "totaal") == "Totaal 270,5 € 13.498,90"  # Eva Mulder 130,5 x 49,80 = 6.498,90 + Ilse Brouwer 140 x 50


def test_bijlage_6_per_institution_and_year_up_to_the_peildatum(rendered):
    statement, html = rendered[("bijlage-6", "het-waardcollege-2026")]
    assert statement.title == "Staat van afschrijvingen Het Waardcollege 2026"
    # casus 1: EUR 7.500 over 60 months from March 2026 = 125 a month; up to the peildatum 30 November 2026:
    # 9 months = 1.125,00; 34 months fall inside 2025-2028 (4.250,00), so 3.125,00 is still to come; 3.250,00 never
    assert row(html, "afschrijving-printer-zorgrobots").split("€")[-5:] == [
        " 125,00 ", " 1.125,00 ", " 1.125,00 ", " 3.125,00 ", " 3.250,00"]
    assert "1 januari t/m 30 november 2026" in text(html) and "het jaar loopt nog" in text(html)
    assert "Print3D Benelux B.V., P3D-26-0212, 10 maart 2026" in text(html)
    _, csg = rendered[("bijlage-6", "csg-lindewaard-2026")]
    # 100.000 / 84 = 1.190,476 -> 1.190,48; 2026 up to November: 11 months = 13.095,28; with 2025's 10 months
    # 25.000,08; of the 46 months inside 2025-2028 (54.762,08) 29.762,00 is still to come; 45.237,92 never
    assert row(csg, "afschrijving-warmtepomp-opstelling").split("€")[-5:] == [
        " 1.190,48 ", " 13.095,28 ", " 25.000,08 ", " 29.762,00 ", " 45.237,92"]
    # 2025: CSG Lindewaard 11.904,80 + 20.000 + 2.268,76; Vakcollege De Linde 6.000,03 + 6.400 + 10.209,42
    assert row(rendered[("bijlage-6", "csg-lindewaard-2025")][1], "totaal").endswith("€ 34.173,56")
    assert row(rendered[("bijlage-6", "vakcollege-de-linde-2025")][1], "totaal").endswith("€ 22.609,45")


def test_bijlage_6_of_a_year_ties_to_the_g2_of_that_year(rendered, example_region):
    from decimal import Decimal
    from stodocs.verantwoording.accounts import Accounts
    accounts = Accounts(example_region, example_region.realisatie)
    cells = accounts.per_jaar_categorie()
    for year in (2025, 2026):
        total = sum((s.context["totaal"] for s, _ in rendered.values()
                     if s.kind == "bijlage-6" and s.context["jaar"] == year), Decimal("0.00"))
        assert total == cells[(year, "afschrijvingen")].gerealiseerd.totaal, year
    # and by hand for 2025: 34.173,56 + 22.609,45
    assert cells[(2025, "afschrijvingen")].gerealiseerd.totaal == Decimal("56783.01")


def test_statements_carry_one_status(rendered):
    # Bijlage 4 for 2026: the administratie runs to 30 November, so the year is open: voorlopig, not for signature
    statement, html = rendered[("bijlage-4", "csg-lindewaard-2026")]
    assert "1 januari 2026 t/m 30 november 2026" in text(html)
    assert "Status: voorlopig: de administratie is bijgewerkt tot en met 30 november 2026" in html
    assert 'name="stodocs.status" content="voorlopig"' in html and "concept" not in html.split("<body", 1)[1][:80]
    _, closed = rendered[("bijlage-4", "csg-lindewaard-2025")]
    assert "Status: concept" in closed and 'class="statement statement-bijlage-4 concept"' in closed


def test_statement_files_are_versioned_per_region(example_region):
    from stodocs.sources import Version
    from datetime import datetime, timezone
    version = Version("1a2b3c4d5e6f", None, datetime(2026, 3, 1, tzinfo=timezone.utc), False, True)
    first = statements(example_region)[0]
    state = statement_state(example_region, first)
    assert statement_path(EXAMPLE, first, version, "pdf", state) == (
        f"{EXAMPLE}/bijlage-1-{first.name}-1a2b3c4d5e.pdf")  # a concept, the default: no state in the name
    voorlopig = next(s for s in statements(example_region) if s.key == "bijlage-4-csg-lindewaard-2026")
    assert statement_path(EXAMPLE, voorlopig, version, "pdf", statement_state(example_region, voorlopig)) == (
        f"{EXAMPLE}/bijlage-4-csg-lindewaard-2026-voorlopig-1a2b3c4d5e.pdf")


def test_statements_render_to_pdf_with_their_title_and_a_signature_block(rendered, example_region):
    chosen = [rendered[key] for key in (("bijlage-1", "kees-de-boer-2025-2026"), ("bijlage-2", "linda-postma-2026"),
                                        ("bijlage-4", "lindewaard-college-2025"), ("bijlage-6", "het-waardcollege-2026"))]
    from datetime import datetime, timezone
    jobs = [PdfJob(html, {}, datetime(2026, 12, 1, tzinfo=timezone.utc)) for _, html in chosen]
    for (statement, _), result in zip(chosen, render_pdfs(jobs)):
        assert result.messages == ()
        reader = PdfReader(io.BytesIO(result.data))
        assert reader.metadata.title == statement.title
        pages = "\n".join(page.extract_text() for page in reader.pages)
        assert "Handtekening" in pages and "vertrouwelijk: bevat persoonsgegevens" in pages
    youssef = PdfReader(io.BytesIO(render_pdfs(jobs[2:3])[0].data))
    assert "12.250,00" in youssef.pages[0].extract_text()  # 200 x 61,25


def test_build_writes_statements_to_the_private_folder_only(repo: GitRepo, tmp_path):
    done = repo.run_cli("build", "--format", "html", "--administratie", str(tmp_path / "prive"))
    assert done.returncode == 0, done.stderr
    public = sorted(p.name for p in (repo.root / "output").rglob("*") if p.is_file())
    assert public and not [name for name in public if name.startswith("bijlage-")]
    private = sorted(p.name for p in (tmp_path / "prive" / EXAMPLE).iterdir())
    assert len(private) == 29 and all(name.startswith("bijlage-") for name in private)


def test_build_without_administratie_writes_no_statements(repo: GitRepo):
    done = repo.run_cli("build", "--format", "html", "--zonder-administratie")
    assert done.returncode == 0, done.stderr
    assert not (repo.root / "administratie").exists()


GOLDEN_STATEMENTS = (("bijlage-1", "kees-de-boer-2025-2026"), ("bijlage-2", "bart-willems-2025-2026"),
                     ("bijlage-4", "csg-lindewaard-2025"), ("bijlage-6", "csg-lindewaard-2025"))


@pytest.mark.parametrize("kind,name", GOLDEN_STATEMENTS)
def test_statement_matches_golden_file(example_region, kind, name):
    """One statement of each kind against tests/golden/ (`make golden` refreshes them; CSS left out)."""
    import os
    from test_render import GOLDEN, VERSION, split_stylesheet
    [statement] = [s for s in statements(example_region) if (s.kind, s.name) == (kind, name)]
    html, _ = split_stylesheet(render_statement(example_region, statement, VERSION,
                                                statement_state(example_region, statement)))
    golden = GOLDEN / f"{kind}-{name}.html"
    if os.environ.get("STODOCS_UPDATE_GOLDEN"):
        golden.write_text(html, encoding="utf-8")
    assert golden.exists(), "no golden file yet: run `make golden`"
    assert html == golden.read_text(encoding="utf-8"), f"{golden.name} changed; if intended, run `make golden`"


def test_a_long_bijlage_1_breaks_cleanly_over_pages(example_region):
    """More tasks than fit one page: each page carries the status, the total stands once (after its last row),
    and the group heading of the STO hours never stands alone at the foot of a page."""
    from dataclasses import replace
    from datetime import datetime, timezone
    from decimal import Decimal
    from stodocs.administratie.model import Taak
    from stodocs.model import Place
    from test_render import VERSION
    [statement] = [s for s in statements(example_region) if s.name == "kees-de-boer-2025-2026"]
    j = statement.context["jaartaak"]
    many = tuple(Taak(f"Taak nummer {i}", Decimal("1"), Place("", 0)) for i in range(1, 46))
    long = replace(statement, context={**statement.context, "jaartaak": replace(j, overige_taken=many)})
    state = statement_state(example_region, long)
    [result] = render_pdfs([PdfJob(render_statement(example_region, long, VERSION, state), {},
                                   datetime(2026, 12, 1, tzinfo=timezone.utc))])
    pages = [" ".join((p.extract_text() or "").split()) for p in PdfReader(io.BytesIO(result.data)).pages]
    assert len(pages) >= 2
    assert all(str(state) in page for page in pages), pages  # the status in every page's footer
    with_total = [i for i, page in enumerate(pages) if "Totaal inzet taken" in page]
    last_task = max(i for i, page in enumerate(pages) if "Taak nummer 45" in page)
    assert with_total == [last_task], (with_total, last_task)  # once, beside the last rows, never repeated
    first_sto = example_region.begroting.lines_by_id[j.sto[0].regel].omschrijving
    sto_heading = [i for i, page in enumerate(pages) if "Sterk Techniekonderwijs (STO)" in page]
    assert sto_heading and all(first_sto in pages[i].split("Sterk Techniekonderwijs (STO)", 1)[1] for i in sto_heading)
