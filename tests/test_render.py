"""render.py: semantic, stable, deterministic HTML. Golden files: `make golden` refreshes them.

A golden file holds a document's HTML exactly, except the inlined templates/print.css: that is
replaced by a marker (and checked against the file), so a CSS change shows once in a pull request.
"""
from __future__ import annotations

import os
import re
from dataclasses import replace
from datetime import datetime, timezone
from pathlib import Path

import pytest

from stodocs.model import DOCUMENTS
from stodocs.render import document_status, outline, render_document, stylesheet
from stodocs.sources import Version

GOLDEN = Path(__file__).parent / "golden"
STYLE_START, STYLE_END = "<style>\n", "</style>"
STYLE_MARKER = "/* templates/print.css goes here; the golden file leaves it out */\n"
VERSION = Version("0123456789abcdef0123456789abcdef01234567", None,
                  datetime(2026, 3, 14, 9, 0, tzinfo=timezone.utc), dirty=False, in_git=True)


def ids(html: str) -> list[str]:
    return re.findall(r'\bid="([^"]+)"', html)


def split_stylesheet(html: str) -> tuple[str, str]:
    """Return the HTML with its one <style> block's content replaced by STYLE_MARKER, and that content."""
    assert html.count(STYLE_START) == 1, "expected exactly one <style> block"
    start = html.index(STYLE_START) + len(STYLE_START)
    end = html.index(STYLE_END, start)
    return html[:start] + STYLE_MARKER + html[end:], html[start:end]


@pytest.mark.parametrize("key", list(DOCUMENTS))
def test_render_matches_golden_file(example_region, key):
    html, css = split_stylesheet(render_document(example_region, key, VERSION, "concept"))
    assert css == stylesheet() + "\n"  # print.css, inlined whole
    golden = GOLDEN / f"{key}.html"
    if os.environ.get("STODOCS_UPDATE_GOLDEN"):
        golden.parent.mkdir(parents=True, exist_ok=True)
        golden.write_text(html, encoding="utf-8")
    assert golden.exists(), "no golden file yet: run `make golden`"
    assert html == golden.read_text(encoding="utf-8"), f"{golden.name} changed; if intended, run `make golden`"


@pytest.mark.parametrize("key", list(DOCUMENTS))
def test_render_is_deterministic_with_unique_ids(example_region, key):
    first = render_document(example_region, key, VERSION, "concept")
    assert first == render_document(example_region, key, VERSION, "concept")
    found = ids(first)
    assert len(found) == len(set(found)), sorted({i for i in found if found.count(i) > 1})


def test_every_entity_has_a_stable_id(example_region):
    region = example_region
    activiteitenplan = ids(render_document(region, "activiteitenplan", VERSION, "concept"))
    begroting = ids(render_document(region, "meerjarenbegroting", VERSION, "concept"))
    regioplan = ids(render_document(region, "regioplan", VERSION, "concept"))
    reglement = ids(render_document(region, "huishoudelijk-reglement", VERSION, "concept"))
    assert {f"activiteit-{a.id}" for a in region.activiteiten} <= set(activiteitenplan)
    assert {f"regel-{line.id}" for line in region.begroting.lines} <= set(begroting)
    assert {f"partner-{p.id}" for p in region.partners} <= set(regioplan)
    assert {f"persoon-{p.id}" for p in region.personen} <= set(regioplan)
    assert {f"doelstelling-{d.id}" for d in region.doelstellingen} <= set(regioplan)
    assert {f"wijziging-{r.soort}" for r in region.procedure.regels} <= set(reglement)
    assert "h-begripsbepalingen" in reglement


def test_activity_overview_ends_with_the_total_of_its_amounts(example_region):
    html = render_document(example_region, "activiteitenplan", VERSION, "concept").replace("\xa0", " ")
    overview = html[html.index('<table class="overview">'):]
    overview = overview[:overview.index("</table>")]
    total = re.search(r'<tr id="overzicht-totaal"><th scope="row" colspan="4">Totaal</th><td class="amount">([^<]+)</td>',
                      overview)
    assert total and total.group(1) == "€ 4.371.600,00"
    amounts = re.findall(r'<td class="amount">€ ([\d.]+),(\d\d)</td>', overview[:total.start()])
    assert sum(int(e.replace(".", "")) * 100 + int(c) for e, c in amounts) == 437160000


