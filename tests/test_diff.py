"""The change set, its JSON and Markdown, and the redline engine (no PDF here)."""
from __future__ import annotations

import json
from pathlib import Path
import re
import shutil
from dataclasses import replace
from decimal import Decimal

import pytest
import tinycss2

from gitrepo import GitRepo
from stodocs.diff.changeset import changeset_to_json, compare_regions, sections
from stodocs.diff.htmltree import parse, serialize
from stodocs.diff.pipeline import compare_sources, diff, file_stem
from stodocs.diff.redline import collapse_unchanged, redline
from stodocs.diff.summary import changeset_to_markdown
from stodocs.pdf import RenderedPdf
from stodocs.problems import ContentError
from stodocs.sources import GitRevision, MissingRevision, WorkingTree


def by_id(changeset, entity):
    return {c.id: c for c in changeset.of(entity)}


# --- change set -------------------------------------------------------------------------------

def test_changed_word_is_a_text_change_of_its_section(compared):
    [change] = compared.changeset.of("tekst")
    assert (change.kind, change.id, change.document) == ("gewijzigd", "regioplan#h-aanleiding-en-context", "regioplan")
    [field] = change.fields
    assert "daalt" in field.old and "krimpt" in field.new


def test_new_activity_is_added_and_renamed_activity_is_changed(compared):
    activities = by_id(compared.changeset, "activiteit")
    assert set(activities) == {"zorgrobots", "techniekdagen"}
    assert activities["zorgrobots"].kind == "toegevoegd"
    assert activities["zorgrobots"].new["naam"] == "Zorgrobots in de praktijk"
    renamed = activities["techniekdagen"]
    assert renamed.kind == "gewijzigd"
    assert [(f.field, f.old, f.new) for f in renamed.fields] == [
        ("naam", "Techniekfestival en regionale doe-dagen", "Techniekfestival en doe-dagen in de regio")]


def test_reordered_partners_and_people_are_no_change(compared):
    assert compared.changeset.of("partner") == []
    assert compared.changeset.of("persoon") == []


def test_budget_shift_shows_old_mutatie_new(compared):
    budget = compared.changeset.budget
    line = budget.per_regel["techniekroute-po-2025-materiaal"]
    assert (line.old.totaal, line.mutatie.totaal, line.new.totaal) == (Decimal("50000.00"), Decimal("10000.00"),
                                                                        Decimal("60000.00"))
    assert budget.per_jaar[2025].mutatie.totaal == Decimal("10000.00")
    assert budget.per_jaar[2026].mutatie.totaal == Decimal("-10000.00")
    assert budget.per_categorie["materiele-kosten"].mutatie.totaal == Decimal("10000.00")
    assert budget.per_jaar_categorie[2026]["personeel-intern"].mutatie.totaal == Decimal("-10000.00")
    assert budget.totaal.mutatie.totaal == Decimal("0.00")
    assert budget.per_activiteit["techniekdagen"].mutatie.subsidie == Decimal("-10000.00")
    assert set(budget.per_regel) == {"techniekroute-po-2025-materiaal", "techniekdagen-2026-uren"}


def test_mutatie_above_threshold_without_new_toelichting_is_flagged(compared):
    # The decrease got a toelichting, the increase did not; the threshold is EUR 5.000.
    assert compared.changeset.budget.toelichting_ontbreekt == ("techniekroute-po-2025-materiaal",)


def test_same_region_gives_an_empty_change_set(compared):
    changeset = compare_regions("lindewaard", compared.new, compared.new)
    assert changeset.empty and changeset.changes == ()


def test_sections_split_at_headings_outside_code_fences():
    found = sections("Intro\n\n## Een\ntekst\n```\n## geen kop\n```\n## Een\nmeer")
    assert [s.anchor for s in found] == ["begin", "h-een", "h-een-2"]
    assert "## geen kop" in found[1].tekst


