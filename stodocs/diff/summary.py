"""A ChangeSet in words: the facts a summary shows, and the Markdown summary for a pull request."""
from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

from ..formatting import euro, euro_delta, long_date
from ..model import CATEGORIES, DOCUMENTS
from ..sources import Version
from .changeset import KINDS, BudgetComparison, Change, ChangeSet, TotalsComparison

MONEY_FIELDS = {"prijs", "cofinanciering", "totaal", "subsidie", "maximale_subsidie",
                "drempel_verschuiving", "drempel_toelichting"}
SHORT_TEXT = 80


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


def show_value(field: str, value: Any) -> str:
    """Return a field value for people: euros for money, lists joined, long text shortened."""
    if value is None or value == "" or value == []:
        return "(leeg)"
    if isinstance(value, Decimal) and field in MONEY_FIELDS:
        return euro(value)
    if isinstance(value, bool):
        return "ja" if value else "nee"
    if isinstance(value, list):
        return ", ".join(str(v) for v in value) or "(leeg)"
    text = " ".join(str(value).split())
    return text if len(text) <= SHORT_TEXT else text[: SHORT_TEXT - 1] + "…"


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

_PUNCTUATION = re.compile(r"""([!"#$%&'()*+,\-./:;<=>?@\[\\\]^_`{|}~])""")
_WORD_JOINER = "\u2060"  # invisible; keeps GitHub from turning text into a link or a mention


def _text(value: Any) -> str:
    """Return text from content as Markdown that shows exactly that text on one line: every ASCII punctuation mark
    backslash-escaped (so no Markdown, no HTML tag, no table cell border), and no bare address or @mention that a
    git host would turn into a link or a notification."""
    escaped = _PUNCTUATION.sub(r"\\\1", " ".join(str(value).split()))
    escaped = re.sub(r"(?i)(\\:)(\\/\\/)", rf"\1{_WORD_JOINER}\2", escaped)  # http://
    escaped = re.sub(r"(?i)\b(www)(\\\.)", rf"\1{_WORD_JOINER}\2", escaped)  # www.
    return escaped.replace("\\@", f"\\@{_WORD_JOINER}")


def _code(value: Any) -> str:
    """Return an id as inline code: nothing inside is Markdown or HTML, and a backtick cannot end it early."""
    return "`" + " ".join(str(value).replace("`", "'").split()) + "`"


def _amounts(old: Decimal, new: Decimal, mutatie: Decimal) -> str:
    return f"{euro(old)} | {euro_delta(mutatie)} | {euro(new)}"


def _entity_list(title: str, changes: list[Change], lines: list[str]) -> None:
    if not changes:
        return
    lines.append(f"**{title}**")
    lines.append("")
    for change in changes:
        detail = ""
        if change.kind == "gewijzigd" and change.fields:
            parts = [f"{f.field}: {_text(show_value(f.field, f.old))} → {_text(show_value(f.field, f.new))}"
                     for f in change.fields]
            detail = "; " + "; ".join(parts)
        lines.append(f"- {change.kind}: **{_text(change.label)}** ({_code(change.id)}){detail}")
    lines.append("")


def changeset_to_markdown(changeset: ChangeSet) -> str:
    """Return a Dutch Markdown summary of the change set, fit for a pull-request comment."""
    cs, budget = changeset, changeset.budget
    out = [f"## Wijziging regio {_text(cs.region)}", "",
           f"Van **{_text(version_label(cs.old))}** naar **{_text(version_label(cs.new))}**.", ""]
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

    if budget.changed:
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
                out.append(f"| {_text(label)} | {_amounts(comp.old.totaal, comp.new.totaal, comp.mutatie.totaal)} |")
        out.append("")
        out += ["#### Mutaties per begrotingsregel", ""]
        if budget.drempel_toelichting is not None:
            out += [f"Drempel voor een toelichting: {euro(budget.drempel_toelichting)}.", ""]
        out += ["| Regel | Oud | Mutatie | Nieuw | Toelichting |", "|---|---:|---:|---:|---|"]
        changes = {ch.id: ch for ch in cs.of("begrotingsregel")}
        for line_id, comp in sorted(budget.per_regel.items(), key=lambda kv: (-abs(kv[1].mutatie.totaal), kv[0])):
            change = changes.get(line_id)
            snap = (change.new or change.old) if change else {}
            toelichting = _text(show_value("toelichting", (snap or {}).get("toelichting")))
            if line_id in budget.toelichting_ontbreekt:
                toelichting = "**⚠ toelichting ontbreekt**"
            label = f"{_text(show_value('omschrijving', (snap or {}).get('omschrijving')))} ({_code(line_id)})"
            out.append(f"| {label} | {_amounts(comp.old.totaal, comp.new.totaal, comp.mutatie.totaal)} | "
                       f"{toelichting} |")
        out.append("")
        if budget.toelichting_ontbreekt:
            out += [f"**{len(budget.toelichting_ontbreekt)} mutatie(s) boven de drempel zonder (nieuwe) "
                    f"toelichting:** toelichting ontbreekt bij " +
                    ", ".join(_code(i) for i in budget.toelichting_ontbreekt) + ".", ""]

    structured = [("Activiteiten", cs.of("activiteit")), ("Programmalijnen", cs.of("programmalijn")),
                  ("Doelstellingen", cs.of("doelstelling"))]
    joined, left, changed = partner_moves(cs)
    if any(changes for _, changes in structured) or joined or left or changed or cs.of("persoon"):
        out += ["### Activiteiten, partners en personen", ""]
        for title, changes in structured:
            _entity_list(title, changes, out)
        _entity_list("Partners toegetreden", joined, out)
        _entity_list("Partners uitgetreden", left, out)
        _entity_list("Partners gewijzigd", changed, out)
        _entity_list("Personen en rollen", cs.of("persoon"), out)
    other = cs.of("regio") + cs.of("wijzigingsregel")
    if other:
        out += ["### Regio en wijzigingsprocedure", ""]
        _entity_list("Gewijzigd", other, out)
    prose = cs.of("tekst")
    if prose:
        out += ["### Tekst", ""]
        for change in prose:
            out.append(f"- {DOCUMENTS[change.document]}, {_text(document_of_section(change))}: {change.kind}")
        out.append("")
    return "\n".join(out)
