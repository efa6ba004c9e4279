"""The redline document: a first page with the change at a glance, then every changed document marked up.

Builds on render_document's HTML of both versions; no I/O.
"""
from __future__ import annotations

import difflib
from dataclasses import dataclass
from functools import cache

from jinja2 import Environment, FileSystemLoader, StrictUndefined
from markupsafe import Markup

from .. import formatting
from ..impact import Impact, classify
from ..model import CATEGORIES, DOCUMENTS, Region
from ..proposal import verdict_of
from ..render import TEMPLATE_DIR, document_status, render_document, w3c_datetime
from .changeset import KINDS, Change, ChangeSet
from .htmltree import Element, parse, serialize, to_html
from .redline import collapse_unchanged, diff_pair, drop_dead_links, number_headings, prefix_ids, redline
from .summary import WITHHELD, document_of_section, field_changes, partner_moves, side_labels, text_detail

# The id the renderer gives each kind of entity block.
ENTITY_IDS = {"activiteit": "activiteit-", "begrotingsregel": "regel-", "partner": "partner-",
              "persoon": "persoon-", "doelstelling": "doelstelling-", "programmalijn": "programmalijn-",
              "wijzigingsregel": "wijziging-"}


def anchor(change: Change) -> str:
    """Return the id in the redline where `change` is shown."""
    if change.entity == "tekst":
        return f"{change.document}--{change.id.split('#', 1)[1]}" if "#" in change.id else f"doc-{change.document}"
    if change.entity == "regio" or change.id == "drempels":
        target = "wijzigingsprocedure" if change.id == "drempels" else None
        return f"{change.document}--{target}" if target else f"doc-{change.document}"
    base = ENTITY_IDS[change.entity] + change.id
    return f"{change.document}--{'oud-' if change.kind == 'verwijderd' else ''}{base}"


# Characters a CSS string inside <style> must not hold as such: they would end the string, or (through
# Jinja's HTML escaping, or as '</style>') show up as entities or end the style sheet.
CSS_ESCAPED = frozenset('\\"\'<>&')


def css_string(text: str) -> Markup:
    """Return `text` for inside a double-quoted CSS string in <style>: CSS escapes, so no HTML escaping is needed."""
    def one(char: str) -> str:
        if char in CSS_ESCAPED:
            return f"\\{ord(char):x} "  # the space ends the escape; CSS drops it
        return " " if ord(char) < 0x20 or ord(char) == 0x7f else char
    return Markup("".join(one(char) for char in text))


@cache
def environment() -> Environment:
    """Return the Jinja2 environment for the redline's own pages."""
    env = Environment(loader=FileSystemLoader(TEMPLATE_DIR), autoescape=True, undefined=StrictUndefined,
                      trim_blocks=True, lstrip_blocks=True)
    env.filters.update(euro=formatting.euro, euro_delta=formatting.euro_delta, css_string=css_string)
    env.globals.update(counted=formatting.counted)
    env.globals.update(DOCUMENTS=DOCUMENTS)
    return env


@dataclass(frozen=True)
class Item:
    anchor: str
    label: str
    detail: str


def _item(change: Change, names: dict) -> Item:
    detail = "; ".join(field_changes(change, names)) if change.kind == "gewijzigd" else ""
    return Item(anchor(change), change.label, detail)


def entity_sections(cs: ChangeSet) -> list[tuple[str, list[tuple[str, list[Item]]]]]:
    """Return the first page's lists: activities, partners, people, goals, procedure, text."""
    def by_kind(entity: str) -> list[tuple[str, list[Change]]]:
        return [(kind.capitalize(), cs.of(entity, kind)) for kind in KINDS]

    def _groups(pairs: list[tuple[str, list[Change]]]) -> list[tuple[str, list[Item]]]:
        return [(heading, [_item(c, cs.names) for c in changes]) for heading, changes in pairs if changes]

    joined, left, changed = partner_moves(cs)
    text = [(DOCUMENTS[doc], [Item(anchor(c), document_of_section(c), text_detail(c, cs))
                              for c in cs.of("tekst") if c.document == doc]) for doc in DOCUMENTS]
    sections = [
        ("Activiteiten", _groups(by_kind("activiteit"))),
        ("Partners", _groups([("Toegetreden", joined), ("Uitgetreden", left), ("Gewijzigd", changed)])),
        ("Personen en rollen", _groups(by_kind("persoon"))),
        ("Programmalijnen en doelstellingen", _groups(by_kind("programmalijn") + by_kind("doelstelling"))),
        ("Regio en wijzigingsprocedure", _groups([("Gewijzigd", cs.of("regio") + cs.of("wijzigingsregel"))])),
        ("Tekst", [(title, items) for title, items in text if items]),
    ]
    return [(title, groups) for title, groups in sections if groups]


