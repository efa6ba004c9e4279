"""Two renderings of a document -> one rendering with the changes marked in place.

Blocks are matched by their id attribute where they have one, else by aligning their text;
inside a changed block the words are compared. Marks (<ins>, <del>) only ever wrap text,
so lists, tables and headings keep their structure. Pictures (<svg>, <img>, <figure>) are
compared whole and never marked inside. Classes set here (all `stodocs-…`) are styled by
redline.css.
"""
from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from ..formatting import counted, euro_delta
from .htmltree import VOID, Element, serialize

BLOCK = {"address", "article", "aside", "blockquote", "body", "caption", "dd", "details", "div", "dl", "dt",
         "fieldset", "figcaption", "figure", "footer", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hgroup",
         "hr", "li", "main", "nav", "ol", "p", "pre", "section", "table", "tbody", "td", "tfoot", "th",
         "thead", "tr", "ul", "colgroup", "col", "summary", "html", "head"}
HEADINGS = {"h1", "h2", "h3", "h4", "h5", "h6"}
# Cells and the like are compared word by word even when they hold only inline content.
ALWAYS_LEAF = HEADINGS | {"p", "td", "th", "dt", "caption", "figcaption", "pre", "summary"}
UNTOUCHED = {"head", "style", "script"}
# Compared whole, never word by word: a mark inside an SVG's <text> or <title> cuts the chart into pieces.
PICTURES = {"figure", "svg"}
PAIRING_SIMILARITY = 0.4  # below this, a block is shown as deleted plus inserted, not as changed
MOVE_MIN_CHARS = 20  # shorter texts are too common to call a repeat a move

CHANGED, INSERTED, DELETED, MOVED, MOVED_FROM = (
    "stodocs-changed", "stodocs-inserted", "stodocs-deleted", "stodocs-moved", "stodocs-moved-from")

ROW_CHANGED = "stodocs-row-changed"
PICTURE_NOTE, PICTURE_WAS, PICTURE_WAS_LABEL = "stodocs-picture-note", "stodocs-was", "stodocs-was-label"
ID_REFERENCES = ("aria-labelledby", "aria-describedby")  # attributes that name ids, space-separated
MARK_CLASSES = {CHANGED, INSERTED, DELETED, MOVED, MOVED_FROM}

_TOKEN = re.compile(r"\s+|\d[\d.,]*\d|\w+|[^\w\s]", re.UNICODE)


def _norm(text: str) -> str:
    return " ".join(text.split())


def _text(nodes: list) -> str:
    """Return the text of inline nodes (texts and elements)."""
    return "".join(n if isinstance(n, str) else n.text() for n in nodes)


def is_block(node) -> bool:
    return isinstance(node, Element) and node.tag in BLOCK


def is_leaf(element: Element) -> bool:
    """A leaf block is compared word by word: it holds no block elements (or must be kept whole)."""
    return element.tag in ALWAYS_LEAF or element.tag in PICTURES or not any(is_block(c) for c in element.children)


def has_change(node) -> bool:
    """Return whether the redline marked anything in `node`."""
    if not isinstance(node, Element):
        return False
    if node.tag in ("ins", "del"):
        return True
    if any(c in MARK_CLASSES for c in (node.get("class") or "").split()):
        return True
    return any(has_change(c) for c in node.children)


# --- alignment of sibling blocks ---------------------------------------------------------

@dataclass(eq=False)
class _Run:
    """Inline content between blocks inside a container (e.g. the text of an <li> before a nested list)."""

    nodes: list

    def text(self) -> str:
        return _text(self.nodes)


def _items(children: list) -> list:
    """Group a container's children into blocks and runs of inline content; drop blank runs."""
    items, run = [], []
    for child in children:
        if is_block(child):
            if run and _norm(_text(run)) or any(isinstance(n, Element) and n.tag in ("img", "br", "svg") for n in run):
                items.append(_Run(run))
            items.append(child)
            run = []
        else:
            run.append(child)
    if run and (_norm(_text(run)) or any(isinstance(n, Element) for n in run)):
        items.append(_Run(run))
    return items