def test_moved_section_is_marked_moved(tmp_path):
    repo = GitRepo.example(tmp_path / "repo")
    repo.commit("basis")
    path = repo.file("regioplan.md")
    text = path.read_text(encoding="utf-8")
    start, middle = text.index("## Visie"), text.index("## Ambities")
    visie, rest = text[start:middle], text[middle:]
    path.write_text(text[:start] + rest.rstrip("\n") + "\n\n" + visie, encoding="utf-8")
    repo.commit("Visie naar achteren")
    [result] = compare_sources(GitRevision(repo.root, "HEAD~1"), WorkingTree(repo.root))
    kinds = {(c.kind, c.id) for c in result.changeset.changes}
    assert ("verplaatst", "regioplan#h-visie") in kinds
    assert all(c.kind == "verplaatst" for c in result.changeset.changes)


@pytest.fixture(scope="module")
def two_regions(tmp_path_factory) -> GitRepo:
    """A repository whose first commit holds one region and whose second adds another, 'nieuwland'."""
    repo = GitRepo.example(tmp_path_factory.mktemp("two") / "repo")
    repo.commit("eerste regio")
    repo.add_region("nieuwland")
    repo.commit("tweede regio")
    return repo


def test_new_and_deleted_region(two_regions):
    repo = two_regions
    [kept, added] = compare_sources(GitRevision(repo.root, "HEAD~1"), GitRevision(repo.root, "HEAD"))
    assert kept.changeset.empty
    assert added.old is None and added.changeset.old is None
    assert {c.kind for c in added.changeset.changes} == {"toegevoegd"}
    assert added.changeset.budget.totaal.mutatie.totaal == added.new.begroting.totals.totaal
    assert added.changeset.budget.toelichting_ontbreekt == ()
    assert file_stem(added).startswith("nieuwland-geen-naar-")
    [_, removed] = compare_sources(GitRevision(repo.root, "HEAD"), GitRevision(repo.root, "HEAD~1"))
    assert removed.new is None
    assert {c.kind for c in removed.changeset.changes} == {"verwijderd"}
    assert removed.changeset.budget.totaal.new.totaal == Decimal("0.00")
    assert file_stem(removed).endswith("-naar-verwijderd")


def test_content_problems_of_both_versions_are_in_the_change_set(tmp_path):
    repo = GitRepo.example(tmp_path / "repo")
    repo.replace("regio.yaml", "soort: techniekregio", "soort: techniekdorp")
    repo.commit("fout in de basis")
    repo.replace("partners.yaml", "soort: mbo", "soort: hbo")
    [result] = compare_sources(GitRevision(repo.root, "HEAD"), WorkingTree(repo.root))
    cs = result.changeset
    assert any(p.format().startswith("HEAD:content/lindewaard/regio.yaml:2:") for p in cs.old_errors)
    assert any(p.format().startswith("content/lindewaard/partners.yaml:") and "hbo" in p.message for p in cs.new_errors)
    # regio.yaml is broken on both sides, so neither side can be modelled: every changed file is shown as text.
    assert result.old is None and result.new is None and cs.changes == ()
    assert [f.path for f in cs.files] == ["content/lindewaard/partners.yaml"]


def test_a_broken_file_is_modelled_from_the_other_version_and_shown_as_text(tmp_path):
    repo = GitRepo.example(tmp_path / "repo")
    repo.commit("basis")
    repo.replace("begroting.yaml", "    prijs: 24500", "    prijs: veel")
    repo.replace("regioplan.md", "sterke maakindustrie", "krachtige maakindustrie")
    [result] = compare_sources(GitRevision(repo.root, "HEAD"), WorkingTree(repo.root))
    cs = result.changeset
    assert result.old is not None and result.new is not None
    assert [c.id for c in cs.changes] == ["regioplan#h-aanleiding-en-context"]  # the rest compares as usual
    [text] = cs.files
    assert text.path == "content/lindewaard/begroting.yaml"
    assert "prijs: 24500" in text.old and "prijs: veel" in text.new
    assert [p.field for p in cs.new_errors] == ["regels[48].prijs"]


