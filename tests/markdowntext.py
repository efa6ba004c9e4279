"""Markdown as a git host shows it: rendered with markdown-it (HTML on, GFM tables), as text or as HTML."""
from __future__ import annotations

import html
import re

from markdown_it import MarkdownIt

from stodocs.formatting import WORD_JOINER

_RENDERER = MarkdownIt("commonmark", {"html": True}).enable(["table", "strikethrough"])


def rendered(markdown: str) -> str:
    """Return the HTML GitHub or GitLab would make of the Markdown (before their own link and mention passes)."""
    return _RENDERER.render(markdown)


def shown(markdown: str) -> str:
    """Return the text a reader sees: the rendered HTML without tags and comments, entities resolved, on one line."""
    text = re.sub(r"<!--.*?(-->|$)|<[^>]*>", " ", rendered(markdown), flags=re.S)
    return " ".join(html.unescape(text).replace(WORD_JOINER, "").split())
