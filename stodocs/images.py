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
_CSS_IMPORT = re.compile(r"""@import\s*(?:"([^"]*)"|'([^']*)')""", re.IGNORECASE)
_CSS_LOCAL = re.compile(r"""local\(\s*([^)]*)\)""", re.IGNORECASE)  # a font from the machine: output would vary
_FETCHING_ATTRIBUTES = {"href", "src"}


# A decoded image takes four bytes a pixel, and WeasyPrint holds more than one copy while it draws: 12,000 x
# 12,000 pixels (a PNG of 32 kB) took 1.2 GB. 25 million pixels (a 12-megapixel photo twice over) stays far
# below that, and far below Pillow's own limit, so validate refuses before the build could fail.
MAX_PIXELS = 25_000_000
MAX_SIDE = 20_000
_JPEG_SOF = {0xC0, 0xC1, 0xC2, 0xC3, 0xC5, 0xC6, 0xC7, 0xC9, 0xCA, 0xCB, 0xCD, 0xCE, 0xCF}


def dimensions(kind: str, data: bytes) -> tuple[int, int] | None:
    """Return (width, height) of a PNG, JPEG or GIF from its header, without decoding it; None if not found."""
    if kind == "PNG" and len(data) >= 24 and data[12:16] == b"IHDR":
        return int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")
    if kind == "GIF" and len(data) >= 10:
        return int.from_bytes(data[6:8], "little"), int.from_bytes(data[8:10], "little")
    if kind == "JPEG":
        at = 2
        while at + 4 <= len(data):
            if data[at] != 0xFF:
                return None
            marker = data[at + 1]
            if marker == 0xFF:  # fill byte
                at += 1
                continue
            if marker in (0x01, *range(0xD0, 0xD8)):  # markers without a length
                at += 2
                continue
            length = int.from_bytes(data[at + 2:at + 4], "big")
            if marker in _JPEG_SOF and at + 9 <= len(data):
                return int.from_bytes(data[at + 7:at + 9], "big"), int.from_bytes(data[at + 5:at + 7], "big")
            at += 2 + length
    return None


def size_findings(name: str, kind: str, data: bytes) -> list[Finding]:
    """Return why a raster image is too large to draw: more than MAX_PIXELS pixels, or a side over MAX_SIDE."""
    size = dimensions(kind, data)
    if size is None:
        return []
    width, height = size
    if width * height <= MAX_PIXELS and max(width, height) <= MAX_SIDE:
        return []

    def dutch(n: int) -> str:
        return f"{n:,}".replace(",", ".")
    return [Finding(f"'{name}' is te groot om te tekenen ({dutch(width)} × {dutch(height)} pixels; maximaal "
                    f"{MAX_PIXELS // 1_000_000} miljoen pixels en {dutch(MAX_SIDE)} pixels per zijde); verklein de "
                    "afbeelding, bijvoorbeeld tot 3000 × 2000 pixels")]


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
    found += [f"local({m.group(1).strip()})" for m in _CSS_LOCAL.finditer(text)]
    return found + [next(g for g in m.groups() if g is not None) for m in _CSS_IMPORT.finditer(text)]


def _read_svg(data: bytes) -> _Svg:
    svg = _Svg()
    parser = expat.ParserCreate(namespace_separator=" ")
    in_style: list[bool] = []
    style: list[str] = []  # the text of the open <style>, which expat hands over in pieces (a line at a time)
    style_line = [0]

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
        if local == "style":
            style.clear()
            style_line[0] = line

    def end(name: str) -> None:
        if in_style.pop():  # the whole text at once: an address may span a line break
            svg.references.extend((style_line[0], ref.strip()) for ref in _css_references("".join(style)))

    def text(content: str) -> None:
        if in_style and in_style[-1]:
            style.append(content)

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
    return size_findings(name, kind, data)


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
    else:
        findings += size_findings(name, actual, data) or decode_findings(name, actual, data)
    return findings


def decode_findings(name: str, kind: str, data: bytes) -> list[Finding]:
    """Return why Pillow (which WeasyPrint draws raster images with) cannot decode the image; call it only
    on an image within the size limits."""
    import io
    import warnings

    from PIL import Image, ImageFile  # installed with WeasyPrint
    # WeasyPrint's import sets LOAD_TRUNCATED_IMAGES (it then draws the missing part grey); a cut-off file is
    # refused here whether or not WeasyPrint was imported first.
    truncated, ImageFile.LOAD_TRUNCATED_IMAGES = ImageFile.LOAD_TRUNCATED_IMAGES, False
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # Pillow's own size warning: our limit is lower
            with Image.open(io.BytesIO(data)) as image:
                image.load()
    except Exception:  # Pillow raises many kinds for broken files: OSError, SyntaxError, ValueError, ...
        return [Finding(f"'{name}' is een kapot {kind}-bestand (het kan niet gelezen worden, misschien is het niet "
                        f"helemaal gedownload); exporteer of download de afbeelding opnieuw")]
    finally:
        ImageFile.LOAD_TRUNCATED_IMAGES = truncated
    return []