def test_diff_writes_nothing_when_the_pdf_of_a_later_region_fails(tmp_path, monkeypatch):
    repo = GitRepo.example(tmp_path / "repo")
    repo.add_region("nieuwland")
    repo.commit("twee regio's")
    for name in ("lindewaard", "nieuwland"):
        repo.replace("regioplan.md", "sterke maakindustrie", "krachtige maakindustrie", region=name)
    made = []

    def fake_pdfs(jobs, workers=None):  # no WeasyPrint: the first region's PDFs are fine, the second one's are not
        made.append(jobs)
        broken = len(made) == 1
        return [RenderedPdf(b"%PDF-", ("kapot",) if broken and i >= 2 else (), ()) for i, _ in enumerate(jobs)]

    monkeypatch.setattr("stodocs.pdf.render_pdfs", fake_pdfs)
    with pytest.raises(ContentError) as raised:
        diff(GitRevision(repo.root, "HEAD"), WorkingTree(repo.root), None, tmp_path / "output", workers=1)
    assert [p.format() for p in raised.value.problems] == [
        "content/nieuwland: de PDF met de wijzigingen kon niet zonder fouten gemaakt worden: kapot"] * 2
    assert len(made[0]) == 4 and not (tmp_path / "output").exists()
    diff(GitRevision(repo.root, "HEAD"), WorkingTree(repo.root), None, tmp_path / "output", workers=1)
    written = sorted(p.relative_to(tmp_path / "output").parts[:2] for p in (tmp_path / "output").rglob("*.*"))
    assert written == [("diffs", "lindewaard")] * 6 + [("diffs", "nieuwland")] * 6


def test_missing_revision_names_the_fetch(changed_repo):
    with pytest.raises(MissingRevision) as caught:
        GitRevision(changed_repo.root, "origin/main")
    assert "git fetch" in caught.value.message


# --- JSON and Markdown -------------------------------------------------------------------------

def test_json_is_deterministic_with_amounts_as_text(compared):
    text = changeset_to_json(compared.changeset)
    assert text == changeset_to_json(compared.changeset)
    data = json.loads(text)
    assert data["region"] == "lindewaard"
    assert data["old"]["describe"] == "v1.0"
    assert data["budget"]["per_regel"]["techniekroute-po-2025-materiaal"]["mutatie"]["totaal"] == "10000.00"
    assert data["budget"]["per_jaar"]["2026"]["mutatie"]["totaal"] == "-10000.00"
    added = next(c for c in data["changes"] if c["id"] == "zorgrobots")
    assert (added["kind"], added["entity"], added["document"], added["old"]) == (
        "toegevoegd", "activiteit", "activiteitenplan", None)
    assert data["counts"]["activiteitenplan"] == {"toegevoegd": 1, "verwijderd": 0, "gewijzigd": 1, "verplaatst": 0}
    assert list(data) == sorted(data)


def shown(markdown: str) -> str:
    """Return the summary as a reader sees its text: backslash escapes and invisible word joiners gone."""
    return re.sub(r"\\(.)", r"\1", markdown).replace("\u2060", "")


