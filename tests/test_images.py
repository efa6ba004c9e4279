"""images.py: a region image's bytes match its name, and an SVG loads nothing from outside itself."""
from __future__ import annotations

import base64

import pytest

from stodocs.images import decode_data_url, dimensions, image_findings, sniff
from stodocs.problems import ERROR, WARNING

def encoded(kind: str, width: int = 4, height: int = 3) -> bytes:
    """A real, small image of `kind`, made with Pillow (which WeasyPrint draws raster images with)."""
    from io import BytesIO

    from PIL import Image
    out = BytesIO()
    Image.new("RGB", (width, height), (200, 30, 30)).save(out, kind)
    return out.getvalue()


PNG = encoded("PNG")
JPEG = encoded("JPEG")
SVG_OPEN = '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" viewBox="0 0 9 9">'


def svg(inner: str) -> bytes:
    return f"{SVG_OPEN}\n{inner}\n</svg>\n".encode()


def data_url(mime: str, data: bytes) -> str:
    return f"data:{mime};base64,{base64.b64encode(data).decode()}"


@pytest.mark.parametrize("data, kind", [
    (PNG, "PNG"), (JPEG, "JPEG"), (b"GIF89a....", "GIF"), (svg(""), "SVG"),
    (b"\xef\xbb\xbf<?xml version='1.0'?>\n" + svg(""), "SVG"),
    (b"tekst", None), (b"<html></html>", None), (b"<svg", None),
])
def test_sniff_tells_the_kind_by_the_bytes(data, kind):
    assert sniff(data) == kind


@pytest.mark.parametrize("name, data", [("kaart.png", PNG), ("foto.JPG", JPEG), ("foto.jpeg", JPEG),
                                        ("logo.svg", svg('<rect fill="url(#a)"/><use href="#b"/>'))])
def test_good_images_have_no_findings(name, data):
    assert image_findings(name, data) == []


def test_text_named_png_is_an_error_that_says_what_to_do():
    [finding] = image_findings("kaart.png", b"Dit is tekst.\n")
    assert finding.severity == ERROR
    assert "'kaart.png' is geen PNG-afbeelding" in finding.message and "opnieuw als PNG" in finding.message


def test_jpeg_named_png_is_a_warning_with_the_better_name():
    [finding] = image_findings("foto/kaart.png", JPEG)
    assert finding.severity == WARNING
    assert "is een JPEG-bestand" in finding.message and "'foto/kaart.jpg'" in finding.message


@pytest.mark.parametrize("inner, reference", [
    ('<image xlink:href="file:///etc/hostname"/>', "file:///etc/hostname"),
    ('<image href="http://example.com/x.png"/>', "http://example.com/x.png"),
    ('<image href="kaart.png"/>', "kaart.png"),
    ('<use href="andere.svg#vorm"/>', "andere.svg#vorm"),
    ('<script src="https://example.com/x.js"/>', "https://example.com/x.js"),
    ('<rect style="fill: url(\'http://example.com/p.svg#p\')"/>', "http://example.com/p.svg#p"),
    ('<rect filter="url(/etc/passwd)"/>', "/etc/passwd"),
    ('<style>@import "https://example.com/x.css";</style>', "https://example.com/x.css"),
    ('<style><![CDATA[@font-face { src: url(file:///x.ttf) }]]></style>', "file:///x.ttf"),
])
def test_svg_that_loads_from_outside_is_an_error_at_its_line(inner, reference):
    [finding] = image_findings("logo.svg", svg(inner))
    assert finding.severity == ERROR and finding.line == 2
    assert f"'logo.svg' laadt '{reference}' (regel 2 van de SVG)" in finding.message


def test_svg_may_hold_images_as_data_but_they_are_checked_too():
    inner_svg = svg('<image href="file:///etc/hostname"/>')
    assert image_findings("logo.svg", svg(f'<image href="{data_url("image/png", PNG)}"/>')) == []
    [finding] = image_findings("logo.svg", svg(f'<image href="{data_url("image/svg+xml", inner_svg)}"/>'))
    assert "'file:///etc/hostname'" in finding.message and "in een data:-adres op regel 2" in finding.message
    [finding] = image_findings("logo.svg", svg(f'<image href="{data_url("image/png", b"geen png")}"/>'))
    assert "zegt image/png te zijn" in finding.message


