"""Two Region models -> a ChangeSet: what changed, matched by id, and the budget old / mutatie / new.

Plain data only; no I/O, no rendering. Either side may be None (a new or a deleted region).
"""
from __future__ import annotations

import dataclasses
import difflib
import json
import re
from dataclasses import dataclass, replace
from decimal import Decimal
from typing import Any, Iterable

from ..markdown import heading_id, links
from ..model import CATEGORIES, DOCUMENTS, YEARS, Region, Totals
from ..problems import Problem, errors
from ..sources import Version

CHANGESET_FORMAT = "stodocs-changeset/3"  # documented in docs/wijzigingen.md; bump when a field goes or changes meaning
KINDS = ("toegevoegd", "verwijderd", "gewijzigd", "verplaatst")
ENTITIES = ("regio", "programmalijn", "doelstelling", "partner", "persoon", "activiteit",
            "begrotingsregel", "wijzigingsregel", "tekst")
# Which document shows which kind of entity.
ENTITY_DOCUMENT = {
    "regio": "regioplan", "programmalijn": "regioplan", "doelstelling": "regioplan",
    "partner": "regioplan", "persoon": "regioplan", "activiteit": "activiteitenplan",
    "begrotingsregel": "meerjarenbegroting", "wijzigingsregel": "huishoudelijk-reglement",
}
# Fields whose order carries no meaning: compared as sorted lists.
UNORDERED_FIELDS = {"partners", "profielen", "leerwegen"}
# Fields of a budget line that move its money elsewhere without changing its total.
PLACE_FIELDS = ("activiteit", "categorie", "jaar")
# Sections whose text is this similar are taken to be the same section under a new heading.
SECTION_SIMILARITY = 0.6


@dataclass(frozen=True)
class FieldChange:
    field: str
    old: Any
    new: Any


@dataclass(frozen=True)
class LinkChange:
    """A link whose words stayed the same and whose address changed."""

    tekst: str
    old: str
    new: str


@dataclass(frozen=True)
class Change:
    """One changed entity.

    `old`/`new` are JSON-able snapshots (Decimal kept as Decimal); `old` is None for
    'toegevoegd' and `new` is None for 'verwijderd'. `fields` lists changed fields for
    'gewijzigd' (and for 'verplaatst', which may carry text changes too) and is empty otherwise.
    'verplaatst' is used only for prose: a section that changed position, or whose only change is a
    paragraph moved to or from another section (`related` names those sections' ids; `fields` is then empty).
    `links` lists the links of a prose section whose address changed.
    """

    kind: str
    entity: str
    id: str
    document: str
    fields: tuple[FieldChange, ...]
    old: dict | None
    new: dict | None
    related: tuple[str, ...] = ()
    links: tuple[LinkChange, ...] = ()

    @property
    def label(self) -> str:
        """A human name for the entity: its naam, kop or omschrijving, else its id."""
        snap = self.new or self.old or {}
        return str(snap.get("naam") or snap.get("kop") or snap.get("omschrijving") or self.id)


@dataclass(frozen=True)
class TotalsComparison:
    """Totals before and after; mutatie = new − old."""

    old: Totals
    new: Totals
    mutatie: Totals

    @property
    def changed(self) -> bool:
        return self.old != self.new


@dataclass(frozen=True)
class AmountComparison:
    """An amount before and after; mutatie = new − old."""

    old: Decimal
    new: Decimal
    mutatie: Decimal

    @property
    def changed(self) -> bool:
        return self.old != self.new