def test_markdown_summary(compared):
    text = shown(changeset_to_markdown(compared.changeset)).replace("\xa0", " ")
    assert "## Wijziging Techniekregio Lindewaard" in text
    assert "| Activiteitenplan | 1 | 0 | 1 | 0 |" in text
    assert "| 2025 | € 1.154.900,00 | + € 10.000,00 | € 1.164.900,00 |" in text
    assert "| Materiële kosten | € 139.500,00 | + € 10.000,00 | € 149.500,00 |" in text
    row = next(line for line in text.splitlines() if "techniekroute-po-2025-materiaal" in line and "|" in line)
    assert "€ 50.000,00 | + € 10.000,00 | € 60.000,00" in row and "toelichting ontbreekt" in row
    row = next(line for line in text.splitlines() if "`techniekdagen-2026-uren`" in line and "|" in line)
    assert "toelichting ontbreekt" not in row and "Uren verschoven naar leskisten." in row
    assert "toegevoegd: **Zorgrobots in de praktijk** (`zorgrobots`)" in text
    assert ("gewijzigd: **Techniekfestival en doe-dagen in de regio** (`techniekdagen`); naam: "
            "Techniekfestival en regionale doe-dagen → Techniekfestival en doe-dagen in de regio") in text
    assert "Regioplan, § Aanleiding en context: gewijzigd; 'daalt' → 'krimpt'" in text
    assert "Partners" not in text


# --- redline engine ----------------------------------------------------------------------------

def marked(old: str, new: str, collapse: bool = False) -> str:
    old_root, _ = parse(f"<body>{old}</body>")
    new_root, _ = parse(f"<body>{new}</body>")
    out = redline(old_root.find("body"), new_root.find("body"))
    if collapse:
        collapse_unchanged(out)
    return serialize(out)[len("<body>"):-len("</body>")].replace("\xa0", " ")


def test_changed_word_is_struck_and_inserted_inside_its_markup():
    assert marked("<p>Het <strong>aantal</strong> daalt.</p>", "<p>Het <strong>aantal</strong> krimpt.</p>") == (
        '<p class="stodocs-changed">Het <strong>aantal</strong> <del>daalt</del><ins>krimpt</ins>.</p>')
    assert marked("<p>Het <em>oude</em> plan.</p>", "<p>Het <em>nieuwe</em> plan.</p>") == (
        '<p class="stodocs-changed">Het <em><del>oude</del></em><em><ins>nieuwe</ins></em> plan.</p>')


def test_list_and_table_structure_survive():
    out = marked("<ul><li>een twee</li><li>drie vier</li></ul>",
                 "<ul><li>een twee</li><li>nieuw punt</li><li>drie vier vijf</li></ul>")
    assert out == ('<ul><li>een twee</li><li class="stodocs-inserted"><ins>nieuw punt</ins></li>'
                   '<li class="stodocs-changed">drie vier<ins> vijf</ins></li></ul>')
    out = marked("<table><tbody><tr><td>a</td><td>b</td></tr></tbody></table>",
                 "<table><tbody><tr><td>a</td><td>c</td></tr></tbody></table>")
    assert out == ('<table><tbody><tr class="stodocs-row-changed"><td>a</td>'
                   '<td class="stodocs-changed"><del>b</del><ins>c</ins></td></tr></tbody></table>')


def test_heading_change_stays_a_heading():
    assert marked('<h2 id="h-a">Oude kop</h2>', '<h2 id="h-a">Nieuwe kop</h2>') == (
        '<h2 id="h-a" class="stodocs-changed"><del>Oude</del><ins>Nieuwe</ins> kop</h2>')


def test_amount_cell_shows_old_new_and_delta():
    out = marked('<table><tbody><tr id="regel-x"><td>Kisten</td><td><data value="50000.00">€ 50.000,00</data></td>'
                 '</tr></tbody></table>',
                 '<table><tbody><tr id="regel-x"><td>Kisten</td><td><data value="60000.00">€ 60.000,00</data></td>'
                 '</tr></tbody></table>')
    assert ('<del>€ 50.000,00</del> → <ins>€ 60.000,00</ins> <span class="stodocs-delta">(+ € 10.000,00)</span>'
            in out)
    # The delta comes from the values, never from the text: a cell that only looks like an amount is words.
    out = marked("<p>€ 50.000,00</p>", "<p>€ 60.000,00</p>")
    assert "stodocs-delta" not in out


def test_changed_link_target_is_shown():
    out = marked('<p>Zie <a href="https://oud.nl">de site</a>.</p>', '<p>Zie <a href="https://nieuw.nl">de site</a>.</p>')
    assert "<del>de site [https://oud.nl]</del>" in out and "<ins>de site [https://nieuw.nl]</ins>" in out


