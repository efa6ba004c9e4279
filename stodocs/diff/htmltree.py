"""A small HTML tree: parse the renderer's own (well-formed) HTML, change it, write it back.

Text nodes are plain `str`; elements are `Element`. Only what the redline needs.
"""
from __future__ import annotations

import html
from dataclasses import dataclass, field
from html.parser import HTMLParser

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
RAW_TEXT = {"style", "script"}


@dataclass(eq=False)
class Element:
    tag: str
    attrs: dict[str, str | None] = field(default_factory=dict)
    children: list = field(default_factory=list)

    def get(self, name: str, default: str | None = None) -> str | None:
        return self.attrs.get(name, default)

    def add_class(self, *names: str) -> None:
        present = (self.attrs.get("class") or "").split()
        self.attrs["class"] = " ".join(present + [n for n in names if n not in present])

    def has_class(self, name: str) -> bool:
        return name in (self.attrs.get("class") or "").split()

    def shallow(self) -> "Element":
        """Return a copy without children."""
        return Element(self.tag, dict(self.attrs))

    def copy(self) -> "Element":
        """Return a deep copy."""
        return Element(self.tag, dict(self.attrs),
                       [c.copy() if isinstance(c, Element) else c for c in self.children])

    def iter(self):
        """Yield this element and every element below it, in document order."""
        yield self
        for child in self.children:
            if isinstance(child, Element):
                yield from child.iter()

    def find(self, tag: str) -> "Element | None":
        return next((e for e in self.iter() if e.tag == tag), None)

    def text(self) -> str:
        """Return all text below this element."""
        return "".join(c if isinstance(c, str) else c.text() for c in self.children)


class _Builder(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.root = Element("#document")
        self.stack = [self.root]
        self.doctype: str | None = None

    def handle_decl(self, decl):
        self.doctype = decl

    def handle_starttag(self, tag, attrs):
        element = Element(tag, dict(attrs))
        self.stack[-1].children.append(element)
        if tag not in VOID:
            self.stack.append(element)

    def handle_startendtag(self, tag, attrs):
        self.stack[-1].children.append(Element(tag, dict(attrs)))

    def handle_endtag(self, tag):
        for depth in range(len(self.stack) - 1, 0, -1):
            if self.stack[depth].tag == tag:
                del self.stack[depth:]
                return

    def handle_data(self, data):
        children = self.stack[-1].children
        if children and isinstance(children[-1], str):
            children[-1] += data
        else:
            children.append(data)


def parse(markup: str) -> tuple[Element, str | None]:
    """Return the document root (tag '#document') and the doctype declaration, if any."""
    builder = _Builder()
    builder.feed(markup)
    builder.close()
    return builder.root, builder.doctype


def serialize(node, raw: bool = False) -> str:
    """Return the HTML of a node (an Element, the '#document' root or a text)."""
    if isinstance(node, str):
        return node if raw else html.escape(node, quote=False)
    inner = "".join(serialize(c, raw=node.tag in RAW_TEXT) for c in node.children)
    if node.tag == "#document":
        return inner
    attrs = "".join(f" {k}" if v is None else f' {k}="{html.escape(v, quote=True)}"'
                    for k, v in node.attrs.items())
    if node.tag in VOID:
        return f"<{node.tag}{attrs}>"
    return f"<{node.tag}{attrs}>{inner}</{node.tag}>"


def to_html(root: Element, doctype: str | None) -> str:
    """Return a whole document."""
    return (f"<!{doctype}>\n" if doctype else "") + serialize(root)