def _key(item) -> tuple:
    if isinstance(item, _Run):
        return ("run", _norm(item.text()))
    if item.get("id"):
        return ("id", item.get("id"))
    return (item.tag, _norm(item.text()))


def _tag(item) -> str:
    return "#run" if isinstance(item, _Run) else item.tag


def _words(node) -> list[str]:
    """Return the words below a node, with blocks kept apart."""
    if isinstance(node, str):
        return node.split()
    children = node.nodes if isinstance(node, _Run) else node.children
    return [w for c in children for w in _words(c)]


def _similarity(a, b) -> float:
    return difflib.SequenceMatcher(None, _words(a), _words(b), autojunk=False).ratio()


def _container(item) -> bool:
    return isinstance(item, Element) and not is_leaf(item)


def _pair_range(olds: list, news: list) -> list[tuple]:
    """Return (old, new) pairs in order for a replaced range; None on a side means deleted/inserted."""
    out, start = [], 0
    for old in olds:
        # Containers of the same kind (a list, a table, a section) are compared inside, however different;
        # so are table cells, so that a row keeps its columns.
        eager = _container(old) or (isinstance(old, Element) and old.tag in ("td", "th"))
        best, best_ratio = None, -1.0 if eager else PAIRING_SIMILARITY
        for j in range(start, len(news)):
            new = news[j]
            if _tag(new) == _tag(old) and not (isinstance(new, Element) and new.get("id")):
                ratio = _similarity(old, new)
                if ratio > best_ratio:
                    best, best_ratio = j, ratio
        if best is None:
            out.append((old, None))
            continue
        out += [(None, news[j]) for j in range(start, best)]
        out.append((old, news[best]))
        start = best + 1
    out += [(None, news[j]) for j in range(start, len(news))]
    # Deleted blocks first, then inserted ones, within each stretch between pairs.
    ordered, pending_old, pending_new = [], [], []
    for old, new in out:
        if old is not None and new is not None:
            ordered += pending_old + pending_new + [(old, new)]
            pending_old, pending_new = [], []
        elif old is not None:
            pending_old.append((old, None))
        else:
            pending_new.append((None, new))
    return ordered + pending_old + pending_new


def align(old_items: list, new_items: list) -> list[tuple]:
    """Return (old, new, moved) triples in output order; blocks with an id pair up wherever they are."""
    old_keys, new_keys = [_key(i) for i in old_items], [_key(i) for i in new_items]
    old_ids = {k[1]: i for i, k in zip(old_items, old_keys) if k[0] == "id"}
    new_ids = {k[1] for k in new_keys if k[0] == "id"}
    matcher = difflib.SequenceMatcher(None, old_keys, new_keys, autojunk=False)
    out = []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            out += [(o, n, False) for o, n in zip(old_items[i1:i2], new_items[j1:j2])]
            continue
        olds = [o for o in old_items[i1:i2] if not (_key(o)[0] == "id" and _key(o)[1] in new_ids)]
        news = []
        for n in new_items[j1:j2]:
            key = _key(n)
            if key[0] == "id" and key[1] in old_ids:
                out += [(o, nn, False) for o, nn in _pair_range(olds, news)]
                out.append((old_ids[key[1]], n, True))
                olds, news = [], []
            else:
                news.append(n)
        out += [(o, n, False) for o, n in _pair_range(olds, news)]
    return out


# --- marking whole blocks -------------------------------------------------------------------