@pytest.mark.parametrize("data, expected", [
    (b"<svg xmlns='http://www.w3.org/2000/svg'><rect></svg>", "de XML klopt niet op regel 1"),
    (b"<html><body/></html>", "begint met <html> in plaats van <svg>"),
    (b'<!DOCTYPE svg [<!ENTITY x SYSTEM "file:///etc/hostname">]>\n<svg>&x;</svg>', "<!ENTITY>"),
    (b"geen xml", "de XML klopt niet"),
])
def test_broken_svg_is_an_error(data, expected):
    [finding] = image_findings("logo.svg", data)
    assert finding.severity == ERROR and expected in finding.message


def test_data_url_decodes_base64_and_percent_encoding():
    assert decode_data_url(data_url("image/png", PNG)) == ("image/png", PNG)
    assert decode_data_url("data:,a%20b") == ("text/plain", b"a b")
    assert decode_data_url("https://example.com") is None


@pytest.mark.parametrize("svg", [
    b'<svg xmlns="http://www.w3.org/2000/svg"><style>rect{fill:u\\72l(http://127.0.0.1:8765/x)}</style></svg>',
    b'<svg xmlns="http://www.w3.org/2000/svg"><rect style="fill:u\\72l(http://127.0.0.1:8765/x)"/></svg>',
    b'<?xml-stylesheet href="http://127.0.0.1:8765/s.css"?><svg xmlns="http://www.w3.org/2000/svg"/>',
], ids=["escaped-url-in-style", "escaped-url-in-attribute", "xml-stylesheet"])
def test_svg_cannot_hide_an_outside_reference(svg):
    [finding] = image_findings("kaart.svg", svg)
    assert finding.severity == ERROR and "mag niets van buiten zichzelf laden" in finding.message


def test_plain_svg_style_is_fine():
    assert image_findings("kaart.svg", b'<svg xmlns="http://www.w3.org/2000/svg"><style>rect{fill:red}</style></svg>') == []


def png_of_size(width: int, height: int) -> bytes:
    """A PNG header (all that is read before decoding) of the given size."""
    return b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\x0dIHDR" + width.to_bytes(4, "big") + height.to_bytes(4, "big") + \
        b"\x08\x02\x00\x00\x00" + b"\x00" * 8


def test_an_image_too_large_to_draw_is_refused_before_decoding():
    """12,000 x 12,000 pixels: 32 kB as a PNG, 1.2 GB while drawing; over Pillow's limit the build would fail."""
    [finding] = image_findings("kaart.png", png_of_size(12_000, 12_000))
    assert finding.severity == ERROR and "12.000 × 12.000 pixels" in finding.message
    assert not [f for f in image_findings("kaart.png", png_of_size(4000, 3000)) if "te groot" in f.message]
    assert image_findings("kaart.png", png_of_size(30_000, 10)) != []  # a side too long


def test_image_sizes_are_read_from_every_raster_kind():
    from io import BytesIO

    from PIL import Image
    for kind in ("PNG", "JPEG", "GIF"):
        out = BytesIO()
        Image.new("RGB", (321, 123)).save(out, kind)
        assert dimensions(kind, out.getvalue()) == (321, 123)
    inner = data_url("image/png", png_of_size(9000, 9000))
    assert "te groot" in image_findings("kaart.svg", svg(f'<image href="{inner}"/>'))[0].message


@pytest.mark.parametrize("style", [
    "@import\n  url(http://127.0.0.1:8765/a.css);",
    "rect { fill: url(\n  http://127.0.0.1:8765/x) }",
    "@import\n'http://127.0.0.1:8765/a.css';",
    "@font-face { font-family: X; src: local(\nArial) }",
    "@font-face { font-family: X; src: local(Arial) }",
], ids=["import-url-across-lines", "url-across-lines", "import-string-across-lines", "local-across-lines", "local"])
def test_svg_style_is_checked_as_one_text(style):
    """expat hands a <style> over line by line; an address that spans a line break is still seen."""
    [finding] = image_findings("kaart.svg", svg(f"<style>{style}</style>"))
    assert finding.severity == ERROR and "mag niets van buiten zichzelf laden" in finding.message


def test_a_broken_image_is_refused():
    """A PNG cut off halfway (an interrupted download): WeasyPrint would draw the missing part grey; validate says
    so instead, also when WeasyPrint (which lets Pillow accept cut-off files) was imported first."""
    import weasyprint  # noqa: F401
    broken = encoded("PNG", 40, 30)[:60]
    [finding] = image_findings("logo.png", broken)
    assert finding.severity == ERROR and "kapot PNG-bestand" in finding.message
    assert image_findings("logo.png", encoded("PNG", 40, 30)) == []