def test_blocks_match_by_id_not_position():
    old = '<section id="a"><p>Alpha tekst</p></section><section id="b"><p>Beta tekst</p></section>'
    new = '<section id="b"><p>Beta tekst</p></section><section id="a"><p>Alpha tekst</p></section>'
    out = marked(old, new)
    assert "<ins>" not in out and "<del>" not in out
    assert out.count("stodocs-moved") == 1


def test_moved_paragraph_is_marked_moved():
    one, two = "<p>Deze alinea staat eerst bovenaan.</p>", "<p>En deze alinea stond eronder.</p>"
    out = marked(one + two, two + one)
    assert "<ins>" not in out and "<del>" not in out
    assert 'class="stodocs-moved"' in out and 'class="stodocs-moved-from"' in out


def test_deleted_block_loses_its_id_and_is_struck():
    out = marked('<p id="x">weg ermee</p><p>blijft</p>', "<p>blijft</p>")
    assert out == '<p id="oud-x" class="stodocs-deleted"><del>weg ermee</del></p><p>blijft</p>'


def test_collapse_keeps_the_change_its_heading_path_and_one_block_of_context():
    old = ("<section><h2>Kop</h2><p>een</p><p>twee</p><p>drie</p><p>vier</p><h3>Sub</h3><p>vijf</p></section>"
           "<section><h2>B</h2><p>x</p></section>")
    new = ("<section><h2>Kop</h2><p>een</p><p>twee</p><p>drie 3</p><p>vier</p><h3>Sub</h3><p>vijf</p></section>"
           "<section><h2>B</h2><p>x</p></section>")
    out = marked(old, new, collapse=True)
    assert "<h2>Kop</h2>" in out and "<ins> 3</ins>" in out
    assert ">twee<" in out and ">vier<" in out  # context
    assert ">een<" not in out and "Sub" not in out and ">vijf<" not in out and ">B<" not in out
    assert out.count('class="stodocs-collapsed"') == 3
    assert "… 1 ongewijzigde alinea …" in out and "… 2 ongewijzigde alinea's …" in out


CHART = ('<svg class="chart" viewBox="0 0 10 10" role="img" aria-labelledby="t"><title id="t">Begroting</title>'
         '<rect height="{h}"><title>Personeel {h}</title></rect><text>€ {h}</text></svg>')


def marks_inside_svg(html: str) -> list[str]:
    root, _ = parse(html)
    return [e.tag for svg in root.iter() if svg.tag == "svg" for e in svg.iter() if e.tag in ("ins", "del")]


def test_changed_figure_is_shown_whole_with_the_old_one_under_was():
    old = f'<figure id="g">{CHART.format(h=4)}<figcaption>Figuur 1.</figcaption></figure>'
    new = f'<figure id="g">{CHART.format(h=6)}<figcaption>Figuur 1.</figcaption></figure>'
    out = marked(old, new)
    assert out.count("<svg") == 2 and marks_inside_svg(out) == []
    assert out.startswith('<figure id="g" class="stodocs-changed"><p class="stodocs-picture-note">Grafiek gewijzigd</p>'
                          + CHART.format(h=6).replace("viewBox", "viewbox"))
    was = out[out.index('<div class="stodocs-was">'):]
    assert was.startswith('<div class="stodocs-was"><p class="stodocs-was-label">Was:</p><svg')
    assert 'aria-labelledby="oud-t"><title id="oud-t">' in was and "Personeel 4" in was
    assert marked(new, new) == new.replace("viewBox", "viewbox")


