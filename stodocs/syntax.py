"""YAML that cannot be read, said in Dutch: what is wrong, where to look (line and character) and the likely cause.

The parser's own (English) words never reach the user: its error tells us only the kind of mistake and
where the parser stopped. Where the user must look is often earlier (the key without a space after its
colon, the quote that is not closed, the line that is indented differently), so we look back over the
lines the parser read in the same block and point at the cause.

Also the checks that make PyYAML as strict as YAML 1.2 where that protects the user: a '#' right after a
closing quote or bracket is no comment, and a quoted text or a [ ] list that runs over lines that are not
indented further than its key has most likely lost its closing quote or bracket.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

import yaml

# A key with no space after its colon: `soort:techniekregio` (not a time 10:30 or a web address, which
# have no key shape before the colon).
_NO_SPACE = re.compile(r"^(?P<lead>\s*(?:-\s+)?)(?P<key>[A-Za-z_][A-Za-z0-9_-]*):(?P<rest>[^\s:/].*)$")
_KEY = re.compile(r"^(?P<lead>\s*(?:-\s+)*)(?P<key>[^\s#:'\"][^:#]*?|\"[^\"]*\"|'[^']*'):(?:\s|$)")
_OPENING_QUOTE = re.compile(r"^\s*(?:-\s+)*(?:[^\s#'\"][^:#]*:\s+)?(?P<quote>[\"'])")
LOOK_BACK = 30  # lines above the parser's stop that may hold the cause, when the parser names no block start


@dataclass(frozen=True)
class Finding:
    """A syntax problem: 0-based line and column in the text, and the Dutch message (which names the column)."""

    line: int
    column: int
    message: str


def _at(column: int) -> str:
    return f"bij teken {column + 1}"


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


def _key_column(line: str) -> int:
    """Return where the key (or the text) of a line starts, after any '- ' list markers."""
    found = re.match(r"^\s*(?:-\s+)*", line)
    return found.end() if found else 0


def _shown(text: str, limit: int = 40) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _quoted(value: str) -> str:
    """Return `value` in the quotes that need no escaping for it."""
    return f'"{value}"' if '"' not in value else f"'{value}'" if "'" not in value else f'"{value.replace(chr(34), chr(39))}"'


def _unclosed_quote(line: str) -> int | None:
    """Return the column of a quote that opens a value on `line` and is not closed on it, if any."""
    found = _OPENING_QUOTE.match(line)
    if not found:
        return None
    quote, start = found.group("quote"), found.start("quote")
    rest = line[start + 1:]
    if quote == "'":
        rest = rest.replace("''", "")
    else:
        rest = re.sub(r"\\.", "", rest)
    return None if quote in rest else start


def missing_space(lines: list[str], first: int, last: int) -> Finding | None:
    for n in range(max(first, 0), min(last, len(lines) - 1) + 1):
        found = _NO_SPACE.match(lines[n])
        if found:
            key, rest = found.group("key"), found.group("rest").rstrip()
            return Finding(n, found.end("key"), f"na '{key}:' ontbreekt een spatie ({_at(found.end('key'))}); "
                                                f"YAML leest '{_shown(key + ':' + rest)}' anders als één tekst. "
                                                f"Schrijf '{key}: {_shown(rest)}'")
    return None


_NO_DASH_SPACE = re.compile(r"^(?P<lead>\s*)-(?=[^\s-])")


def _dash_without_space(lines: list[str], first: int, last: int) -> Finding | None:
    for n in range(max(first, 0), min(last, len(lines) - 1) + 1):
        found = _NO_DASH_SPACE.match(lines[n])
        if found and ":" in lines[n]:  # `-id: x`, not a negative number or a text that starts with a dash
            column = found.end("lead")
            return Finding(n, column, f"na het streepje van een lijstitem ontbreekt een spatie ({_at(column)}); "
                                      f"schrijf '- {_shown(lines[n][column + 1:].strip())}'")
    return None


def _unclosed_bracket(lines: list[str], line: int) -> Finding | None:
    """Return the [ or { above `line` (or at the end of the text) that its own line does not close."""
    for n in range(min(line, len(lines) - 1), max(-1, line - LOOK_BACK - 1), -1):
        text = re.sub(r"\"(?:[^\"\\]|\\.)*\"|'[^']*'|\s#.*$", "", lines[n])  # quoted text and comments do not count
        depth, column = 0, None
        for i, char in enumerate(text):
            if char in "[{":
                depth, column = depth + 1, (i if depth == 0 else column)
            elif char in "]}":
                depth = max(0, depth - 1)
        if depth > 0 and (n < line or line >= len(lines) - 1):
            column = lines[n].find(text[column]) if column is not None else 0
            bracket = lines[n][column]
            return Finding(n, column, f"het haakje {bracket} {_at(column)} wordt op deze regel niet gesloten; sluit "
                                      f"de lijst af met {']' if bracket == '[' else '}'} (of zet tekst die met "
                                      f"{bracket} begint tussen aanhalingstekens)")
    return None


def _quote_not_closed(lines: list[str], first: int, last: int) -> Finding | None:
    for n in range(max(first, 0), min(last, len(lines) - 1) + 1):
        column = _unclosed_quote(lines[n])
        if column is not None:
            return _unclosed_message(n, column, lines[n][column])
    return None


def _unclosed_message(line: int, column: int, quote: str) -> Finding:
    return Finding(line, column, f"het aanhalingsteken {quote} {_at(column)} wordt op deze regel niet gesloten; "
                                 f"zet hetzelfde aanhalingsteken aan het eind van de tekst (of haal het weg)")


def _indentation(lines: list[str], line: int, block_line: int | None, block_column: int) -> Finding:
    """The line does not fit the block above it: say how far it is indented, and how far the block is."""
    text = lines[line]
    here = _key_column(text)
    spaces = lambda n: f"{n} spatie" if n == 1 else f"{n} spaties"  # noqa: E731
    since = f" (vanaf regel {block_line + 1})" if block_line is not None and block_line < line else ""
    if here != block_column:
        further = "verder" if here > block_column else "minder ver"
        return Finding(line, here, f"de inspringing klopt niet: deze regel begint na {spaces(here)}, {further} dan "
                                   f"de regels van hetzelfde blok erboven{since}, die na {spaces(block_column)} "
                                   "beginnen. Lijn sleutels die bij elkaar horen precies onder elkaar uit, met "
                                   "spaties")
    return Finding(line, here, "deze regel past niet bij de regels erboven" + since + ": op één hoogte staan óf "
                               "allemaal sleutels ('sleutel: waarde') óf allemaal lijstitems ('- '). Zet een lijst "
                               "onder een eigen sleutel, verder ingesprongen")


def _extra_text(lines: list[str], line: int, column: int) -> Finding:
    text = lines[line]
    before = text[:column].rstrip()
    value = _KEY.match(text)
    start = value.end() if value else _key_column(text)
    shown = text[start:].strip()
    if before.endswith(('"', "'")):
        return Finding(line, column, f"na het sluitende aanhalingsteken staat nog tekst ({_at(column)}); haal die "
                                     "weg, of zet de hele waarde tussen aanhalingstekens (een aanhalingsteken in de "
                                     "tekst zelf: gebruik dan de andere soort eromheen)")
    if shown[:1] in "[{":
        return Finding(line, start, f"een waarde die met {shown[0]} begint, leest YAML als lijst of map ({_at(start)}); "
                                    f"zet de hele waarde tussen aanhalingstekens: {_shown(_quoted(shown))}")
    return Finding(line, column, f"op deze regel staat {_at(column)} nog iets na de waarde dat er niet hoort; zet "
                                 "een waarde met bijzondere tekens tussen aanhalingstekens, en begin een nieuwe "
                                 "sleutel op een eigen regel")


def _clamp(lines: list[str], finding: Finding) -> Finding:
    """Keep the place inside the text: the parser may stop after the last line, at the end of the stream."""
    last = len(lines) - 1
    while last > 0 and not lines[last].strip():
        last -= 1
    line = min(max(finding.line, 0), last)
    column = min(max(finding.column, 0), len(lines[line]))
    if (line, column) == (finding.line, finding.column):
        return finding
    message = re.sub(r"bij teken \d+", _at(column), finding.message, count=1)
    return Finding(line, column, message)


def explain(text: str, exc: yaml.MarkedYAMLError) -> Finding:
    """Return the Dutch finding for a syntax error of PyYAML's pure-Python parser on `text`."""
    return _clamp(text.split("\n"), _explain(text.split("\n"), exc))


def _explain(lines: list[str], exc: yaml.MarkedYAMLError) -> Finding:
    context, problem = exc.context or "", exc.problem or ""
    where = exc.problem_mark or exc.context_mark
    line, column = (where.line, where.column) if where else (0, 0)
    start = exc.context_mark
    window = (start.line if start is not None else max(0, line - LOOK_BACK), line)

    if "quoted scalar" in context:
        if "escape" in problem:
            if column and lines[line][column - 1:column] == "\\":  # the parser stops after the backslash
                column -= 1
            return Finding(line, column, f"een \\ tussen dubbele aanhalingstekens begint een speciaal teken ({_at(column)}); "
                                         "zet de tekst tussen enkele aanhalingstekens ('C:\\map') of schrijf \\\\")
        return _unclosed_message(start.line, start.column, lines[start.line][start.column:start.column + 1] or '"') \
            if start is not None else _unclosed_message(line, column, '"')
    if "block scalar" in context:
        return Finding(line, column, f"na '|' of '>' mag op dezelfde regel alleen commentaar staan ({_at(column)}); "
                                     "zet de tekst op de regels eronder, verder ingesprongen dan de sleutel")
    if "alias" in context or "anchor" in context or "undefined alias" in problem:
        return Finding(line, column, f"een waarde die met * of & begint, leest YAML als verwijzing ({_at(column)}); "
                                     "zet de hele waarde tussen aanhalingstekens, bijvoorbeeld \"*nieuw*\"")
    if "tag" in context or "tag" in problem:
        return Finding(line, column, f"een waarde die met ! begint, leest YAML als type-aanduiding ({_at(column)}); "
                                     "zet de hele waarde tussen aanhalingstekens, bijvoorbeeld \"!belangrijk\"")
    if "directive" in context:
        return Finding(line, column, f"een regel die met % begint, leest YAML als aanwijzing voor de lezer "
                                     f"({_at(column)}); zet de waarde tussen aanhalingstekens, bijvoorbeeld \"%\"")
    if "single document" in context or "single document" in problem:
        return Finding(line, column, "het bestand bevat meer dan één YAML-document (een regel '---' of '...' halverwege); "
                                     "houd één document per bestand en haal de regel weg")
    if "unhashable" in problem:
        return Finding(line, column, f"een sleutel moet een woord zijn, geen lijst of map ({_at(column)})")
    if "flow" in context or "',' or" in problem:
        opened = _unclosed_bracket(lines, line)
        if opened is not None:
            return opened
        return Finding(line, column, f"de lijst tussen haakjes klopt niet ({_at(column)}): scheid de waarden met een "
                                     "komma en sluit af met hetzelfde soort haakje; zet een waarde met een dubbele "
                                     "punt, komma of haakje erin tussen aanhalingstekens")
    if "cannot start any token" in problem:
        sign = lines[line][column:column + 1] if line < len(lines) else ""
        return Finding(line, column, f"een waarde kan niet met {sign or 'dit teken'} beginnen ({_at(column)}); zet de "
                                     "hele waarde tussen aanhalingstekens")

    # Structure: the cause is often above the place where the parser stopped.
    cause = missing_space(lines, *window) or _dash_without_space(lines, *window) or _quote_not_closed(lines, *window)
    if cause is not None:
        return cause
    if "mapping values are not allowed" in problem or "found unexpected ':'" in problem:
        text = lines[line] if line < len(lines) else ""
        key = _KEY.match(text)
        if key and key.end() - 1 <= column and column > key.end("key"):
            value = text[key.end():].strip()
            return Finding(line, column, f"de waarde bevat een dubbele punt met een spatie erna ({_at(column)}); zet "
                                         f"de hele waarde tussen aanhalingstekens: {_shown(key.group('key').strip())}: "
                                         f"{_shown(_quoted(value), 60)}")
        above = _previous(lines, line)
        block = _key_column(lines[above]) if above is not None else 0
        return _indentation(lines, line, above, block)
    if "could not find expected ':'" in problem and start is not None:
        return Finding(start.line, _key_column(lines[start.line]),
                       "op deze regel ontbreekt de dubbele punt van 'sleutel: waarde'. Hoort de tekst bij de regel "
                       "erboven? Spring hem dan verder in dan de sleutel daar, of gebruik 'sleutel: |' voor tekst "
                       "over meer regels")
    if "expected <block end>" in problem or "document start" in problem:
        if line < len(lines) and column > _key_column(lines[line]):
            return _extra_text(lines, line, column)
        block_line = start.line if start is not None else _first_content(lines)
        return _indentation(lines, line, block_line, start.column if start is not None else _key_column(lines[block_line]))
    return Finding(line, column, f"deze regel kan niet gelezen worden ({_at(column)}); controleer de dubbele punt "
                                 "na elke sleutel (met een spatie erna), de aanhalingstekens en de inspringing (zie "
                                 "docs/inhoud.md, 'Zo schrijft u waarden')")


def _previous(lines: list[str], line: int) -> int | None:
    """Return the nearest line above `line` with content (not blank, not only a comment)."""
    for n in range(min(line, len(lines)) - 1, -1, -1):
        stripped = lines[n].strip()
        if stripped and not stripped.startswith("#"):
            return n
    return None


def _first_content(lines: list[str]) -> int:
    for n, text in enumerate(lines):
        stripped = text.strip()
        if stripped and not stripped.startswith("#") and stripped != "---":
            return n
    return 0


def control_character(text: str, exc: yaml.reader.ReaderError) -> Finding:
    """Return the finding for a character YAML does not allow in a file (a control character)."""
    before = text[: exc.position]
    line = before.count("\n")
    column = len(before) - (before.rfind("\n") + 1)
    code = exc.character if isinstance(exc.character, int) else ord(str(exc.character)[:1] or "\0")
    return Finding(line, column, f"het bestand bevat een onzichtbaar stuurteken (U+{code:04X}) {_at(column)}; "
                                 "verwijder het (het komt vaak mee bij kopiëren en plakken)")


# --- as strict as YAML 1.2 ----------------------------------------------------------------------------------------

def comment_without_space(lines: list[str], line: int, column: int, after: str) -> Finding | None:
    """A '#' right after a closing quote or bracket: YAML 1.2 reads no comment there, and stops."""
    if line < len(lines) and lines[line][column:column + 1] == "#":
        return Finding(line, column, f"direct na {after} staat een # zonder spatie ervoor ({_at(column)}); "
                                     "commentaar begint met een spatie en dan #. Zet er een spatie tussen")
    return None


def block_header_comment(lines: list[str], line: int, column: int) -> Finding | None:
    """`omschrijving: |# tekst`: after '|' or '>' a comment needs a space before its '#'."""
    found = re.match(r"[|>][0-9+-]{0,2}#", lines[line][column:]) if line < len(lines) else None
    if found:
        return comment_without_space(lines, line, column + found.end() - 1, f"'{lines[line][column]}'")
    return None


def runs_on(lines: list[str], start_line: int, start_column: int, end_line: int, owner: int,
            quoted: bool) -> Finding | None:
    """A quoted text or [ ] list over several lines whose next lines are not indented further than its key.

    YAML 1.2 refuses it; PyYAML reads on to the next quote or bracket, and so swallows the keys in between.
    """
    for n in range(start_line + 1, min(end_line, len(lines) - 1) + 1):
        text = lines[n]
        if text.strip() and _indent(text) <= owner:
            what = "tekst tussen aanhalingstekens" if quoted else "lijst tussen haakjes"
            closing = "het sluitende aanhalingsteken" if quoted else "het sluitende haakje"
            return Finding(start_line, start_column,
                           f"de {what} die hier {_at(start_column)} begint, loopt door tot regel {end_line + 1}, "
                           f"maar regel {n + 1} springt niet verder in dan de sleutel. Is {closing} vergeten? Zet "
                           f"het aan het eind op deze regel, of spring de volgende regels verder in")
    return None
