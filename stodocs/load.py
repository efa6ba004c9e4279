"""Read YAML and Markdown into plain data plus a map from each field to its line.

Parse failures and YAML traps become Problems; nothing here raises on bad content.
Scalars are resolved the YAML 1.2 way by us, not by PyYAML's YAML 1.1 resolver, so
`nee`, `010`, `2025-01-01` and `1.10` keep the text the user wrote unless they are
unambiguous numbers or booleans.
"""
from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import yaml
from yaml.composer import Composer
from yaml.nodes import MappingNode, ScalarNode, SequenceNode
from yaml.parser import Parser
from yaml.reader import Reader
from yaml.resolver import BaseResolver
from yaml.scanner import Scanner

from .problems import Problem
from .sources import CONTENT, SourceFile
from .syntax import block_header_comment, comment_without_space, control_character, explain, missing_space, runs_on
from .wording import label

FieldPath = tuple  # ('activiteiten', 3, 'naam')

REQUIRED_FILES = (
    "regio.yaml", "regioplan.md", "programmalijnen.yaml", "partners.yaml", "personen.yaml",
    "huishoudelijk-reglement.md", "wijzigingsprocedure.yaml",
    "activiteitenplan.md", "activiteiten.yaml", "meerjarenbegroting.md", "begroting.yaml",
)
# The projectadministratie (docs/inhoud.md, "De realisatie"): optional, in a sub-folder of the region.
REALISATIE_FILES = tuple(f"realisatie/{name}" for name in (
    "personeel.yaml", "afschrijvingen.yaml", "kosten.yaml", "cofinanciering.yaml", "subsidie.yaml",
    "verantwoording.yaml"))
OPTIONAL_FILES = ("vaststellingen.yaml",) + REALISATIE_FILES
# The files of the plan itself: the only ones whose text a public output (redline, comment, JSON) may show.
PLAN_FILES = REQUIRED_FILES + ("vaststellingen.yaml",)
OWN_FOLDERS = ("rapportages/",)  # sub-folders whose files other modules load (reports.py)
ASSET_SUFFIXES = (".png", ".jpg", ".jpeg", ".svg", ".gif")
MAX_NODES = 100_000  # far above any real plan file; guards memory against generated junk
MAX_LINES = 20_000  # the example's largest file has about 470 lines

_INT = re.compile(r"^[-+]?(0|[1-9][0-9]*)$")
_DECIMAL = re.compile(r"^[-+]?([0-9]+\.[0-9]*|\.[0-9]+)$")


@dataclass
class Loaded:
    """A loaded file: its data, where each field sits, and for Markdown the body.

    `lines` maps a field path to its 1-based line in `path`; `raw` keeps the text the
    user typed for plain scalars that we turned into numbers.
    """

    path: str
    data: Any
    lines: dict = field(default_factory=dict)
    raw: dict = field(default_factory=dict)
    body: str | None = None
    body_line: int = 0

    def line(self, path: FieldPath) -> int:
        """Return the line of `path`, or of its nearest ancestor that has one."""
        path = tuple(path)
        while path:
            if path in self.lines:
                return self.lines[path]
            path = path[:-1]
        return self.lines.get((), 1)


class _Refused(Exception):
    def __init__(self, mark, message: str):
        super().__init__(message)
        self.mark = mark
        self.message = message


_ALIAS_MESSAGE = ("een waarde die met & of * begint, leest YAML als anker of verwijzing, en die gebruikt stodocs niet; "
                  "schrijf elke waarde voluit, en zet tekst die met & of * begint tussen aanhalingstekens")
_TAG_MESSAGE = ("een waarde die met ! begint, leest YAML als type-aanduiding (tag); zet tekst die met ! begint "
                "tussen aanhalingstekens, of haal het ! weg")
MAX_DEPTH = 50  # our deepest file nests five levels; deeper is junk, and would exhaust Python's recursion
_DEPTH_MESSAGE = (f"lijsten of mappen zijn hier meer dan {MAX_DEPTH} niveaus diep genest; dat is geen planbestand. "
                  "Controleer de haakjes [ ] en { } en de inspringing")