@dataclass(frozen=True)
class BudgetComparison:
    """The budget read the Dutch public-sector way: old, mutatie, new.

    Every mapping holds every key of both sides (years always 2025-2028, categories always all five);
    `per_regel` holds the budget lines whose totals changed (added and removed ones included) and those
    moved to another year, category or activity. `toelichting_ontbreekt` lists ids of lines whose mutatie
    (absolute total; for a moved line at least its amount) exceeds `drempel_toelichting` while the line
    has no new or changed toelichting.
    """

    totaal: TotalsComparison
    per_jaar: dict[int, TotalsComparison]
    per_categorie: dict[str, TotalsComparison]
    per_jaar_categorie: dict[int, dict[str, TotalsComparison]]
    per_activiteit: dict[str, TotalsComparison]
    per_programmalijn: dict[str, TotalsComparison]
    per_regel: dict[str, TotalsComparison]
    cofinanciering_bedrijven: AmountComparison
    cofinanciering_norm: AmountComparison
    drempel_toelichting: Decimal | None
    toelichting_ontbreekt: tuple[str, ...]

    @property
    def changed(self) -> bool:
        return bool(self.per_regel) or self.cofinanciering_bedrijven.changed


@dataclass(frozen=True)
class FileText:
    """A region file that could not be modelled on at least one side, as text on both sides (None: absent).

    A file that is no plan file (`shown` False) never carries its text: old and new are only "" (present) or None.
    """

    path: str  # repository-relative, e.g. content/lindewaard/begroting.yaml
    old: str | None
    new: str | None
    shown: bool = True

    @property
    def kind(self) -> str:
        return "toegevoegd" if self.old is None else "verwijderd" if self.new is None else "gewijzigd"


@dataclass(frozen=True)
class ChangeSet:
    """Everything that differs between two versions of one region. Changes are sorted by
    document (in DOCUMENTS order), entity (in ENTITIES order) and id.

    `old_problems`/`new_problems` are what validation reports on each side (errors and warnings);
    `files` holds the files that could not be modelled, whose change is shown as text.
    """

    region: str
    old: Version | None
    new: Version | None
    changes: tuple[Change, ...]
    budget: BudgetComparison
    old_problems: tuple[Problem, ...] = ()
    new_problems: tuple[Problem, ...] = ()
    files: tuple[FileText, ...] = ()
    names: dict[str, dict[str, str]] = dataclasses.field(default_factory=dict)  # entity -> id -> naam, both sides
    # The version each side's documents carry (the last commit that changed the region's inputs, as a build
    # prints it); `old`/`new` are the revisions compared. None for a side without the region.
    old_documents: Version | None = None
    new_documents: Version | None = None

    @property
    def empty(self) -> bool:
        return not self.changes and not self.budget.changed and not self.files

    @property
    def budget_changed(self) -> bool:
        """True when any budget line changed in any way (also only its words), or the cofinanciering did."""
        return self.budget.changed or bool(self.of("begrotingsregel"))

    def line_comparisons(self) -> list[tuple[Change, TotalsComparison]]:
        """Return every changed budget line with its totals before and after, the largest mutatie first."""
        out = []
        for change in self.of("begrotingsregel"):
            comparison = self.budget.per_regel.get(change.id)
            if comparison is None:  # only its words changed: the same amounts on both sides
                snap = change.new or change.old
                same = Totals(snap["totaal"], snap["subsidie"], snap["cofinanciering"])
                comparison = TotalsComparison(same, same, same - same)
            out.append((change, comparison))
        return sorted(out, key=lambda pair: (-abs(pair[1].mutatie.totaal), pair[0].id))

    @property
    def new_errors(self) -> list[Problem]:
        return errors(self.new_problems)

    @property
    def old_errors(self) -> list[Problem]:
        return errors(self.old_problems)

    def of(self, entity: str, kind: str | None = None) -> list[Change]:
        """Return the changes to `entity`, optionally of one `kind`."""
        return [c for c in self.changes if c.entity == entity and (kind is None or c.kind == kind)]

    def counts_per_document(self) -> dict[str, dict[str, int]]:
        """Return {document: {kind: count}} for every document, kinds in KINDS order."""
        out = {doc: {kind: 0 for kind in KINDS} for doc in DOCUMENTS}
        for change in self.changes:
            out[change.document][change.kind] += 1
        return out