@dataclass(frozen=True)
class TextRow:
    """One line of a file shown as text: 'gelijk', 'weg' or 'erbij', or 'overgeslagen' (then `text` is a count)."""

    kind: str
    text: str
    count: int = 0


TEXT_CONTEXT = 2  # unchanged lines kept around each changed stretch of a file shown as text


def text_rows(old: str | None, new: str | None) -> list[TextRow]:
    """Return a file's lines from `old` to `new`, unchanged stretches folded except for a little context."""
    a, b = (old or "").splitlines(), (new or "").splitlines()
    rows: list[TextRow] = []
    shown = 0  # old lines accounted for so far
    for group in difflib.SequenceMatcher(None, a, b, autojunk=False).get_grouped_opcodes(TEXT_CONTEXT):
        if group[0][1] > shown:
            rows.append(TextRow("overgeslagen", "", group[0][1] - shown))
        for tag, i1, i2, j1, j2 in group:
            if tag == "equal":
                rows += [TextRow("gelijk", line) for line in a[i1:i2]]
            else:
                rows += [TextRow("weg", line) for line in a[i1:i2]] + [TextRow("erbij", line) for line in b[j1:j2]]
        shown = group[-1][2]
    if rows and shown < len(a):
        rows.append(TextRow("overgeslagen", "", len(a) - shown))
    return rows


@dataclass(frozen=True)
class LineRow:
    id: str
    anchor: str
    label: str
    comparison: object
    toelichting: str
    missing: bool
    detail: str  # what changed in the line: `aantal: 2.400 uur → 2.200 uur; jaar: 2026 → 2027`, or its kind


def budget_rows(cs: ChangeSet, names: dict[str, str]) -> list[tuple]:
    """Return (label, old, mutatie, new, strong) rows: totals, split, cofinanciering, years, categories, lijnen."""
    b = cs.budget
    t = b.totaal
    rows = [("Totaal", t.old.totaal, t.mutatie.totaal, t.new.totaal, True),
            ("Subsidie", t.old.subsidie, t.mutatie.subsidie, t.new.subsidie, False),
            ("Cofinanciering", t.old.cofinanciering, t.mutatie.cofinanciering, t.new.cofinanciering, False),
            ("Cofinanciering door bedrijven", b.cofinanciering_bedrijven.old, b.cofinanciering_bedrijven.mutatie,
             b.cofinanciering_bedrijven.new, False),
            ("Norm: 10% van de subsidiabele kosten", b.cofinanciering_norm.old, b.cofinanciering_norm.mutatie,
             b.cofinanciering_norm.new, False)]
    rows += [(f"Jaar {year}", c.old.totaal, c.mutatie.totaal, c.new.totaal, False) for year, c in b.per_jaar.items()]
    rows += [(CATEGORIES[cat], c.old.totaal, c.mutatie.totaal, c.new.totaal, False)
             for cat, c in b.per_categorie.items()]
    rows += [(f"Programmalijn {names.get(lijn, lijn)}", c.old.totaal, c.mutatie.totaal, c.new.totaal, False)
             for lijn, c in b.per_programmalijn.items()]
    return rows


def changed_rows(cs: ChangeSet, names: dict[str, str]) -> tuple[list[tuple[str, list[tuple]]], int]:
    """Return page 1's budget rows: per group (totals, activities) only the rows whose amount changed; and how
    many totals stayed the same."""
    totals = budget_rows(cs, names)
    kept = [row for row in totals if row[2] != 0]
    activities = cs.names.get("activiteit", {})
    per_activity = [(activities.get(key, key), c.old.totaal, c.mutatie.totaal, c.new.totaal, False)
                    for key, c in sorted(cs.budget.per_activiteit.items(),
                                         key=lambda item: (-abs(item[1].mutatie.totaal), item[0]))
                    if c.mutatie.totaal != 0]
    groups = [(title, rows) for title, rows in (("Per activiteit", per_activity), ("Totalen", kept)) if rows]
    return groups, len(totals) - len(kept)


def line_rows(cs: ChangeSet) -> list[LineRow]:
    """Return the changed budget lines, largest mutatie first."""
    out = []
    for change, comparison in cs.line_comparisons():
        line_id = change.id
        snap = change.new or change.old
        detail = "; ".join(field_changes(change, cs.names)) if change.kind == "gewijzigd" else change.kind
        out.append(LineRow(line_id, anchor(change), str(snap.get("omschrijving") or line_id), comparison,
                           str(snap.get("toelichting") or ""), line_id in cs.budget.toelichting_ontbreekt, detail))
    return out


