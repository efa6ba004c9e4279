"""A ChangeSet in words: the facts a summary shows, and the Markdown summary for a pull request."""
from __future__ import annotations

import difflib
import re
from decimal import Decimal
from typing import Any

from ..formatting import counted, euro, euro_delta, long_date, markdown_text, month, number, one_line, version_text
from ..model import CATEGORIES, DOCUMENTS
from ..sources import Version
from .changeset import KINDS, BudgetComparison, Change, ChangeSet, TotalsComparison

# Said of a file that is no plan file: a redline, a comment or a JSON file never shows what it holds.
WITHHELD = "de inhoud wordt niet getoond: het is geen bestand van het plan (het kan persoonsgegevens bevatten)"
MONEY_FIELDS = {"prijs", "cofinanciering", "totaal", "subsidie", "maximale_subsidie",
                "drempel_verschuiving", "drempel_toelichting"}
SHORT_TEXT = 80
WHOLE_TEXT = {"toelichting"}  # fields shown whole however long: what a reader must judge


def version_label(version: Version | None) -> str:
    """Return `v1.2 (abc1234567, 14 maart 2026)`, or a plain word for a missing side."""
    if version is None:
        return "(bestond niet)"
    if not version.in_git:
        return f"werkmap buiten git ({long_date(version.date)})"
    parts = [version.short] if version.describe and version.describe != version.short else []
    parts.append(long_date(version.date))
    name = version.label if version.commit else "werkmap"
    if version.dirty:
        name = f"werkmap (niet vastgelegd, op {version.label})"
    return f"{name} ({', '.join(parts)})"


def side_label(documents: Version | None, revision: Version | None) -> str:
    """Return a side of a comparison as its documents print it, `Versie van 1 december 2026 (c5103a0)`; the
    revision's own label when the documents' version is not known."""
    if documents is not None:
        return version_text(documents)
    return version_label(revision)


def side_labels(changeset: ChangeSet) -> tuple[str, str]:
    """Return the old and the new side's label (see side_label)."""
    return (side_label(changeset.old_documents, changeset.old), side_label(changeset.new_documents, changeset.new))


# Fields that name another thing by its id, and what kind of thing.
REFERENCES = {"trekker": "persoon", "cofinancier": "partner", "activiteit": "activiteit", "partner": "partner",
              "partners": "partner", "penvoerder": "partner", "doelstelling": "doelstelling"}


def show_value(field: str, value: Any, names: dict | None = None, unit: str = "") -> str:
    """Return a field value for people: euros for money, names for ids, lists joined, long text shortened."""
    if value is None or value == "" or value == []:
        return "(leeg)"
    known = (names or {}).get(REFERENCES.get(field, ""), {})
    if isinstance(value, Decimal) and field in MONEY_FIELDS:
        return euro(value)
    if field == "aantal" and isinstance(value, Decimal):
        return counted(value, unit) if unit else number(value)
    if field == "categorie" and value in CATEGORIES:
        return CATEGORIES[value].lower()
    if field in ("start", "eind") and isinstance(value, str) and len(value) == 7:
        return month(value)
    if isinstance(value, bool):
        return "ja" if value else "nee"
    if isinstance(value, list):
        return ", ".join(known.get(str(v), str(v)) for v in value) or "(leeg)"
    if isinstance(value, str) and value in known:
        return known[value]
    text = " ".join(str(value).split())
    if field in WHOLE_TEXT:  # a toelichting is read, never cut off mid-word
        return text
    return text if len(text) <= SHORT_TEXT else text[: SHORT_TEXT - 1] + "…"


def field_changes(change: Change, names: dict | None = None) -> list[str]:
    """Return each changed field of a change as `veld: oud → nieuw`, for people."""
    out = []
    for f in change.fields:
        unit_old = (change.old or {}).get("eenheid", "") if f.field == "aantal" else ""
        unit_new = (change.new or {}).get("eenheid", "") if f.field == "aantal" else ""
        if change.entity == "tekst" and f.field == "tekst":
            continue  # the redline shows the words; the summary says where
        out.append(f"{f.field}: {show_value(f.field, f.old, names, unit_old)} → "
                   f"{show_value(f.field, f.new, names, unit_new)}")
    return out