def test_chart_outside_a_figure_and_a_new_figure_are_marked_whole():
    out = marked(f"<p>Zie {CHART.format(h=4)}</p>", f"<p>Zie {CHART.format(h=6)}</p>")
    assert out.count("<svg") == 2 and marks_inside_svg(out) == []
    assert "<del><svg" in out and "<ins><svg" in out
    out = marked("<p>tekst</p>", f"<p>tekst</p><figure>{CHART.format(h=6)}<figcaption>Nieuw</figcaption></figure>")
    assert out.count("<svg") == 1 and marks_inside_svg(out) == [] and "<ins><svg" in out


# --- the redline document (HTML only; the PDF is read back in test_diff_cli.py) -------------------

@pytest.fixture(scope="session")
def redline_html(compared):
    from stodocs.diff.document import render_redline
    return render_redline(compared.changeset, compared.old, compared.new).replace("\xa0", " ")


def test_redline_marks_the_changed_word_in_place(redline_html):
    assert '<p class="stodocs-changed">Tegelijk <del>daalt</del><ins>krimpt</ins> het aantal leerlingen.' in redline_html


def test_redline_first_page_links_each_item_to_its_place(redline_html):
    overview = redline_html[:redline_html.index('id="doc-regioplan"')]
    for target in ("activiteitenplan--activiteit-zorgrobots", "activiteitenplan--activiteit-techniekdagen",
                   "meerjarenbegroting--regel-techniekroute-po-2025-materiaal", "regioplan--h-aanleiding-en-context"):
        assert f'href="#{target}"' in overview
        assert f'id="{target}"' in redline_html
    assert "toelichting ontbreekt" in overview
    assert 'href="#doc-huishoudelijk-reglement"' not in overview  # unchanged documents are left out


def test_redline_shows_new_activity_inserted_and_renamed_one_changed(redline_html):
    start = redline_html.index('id="activiteitenplan--activiteit-zorgrobots"')
    block = redline_html[redline_html.rindex("<", 0, start):]
    assert "stodocs-inserted" in block[:200] and "<ins>Zorgrobots in de praktijk</ins>" in block
    assert "Techniekfestival en <del>regionale </del>doe-dagen<ins> in de regio</ins>" in redline_html


def test_redline_budget_cell_shows_old_new_and_delta(redline_html):
    assert ("<del>€ 50.000,00</del> → <ins>€ 60.000,00</ins> <span class=\"stodocs-delta\">(+ € 10.000,00)</span>"
            in redline_html)


def charts(html: str) -> list:
    root, _ = parse(html)
    return [e for e in root.iter() if e.tag == "svg" and e.has_class("chart")]


@pytest.mark.parametrize("only_changes", [False, True])
def test_redline_of_a_budget_change_shows_the_chart_whole(compared, only_changes):
    from stodocs.diff.document import render_redline
    html = render_redline(compared.changeset, compared.old, compared.new, only_changes=only_changes)
    assert len(charts(html)) == 2  # the new chart, and the old one smaller under "Was:"
    assert marks_inside_svg(html) == []
    root, _ = parse(html)
    [figure] = [e for e in root.iter() if e.tag == "figure"]
    assert figure.has_class("stodocs-changed")
    assert "Grafiek gewijzigd" in figure.text() and "Was:" in figure.text()


def test_redline_can_leave_out_unchanged_parts(compared, redline_html):
    from stodocs.diff.document import render_redline
    short = render_redline(compared.changeset, compared.old, compared.new, only_changes=True)
    assert "ongewijzigde alinea's …" in short and len(short) < len(redline_html) * 0.7
    assert "<del>daalt</del><ins>krimpt</ins>" in short
    assert 'id="regioplan--h-aanleiding-en-context"' in short  # the heading path of the change stays
    assert 'id="regioplan--h-visie"' not in short and "Onze visie rust op drie uitgangspunten" not in short