def _main(html: str | None, key: str) -> tuple[Element, Element | None, Element | None, str]:
    """Return a render's <main> with its section numbers written in, its cover title and subtitle, and its
    stylesheet."""
    if html is None:
        return Element("main"), None, None, ""
    root, _ = parse(html)
    main = root.find("main") or Element("main")
    number_headings(main, articles=key == "huishoudelijk-reglement")
    title = next((e for e in root.iter() if e.tag == "h1" and e.has_class("cover-title")), None)
    subtitle = next((e for e in root.iter() if e.has_class("cover-subtitle")), None)
    style = root.find("style")
    return main, title, subtitle, style.text() if style is not None else ""


def _heading(element: Element | None, tag: str, css: str) -> Element:
    return Element(tag, {"class": css}, list(element.children) if element is not None else [])


def redline_document_body(key: str, old_html: str | None, new_html: str | None,
                          only_changes: bool) -> tuple[str, str]:
    """Return (the marked-up content of one document, the document stylesheet)."""
    old_main, old_title, old_sub, old_css = _main(old_html, key)
    new_main, new_title, new_sub, new_css = _main(new_html, key)
    marked = redline(old_main, new_main)
    if only_changes:
        collapse_unchanged(marked)
    title = diff_pair(_heading(old_title, "h1", "redline-doc-title"), _heading(new_title, "h1", "redline-doc-title"))
    parts = [Element("p", {"class": "redline-doc-kind"}, [DOCUMENTS[key]])] + title
    if old_sub is not None or new_sub is not None:
        parts += diff_pair(_heading(old_sub, "p", "redline-doc-subtitle"), _heading(new_sub, "p", "redline-doc-subtitle"))
    wrapper = Element("div", {}, parts + [marked])
    prefix_ids(wrapper, f"{key}--")  # ids of all documents share one HTML file
    for element in wrapper.iter():
        href = element.get("href")
        if element.tag == "a" and href and href.startswith("#"):
            element.attrs["href"] = f"#{key}--{href[1:]}"
    return "".join(serialize(c) for c in wrapper.children), new_css or old_css


def shown_documents(cs: ChangeSet) -> list[str]:
    """Return the documents the redline shows: those with a change, in the usual order."""
    counts = cs.counts_per_document()
    return [key for key in DOCUMENTS if any(counts[key].values())
            or (key == "meerjarenbegroting" and cs.budget_changed)]


def render_redline(cs: ChangeSet, old: Region | None, new: Region | None, only_changes: bool = False,
                   approvals: tuple = (None, None), other: str = "", impact: Impact | None = None) -> str:
    """Return the whole redline as one HTML document; `approvals` are those of the old and new version.

    `other` names the file of the other redline (the full one beside the compact one, and back); `impact` is
    the change set classified by the region's procedure (classified here when not given).
    """
    shown = shown_documents(cs)
    documents, css = [], ""
    old_version, new_version = cs.old_documents or cs.old, cs.new_documents or cs.new
    for key in shown:
        old_html = render_document(old, key, old_version, document_status(old_version, approvals[0])) if old else None
        new_html = render_document(new, key, new_version, document_status(new_version, approvals[1])) if new else None
        body, doc_css = redline_document_body(key, old_html, new_html, only_changes)
        documents.append({"key": key, "html": Markup(body)})
        css = css or doc_css
    region = new or old
    names = {lijn.id: lijn.naam for r in (old, new) if r for lijn in r.programmalijnen}
    old_label, new_label = side_labels(cs)
    dated = cs.new or cs.old
    naam = region.naam if region else cs.region
    rows, unchanged_totals = changed_rows(cs, names)
    html = environment().get_template("redline.html").render(
        cs=cs, budget=cs.budget, naam=naam, old_label=old_label,
        new_label=new_label, kinds=KINDS, shown=shown, budget_rows=budget_rows(cs, names),
        verdict=verdict_of(impact or classify(cs, old, new)), changed_rows=rows, unchanged_totals=unchanged_totals,
        commits=" → ".join(v.commit or v.label for v in (cs.old, cs.new) if v is not None),
        budget_lines=line_rows(cs), entity_sections=entity_sections(cs), documents=documents,
        only_changes=only_changes, other=other, new_errors=cs.new_errors, old_errors=cs.old_errors,
        text_files=[(f.path, text_rows(f.old, f.new) if f.shown else f"{f.kind}; {WITHHELD}") for f in cs.files],
        document_css=Markup(css), redline_css=Markup((TEMPLATE_DIR / "redline.css").read_text(encoding="utf-8")),
        footer=f"Redline {naam}: wijzigingen, geen vastgesteld document",
        created=w3c_datetime(dated.date) if dated else "")
    root, doctype = parse(html)
    drop_dead_links(root)
    return to_html(root, doctype)