def text_detail(change: Change, changeset: ChangeSet) -> str:
    """Return what happened to a prose section: `gewijzigd`, `verplaatst (alinea van of naar § Visie)`, links."""
    parts = [change.kind]
    if change.related:
        by_id = {c.id: c for c in changeset.changes}
        places = [document_of_section(by_id[r]) if r in by_id else r for r in change.related]
        parts[0] += f" (tekst van of naar {', '.join(places)}; de tekst zelf is gelijk)"
    parts += [f"link '{link.tekst}': {link.old} → {link.new}" for link in change.links]
    if change.kind == "gewijzigd" and change.old and change.new:
        parts += word_changes(change.old.get("tekst", ""), change.new.get("tekst", ""))
    return "; ".join(parts)


WORD_CHANGES_SHOWN = 3  # changed stretches of words a summary quotes per section
QUOTE_CHARS = 60


def word_changes(old: str, new: str) -> list[str]:
    """Return the first few changed stretches of words: `'daalt' → 'krimpt'`, `erbij: '…'`, `weg: '…'`."""
    a, b = old.split(), new.split()
    ops = [op for op in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes() if op[0] != "equal"]

    def quote(words: list[str]) -> str:
        text = " ".join(words)
        return f"'{text if len(text) <= QUOTE_CHARS else text[:QUOTE_CHARS - 1] + '…'}'"
    out = []
    for tag, i1, i2, j1, j2 in ops[:WORD_CHANGES_SHOWN]:
        if tag == "replace":
            out.append(f"{quote(a[i1:i2])} → {quote(b[j1:j2])}")
        elif tag == "delete":
            out.append(f"weg: {quote(a[i1:i2])}")
        else:
            out.append(f"erbij: {quote(b[j1:j2])}")
    if len(ops) > WORD_CHANGES_SHOWN:
        out.append(f"en {counted(len(ops) - WORD_CHANGES_SHOWN, 'andere wijziging', 'andere wijzigingen')}")
    return out


def partner_moves(changeset: ChangeSet) -> tuple[list[Change], list[Change], list[Change]]:
    """Return partners (joined, left, otherwise changed); an uitgetreden date counts as leaving."""
    joined, left, changed = [], [], []
    for change in changeset.of("partner"):
        fields = {f.field: f for f in change.fields}
        if change.kind == "toegevoegd":
            joined.append(change)
        elif change.kind == "verwijderd" or ("uitgetreden" in fields and fields["uitgetreden"].new):
            left.append(change)
        else:
            changed.append(change)
    return joined, left, changed


def document_of_section(change: Change) -> str:
    """Return the human place of a prose change: `§ Visie` or `titel en ondertitel`."""
    if "#" not in change.id:
        return "titel en ondertitel"
    snap = change.new or change.old or {}
    return f"§ {snap.get('kop') or 'begin van de tekst'}"


def budget_rows(budget: BudgetComparison) -> list[tuple[str, TotalsComparison]]:
    """Return the overview rows: overall, per year, per category."""
    rows = [("Totaal", budget.totaal)]
    rows += [(str(year), c) for year, c in budget.per_jaar.items()]
    rows += [(CATEGORIES[cat], c) for cat, c in budget.per_categorie.items()]
    return rows


# --- Markdown --------------------------------------------------------------------------

def _code(value: Any) -> str:
    """Return an id as inline code: nothing inside is Markdown or HTML, and a backtick cannot end it early."""
    return "`" + (" ".join(one_line(value).replace("`", "'").split()) or " ") + "`"


def _amounts(old: Decimal, new: Decimal, mutatie: Decimal) -> str:
    return f"{euro(old)} | {euro_delta(mutatie)} | {euro(new)}"