def test_redline_of_new_and_deleted_region(two_regions):
    from stodocs.diff.document import render_redline
    repo = two_regions
    [_, added] = compare_sources(GitRevision(repo.root, "HEAD~1"), GitRevision(repo.root, "HEAD"))
    html = render_redline(added.changeset, added.old, added.new)
    overview, documents = html.split('id="doc-regioplan"', 1)
    assert "Deze regio is nieuw" in overview and "<del>" not in documents and "<ins>" in documents
    [_, removed] = compare_sources(GitRevision(repo.root, "HEAD"), GitRevision(repo.root, "HEAD~1"))
    html = render_redline(removed.changeset, removed.old, removed.new)
    overview, documents = html.split('id="doc-regioplan"', 1)
    assert "Deze regio is verwijderd" in overview and "<ins>" not in documents and "<del>" in documents


def test_redline_page_margins_show_a_region_name_with_markup_characters_as_written(compared):
    from stodocs.diff.document import render_redline
    naam = 'Lindewaard & Co "Oost" </style>'
    html = render_redline(compared.changeset, compared.old, replace(compared.new, naam=naam))
    style = html[html.index("<style>"):html.index("</style>")]
    footers = re.findall(r'@bottom-left \{ content: (.*); \}', style)[-2:]  # the redline's own, after the documents'
    assert len(footers) == 2
    for footer in footers:
        [string] = [t for t in tinycss2.parse_component_value_list(footer) if t.type != "whitespace"]
        assert (string.type, string.value) == ("string", f"Redline {naam}: wijzigingen, geen vastgesteld document")
    assert "&amp;" not in style and "&#34;" not in style


# --- the documented JSON format ----------------------------------------------------------------

def documented_fields() -> dict[str, set[str]]:
    """Return per table of docs/wijzigingen.md (by its heading) the fields its first column names."""
    from gitrepo import ROOT
    tables: dict[str, set[str]] = {}
    heading = ""
    for line in (ROOT / "docs" / "wijzigingen.md").read_text(encoding="utf-8").splitlines():
        if line.startswith("#"):
            heading = line.lstrip("#").strip()
        elif line.startswith("| `"):
            tables.setdefault(heading, set()).update(re.findall(r"`([^`]+)`", line.split("|")[1]))
    return tables


def test_the_change_set_json_is_what_docs_wijzigingen_md_documents(tmp_path):
    from stodocs.diff.changeset import CHANGESET_FORMAT
    repo = GitRepo.example(tmp_path / "repo")
    repo.commit("basis")
    repo.replace("begroting.yaml", "    prijs: 24500", "    prijs: veel")  # a file that cannot be read
    repo.replace("activiteiten.yaml", "naam: Techniekroute basisonderwijs", "naam: Techniekroute po")
    [result] = compare_sources(GitRevision(repo.root, "HEAD"), WorkingTree(repo.root))
    data = json.loads(changeset_to_json(result.changeset))
    docs = documented_fields()
    assert data["format"] == CHANGESET_FORMAT and f"`{CHANGESET_FORMAT}`" in (
        Path(__file__).resolve().parent.parent / "docs" / "wijzigingen.md").read_text(encoding="utf-8")
    assert set(data) == docs["Het bestand"]
    assert set(data["old"]) == docs["Versie"]
    assert set(data["changes"][0]) == docs["Wijziging"]
    assert set(data["budget"]) == docs["Begroting"]
    assert set(data["new_problems"][0]) == docs["Probleem"]
    assert set(data["files"][0]) == docs["Bestand"]
    assert set(data["names"]) == {"activiteit", "doelstelling", "partner", "persoon", "regio"}
    # amounts are exact decimal strings, never formatted text or JSON numbers
    line = data["budget"]["totaal"]
    assert all(isinstance(v, str) and re.fullmatch(r"-?\d+\.\d\d", v) for part in line.values() for v in part.values())