def _wrap_text(node: Element, mark: str) -> Element:
    """Return a copy of `node` with every non-blank text wrapped in <mark> (ins or del)."""
    copy = node.shallow()
    for child in node.children:
        if isinstance(child, str):
            copy.children.append(Element(mark, {}, [child]) if child.strip() and node.tag not in ("ins", "del")
                                 else child)
        elif (child.tag in VOID and child.tag != "br") or child.tag == "svg":
            copy.children.append(Element(mark, {}, [child.copy()]))
        else:
            copy.children.append(_wrap_text(child, mark))
        if isinstance(child, Element) and child.tag == "a" and child.get("href"):
            copy.children.append(Element(mark, {"class": "stodocs-href"}, [f" [{child.get('href')}]"]))
    return copy


def prefix_ids(node: Element, prefix: str) -> Element:
    """Put `prefix` before every id below `node` and before the aria references to them; return `node`."""
    renamed = {e.attrs["id"] for e in node.iter() if e.get("id")}
    for element in node.iter():
        if element.get("id"):
            element.attrs["id"] = prefix + element.attrs["id"]
        for name in ID_REFERENCES:
            if element.get(name):
                element.attrs[name] = " ".join(prefix + ref if ref in renamed else ref
                                               for ref in element.attrs[name].split())
    return node


def mark_block(item, mark: str, css: str):
    """Return nodes showing a whole block (or run) as inserted or deleted."""
    if isinstance(item, _Run):
        wrapper = _wrap_text(Element("#run", {}, list(item.nodes)), mark)
        return wrapper.children
    marked = _wrap_text(item, mark)
    if mark == "del":
        prefix_ids(marked, "oud-")
    marked.add_class(css)
    return [marked]


# --- word diff inside a block ---------------------------------------------------------------

@dataclass(frozen=True)
class _Token:
    text: str
    path: tuple  # the inline elements around the text, outermost first
    void: Element | None = None  # an <img>, <br> or whole <svg> instead of text
    note: bool = False  # a link's target, shown only when the link is marked

    @property
    def key(self) -> tuple:
        sig = tuple((e.tag, tuple(sorted((k, v or "") for k, v in e.attrs.items() if k != "id")))
                    for e in self.path)
        void = serialize(self.void) if self.void else None
        return (self.text, sig, void)


def _tokens(nodes: list, path: tuple = ()) -> list[_Token]:
    out = []
    for node in nodes:
        if isinstance(node, str):
            out += [_Token(t, path) for t in _TOKEN.findall(node)]
        elif node.tag in VOID or node.tag == "svg":
            out.append(_Token("", path, void=node))
        else:
            out += _tokens(node.children, path + (node,))
            if node.tag == "a" and node.get("href"):
                out.append(_Token(f" [{node.get('href')}]", path + (node,), note=True))
    return out


def _ops(old: list[_Token], new: list[_Token]) -> list[tuple]:
    """Return opcodes over tokens; blank stretches between two changes join the change."""
    ops = difflib.SequenceMatcher(None, [t.key for t in old], [t.key for t in new], autojunk=False).get_opcodes()
    merged: list[list] = []
    for n, op in enumerate(ops):
        tag, i1, i2, j1, j2 = op
        blank = tag == "equal" and all(not t.text.strip() and t.void is None for t in new[j1:j2])
        if blank and 0 < n < len(ops) - 1:
            tag = "replace"
        if merged and tag != "equal" and merged[-1][0] != "equal":
            merged[-1] = ["replace", merged[-1][1], i2, merged[-1][3], j2]
        else:
            merged.append([tag, i1, i2, j1, j2])
    return [tuple(m) for m in merged]


