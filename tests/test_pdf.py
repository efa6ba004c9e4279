"""pdf.py: the example's PDFs read back, reproducibility, and the locked-down fetcher."""
from __future__ import annotations

import io
import socket
import urllib.request
from dataclasses import replace

import pytest
from pypdf import PdfReader

from conftest import document_of_file
from stodocs.model import DOCUMENTS, ROLES
from stodocs.pdf import REGION_BASE, LockedFetcher, PdfJob, RefusedURL, html_to_pdf
from stodocs.pipeline import build
from stodocs.render import TEMPLATE_DIR, render_document
from stodocs.sources import WorkingTree

HEADINGS = {
    "regioplan": ["Aanleiding en context", "Programmalijnen en doelstellingen", "Partners", "Governance: rollen en personen"],
    "huishoudelijk-reglement": ["Artikel 1", "Begripsbepalingen", "Bijlage: wijzigingsprocedure"],
    "activiteitenplan": ["Overzicht van de activiteiten", "Techniekroute basisonderwijs", "Beoogde resultaten"],
    "meerjarenbegroting": ["Kerncijfers en toetsing", "Begroting per jaar en categorie", "Begrotingsregels"],
}


def text_of(data: bytes) -> str:
    reader = PdfReader(io.BytesIO(data))
    return " ".join((page.extract_text() or "") for page in reader.pages).replace("\xa0", " ")


@pytest.mark.parametrize("key", list(DOCUMENTS))
def test_pdf_reads_back_with_headings_region_version_and_amounts(example_build, key):
    text = text_of(example_build.pdf(key))
    for heading in HEADINGS[key]:
        assert heading in text
    assert example_build.region.naam in text
    assert example_build.version.short in text
    assert "concept" in text
    assert "pagina 2 van" in text
    if key == "meerjarenbegroting":
        assert "€ 3.850.000,00" in text


@pytest.mark.parametrize("key", list(DOCUMENTS))
def test_pdf_is_tagged_with_metadata_bookmarks_and_embedded_lato(example_build, key):
    reader = PdfReader(io.BytesIO(example_build.pdf(key)))
    root = reader.trailer["/Root"]
    assert "/StructTreeRoot" in root
    assert root["/MarkInfo"]["/Marked"]
    assert root["/Lang"] == "nl"
    meta = reader.metadata
    assert meta.title == example_build.region.documents[key].titel
    assert meta.author == example_build.region.naam
    assert example_build.version.label in meta.subject
    assert meta["/CreationDate"].startswith("D:20260314")
    assert reader.outline, "no bookmarks"
    fonts = set()
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            descriptor = font["/DescendantFonts"][0].get_object()["/FontDescriptor"]
            assert "/FontFile2" in descriptor, f"{font['/BaseFont']} is not embedded"
            fonts.add(str(font["/BaseFont"]).split("+")[-1])
    assert fonts and all(name.startswith("Lato") for name in fonts), fonts


def test_rebuilding_the_same_commit_with_one_worker_gives_identical_bytes(example_build, tmp_path):
    # example_build ran with two PDF workers (-j 2); this one runs serially (-j 1)
    rebuilt = build(WorkingTree(example_build.repo), ["lindewaard"], None, "pdf", "pdf/ua-1", tmp_path, workers=1)
    assert sorted(p.name for p in rebuilt.written) == sorted(p.name for p in example_build.paths.values())
    for path in rebuilt.written:
        assert path.read_bytes() == (example_build.paths[document_of_file(path.name)]).read_bytes(), path.name


def test_archival_variant(example_region, example_build):
    html = render_document(example_region, "huishoudelijk-reglement", example_build.version, "concept")
    result = html_to_pdf(PdfJob(html, example_region.assets, example_build.version.date, "pdf/a-3u"))
    assert result.messages == () and result.refused == ()
    reader = PdfReader(io.BytesIO(result.data))
    assert b"pdfaid" in reader.trailer["/Root"]["/Metadata"].get_object().get_data()


@pytest.mark.parametrize("url", [
    "file:///etc/passwd",
    "https://stodocs.invalid/etc/passwd",
    "https://stodocs.invalid/regio/../templates/../../etc/passwd",
    "https://stodocs.invalid/templates/%2e%2e/%2e%2e/etc/passwd",
    "https://stodocs.invalid/templates/..%2f..%2fetc/passwd",
    "https://stodocs.invalid/regio/ontbreekt.png",
    "http://127.0.0.1:1/x.png",
    "https://example.org/templates/print.css",
])
def test_fetcher_refuses_everything_outside_templates_and_region_images(url):
    fetcher = LockedFetcher(TEMPLATE_DIR, {"logo.png": b"\x89PNG"})
    with pytest.raises(RefusedURL):
        fetcher.fetch(url)
    assert fetcher.refused == [url] and fetcher.served == []