def _entity_list(title: str, changes: list[Change], lines: list[str], names: dict | None = None) -> None:
    if not changes:
        return
    lines.append(f"**{title}**")
    lines.append("")
    for change in changes:
        detail = ""
        if change.kind == "gewijzigd" and change.fields:
            detail = "; " + "; ".join(markdown_text(p) for p in field_changes(change, names))
        lines.append(f"- {change.kind}: **{markdown_text(change.label)}** ({_code(change.id)}){detail}")
    lines.append("")


def _problem_list(title: str, intro: str, problems, out: list[str]) -> None:
    out += [f"### {title}", "", intro, ""]
    out += [f"- {_code(p.format())}" for p in problems]
    out.append("")


def _fence(text: str) -> str:
    """Return a code fence longer than any run of backticks in `text`."""
    longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
    return "`" * max(3, longest + 1)


def _text_files(cs: ChangeSet, out: list[str]) -> None:
    from .document import text_rows
    out += ["### Bestanden als tekst", "",
            "Deze bestanden konden in ten minste één versie niet worden gelezen; hun wijziging regel voor regel:", ""]
    for f in cs.files:
        if not f.shown:
            out += [f"{_code(f.path)}: {f.kind}; {WITHHELD}.", ""]
            continue
        marks = {"gelijk": " ", "weg": "-", "erbij": "+"}
        lines = [f"@@ {counted(r.count, 'regel', adjective='ongewijzigde')} @@" if r.kind == "overgeslagen"
                 else f"{marks[r.kind]} {one_line(r.text)}" for r in text_rows(f.old, f.new)]
        body = "\n".join(lines)
        fence = _fence(body)
        out += [_code(f.path), "", f"{fence}diff", body, fence, ""]