def _build(marked: list[tuple[_Token, str | None]]) -> list:
    """Rebuild inline nodes from tokens, each wrapped in its elements and its mark (innermost)."""
    root = Element("#run")
    open_path: list[tuple] = []  # (identity, element)
    group = 0
    previous_mark = None
    for token, mark in marked:
        if mark != previous_mark:
            group += 1
            previous_mark = mark
        wanted = [(id(e), e) for e in token.path]
        if mark:
            wanted.append((("mark", group), Element(mark)))
        common = 0
        while (common < len(open_path) and common < len(wanted)
               and open_path[common][0] == wanted[common][0]):
            common += 1
        del open_path[common:]
        parent = open_path[-1][1] if open_path else root
        for identity, element in wanted[common:]:
            clone = element if isinstance(identity, tuple) else element.shallow()
            parent.children.append(clone)
            open_path.append((identity, clone))
            parent = clone
        if token.void is not None:
            parent.children.append(token.void.copy())
        elif parent.children and isinstance(parent.children[-1], str):
            parent.children[-1] += token.text
        else:
            parent.children.append(token.text)
    return root.children


def _amount(nodes: list) -> Decimal | None:
    """Return the amount of inline content that is one amount only (`<data value="…">` as the templates write it)."""
    elements = [n for n in nodes if not (isinstance(n, str) and not n.strip())]
    if len(elements) != 1 or not isinstance(elements[0], Element) or elements[0].tag != "data":
        return None
    try:
        return Decimal(elements[0].get("value") or "")
    except InvalidOperation:
        return None


# One figure and nothing else: an amount, a number or a percentage, signed or not (`− € 1.355.276,53`, `17,8%`).
_FIGURE = re.compile(r"^[−+-]?\s*(€\s*)?[−+-]?\s*\d[\d.,]*\s*%?$")


def _figure(text: str) -> bool:
    return bool(_FIGURE.match(_norm(text)))


def diff_inline(old_nodes: list, new_nodes: list) -> list:
    """Return new inline content with deleted words in <del> and inserted words in <ins>.

    A changed figure is shown whole, old → new, never digit by digit: an amount with its delta, a number or a
    percentage as it is; so a narrow table cell holds it on two lines instead of running into its neighbour.
    """
    old_amount, new_amount = _amount(old_nodes), _amount(new_nodes)
    if old_amount is not None and new_amount is not None and old_amount != new_amount:
        return [Element("span", {"class": "stodocs-amount"}, [
            Element("del", {}, [_norm(_text(old_nodes))]), " → ", Element("ins", {}, [_norm(_text(new_nodes))]), " ",
            Element("span", {"class": "stodocs-delta"}, [f"({euro_delta(new_amount - old_amount)})"])])]
    old_text, new_text = _text(old_nodes), _text(new_nodes)
    if _figure(old_text) and _figure(new_text) and _norm(old_text) != _norm(new_text):
        return [Element("span", {"class": "stodocs-amount"}, [
            Element("del", {}, [_norm(old_text)]), " → ", Element("ins", {}, [_norm(new_text)])])]
    old, new = _tokens(old_nodes), _tokens(new_nodes)
    marked: list[tuple[_Token, str | None]] = []
    for tag, i1, i2, j1, j2 in _ops(old, new):
        if tag == "equal":
            marked += [(t, None) for t in new[j1:j2] if not t.note]
            continue
        gone, came = old[i1:i2], new[j1:j2]
        marked += [(t, "del") for t in gone]
        if gone and came and _figure("".join(t.text for t in gone)) and _figure("".join(t.text for t in came)):
            marked.append((_Token(" → ", ()), None))  # old and new amounts never touch
        marked += [(t, "ins") for t in came]
    return _build(marked)


# --- the tree -----------------------------------------------------------------------------------

def diff_pair(old, new, moved: bool = False) -> list:
    """Return the nodes showing `old` becoming `new` (a pair of blocks or runs)."""
    if isinstance(old, _Run):
        return diff_inline(old.nodes, new.nodes)
    same = _same(old, new)
    if same and not moved:
        return [new]
    if new.tag in UNTOUCHED:
        return [new]
    out = new.shallow()
    if same:
        out.children = list(new.children)
    elif new.tag == "figure":
        out = changed_figure(old, new)
    elif is_leaf(new) or is_leaf(old):
        out.children = diff_inline(old.children, new.children)
        out.add_class(CHANGED)
    else:
        out.children = diff_children(old.children, new.children)
        if out.tag == "tr":  # the change bar belongs to the row, not to a cell in the middle
            out.add_class(ROW_CHANGED)
    if moved:
        out.add_class(MOVED)
    return [out]


