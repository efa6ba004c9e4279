"""Region images, checked before anything is rendered: the bytes are the image the name says, and an SVG
loads nothing from outside itself. WeasyPrint would otherwise fail only while making the PDF."""
from __future__ import annotations

import base64
import binascii
import re
from dataclasses import dataclass, field
from pathlib import PurePosixPath
from urllib.parse import unquote_to_bytes
from xml.parsers import expat

from .problems import ERROR, WARNING

SIGNATURES = {"PNG": (b"\x89PNG\r\n\x1a\n",), "JPEG": (b"\xff\xd8\xff",), "GIF": (b"GIF87a", b"GIF89a")}
KIND_OF_SUFFIX = {".png": "PNG", ".jpg": "JPEG", ".jpeg": "JPEG", ".gif": "GIF", ".svg": "SVG"}
SUFFIX_OF_KIND = {"PNG": ".png", "JPEG": ".jpg", "GIF": ".gif", "SVG": ".svg"}
KIND_OF_MIME = {"image/png": "PNG", "image/jpeg": "JPEG", "image/gif": "GIF", "image/svg+xml": "SVG"}
DATA_DEPTH = 3  # an SVG inside a data: address inside an SVG ... is checked this deep, and refused deeper
_CSS_URL = re.compile(r"""url\(\s*(?:"([^"]*)"|'([^']*)'|([^)"'\s]*))\s*\)""", re.IGNORECASE)
_CSS_IMPORT = re.compile(r"""@import\s+(?:"([^"]*)"|'([^']*)')""", re.IGNORECASE)
_FETCHING_ATTRIBUTES = {"href", "src"}


@dataclass(frozen=True)
class Finding:
    """Something wrong with one image file; `line` is a line in that file (SVG), or 0."""

    message: str
    severity: str = ERROR
    line: int = 0


def decode_data_url(url: str) -> tuple[str, bytes] | None:
    """Return the media type and bytes of a `data:` address, or None when it is not one or is broken."""
    if not url[:5].lower() == "data:" or "," not in url:
        return None
    header, payload = url[5:].split(",", 1)
    params = [p.strip().lower() for p in header.split(";")]
    data = unquote_to_bytes(payload)
    if "base64" in params[1:]:
        try:
            data = base64.b64decode(data, validate=False)
        except (binascii.Error, ValueError):
            return None
    return params[0] or "text/plain", data


@dataclass
class _Svg:
    """What an SVG file holds that matters here, read with expat so every reference keeps its line."""

    root: str | None = None  # the local name of the first element
    references: list[tuple[int, str]] = field(default_factory=list)  # (line, address) of every href, src, url()
    entities: int = 0  # <!ENTITY> declarations
    error: str | None = None  # where the XML is broken


def _css_references(text: str) -> list[str]:
    if "\\" in text:  # a CSS escape can spell url( or an address so that no pattern sees it: refuse the style
        return [_short(text.strip())]
    found = [next(g for g in m.groups() if g is not None) for m in _CSS_URL.finditer(text)]
    return found + [next(g for g in m.groups() if g is not None) for m in _CSS_IMPORT.finditer(text)]


def _read_svg(data: bytes) -> _Svg:
    svg = _Svg()
    parser = expat.ParserCreate(namespace_separator=" ")
    in_style: list[bool] = []

    def start(name: str, attrs: dict[str, str]) -> None:
        local = name.rsplit(" ", 1)[-1]
        if svg.root is None:
            svg.root = local
        line = parser.CurrentLineNumber
        for attr, value in attrs.items():
            if attr.rsplit(" ", 1)[-1] in _FETCHING_ATTRIBUTES:
                svg.references.append((line, value.strip()))
            svg.references.extend((line, ref.strip()) for ref in _css_references(value))
        in_style.append(local == "style")

    def end(name: str) -> None:
        in_style.pop()

    def text(content: str) -> None:
        if in_style and in_style[-1]:
            svg.references.extend((parser.CurrentLineNumber, ref.strip()) for ref in _css_references(content))

    def entity(*args) -> None:
        svg.entities += 1

    def instruction(target: str, data: str) -> None:
        if target.lower() == "xml-stylesheet":  # loads a stylesheet from wherever its href says
            svg.references.append((parser.CurrentLineNumber, f"<?{target} {data.strip()}?>"))

    parser.StartElementHandler, parser.EndElementHandler = start, end
    parser.CharacterDataHandler, parser.EntityDeclHandler = text, entity
    parser.ProcessingInstructionHandler = instruction
    try:
        parser.Parse(data, True)
    except expat.ExpatError as exc:
        svg.error = f"regel {exc.lineno}, kolom {exc.offset + 1}"
    return svg