class _Refusing(Composer, BaseResolver):
    """PyYAML's composer without constructors (we build Python values ourselves), refusing traps."""

    node_count = 0
    depth = 0

    def compose_node(self, parent, index):
        event = self.peek_event()
        if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
            raise _Refused(event.start_mark, _ALIAS_MESSAGE)
        if getattr(event, "tag", None) not in (None, "!"):
            raise _Refused(event.start_mark, _TAG_MESSAGE)
        self.node_count += 1
        if self.node_count > MAX_NODES:
            raise _Refused(event.start_mark, f"het bestand heeft meer dan {MAX_NODES} waarden; dat is geen planbestand")
        if self.depth >= MAX_DEPTH:
            raise _Refused(event.start_mark, _DEPTH_MESSAGE)
        self.depth += 1
        try:
            return super().compose_node(parent, index)
        finally:
            self.depth -= 1


class _Loader(Reader, Scanner, Parser, _Refusing):
    """The pure-Python parser: slower, but its error messages are the ones we translate."""

    def __init__(self, stream: str):
        Reader.__init__(self, stream)
        Scanner.__init__(self)
        Parser.__init__(self)
        Composer.__init__(self)
        BaseResolver.__init__(self)


try:
    from yaml._yaml import CParser
except ImportError:  # PyYAML built without libyaml: the Python parser alone is correct, only slower
    CParser = None

FAST_LIMIT = 256_000  # bytes; larger files take the Python composer, which stops at MAX_NODES while composing
_PLAIN_TAGS = (BaseResolver.DEFAULT_SCALAR_TAG, BaseResolver.DEFAULT_SEQUENCE_TAG, BaseResolver.DEFAULT_MAPPING_TAG)

_DEFAULT_TAGS = {ScalarNode: BaseResolver.DEFAULT_SCALAR_TAG, SequenceNode: BaseResolver.DEFAULT_SEQUENCE_TAG,
                 MappingNode: BaseResolver.DEFAULT_MAPPING_TAG}
_FastLoader = None
if CParser is not None:
    class _FastLoader(CParser, BaseResolver):  # type: ignore[no-redef]
        """libyaml's parser and composer (C), many times faster. Aliases come out as shared
        nodes, never expanded, and the walk in parse_yaml refuses them and any tag."""

        def __init__(self, stream: str):
            CParser.__init__(self, stream)
            BaseResolver.__init__(self)

        # No implicit resolvers: every untagged node gets its kind's default tag. Said directly,
        # because libyaml calls these once per node.
        def resolve(self, kind, value, implicit):
            return _DEFAULT_TAGS[kind]

        def descend_resolver(self, current_node, current_index):
            pass

        def ascend_resolver(self):
            pass


def _compose(text: str):
    """Return the root node of `text`; on a syntax error, parse again in Python for a known message."""
    if _FastLoader is not None and len(text) <= FAST_LIMIT:
        loader = _FastLoader(text)
        try:
            return loader.get_single_node()
        except yaml.YAMLError:
            pass
        finally:
            loader.dispose()
    loader = _Loader(text)
    try:
        return loader.get_single_node()
    finally:
        loader.dispose()


def decode(source: SourceFile) -> tuple[str | None, list[Problem]]:
    """Return the file's text, or problems when it is missing, too large or not UTF-8."""
    if source.data is None:
        return None, [Problem(source.path, 0, "", source.problem or "kan niet gelezen worden")]
    raw = source.data
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        return None, [Problem(source.path, line, "",
                              "het bestand is geen UTF-8 (een teken op deze regel is in een andere codering "
                              "opgeslagen, bijvoorbeeld Windows-1252); sla het bestand op als UTF-8")]
    if "\x00" in text:
        return None, [Problem(source.path, text[: text.index("\x00")].count("\n") + 1, "",
                              "het bestand bevat een nul-teken; is het een binair bestand? Sla het op als tekst (UTF-8)")]
    return text.replace("\r\n", "\n").replace("\r", "\n"), []


MAX_DIGITS = 100  # no amount or count has more; Python refuses to convert ints of over 4,300 digits anyway


def _scalar(node: ScalarNode) -> Any:
    value = node.value
    if node.style:  # quoted or block scalar: always text
        return value
    if (_INT.match(value) or _DECIMAL.match(value)) and len(value) > MAX_DIGITS:
        raise _Refused(node.start_mark, f"dit getal is te groot (meer dan {MAX_DIGITS} cijfers); controleer de "
                                        "waarde, of zet tekst tussen aanhalingstekens")
    if value in ("", "~", "null", "Null", "NULL"):
        return None
    if value in ("true", "True", "TRUE"):
        return True
    if value in ("false", "False", "FALSE"):
        return False
    if _INT.match(value):
        return int(value)
    if _DECIMAL.match(value):
        return Decimal(value)
    return value