def test_fetcher_serves_templates_and_region_images():
    fetcher = LockedFetcher(TEMPLATE_DIR, {"logo.png": b"\x89PNG"})
    assert fetcher.fetch(REGION_BASE + "logo.png").read() == b"\x89PNG"
    font = fetcher.fetch("https://stodocs.invalid/templates/fonts/Lato-Regular.ttf")
    assert font.read(4) == b"\x00\x01\x00\x00"
    data = fetcher.fetch("data:image/png;base64,iVBORw0KGgo=")  # inside an SVG: bytes in the address itself
    assert (data.read(), data.content_type) == (b"\x89PNG\r\n\x1a\n", "image/png")


def png(width: int = 2, height: int = 2) -> bytes:
    from PIL import Image
    out = io.BytesIO()
    Image.new("RGB", (width, height), (0, 114, 178)).save(out, format="PNG")
    return out.getvalue()


def test_svg_with_an_image_as_data_renders_without_refusals(example_build):
    import base64
    inner = f"data:image/png;base64,{base64.b64encode(png()).decode()}"
    logo = (f'<svg xmlns="http://www.w3.org/2000/svg" width="20" height="20"><image href="{inner}" width="20" '
            f'height="20"/></svg>').encode()
    html = '<!DOCTYPE html><html lang="nl"><body><p><img src="logo.svg" alt="logo"></p></body></html>'
    result = html_to_pdf(PdfJob(html, {"logo.svg": logo}, example_build.version.date))
    assert result.messages == () and result.refused == ()


@pytest.mark.weasyprint_warnings
def test_pdf_messages_are_dutch_and_name_the_file(example_build):
    logo = b'<svg xmlns="http://www.w3.org/2000/svg" width="9" height="9"><image href="file:///etc/hostname"/></svg>'
    html = ('<!DOCTYPE html><html lang="nl"><body><img src="kaart.png" alt="kaart"><img src="logo.svg" alt="logo">'
            '<img src="weg.png" alt="weg"></body></html>')
    result = html_to_pdf(PdfJob(html, {"kaart.png": b"geen png", "logo.svg": logo}, example_build.version.date))
    assert sorted(result.messages) == sorted([
        "afbeelding 'kaart.png' uit de regiomap kon niet gelezen worden; controleer of het bestand echt een "
        "PNG-afbeelding is en exporteer het zo nodig opnieuw",
        "een afbeelding verwijst naar 'file:///etc/hostname'; stodocs laadt alleen afbeeldingen uit de regiomap. "
        "Zet de afbeelding in de regiomap, of neem haar in de SVG op als data:-adres",
        "afbeelding 'weg.png' uit de regiomap bestaat niet; zet het bestand in de regiomap"])


@pytest.mark.weasyprint_warnings
def test_hostile_markdown_reads_no_file_and_opens_no_connection(example_region, example_build, monkeypatch):
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(1)
    listener.setblocking(False)
    port = listener.getsockname()[1]

    def no_urllib(*args, **kwargs):
        raise AssertionError("the renderer used urllib")

    monkeypatch.setattr(urllib.request.OpenerDirector, "open", no_urllib)
    body = (f"## Aanval\n\n<script>alert('x')</script>\n\n<img src=\"file:///etc/passwd\">\n\n"
            f"![netwerk](http://127.0.0.1:{port}/x.png)\n\n![omhoog](../../etc/passwd)\n\n"
            f"![omhoog2](../../../../../../etc/hostname)\n\n![bestand](file:///etc/passwd)\n\n"
            f"<link rel=\"stylesheet\" href=\"http://127.0.0.1:{port}/x.css\">\n")
    documents = dict(example_region.documents)
    documents["regioplan"] = replace(documents["regioplan"], body=body)
    region = replace(example_region, documents=documents)
    html = render_document(region, "regioplan", example_build.version, "concept")
    result = html_to_pdf(PdfJob(html, region.assets, example_build.version.date))
    try:
        listener.accept()
        connected = True
    except BlockingIOError:
        connected = False
    finally:
        listener.close()
    assert not connected, "the renderer connected to the listening socket"
    assert f"http://127.0.0.1:{port}/x.png" in result.refused
    assert "https://stodocs.invalid/etc/passwd" in result.refused
    assert "https://stodocs.invalid/etc/hostname" in result.refused
    text = text_of(result.data)
    assert "<script>alert('x')</script>" in text  # shown, not run
    assert "root:" not in text


def test_source_date_epoch_is_left_as_found(example_build, monkeypatch):
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    import os
    from stodocs.pdf import source_date_epoch
    with source_date_epoch(example_build.version.date):
        assert os.environ["SOURCE_DATE_EPOCH"] == str(int(example_build.version.date.timestamp()))
    assert "SOURCE_DATE_EPOCH" not in os.environ
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1")
    with source_date_epoch(example_build.version.date):
        assert os.environ["SOURCE_DATE_EPOCH"] == "1"


# --- layout: what belongs together stays on one page (read back from the example's PDFs) ------------

def pages(data: bytes) -> list[str]:
    """Return the text of each page, whitespace collapsed and hyphenation at line ends undone."""
    reader = PdfReader(io.BytesIO(data))
    return [" ".join((page.extract_text() or "").replace("\xa0", " ").replace("-\n", "").split())
            for page in reader.pages]