def changeset_to_markdown(changeset: ChangeSet, redlines: tuple[str, ...] | list[str] = (),
                          region_name: str = "") -> str:
    """Return a Dutch Markdown summary of the change set, fit for a pull-request comment.

    `redlines` names the redline PDFs written beside it (the full one and the compact one), to link them;
    `region_name` is the region's name (`Techniekregio Lindewaard`), shown instead of its folder.
    """
    cs, budget = changeset, changeset.budget
    old_label, new_label = side_labels(cs)
    naam = region_name or cs.names.get("regio", {}).get(cs.region) or cs.region
    out = [f"## Wijziging {markdown_text(naam)}", "",
           f"Van **{markdown_text(old_label)}** naar **{markdown_text(new_label)}**.", ""]
    if redlines:
        out += ["Redline: " + " · ".join(f"[{name}]({name})" for name in redlines), ""]
    if cs.new_errors:
        _problem_list("⚠ Deze versie voldoet niet aan de regels",
                      f"De nieuwe versie heeft {counted(len(cs.new_errors), 'fout')}; "
                      f"herstel {'die' if len(cs.new_errors) == 1 else 'ze'} voordat erover "
                      "besloten wordt.", cs.new_errors, out)
    if cs.old_errors:
        _problem_list("De oude versie voldoet niet aan de huidige regels",
                      f"Ter informatie: {counted(len(cs.old_errors), 'fout')} volgens de regels van nu; "
                      "de vergelijking is toch gemaakt.", cs.old_errors, out)
    if cs.old is None:
        out += ["Deze regio is **nieuw**: alles is toegevoegd.", ""]
    elif cs.new is None:
        out += ["Deze regio is **verwijderd**.", ""]
    if cs.empty:
        out += ["Geen wijzigingen.", ""]
        return "\n".join(out)

    out += ["### Wijzigingen per document", "",
            "| Document | toegevoegd | verwijderd | gewijzigd | verplaatst |", "|---|---:|---:|---:|---:|"]
    for doc, counts in cs.counts_per_document().items():
        out.append(f"| {DOCUMENTS[doc]} | " + " | ".join(str(counts[k]) for k in KINDS) + " |")
    out.append("")

    if cs.budget_changed:
        out += ["### Begroting", "", "| | Oud | Mutatie | Nieuw |", "|---|---:|---:|---:|"]
        t = budget.totaal
        out.append(f"| **Totaal** | {_amounts(t.old.totaal, t.new.totaal, t.mutatie.totaal)} |")
        out.append(f"| Subsidie | {_amounts(t.old.subsidie, t.new.subsidie, t.mutatie.subsidie)} |")
        out.append(f"| Cofinanciering | {_amounts(t.old.cofinanciering, t.new.cofinanciering, t.mutatie.cofinanciering)} |")
        c, n = budget.cofinanciering_bedrijven, budget.cofinanciering_norm
        out.append(f"| Cofinanciering bedrijven | {_amounts(c.old, c.new, c.mutatie)} |")
        out.append(f"| Norm cofinanciering (10%) | {_amounts(n.old, n.new, n.mutatie)} |")
        if c.new < n.new:
            out.append("| **Let op** | | | cofinanciering bedrijven onder de norm |")
        for label, comp in budget_rows(budget)[1:]:
            if comp.changed:
                out.append(f"| {markdown_text(label)} | {_amounts(comp.old.totaal, comp.new.totaal, comp.mutatie.totaal)} |")
        out.append("")
        out += ["#### Mutaties per begrotingsregel", ""]
        if budget.drempel_toelichting is not None:
            out += [f"Drempel voor een toelichting: {euro(budget.drempel_toelichting)}.", ""]
        out += ["| Regel | Oud | Mutatie | Nieuw | Wat | Toelichting |", "|---|---:|---:|---:|---|---|"]
        for change, comp in cs.line_comparisons():
            line_id, snap = change.id, change.new or change.old
            toelichting = markdown_text(show_value("toelichting", snap.get("toelichting")))
            if line_id in budget.toelichting_ontbreekt:
                toelichting = "**⚠ toelichting ontbreekt**"
            label = f"{markdown_text(show_value('omschrijving', snap.get('omschrijving')))} ({_code(line_id)})"
            what = "; ".join(field_changes(change, cs.names)) if change.kind == "gewijzigd" else change.kind
            out.append(f"| {label} | {_amounts(comp.old.totaal, comp.new.totaal, comp.mutatie.totaal)} | "
                       f"{markdown_text(what)} | {toelichting} |")
        out.append("")
        if budget.toelichting_ontbreekt:
            lines = {c.id: c for c in cs.of("begrotingsregel")}
            named = [markdown_text(show_value("omschrijving", (lines[i].new or lines[i].old).get("omschrijving")))
                     if i in lines else _code(i) for i in budget.toelichting_ontbreekt]
            out += [f"**{counted(len(budget.toelichting_ontbreekt), 'mutatie')} boven de drempel zonder (nieuwe) "
                    f"toelichting:** toelichting ontbreekt bij " + "; ".join(named) + ".", ""]

    structured = [("Activiteiten", cs.of("activiteit")), ("Programmalijnen", cs.of("programmalijn")),
                  ("Doelstellingen", cs.of("doelstelling"))]
    joined, left, changed = partner_moves(cs)
    if any(changes for _, changes in structured) or joined or left or changed or cs.of("persoon"):
        out += ["### Activiteiten, partners en personen", ""]
        for title, changes in structured:
            _entity_list(title, changes, out, cs.names)
        _entity_list("Partners toegetreden", joined, out, cs.names)
        _entity_list("Partners uitgetreden", left, out, cs.names)
        _entity_list("Partners gewijzigd", changed, out, cs.names)
        _entity_list("Personen en rollen", cs.of("persoon"), out, cs.names)
    other = cs.of("regio") + cs.of("wijzigingsregel")
    if other:
        out += ["### Regio en wijzigingsprocedure", ""]
        _entity_list("Gewijzigd", other, out, cs.names)
    if cs.files:
        _text_files(cs, out)
    prose = cs.of("tekst")
    if prose:
        out += ["### Tekst", ""]
        for change in prose:
            out.append(f"- {DOCUMENTS[change.document]}, {markdown_text(document_of_section(change))}: "
                       f"{markdown_text(text_detail(change, cs))}")
        out.append("")
    return "\n".join(out)