def changed_figure(old: Element, new: Element) -> Element:
    """Return the new figure whole, marked as changed, with the old picture smaller below it under "Was:"."""
    kind = "Grafiek" if any(e.tag == "svg" for e in new.iter()) else "Afbeelding"
    note = Element("p", {"class": PICTURE_NOTE}, [f"{kind} gewijzigd"])
    pictures = [c.copy() for c in old.children if isinstance(c, Element) and c.tag != "figcaption"]
    was = Element("div", {"class": PICTURE_WAS}, [Element("p", {"class": PICTURE_WAS_LABEL}, ["Was:"]), *pictures])
    prefix_ids(was, "oud-")
    old_caption = old.find("figcaption")
    out = new.shallow()
    out.children = [note]
    for child in new.children:
        if isinstance(child, Element) and child.tag == "figcaption" and old_caption is not None:
            out.children += diff_pair(old_caption, child)
        else:
            out.children.append(child)
    out.children.append(was)
    out.add_class(CHANGED)
    return out


def _same(old: Element, new: Element) -> bool:
    """Return whether two blocks read the same; a heading's number alone (number_headings) is no change."""
    if old.tag != new.tag:
        return False
    if serialize(old) == serialize(new):
        return True
    return old.tag in HEADINGS and serialize(_unnumbered(old)) == serialize(_unnumbered(new))


def _unnumbered(heading: Element) -> Element:
    copy = heading.copy()
    for name in (NUMBER, "style"):
        copy.attrs.pop(name, None)
    return copy


# --- section numbers ---------------------------------------------------------------------------

NUMBER = "data-nummer"  # a heading's number in its own document, written in by number_headings


def number_headings(main: Element, articles: bool = False) -> Element:
    """Write each chapter's and section's number into its heading, counted as the document's print CSS counts
    them (print.css: main h2 is a chapter, h3 a section; in the reglement a bijlage has no number).

    The number is set with `counter-set` on the heading itself, so a redline that leaves out or adds headings
    still shows each the number it has in its own version, and a table of contents (target-counter) agrees.
    Returns `main`.
    """
    chapter = section = 0

    def walk(element: Element, in_bijlage: bool) -> None:
        nonlocal chapter, section
        for child in element.children:
            if not isinstance(child, Element):
                continue
            if child.tag == "h2" and not (articles and (in_bijlage or child.has_class("bijlage"))):
                chapter, section = chapter + 1, 0
                child.attrs[NUMBER] = str(chapter)
                child.attrs["style"] = f"counter-set: chapter {chapter}; counter-increment: none"
            elif child.tag == "h3":
                section += 1
                child.attrs[NUMBER] = f"{chapter}.{section}"
                child.attrs["style"] = f"counter-set: section {section}; counter-increment: none"
            else:
                walk(child, in_bijlage or child.has_class("bijlage"))

    walk(main, False)
    return main