def _tab_message(line: str) -> str:
    if line[: len(line) - len(line.lstrip(" \t"))].count("\t"):
        return "tab gebruikt om in te springen; gebruik spaties (YAML staat geen tabs toe)"
    return "tab gevonden; vervang de tab door een spatie (tabs zijn onzichtbaar en in YAML foutgevoelig)"


def parse_yaml(path: str, text: str, first_line: int = 1) -> tuple[Loaded | None, list[Problem]]:
    """Parse YAML `text` of file `path`; `first_line` is the file line of the text's first line."""
    offset = first_line - 1
    if not text.strip():
        return None, [Problem(path, first_line, "", "het bestand is leeg; vul het in volgens docs/inhoud.md")]
    if text.count("\n") > MAX_LINES:  # refused before parsing: composing such a file takes seconds
        return None, [Problem(path, first_line, "", f"het bestand heeft meer dan {MAX_LINES:_} regels; dat is geen "
                                                    "planbestand. Controleer of dit het goede bestand is".replace("_", "."))]
    # Any tab is refused, not only in indentation: parsers disagree on tabs elsewhere, and a tab is invisible.
    tabs = [Problem(path, n + first_line, "", _tab_message(line)) for n, line in enumerate(text.split("\n")) if "\t" in line]
    if tabs:
        return None, tabs
    try:
        node = _compose(text)
    except _Refused as exc:
        return None, [Problem(path, exc.mark.line + first_line, "", exc.message)]
    except yaml.MarkedYAMLError as exc:  # said in Dutch at the place to look; the parser's English stays out
        found = explain(text, exc)
        return None, [Problem(path, found.line + first_line, "", found.message)]
    except yaml.reader.ReaderError as exc:  # a control character: a position, not a mark
        found = control_character(text, exc)
        return None, [Problem(path, found.line + first_line, "", found.message)]
    except yaml.YAMLError:
        return None, [Problem(path, first_line, "", "het bestand kan niet als YAML gelezen worden; controleer de "
                                                    "dubbele punten, aanhalingstekens en inspringing")]
    if node is None:
        return None, [Problem(path, first_line, "", "het bestand bevat alleen commentaar; vul het in volgens docs/inhoud.md")]
    if isinstance(node, ScalarNode) and not node.style:  # `naam:Henk` alone is one text, not a key and a value
        found = missing_space(text.split("\n"), node.start_mark.line, node.end_mark.line)
        if found is not None:
            return None, [Problem(path, found.line + first_line, "", found.message)]

    loaded = Loaded(path, None)
    problems: list[Problem] = []
    seen: set[int] = set()
    lines: list[str] = []  # the text's lines, split only when a node needs a closer look
    duplicates: list[tuple[FieldPath, int, int]] = []  # (field, its line, the line of its first value)

    def strict(node, owner: int) -> None:
        """Refuse what YAML 1.2 refuses and PyYAML reads on: see syntax.py."""
        if not lines:
            lines.extend(text.split("\n"))
        start, end = node.start_mark, node.end_mark
        quoted = isinstance(node, ScalarNode)
        found = comment_without_space(lines, end.line, end.column,
                                      "het sluitende aanhalingsteken" if quoted else "het sluitende haakje")
        if found is None and end.line > start.line:
            found = runs_on(lines, start.line, start.column, end.line, owner, quoted)
        if found is not None:
            raise _Refused(yaml.Mark(path, 0, found.line, found.column, None, None), found.message)

    def build(node, fpath: FieldPath, owner: int = -1, flow: bool = False) -> Any:
        if id(node) in seen:
            raise _Refused(node.start_mark, _ALIAS_MESSAGE)
        if len(fpath) > MAX_DEPTH:
            raise _Refused(node.start_mark, _DEPTH_MESSAGE)
        seen.add(id(node))
        if node.tag not in _PLAIN_TAGS:
            raise _Refused(node.start_mark, _TAG_MESSAGE)
        # A key's own line wins over the line where its (block) value starts.
        loaded.lines.setdefault(fpath, node.start_mark.line + 1 + offset)
        # Owner: the column of the key or '- ' a value belongs to; lines of a value spanning lines go further in.
        style = getattr(node, "style", None)
        if not flow and (style in ('"', "'") or getattr(node, "flow_style", None) is True):
            strict(node, owner)
        if style in ("|", ">"):
            if not lines:
                lines.extend(text.split("\n"))
            found = block_header_comment(lines, node.start_mark.line, node.start_mark.column)
            if found is not None:
                raise _Refused(yaml.Mark(path, 0, found.line, found.column, None, None), found.message)
        inner = flow or bool(getattr(node, "flow_style", False))
        if isinstance(node, MappingNode):
            out: dict = {}
            for key_node, value_node in node.value:
                key_line = key_node.start_mark.line + 1 + offset
                if not isinstance(key_node, ScalarNode):
                    problems.append(Problem(path, key_line, "", "een sleutel moet een woord zijn, geen lijst of map"))
                    continue
                key = key_node.value
                if key in out:
                    duplicates.append((fpath + (key,), key_line, loaded.lines[fpath + (key,)]))
                    continue
                loaded.lines[fpath + (key,)] = key_line
                out[key] = build(value_node, fpath + (key,), owner if inner else key_node.start_mark.column, inner)
            return out
        if isinstance(node, SequenceNode):
            column = owner if inner else node.start_mark.column
            return [build(item, fpath + (i,), column, inner) for i, item in enumerate(node.value)]
        value = _scalar(node)
        if not isinstance(value, str) and value is not None:
            loaded.raw[fpath] = node.value
        return value

    try:
        loaded.data = build(node, ())
    except _Refused as exc:
        return None, [Problem(path, exc.mark.line + first_line, "", exc.message)]
    for fpath, line, first in duplicates:  # named once the whole file is read: the label may need a later naam
        problems.append(Problem(path, line, dotted(fpath),
                                f"sleutel '{fpath[-1]}' staat hier voor de tweede keer (eerst op regel {first}); de "
                                "tweede waarde zou de eerste ongemerkt vervangen. Voeg ze samen of verwijder er één",
                                label=label(path, loaded.data, fpath)))
    loaded.lines[()] = first_line
    return loaded, problems