def body_page(texts: list[str], text: str) -> int:
    """Return the last page holding `text`: headings also stand in the table of contents, earlier."""
    found = [i for i, page in enumerate(texts) if text in page]
    assert found, f"{text!r} is on no page"
    return found[-1]


def next_page(texts: list[str], text: str, start: int) -> int:
    """Return the first page from `start` on that holds `text`."""
    return next(i for i in range(start, len(texts)) if text in texts[i])


def test_regioplan_keeps_short_tables_whole_and_role_headings_with_their_table(example_build):
    texts = pages(example_build.pdf("regioplan"))
    region = example_build.region
    schools = [p.naam for p in region.partners if p.soort == "po"]
    assert len(schools) == 2
    heading = body_page(texts, "Basisscholen")
    assert [next_page(texts, name, heading) for name in schools] == [heading, heading]
    for rol, title in ROLES.items():
        first = next(p for p in region.personen if p.rol == rol)
        heading = body_page(texts, title)
        assert next_page(texts, first.naam, heading) == heading, rol


def test_activiteitenplan_keeps_each_doelstelling_heading_with_its_first_activity(example_build):
    texts = pages(example_build.pdf("activiteitenplan"))
    region = example_build.region
    for doel in region.doelstellingen:
        activities = [a for a in region.activiteiten if a.doelstelling == doel.id]
        if activities:
            heading = body_page(texts, doel.naam)
            assert next_page(texts, activities[0].naam, heading) == heading, doel.id


def test_huishoudelijk_reglement_leaves_no_list_item_alone_on_a_page(example_build):
    texts = pages(example_build.pdf("huishoudelijk-reglement"))
    heading = body_page(texts, "Looptijd en evaluatie")
    assert "Wijzigingen van dit reglement worden vastgesteld door het bestuurlijk overleg" in texts[heading]
    assert "Dit reglement treedt in werking op 1 januari 2025" in texts[heading]


def embedded_fonts(data: bytes) -> set[str]:
    """Return the names of the fonts a PDF embeds, without the subset prefix."""
    names = set()
    for page in PdfReader(io.BytesIO(data)).pages:
        for font in (page["/Resources"].get("/Font") or {}).values():
            names.add(str(font.get_object()["/BaseFont"]).split("+")[-1])
    return names


def test_weasyprint_sees_only_the_bundled_fonts(monkeypatch):
    """A font the machine has (DejaVu Serif, DejaVu Sans Mono) is never used: the output cannot depend on it,
    not even on a FONTCONFIG_FILE the caller set (which is left as found)."""
    import os
    monkeypatch.setenv("FONTCONFIG_FILE", "/etc/fonts/fonts.conf")
    html = ('<html lang="nl"><head><title>t</title></head><body><p style="font-family: \'DejaVu Serif\'">Serif</p>'
            '<p style="font-family: \'DejaVu Sans Mono\', monospace">Mono</p>'
            '<p style="font-family: Lato">Vinkje ✓ en pijl →</p></body></html>')
    fonts = embedded_fonts(html_to_pdf(PdfJob(html, {}, example_region_date())).data)
    assert fonts == {"Lato", "DejaVu-Sans"}  # DejaVu Sans: the bundled fallback drew ✓ and the families we lack
    assert os.environ["FONTCONFIG_FILE"] == "/etc/fonts/fonts.conf"


def example_region_date():
    from datetime import datetime, timezone
    return datetime(2026, 3, 14, tzinfo=timezone.utc)


SVG_HEAD = '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 9 9">'
BUILD_REFUSES = {  # content the build refuses (WeasyPrint reports it), as (Markdown image address, region images)
    "query": ("logo.png?v=2", {"logo.png": png()}),
    "import-across-lines": ("kaart.svg", {"kaart.svg": f"{SVG_HEAD}<style>@import\n url(/templates/print.css);"
                                                      "</style><rect width='9' height='9'/></svg>".encode()}),
    "import-string-across-lines": ("kaart.svg", {"kaart.svg": f"{SVG_HEAD}<style>@import\n'/templates/print.css';"
                                                            "</style><rect width='9' height='9'/></svg>".encode()}),
    "outside": ("../kaart.png", {}),
    "missing": ("ontbreekt.png", {}),
}


@pytest.mark.weasyprint_warnings
@pytest.mark.parametrize("case", sorted(BUILD_REFUSES))
def test_whatever_the_build_refuses_validate_refuses_first(example_region, case):
    """Validate and build agree: each image the PDF step would complain about is a validate error already."""
    from stodocs.markdown import check_images
    src, assets = BUILD_REFUSES[case]
    document = example_region.documents["regioplan"]
    region = replace(example_region, assets=assets,
                     documents={**example_region.documents, "regioplan": replace(document, body=f"![x]({src})\n")})
    html = ('<html lang="nl"><head><title>t</title></head><body>'
            f'<img src="{src}" alt="x"></body></html>')
    built = html_to_pdf(PdfJob(html, assets, example_region_date()))
    assert built.messages or built.refused, "the build no longer refuses this: move the case to a test of its own"
    assert [p for p in check_images(region) if p.severity == "fout"], f"validate lets {case} through"