def diff_children(old_children: list, new_children: list) -> list:
    """Return the merged children of a container: pairs diffed, the rest marked deleted or inserted."""
    triples = align(_items(old_children), _items(new_children))
    # A block deleted here and inserted there with the same text was moved.
    deleted = {_norm(o.text()): o for o, n, _ in triples
               if n is None and isinstance(o, Element) and len(_norm(o.text())) >= MOVE_MIN_CHARS}
    inserted = {_norm(n.text()) for o, n, _ in triples
                if o is None and isinstance(n, Element) and len(_norm(n.text())) >= MOVE_MIN_CHARS}
    moves = set(deleted) & inserted
    out: list = []
    for old, new, moved in triples:
        if old is not None and new is not None:
            if isinstance(old, Element) and isinstance(new, Element) and old.tag != new.tag:
                out += mark_block(old, "del", DELETED) + mark_block(new, "ins", INSERTED)
            else:
                out += diff_pair(old, new, moved)
        elif old is not None:
            if isinstance(old, Element) and _norm(old.text()) in moves:
                copy = prefix_ids(old.copy(), "oud-")
                copy.add_class(MOVED_FROM)
                out.append(copy)
            else:
                out += mark_block(old, "del", DELETED)
        else:
            if isinstance(new, Element) and _norm(new.text()) in moves:
                copy = new.copy()
                copy.add_class(MOVED)
                out.append(copy)
            else:
                out += mark_block(new, "ins", INSERTED)
    return out


def redline(old: Element, new: Element) -> Element:
    """Return `new` with every difference from `old` marked; both are whole elements (e.g. <body>)."""
    return diff_pair(old, new)[0]


# --- collapsing unchanged parts -----------------------------------------------------------------

CONTEXT_BLOCKS = 1  # unchanged blocks kept before and after each change in the compact redline


def _level(node) -> int:
    return int(node.tag[1]) if isinstance(node, Element) and node.tag in HEADINGS else 0


def collapse_unchanged(element: Element) -> Element:
    """Keep the changed blocks, their heading path and one block of context; fold the rest into one line per stretch.

    A folded stretch reads `… 3 ongewijzigde alinea's …` (rows of a table: `… 3 ongewijzigde rijen …`).
    """
    placeholder = {"ul": "li", "ol": "li", "tbody": "tr", "thead": "tr", "table": None, "tr": None,
                   "dl": None, "head": None, "html": None}
    if element.tag in placeholder and placeholder[element.tag] is None:
        for child in element.children:
            if isinstance(child, Element) and has_change(child):
                collapse_unchanged(child)
        return element
    children = element.children
    blocks = [i for i, child in enumerate(children) if is_block(child)]
    changed = {i for i in blocks if has_change(children[i])}
    keep = set(changed)
    for n, i in enumerate(blocks):
        if i in changed:  # one plain block of context on each side (never a whole table or section)
            for j in blocks[max(0, n - CONTEXT_BLOCKS):n] + blocks[n + 1:n + 1 + CONTEXT_BLOCKS]:
                if is_leaf(children[j]) and _level(children[j]) == 0:
                    keep.add(j)
        elif _level(children[i]):  # a heading stays when a change follows before the next heading as high
            for j in blocks[n + 1:]:
                if _level(children[j]) and _level(children[j]) <= _level(children[i]):
                    break
                if j in changed:
                    keep.add(i)
                    break
    out, skipped = [], 0

    def flush():
        nonlocal skipped
        if skipped:
            tag = placeholder.get(element.tag, "p")
            note = f"… {counted(skipped, 'rij' if tag == 'tr' else 'alinea', adjective='ongewijzigde')} …"
            if tag == "tr":
                out.append(Element("tr", {"class": "stodocs-collapsed"}, [Element("td", {"colspan": "99"}, [note])]))
            else:
                out.append(Element(tag, {"class": "stodocs-collapsed"}, [note]))
        skipped = 0

    for i, child in enumerate(children):
        if not is_block(child):
            if not skipped:
                out.append(child)
        elif i in keep:
            flush()
            out.append(collapse_unchanged(child) if i in changed and not is_leaf(child) else child)
        else:
            skipped += 1
    flush()
    element.children = out
    return element


def drop_dead_links(root: Element) -> None:
    """Turn links to ids that are not in the redline (e.g. a collapsed part) into plain text."""
    ids = {e.get("id") for e in root.iter() if e.get("id")}
    for element in root.iter():
        href = element.get("href")
        if element.tag == "a" and href and href.startswith("#") and href[1:] not in ids:
            element.tag = "span"
            del element.attrs["href"]