def test_cover_carries_version_status_and_dutch_date(example_region):
    html = render_document(example_region, "regioplan", VERSION, "concept – niet vastgelegd")
    assert "0123456789" in html and "concept – niet vastgelegd" in html
    assert "14 maart 2026" in html
    assert '<html lang="nl">' in html
    assert '<meta name="dcterms.created" content="2026-03-14T09:00:00Z">' in html
    assert f'<meta name="author" content="{example_region.naam}">' in html


def test_budget_amounts_are_dutch(example_region):
    html = render_document(example_region, "meerjarenbegroting", VERSION, "concept")
    assert "€\xa03.850.000,00" in html
    assert "<svg" in html and "<script" not in html
    assert re.search(r"is \d+,\d% van", html)  # the 10% check states its percentage


def test_raw_html_in_markdown_is_shown_as_text(example_region):
    body = "## Kop\n\n<script>alert(1)</script>\n\n<img src=\"file:///etc/passwd\">\n"
    documents = dict(example_region.documents)
    documents["regioplan"] = replace(documents["regioplan"], body=body)
    html = render_document(replace(example_region, documents=documents), "regioplan", VERSION, "concept")
    assert "<script" not in html and "<img" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "&lt;img src=&quot;file:///etc/passwd&quot;&gt;" in html


def test_table_of_contents_lists_chapters_and_sections(example_region):
    html = render_document(example_region, "regioplan", VERSION, "concept")
    toc = outline(html.split("<main>", 1)[1])
    assert [h.text for h in toc if h.level == 2][:2] == ["Aanleiding en context", "Visie"]
    assert "Partners" in [h.text for h in toc]
    assert all(f'href="#{h.id}"' in html for h in toc)


@pytest.mark.parametrize("version, expected", [
    (VERSION, "concept"),
    (replace(VERSION, dirty=True), "concept – niet vastgelegd"),
    (Version(None, None, VERSION.date, dirty=False, in_git=False), "concept – buiten git, zonder versiebeheer"),
])
def test_document_status(version, expected):
    assert document_status(version) == expected


def test_every_listing_of_activities_follows_the_programmalijnen(example_region):
    """An activity added at the end of activiteiten.yaml is listed under its programmalijn, in § 7 and § 8 alike."""
    shuffled = replace(example_region, activiteiten=tuple(reversed(example_region.activiteiten)))
    planned = [a.id for lijn in shuffled.programmalijnen for doel in lijn.doelstellingen
               for a in shuffled.activiteiten if a.doelstelling == doel.id]  # within a doelstelling: as written
    assert planned != [a.id for a in shuffled.activiteiten]
    begroting = render_document(shuffled, "meerjarenbegroting", VERSION, "concept")
    budgeted = {line.activiteit for line in example_region.begroting.lines}
    for prefix in ("begroting-activiteit-", "regels-"):
        listed = [i for i in re.findall(rf'id="{prefix}([^"]+)"', begroting) if not i.startswith("totaal")]
        assert listed == [a for a in planned if prefix == "begroting-activiteit-" or a in budgeted], prefix
    plan = render_document(shuffled, "activiteitenplan", VERSION, "concept")
    assert re.findall(r'<tr id="overzicht-(?!totaal|programmalijn)([^"]+)"', plan) == planned
    assert re.findall(r'<section class="activity" id="activiteit-([^"]+)"', plan) == planned


def test_activities_are_entries_of_the_table_of_contents(example_region):
    html = render_document(example_region, "activiteitenplan", VERSION, "concept")
    entries = re.findall(r'<li class="toc-4"><a href="#kop-activiteit-([^"]+)">', html)
    assert sorted(entries) == sorted(a.id for a in example_region.activiteiten)