def sniff(data: bytes) -> str | None:
    """Return which kind of image `data` is (PNG, JPEG, GIF or SVG), or None."""
    for kind, signatures in SIGNATURES.items():
        if data.startswith(signatures):
            return kind
    head = data[:1024].lstrip(b"\xef\xbb\xbf \t\r\n")
    if head.startswith(b"<"):
        svg = _read_svg(data)
        if svg.error is None and svg.root == "svg":
            return "SVG"
    return None


def _allowed(reference: str) -> bool:
    return reference == "" or reference.startswith("#") or reference[:5].lower() == "data:"


def _short(text: str, most: int = 80) -> str:
    return text if len(text) <= most else text[:most - 1] + "…"


def svg_findings(name: str, data: bytes, depth: int = 0) -> list[Finding]:
    """Return why SVG `data` cannot be used: not XML, no <svg> root, or a reference to anything outside itself."""
    svg = _read_svg(data)
    if svg.error is not None:
        return [Finding(f"'{name}' is geen geldige SVG: de XML klopt niet op {svg.error}; bewaar de tekening "
                        "opnieuw als SVG, bijvoorbeeld met Inkscape ('Opslaan als' > 'Normale SVG')")]
    if svg.root != "svg":
        return [Finding(f"'{name}' is geen SVG: het XML-bestand begint met <{svg.root}> in plaats van <svg>; "
                        "bewaar de tekening opnieuw als SVG")]
    if svg.entities:
        return [Finding(f"'{name}' bevat <!ENTITY>-declaraties; stodocs accepteert die niet in een SVG. Bewaar de "
                        "tekening opnieuw als 'Normale SVG' of verwijder de DOCTYPE-regel")]
    findings = []
    for line, reference in sorted(set(svg.references)):
        if not _allowed(reference):
            findings.append(Finding(
                f"'{name}' laadt '{_short(reference)}' (regel {line} van de SVG); een SVG in de regiomap mag niets "
                "van buiten zichzelf laden. Neem de afbeelding of het lettertype op in de SVG zelf (als data:-adres), "
                "of verwijder de verwijzing", line=line))
        elif reference[:5].lower() == "data:":
            findings += [Finding(f"{f.message} (in een data:-adres op regel {line})", f.severity, line)
                         for f in data_findings(name, reference, depth + 1)]
    return findings


def data_findings(name: str, url: str, depth: int) -> list[Finding]:
    """Return why an image in a `data:` address inside `name` cannot be used."""
    decoded = decode_data_url(url)
    if decoded is None:
        return [Finding(f"'{name}' bevat een onleesbaar data:-adres; exporteer de tekening opnieuw")]
    mime, data = decoded
    kind = KIND_OF_MIME.get(mime)
    if kind is None:
        return []  # a font or other resource: WeasyPrint reads it or ignores it, it loads nothing else
    if kind == "SVG":
        if depth > DATA_DEPTH:
            return [Finding(f"'{name}' nest SVG's in data:-adressen dieper dan {DATA_DEPTH} niveaus; "
                            "vereenvoudig de tekening")]
        return svg_findings(name, data, depth)
    actual = sniff(data)
    if actual != kind:
        return [Finding(f"'{name}' bevat een data:-adres dat zegt {mime} te zijn, maar dat is het niet; "
                        "exporteer de tekening opnieuw")]
    return []


def image_findings(name: str, data: bytes) -> list[Finding]:
    """Return what is wrong with region image `name`: bytes of another kind than its name says, or an unsafe SVG."""
    path = PurePosixPath(name)
    expected = KIND_OF_SUFFIX.get(path.suffix.lower())
    actual = sniff(data)
    if expected == "SVG" and actual is None:
        return svg_findings(name, data)
    if actual is None:
        return [Finding(f"'{name}' is geen {expected}-afbeelding: de inhoud is geen PNG, JPEG, GIF of SVG. Exporteer "
                        f"of download de afbeelding opnieuw als {expected} en vervang het bestand")]
    findings = []
    if actual != expected:
        better = path.with_suffix(SUFFIX_OF_KIND[actual]).as_posix()
        findings.append(Finding(f"'{name}' heet {path.suffix} maar is een {actual}-bestand; hernoem het naar "
                                f"'{better}' en pas de verwijzing aan", WARNING))
    if actual == "SVG":
        findings += svg_findings(name, data)
    return findings
