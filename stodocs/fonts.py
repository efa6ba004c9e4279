"""The bundled fonts: the only ones a PDF is drawn with, and which characters they can draw.

WeasyPrint draws every character with the first font that has it. stodocs points fontconfig at
templates/fonts/fonts.conf (see pdf.py), which lists only the fonts in templates/fonts/: Lato for the text and
DejaVu Sans for what Lato lacks (✓, arrows, a wide Latin, Greek and Cyrillic range). A character none of them has
would come out as an empty box, so `validate` reports it at its file and line (check_characters).
"""
from __future__ import annotations

import unicodedata
from functools import cache

from .load import Loaded, RegionFiles, dotted
from .problems import Problem
from .resources import data_folder
from .wording import label

FONT_DIR = data_folder("templates") / "fonts"
FONTCONFIG_FILE = FONT_DIR / "fonts.conf"
_INVISIBLE = {"Cc", "Cf", "Zl", "Zp"}  # control and format characters (soft hyphen, zero-width joiner, ...)


@cache
def drawable() -> frozenset[int]:
    """Return every code point that one of the bundled fonts has a glyph for."""
    from fontTools.ttLib import TTFont  # installed with WeasyPrint
    points: set[int] = set()
    for path in sorted(FONT_DIR.glob("*.ttf")):
        with TTFont(path, lazy=True) as font:
            points.update(font.getBestCmap() or {})
    return frozenset(points)


def undrawable(text: str) -> list[str]:
    """Return the characters of `text`, each once and in order, that no bundled font can draw."""
    if text.isascii():  # Lato draws every printable ASCII character; the rest of ASCII is control characters
        return []
    known = drawable()
    missing = {char for char in set(text) if ord(char) not in known and unicodedata.category(char) not in _INVISIBLE}
    return [char for char in dict.fromkeys(text) if char in missing] if missing else []


def describe(char: str) -> str:
    """Return e.g. "'☃' (U+2603 SNOWMAN)"."""
    name = unicodedata.name(char, "")
    return f"'{char}' (U+{ord(char):04X}{' ' + name if name else ''})"


def _strings(value, path: tuple):
    if isinstance(value, str):
        yield path, value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _strings(item, path + (key,))
    elif isinstance(value, list):
        for i, item in enumerate(value):
            yield from _strings(item, path + (i,))


def character_findings(loaded: Loaded) -> list[tuple[int, str, str, list[str]]]:
    """Return (line, field, label, characters) for every text in a file with characters no bundled font draws."""
    found = []
    for path, text in _strings(loaded.data, ()):
        chars = undrawable(text)
        if chars:
            found.append((loaded.line(path), dotted(path), label(loaded.path, loaded.data, path), chars))
    if loaded.body:
        for offset, line in enumerate(loaded.body.split("\n")):
            chars = undrawable(line)
            if chars:
                found.append((loaded.body_line + offset, "", "", chars))
    return found


def check_characters(files: RegionFiles):
    """Return a Problem at every text holding a character that the bundled fonts cannot draw."""
    problems = []
    for _, loaded in sorted(files.files.items()):
        for line, field, named, chars in character_findings(loaded):
            shown = ", ".join(describe(c) for c in chars)
            problems.append(Problem(loaded.path, line, field, label=named, message=
                                    f"{'dit teken kan' if len(chars) == 1 else 'deze tekens kunnen'} niet in de PDF "
                                    f"getekend worden: {shown}; de lettertypen van stodocs hebben er geen vorm voor. "
                                    "Vervang het door gewone tekst of een teken dat wel bestaat"))
    return problems