def test_a_line_whose_words_changed_is_on_the_first_page_and_in_the_markdown(tmp_path):
    from stodocs.diff.document import render_redline
    repo = GitRepo.example(tmp_path / "repo")
    repo.commit("basis")
    repo.replace("begroting.yaml", "omschrijving: Techniekcoach voor leerkrachten basisonderwijs",
                 "omschrijving: Techniekcoach voor leerkrachten primair onderwijs")
    [result] = compare_sources(GitRevision(repo.root, "HEAD"), WorkingTree(repo.root))
    cs = result.changeset
    assert not cs.budget.changed and cs.budget_changed
    text = shown(changeset_to_markdown(cs)).replace("\xa0", " ")
    assert "### Begroting" in text
    assert ("omschrijving: Techniekcoach voor leerkrachten basisonderwijs → Techniekcoach voor leerkrachten "
            "primair onderwijs") in text
    html = render_redline(cs, result.old, result.new)
    overview = html[:html.index('class="redline-document')]
    assert "Mutaties per begrotingsregel" in overview and "primair onderwijs" in overview


def test_a_file_that_cannot_be_parsed_is_compared_as_text(tmp_path):
    repo = GitRepo.example(tmp_path / "repo")
    repo.commit("basis")
    repo.replace("begroting.yaml", "regels:", "regels: [")
    [result] = compare_sources(GitRevision(repo.root, "HEAD"), WorkingTree(repo.root))
    cs = result.changeset
    assert result.new is not None and cs.changes == ()  # modelled with the old begroting standing in
    assert [f.path for f in cs.files] == ["content/lindewaard/begroting.yaml"]
    assert "het haakje [" in cs.new_errors[0].message
    text = changeset_to_markdown(cs)
    assert "- regels:\n+ regels: [" in text


def test_a_side_with_a_stand_in_still_reports_the_cross_document_problems_of_its_own_files(tmp_path):
    repo = GitRepo.example(tmp_path / "repo")
    repo.commit("basis")
    repo.replace("begroting.yaml", "    prijs: 24500", "    prijs: veel")  # broken: the old begroting stands in
    repo.replace("activiteiten.yaml", "trekker: bram-bakker", "trekker: niemand-bekend")
    [result] = compare_sources(GitRevision(repo.root, "HEAD"), WorkingTree(repo.root))
    messages = [p.format() for p in result.changeset.new_errors]
    assert any("Begrotingsregel" in m and ", prijs:" in m for m in messages)
    assert any(m.startswith("content/lindewaard/activiteiten.yaml:") and "niemand-bekend" in m for m in messages)
    assert not any(m.startswith("content/lindewaard/begroting.yaml:") and "prijs" not in m for m in messages)


HOSTILE = "![t](http://127.0.0.1/p.png) <img src=x> **vet** | cel @iedereen www.a.nl"  # under 80: never shortened


def test_text_from_content_reaches_the_pull_request_comment_as_text_only(changed_repo, tmp_path):
    """A name or note holding Markdown or HTML shows as typed: no image, link, tag, table cell or mention."""
    from markdown_it import MarkdownIt
    repo = GitRepo(tmp_path / "repo")
    shutil.copytree(changed_repo.root, repo.root)
    repo.replace("activiteiten.yaml", "naam: Techniekfestival en doe-dagen in de regio", f"naam: '{HOSTILE}'")
    repo.replace("begroting.yaml", "toelichting: Uren verschoven naar leskisten.", f"toelichting: '{HOSTILE}'")
    changeset = compare_sources(GitRevision(repo.root, "v1.0"), WorkingTree(repo.root), ["lindewaard"])[0].changeset
    markdown = changeset_to_markdown(changeset)
    html = MarkdownIt("commonmark", {"html": True}).enable("table").render(markdown)
    assert "<img" not in html and "<a " not in html and "<strong>vet" not in html
    assert shown(markdown).count(HOSTILE) >= 3  # the label, the changed name, the toelichting: each whole
    assert "@iedereen" not in markdown and "http://" not in markdown and "www." not in markdown
    for line in markdown.splitlines():
        if line.startswith("|") and "p.png" in line:  # a table row keeps its own number of cells
            assert len(re.findall(r"(?<!\\)\|", line)) == 6