# --- snapshots -------------------------------------------------------------------------

def _plain(value: Any) -> Any:
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    return value


def snapshot(thing: Any, drop: Iterable[str] = ()) -> dict:
    """Return a dataclass as a JSON-able dict without its place (and without `drop`)."""
    skip = {"place", *drop}
    out = {}
    for f in dataclasses.fields(thing):
        if f.name in skip:
            continue
        value = _plain(getattr(thing, f.name))
        if f.name in UNORDERED_FIELDS and isinstance(value, list):
            value = sorted(value)
        out[f.name] = value
    return out


def _line_snapshot(line) -> dict:
    snap = snapshot(line)
    snap.update(totaal=line.totaal, subsidie=line.subsidie)
    return snap


def _region_snapshot(region: Region) -> dict:
    return {"naam": region.naam, "soort": region.soort, "maximale_subsidie": region.maximale_subsidie,
            "registratienummer": region.registratienummer, "penvoerder": region.penvoerder,
            "regiocoordinator": region.regiocoordinator}


def entities(region: Region | None) -> dict[str, dict[str, dict]]:
    """Return {entity: {id: snapshot}} for every structured entity of `region`."""
    out: dict[str, dict[str, dict]] = {e: {} for e in ENTITIES if e != "tekst"}
    if region is None:
        return out
    out["regio"][region.id] = _region_snapshot(region)
    for lijn in region.programmalijnen:
        out["programmalijn"][lijn.id] = snapshot(lijn, drop=("doelstellingen",))
    for doel in region.doelstellingen:
        out["doelstelling"][doel.id] = snapshot(doel)
    out["partner"] = {p.id: snapshot(p) for p in region.partners}
    out["persoon"] = {p.id: snapshot(p) for p in region.personen}
    out["activiteit"] = {a.id: snapshot(a) for a in region.activiteiten}
    out["begrotingsregel"] = {l.id: _line_snapshot(l) for l in region.begroting.lines}
    rules = {r.soort: snapshot(r) for r in region.procedure.regels}
    rules["drempels"] = {"drempel_verschuiving": region.procedure.drempel_verschuiving,
                         "drempel_toelichting": region.procedure.drempel_toelichting}
    out["wijzigingsregel"] = rules
    return out


# --- prose sections --------------------------------------------------------------------

_HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")
_FENCE = re.compile(r"^\s*(```|~~~)")


@dataclass(frozen=True)
class Section:
    """A stretch of a Markdown body from one heading up to the next (or the text before the first)."""

    anchor: str
    kop: str
    niveau: int
    tekst: str


def sections(body: str) -> list[Section]:
    """Split a Markdown body at its headings, outside code fences; anchors are unique."""
    found: list[tuple[str, int, list[str]]] = [("", 0, [])]
    fenced = False
    for line in body.split("\n"):
        if _FENCE.match(line):
            fenced = not fenced
        heading = None if fenced else _HEADING.match(line)
        if heading:
            found.append((heading.group(2), len(heading.group(1)), []))
        else:
            found[-1][2].append(line)
    out, seen = [], {}
    for kop, niveau, lines in found:
        text = "\n".join(lines).strip()
        if not kop and not text:
            continue
        base = heading_id(kop) if kop else "begin"  # the anchor the renderer gives the heading
        seen[base] = seen.get(base, 0) + 1
        anchor = base if seen[base] == 1 else f"{base}-{seen[base]}"
        out.append(Section(anchor, kop, niveau, text))
    return out


def _section_snapshot(section: Section) -> dict:
    return {"kop": section.kop, "niveau": section.niveau, "tekst": section.tekst}


def _moved(old_order: list[str], new_order: list[str]) -> set[str]:
    """Return the keys (present in both orders) that are not on the longest common subsequence."""
    common = set(old_order) & set(new_order)
    a = [k for k in old_order if k in common]
    b = [k for k in new_order if k in common]
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    kept = {k for tag, i1, i2, _, _ in matcher.get_opcodes() if tag == "equal" for k in a[i1:i2]}
    return common - kept


