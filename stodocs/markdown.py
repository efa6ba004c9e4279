"""Markdown as stodocs reads it: CommonMark plus tables, raw HTML shown as text, stable heading ids.

The renderer and the image check share this module, so both see the same Markdown.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from pathlib import PurePosixPath
from urllib.parse import unquote, urlsplit

from markdown_it import MarkdownIt
from markdown_it.rules_core import StateCore

from .images import image_findings
from .model import Region
from .problems import Problem


def slug(text: str) -> str:
    """Return `text` as an id part: ascii, lowercase, words joined by '-'."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-") or "kop"


def _heading_ids(state: StateCore) -> None:
    """Give every heading an id `h-<slug>`, unique within one render (state.env holds the ids used)."""
    used = state.env.setdefault("heading_ids", set())
    tokens = state.tokens
    for i, token in enumerate(tokens):
        if token.type != "heading_open":
            continue
        base = "h-" + slug(tokens[i + 1].content)
        candidate, n = base, 2
        while candidate in used:
            candidate, n = f"{base}-{n}", n + 1
        used.add(candidate)
        token.attrSet("id", candidate)


def parser() -> MarkdownIt:
    """Return the Markdown parser for rendering: raw HTML off, tables on, headings with ids."""
    md = MarkdownIt("commonmark", {"html": False}).enable("table")
    md.core.ruler.push("heading_ids", _heading_ids)
    return md


def _any_link(url: str) -> bool:
    return True


@dataclass(frozen=True)
class ImageRef:
    src: str
    line: int  # 0-based line in the Markdown text


def image_refs(text: str) -> list[ImageRef]:
    """Return every image reference in `text`, including those the renderer would drop."""
    md = MarkdownIt("commonmark", {"html": False}).enable("table")
    md.validateLink = _any_link  # see every image, also file: and javascript: ones
    found = []
    for block in md.parse(text):
        for child in block.children or ():
            if child.type == "image":
                found.append(ImageRef(str(child.attrGet("src") or ""), block.map[0] if block.map else 0))
    return found


def image_problem(src: str, assets) -> str | None:
    """Return why image `src` may not be used, or None when it names one of the region's own images."""
    parts = urlsplit(src)
    if parts.scheme or parts.netloc or src.startswith("//"):
        return (f"afbeelding '{src}' verwijst naar een adres buiten de regiomap; zet de afbeelding in de regiomap "
                "en verwijs ernaar met alleen de bestandsnaam, bijvoorbeeld ![Logo](logo.png)")
    path = unquote(parts.path)
    if path.startswith("/") or "\\" in path or ".." in PurePosixPath(path).parts:
        return (f"afbeelding '{src}' verwijst naar een bestand buiten de regiomap; gebruik een pad binnen de "
                "regiomap zonder '..' en zonder '/' vooraan")
    if path not in assets:
        known = ", ".join(sorted(assets)) or "geen"
        return f"afbeelding '{src}' bestaat niet in de regiomap (afbeeldingen in de regiomap: {known})"
    return None


def check_images(region: Region) -> list[Problem]:
    """Every image in the region's Markdown names a png/jpg/svg/gif in the region folder that WeasyPrint can use.

    A problem stands at the line that shows the image, so the writer sees where it is used.
    """
    references = [(document.path, document.body_line + ref.line, "", ref)
                  for document in region.documents.values() for ref in image_refs(document.body)]
    fields = [(p.place, p.omschrijving) for p in region.programmalijnen]
    fields += [(d.place, d.omschrijving) for d in region.doelstellingen]
    fields += [(a.place, a.omschrijving) for a in region.activiteiten]
    references += [(place.path, place.line, "omschrijving", ref) for place, text in fields for ref in image_refs(text)]
    problems, findings = [], {}
    for path, line, field, ref in references:
        why = image_problem(ref.src, region.assets)
        if why:
            problems.append(Problem(path, line, field, why))
            continue
        name = unquote(urlsplit(ref.src).path)
        if name not in findings:
            findings[name] = image_findings(name, region.assets[name])
        problems += [Problem(path, line, field, f"afbeelding {f.message}", f.severity) for f in findings[name]]
    return problems