def parse_markdown(path: str, text: str) -> tuple[Loaded | None, list[Problem]]:
    """Split optional YAML front matter from a Markdown body and parse it."""
    lines = text.split("\n")
    if lines and lines[0].strip() == "---":
        for n in range(1, len(lines)):
            if lines[n].strip() in ("---", "..."):
                front = "\n".join(lines[1:n])
                loaded, problems = (parse_yaml(path, front, first_line=2) if front.strip()
                                    else (Loaded(path, {}, {(): 1}), []))
                if loaded is None:
                    return None, problems
                loaded.body = "\n".join(lines[n + 1:])
                loaded.body_line = n + 2
                return loaded, problems
        return None, [Problem(path, 1, "", "de front matter begint met --- maar wordt niet afgesloten; zet --- op een eigen regel na de gegevens")]
    return Loaded(path, {}, {(): 1}, body=text, body_line=1), []


def dotted(fpath: FieldPath) -> str:
    out = ""
    for part in fpath:
        out += f"[{part + 1}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


# What `build.py nieuwe-regio` writes where the region must still fill something in.
TO_FILL_IN = "NOG INVULLEN"


def to_fill_in(path: str, text: str) -> list[Problem]:
    """Return a warning for every line that still says NOG INVULLEN (in a value, a comment or the text)."""
    found = []
    is_yaml = not path.endswith(".md")
    for number, line in enumerate(text.split("\n"), start=1):
        at = line.find(TO_FILL_IN)
        if at < 0:
            continue
        hint = line[at + len(TO_FILL_IN):].strip().lstrip(":").strip().rstrip(".")
        if hint.startswith("(") and hint.endswith(")"):
            hint = hint[1:-1]
        what = f"nog invullen: {hint}" if hint else "nog invullen"
        comment = line.rfind("#", 0, at)
        if is_yaml and comment >= 0 and (comment == 0 or line[comment - 1] in " \t"):
            # The value before the comment is an example: the warning stays until the comment goes.
            todo = "vul de waarde vóór het commentaar in en haal daarna het commentaar '# NOG INVULLEN …' weg"
        else:
            todo = "vervang 'NOG INVULLEN' en de uitleg erachter door de gegevens van uw regio"
        found.append(Problem(path, number, "", f"{what}; {todo}", severity="waarschuwing"))
    return found


def load_file(source: SourceFile) -> tuple[Loaded | None, list[Problem]]:
    """Load one YAML or Markdown source file."""
    text, problems = decode(source)
    if text is None:
        return None, problems
    problems = problems + (to_fill_in(source.path, text) if TO_FILL_IN in text else [])
    loaded, found = parse_markdown(source.path, text) if source.path.endswith(".md") else parse_yaml(source.path, text)
    return loaded, problems + found


@dataclass
class RegionFiles:
    """A region's loaded files by file name (e.g. 'begroting.yaml'), plus its assets."""

    name: str
    files: dict[str, Loaded]
    assets: dict[str, bytes]

    @property
    def folder(self) -> str:
        return f"{CONTENT}/{self.name}"