def _paragraphs(text: str) -> list[str]:
    return [" ".join(p.split()) for p in re.split(r"\n\s*\n", text) if p.strip()]


def _link_changes(old: dict | None, new: dict | None) -> tuple[LinkChange, ...]:
    """Return the links present on both sides with the same words and another address."""
    if not old or not new:
        return ()
    before = links(old["tekst"])
    after = links(new["tekst"])
    old_by_words: dict[str, list[str]] = {}
    for words, href in before:
        old_by_words.setdefault(words, []).append(href)
    out = []
    for words, href in after:
        hrefs = old_by_words.get(words)
        if hrefs and href not in hrefs:
            out.append(LinkChange(words, hrefs[0], href))
    return tuple(dict.fromkeys(out))


def compare_prose(document: str, old_doc, new_doc) -> list[Change]:
    """Return the prose changes of one document: front matter, then per heading section."""
    changes: list[Change] = []
    old_front = {"titel": old_doc.titel, "ondertitel": old_doc.ondertitel} if old_doc else None
    new_front = {"titel": new_doc.titel, "ondertitel": new_doc.ondertitel} if new_doc else None
    change = _compare_one("tekst", document, document, old_front, new_front)
    if change:
        changes.append(change)
    old_secs = {s.anchor: s for s in sections(old_doc.body)} if old_doc else {}
    new_secs = {s.anchor: s for s in sections(new_doc.body)} if new_doc else {}
    # A section whose heading changed but whose text is much the same is one changed section.
    renamed: dict[str, str] = {}
    gone = [a for a in old_secs if a not in new_secs]
    for anchor in (a for a in new_secs if a not in old_secs):
        best, best_ratio = None, SECTION_SIMILARITY
        for candidate in gone:
            ratio = difflib.SequenceMatcher(None, old_secs[candidate].tekst, new_secs[anchor].tekst,
                                            autojunk=False).ratio()
            if ratio >= best_ratio and candidate not in renamed.values():
                best, best_ratio = candidate, ratio
        if best is not None:
            renamed[anchor] = best
    moved = _moved(list(old_secs), [renamed.get(a, a) for a in new_secs])
    pairs = []  # (new anchor, old snapshot, new snapshot, moved whole)
    for anchor in sorted(set(old_secs) | set(new_secs)):
        if anchor in renamed.values():  # shown under its new heading
            continue
        old_anchor = renamed.get(anchor, anchor)
        old = _section_snapshot(old_secs[old_anchor]) if old_anchor in old_secs else None
        new = _section_snapshot(new_secs[anchor]) if anchor in new_secs else None
        pairs.append((anchor, old, new, old_anchor in moved))
    # A paragraph that left one section and arrived unchanged in another was moved, not deleted and written anew.
    lost: dict[str, list[str]] = {}
    gained: dict[str, list[str]] = {}
    for anchor, old, new, _ in pairs:
        before = _paragraphs(old["tekst"]) if old else []
        after = _paragraphs(new["tekst"]) if new else []
        for p in before:
            if p not in after:
                lost.setdefault(p, []).append(anchor)
        for p in after:
            if p not in before:
                gained.setdefault(p, []).append(anchor)
    moved_paragraphs = {p for p in lost if p in gained and len(p) >= 20}
    for anchor, old, new, whole in pairs:
        change = _compare_one("tekst", f"{document}#{anchor}", document, old, new)
        if change is None and not whole:
            continue
        before = _paragraphs(old["tekst"]) if old else []
        after = _paragraphs(new["tekst"]) if new else []
        gone_here = [p for p in before if p not in after]
        came_here = [p for p in after if p not in before]
        only_moves = (old is not None and new is not None and old["kop"] == new["kop"] and (gone_here or came_here)
                      and all(p in moved_paragraphs for p in gone_here + came_here))
        if only_moves:
            related = sorted({f"{document}#{a}" for p in gone_here for a in gained[p]} |
                             {f"{document}#{a}" for p in came_here for a in lost[p]})
            changes.append(Change("verplaatst", "tekst", f"{document}#{anchor}", document, (), old, new,
                                  tuple(related)))
        elif whole:
            changes.append(Change("verplaatst", "tekst", f"{document}#{anchor}", document,
                                  change.fields if change else (), old, new, (), _link_changes(old, new)))
        else:
            changes.append(replace(change, links=_link_changes(old, new)))
    return changes


# --- comparison ------------------------------------------------------------------------

def _compare_one(entity: str, id_: str, document: str, old: dict | None, new: dict | None) -> Change | None:
    if old is None and new is None:
        return None
    if old is None:
        return Change("toegevoegd", entity, id_, document, (), None, new)
    if new is None:
        return Change("verwijderd", entity, id_, document, (), old, None)
    fields = tuple(FieldChange(k, old.get(k), new.get(k)) for k in sorted(set(old) | set(new))
                   if old.get(k) != new.get(k))
    return Change("gewijzigd", entity, id_, document, fields, old, new) if fields else None


def _compare_totals(old: Totals, new: Totals) -> TotalsComparison:
    return TotalsComparison(old, new, new - old)


def _compare_amounts(old: Decimal, new: Decimal) -> AmountComparison:
    return AmountComparison(old, new, new - old)


def _compare_maps(old: dict, new: dict, keys: Iterable) -> dict:
    return {k: _compare_totals(old.get(k, Totals()), new.get(k, Totals())) for k in keys}


def compare_budgets(old: Region | None, new: Region | None) -> BudgetComparison:
    """Return the budget of both sides, side by side, with every mutatie."""
    def lines(region):
        return region.begroting.lines_by_id if region else {}

    def grouped(region, method):
        return getattr(region.begroting, method)() if region else {}

    old_lines, new_lines = lines(old), lines(new)
    old_yc, new_yc = grouped(old, "by_year_and_category"), grouped(new, "by_year_and_category")
    per_jaar_categorie = {year: {cat: _compare_totals(old_yc.get((year, cat), Totals()), new_yc.get((year, cat), Totals()))
                                 for cat in CATEGORIES} for year in YEARS}
    old_act, new_act = grouped(old, "by_activity"), grouped(new, "by_activity")
    old_pl = old.budget_by_programmalijn() if old else {}
    new_pl = new.budget_by_programmalijn() if new else {}
    per_regel, moved = {}, {}
    for line_id in sorted(set(old_lines) | set(new_lines)):
        before = old_lines[line_id].totals if line_id in old_lines else Totals()
        after = new_lines[line_id].totals if line_id in new_lines else Totals()
        both = line_id in old_lines and line_id in new_lines
        # A line moved to another year, category or activity moves its whole amount, even at the same total.
        if both and any(getattr(old_lines[line_id], f) != getattr(new_lines[line_id], f) for f in PLACE_FIELDS):
            moved[line_id] = max(before.totaal, after.totaal)
        if before != after or not both or line_id in moved:
            per_regel[line_id] = _compare_totals(before, after)
    procedure = (new or old).procedure if (new or old) else None
    drempel = procedure.drempel_toelichting if procedure else None
    missing = []
    for line_id, comparison in per_regel.items():
        line = new_lines.get(line_id)
        mutatie = max(abs(comparison.mutatie.totaal), moved.get(line_id, Decimal(0)))
        # A new region has no mutaties to explain: its whole plan is new.
        if old is None or line is None or drempel is None or mutatie <= drempel:
            continue
        old_text = old_lines[line_id].toelichting if line_id in old_lines else ""
        if not line.toelichting.strip() or line.toelichting == old_text:
            missing.append(line_id)
    zero = Decimal("0.00")
    return BudgetComparison(
        totaal=_compare_totals(old.begroting.totals if old else Totals(), new.begroting.totals if new else Totals()),
        per_jaar=_compare_maps(grouped(old, "by_year"), grouped(new, "by_year"), YEARS),
        per_categorie=_compare_maps(grouped(old, "by_category"), grouped(new, "by_category"), CATEGORIES),
        per_jaar_categorie=per_jaar_categorie,
        per_activiteit=_compare_maps(old_act, new_act, sorted(set(old_act) | set(new_act))),
        per_programmalijn=_compare_maps(old_pl, new_pl, _ordered_union(list(old_pl), list(new_pl))),
        per_regel=per_regel,
        cofinanciering_bedrijven=_compare_amounts(old.cofinanciering_bedrijven if old else zero,
                                                  new.cofinanciering_bedrijven if new else zero),
        cofinanciering_norm=_compare_amounts(old.cofinanciering_norm if old else zero,
                                             new.cofinanciering_norm if new else zero),
        drempel_toelichting=drempel,
        toelichting_ontbreekt=tuple(missing),
    )