def load_region(source, region: str) -> tuple[RegionFiles, list[Problem]]:
    """Load every file of one region from `source`; missing or broken files become problems."""
    folder = f"{CONTENT}/{region}"
    problems: list[Problem] = []
    files: dict[str, Loaded] = {}
    assets: dict[str, bytes] = {}
    present = source.files(region)
    known = set(REQUIRED_FILES + OPTIONAL_FILES)
    for path in present:
        name = path[len(folder) + 1:]
        if name in ("realisatie", *(own.rstrip("/") for own in OWN_FOLDERS)):
            problems.append(Problem(path, 0, "", f"{name} is geen map maar een symbolische koppeling of een bestand; "
                                    f"zet de map {name}/ zelf in de regiomap (een koppeling wordt nooit gevolgd)"))
            continue
        belongs = misplaced_realisatie(name)
        if belongs:
            problems.append(Problem(path, 0, "", f"dit lijkt een bestand van de projectadministratie (die "
                                    f"persoonsgegevens bevat): het hoort in {folder}/{belongs} (of in de besloten map van "
                                    "--realisatie); elders in de regiomap zou het in de redline en het commentaar "
                                    "bij een voorstel komen (zie docs/privacy.md)"))
            continue
        if name.startswith(OWN_FOLDERS):  # read by their own loaders (reports.py)
            continue
        if name in known:
            loaded, found = load_file(source.read(path))
            problems += found
            if loaded is not None:
                files[name] = loaded
        elif name.lower().endswith(ASSET_SUFFIXES):
            read = source.read(path)
            if read.data is None:
                problems.append(Problem(path, 0, "", read.problem or "kan niet gelezen worden"))
            else:
                assets[name] = read.data
        elif name.endswith((".yaml", ".yml", ".md")):
            guess = suggest(name, known)
            hint = f"; bedoelde u '{guess}'?" if guess else f"; bekende bestanden: {', '.join(sorted(known))}"
            problems.append(Problem(path, 0, "", f"onbekend bestand{hint}"))
        else:
            problems.append(Problem(path, 0, "", "wordt niet gebruikt: alleen .yaml, .md en afbeeldingen (png, jpg, svg) horen in een regiomap",
                                    severity="waarschuwing"))
    names = {p[len(folder) + 1:] for p in present}
    for name in REQUIRED_FILES:
        if name not in names:
            problems.append(Problem(f"{folder}/{name}", 0, "", "bestand ontbreekt; maak het aan (zie docs/inhoud.md voor een voorbeeld)"))
    peil = "realisatie/verantwoording.yaml"
    if names & set(REALISATIE_FILES) and peil not in names:
        problems.append(Problem(f"{folder}/{peil}", 0, "",
                                "bestand ontbreekt; wie een realisatie bijhoudt, noemt hierin de peildatum: tot en met "
                                "welke dag de administratie bij is (zie docs/inhoud.md)"))
    return RegionFiles(region, files, assets), problems


_REALISATIE_STEMS = {name.split("/", 1)[1].removesuffix(".yaml") for name in REALISATIE_FILES}


def misplaced_realisatie(name: str) -> str | None:
    """Return where a file named like a realisatie file belongs (`realisatie/personeel.yaml`), when `name` (below
    the region folder) lies elsewhere: `personeel.yaml`, `Realisatie/personeel.yaml`, `realisatie.yaml`,
    `realisaties/...`, `administratie/...`. None for any other file, and for any file inside `realisatie/` itself."""
    parts = name.split("/")
    if len(parts) == 2 and parts[0] == "realisatie":
        return None  # its place; an unknown name there is an unknown file
    stem, _, suffix = parts[-1].lower().rpartition(".")
    if suffix in ("yaml", "yml") and stem in _REALISATIE_STEMS:
        return f"realisatie/{stem}.yaml"
    if any(part.lower().startswith("realisatie") or part.lower() == "administratie" for part in parts):
        return "realisatie/"
    return None


def suggest(word: str, options) -> str | None:
    """Return the option closest to `word`, if one is close enough to be a typo."""
    options = sorted(str(o) for o in options)
    found = difflib.get_close_matches(word, options, n=1, cutoff=0.75)
    if found:
        return found[0]
    # A shortened id ('fatima' for 'fatima-ouali') is a typo too, when only one option fits.
    starts = [o for o in options if len(word) >= 3 and o.startswith(word + "-")]
    return starts[0] if len(starts) == 1 else None