def _ordered_union(first: list, second: list) -> list:
    return first + [k for k in second if k not in first]


def compare_regions(name: str, old: Region | None, new: Region | None,
                    old_version: Version | None = None, new_version: Version | None = None) -> ChangeSet:
    """Return the ChangeSet from `old` to `new` (either may be None)."""
    changes: list[Change] = []
    old_entities, new_entities = entities(old), entities(new)
    for entity in old_entities:
        before, after = old_entities[entity], new_entities[entity]
        for id_ in sorted(set(before) | set(after)):
            change = _compare_one(entity, id_, ENTITY_DOCUMENT[entity], before.get(id_), after.get(id_))
            if change:
                changes.append(change)
    for document in DOCUMENTS:
        changes += compare_prose(document, old.documents.get(document) if old else None,
                                 new.documents.get(document) if new else None)
    order_doc = {d: i for i, d in enumerate(DOCUMENTS)}
    order_entity = {e: i for i, e in enumerate(ENTITIES)}
    changes.sort(key=lambda c: (order_doc[c.document], order_entity[c.entity], c.id))
    return ChangeSet(name, old_version, new_version, tuple(changes), compare_budgets(old, new),
                     names=_names(old, new))


def _names(*regions: Region | None) -> dict[str, dict[str, str]]:
    """Return the name of every activity, partner, person and doelstelling of either side, and of the region
    itself (the newest wins)."""
    out: dict[str, dict[str, str]] = {"activiteit": {}, "partner": {}, "persoon": {}, "doelstelling": {},
                                      "regio": {}}
    for region in regions:
        if region is None:
            continue
        out["regio"][region.id] = region.naam
        out["activiteit"].update({a.id: a.naam for a in region.activiteiten})
        out["partner"].update({p.id: p.naam for p in region.partners})
        out["persoon"].update({p.id: p.naam for p in region.personen})
        out["doelstelling"].update({d.id: d.naam for d in region.doelstellingen})
    return {entity: dict(sorted(names.items())) for entity, names in out.items()}


# --- JSON ------------------------------------------------------------------------------

def _jsonable(value: Any) -> Any:
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, Version):
        return {"commit": value.commit, "describe": value.describe, "date": value.date.isoformat(),
                "dirty": value.dirty, "in_git": value.in_git, "label": value.label}
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        out = {f.name: _jsonable(getattr(value, f.name)) for f in dataclasses.fields(value)}
        if isinstance(value, Change):
            out["label"] = value.label
        return out
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_jsonable(v) for v in value]
    return value


def changeset_to_json(changeset: ChangeSet) -> str:
    """Return the change set as deterministic JSON: sorted keys, amounts as strings."""
    data = _jsonable(changeset)
    data["counts"] = changeset.counts_per_document()
    data["format"] = CHANGESET_FORMAT
    return json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True) + "\n"
