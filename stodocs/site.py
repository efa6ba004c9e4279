"""`build.py site`: a static review site of every region's documents, redlines and status (docs/site.md).

The site is plain HTML and CSS with relative links, so it works from any static host and from file://
(only the search needs a web server: Pagefind loads its index with fetch). Layout below the site folder:

    index.html                      every region: name, status of its documents, next deadline, links
    zoeken.html                     search across every document and redline (Pagefind)
    assets/                         site.css, redline.css, site.js, zoeken.js
    pagefind/                       the search index, made by the Pagefind binary after the pages are written
    <regio>/index.html              the region: its documents with their PDFs, vaststellingen, redlines
    <regio>/<document>.html         a document as HTML; its PDF beside it (<document>-<versie>.pdf)
    <regio>/redline-<van>-naar-<naar>.html   one comparison, with its page-1 summary and Wijzigingsvoorstel

Never any personal data: the statements of administratie/ are not rendered, the realisatie is never shown,
and the status is computed without the realisatie (its findings can name people).

Incremental as `build` is (incremental.py): a region whose inputs did not change is neither checked nor
rendered; the home page keeps its row from .stodocs-site.json, and the search index is made again only
when a page changed.
"""
from __future__ import annotations

import asyncio
import html
import json
import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Callable

from markupsafe import Markup
from pagefind.index import IndexConfig, PagefindIndex

from .approval import history
from .diff.document import render_redline
from .diff.pipeline import Compared, compare_sources, impact_of, version_rows
from .diff.summary import version_label
from .formatting import counted, long_date
from .incremental import MANIFEST, Manifest, blob_id, document_key, region_key, settings_of, shared_inputs
from .model import DOCUMENTS, Region, body_in_text
from .pipeline import (Rendered, check, discover, region_versions, render_html, render_pdf, render_reports_html,
                       statuses)
from .problems import ContentError, EnvironmentFailure, Problem, errors
from .proposal import with_proposal
from .render import TEMPLATE_DIR, environment
from .sources import CONTENT, GitRevision, Version
from .verantwoording.reports import load_reports
from .verantwoording.status import region_status
from .write import Writer

STATE = ".stodocs-site.json"  # each region's row on the home page, so an unchanged region is not read again
ASSETS = ("site.css", "site.js", "zoeken.js")  # copied from templates/site/ into assets/
SEARCH_FOLDER = "pagefind"
SITE_FORMAT = "site"  # the manifest's format setting: the site's PDFs are its own, apart from output/'s


@dataclass(frozen=True)
class Page:
    """One file of the site: its path below the site folder and its bytes."""

    path: str
    data: bytes


@dataclass(frozen=True)
class Comparison:
    """One redline of a region: the two versions compared, in words, and the page that shows it."""

    title: str
    path: str  # below the site folder
    compared: Compared


@dataclass
class SiteBuilt:
    problems: list[Problem]  # warnings only: a site with errors in the content is not written
    written: list[Path]
    unchanged: list[str] = field(default_factory=list)  # regions left alone: nothing they depend on changed
    rows: list[dict] = field(default_factory=list)  # each region's row on the home page, in order


def comment_links(rows: list[dict], url: str = "") -> str:
    """Return the Markdown for a proposal's comment: the site, and per region its newest redline page.

    `url` is where the site can be opened (a preview URL, ending in /); without it the paths are named.
    """
    def place(path: str, words: str) -> str:
        return f"[{words}]({url}{path})" if url else f"{words}: `{path}` in het artefact `site`"

    lines = ["", "### Reviewsite", "", f"De documenten van dit voorstel in de browser: {place('index.html', 'de site')}.", ""]
    for row in rows:
        target = row["redline"] or f"{row['id']}/index.html"
        words = "wijzigingen sinds de laatste vaststelling" if row["redline"] else "de regio (nog geen vaststelling)"
        lines.append(f"- {row['naam']}: {place(target, words)}")
    return "\n".join(lines) + "\n"


def _relative(path: str, start: str) -> str:
    """Return the link from the page `start` to `path` (both below the site folder, '/'-separated)."""
    depth = start.count("/")
    return "../" * depth + path


def _body(html: str) -> tuple[str, str]:
    """Return the class of the renderer's <body> and what is inside it (the renderer's own HTML, never a user's)."""
    found = re.search(r"<body([^>]*)>(.*)</body>", html, re.S)
    if found is None:
        return "", html
    classes = re.search(r'class="([^"]*)"', found[1])
    # A wide table scrolls inside itself on a phone (site.css); tabindex lets a keyboard scroll it too.
    return (classes[1] if classes else ""), re.sub(r"<table(?=[\s>])", '<table tabindex="0"', found[2])


def _page(template: str, path: str, **context) -> Page:
    """Render one page of the site; every link in `context` is relative to the site folder, made relative here."""
    html = environment().get_template(f"site/{template}").render(
        root=_relative("", path), link=lambda target: _relative(target, path), **context)
    return Page(path, html.encode("utf-8"))


def document_page(document: Rendered, region: Region, pdf: str) -> Page:
    """Return a document (plan document or rapportage) as a page of the site, with its PDF beside it."""
    classes, body = _body(document.html)
    path = f"{region.id}/{document.key}.html"
    return _page("document.html", path, region=region, title=DOCUMENTS.get(document.key) or _title(document),
                 body=Markup(body),
                 classes=classes, pdf=pdf.split("/", 1)[1])


def redline_page(comparison: Comparison, region: Region) -> Page:
    """Return one comparison as a page: the redline with its page-1 summary, marked for people and keyboards."""
    c = comparison.compared
    html = render_redline(c.changeset, c.old, c.new, only_changes=False, approvals=(c.old_approval, c.new_approval))
    classes, body = _body(with_proposal(html, impact_of(c), version_rows(c)))
    return _page("redline.html", comparison.path, region=region, title=comparison.title, body=Markup(body),
                 classes=classes)


def comparisons(source, region: Region) -> list[Comparison]:
    """Return the region's redlines: between successive vastgestelde versions, then from the last one to today."""
    root = source.git_root()
    if root is None:
        return []
    steps = [e for e in history(root, region.id, region.vaststellingen, lambda *_: "") if e.commit]

    def approved(entry) -> str:
        return f"de versie vastgesteld op {long_date(entry.vaststelling.datum)}"

    pairs = [(GitRevision(root, before.commit), approved(before), GitRevision(root, after.commit), approved(after))
             for before, after in zip(steps, steps[1:])]
    if steps:
        pairs.append((GitRevision(root, steps[-1].commit), approved(steps[-1]), source, "de huidige versie"))
    out = []
    for old, old_words, new, new_words in pairs:
        [compared] = compare_sources(old, new, [region.id])
        if compared.changeset.empty:
            continue
        cs = compared.changeset
        path = f"{region.id}/redline-{cs.old.slug}-naar-{cs.new.slug}.html"
        out.append(Comparison(f"Van {old_words} naar {new_words}", path, compared))
    return out


def approvals_of(region: Region) -> list[dict]:
    """Return the vaststellingen, newest first, as the region page lists them."""
    return [{"datum": long_date(v.datum), "orgaan": body_in_text(v.orgaan), "kenmerk": v.kenmerk,
             "commit": str(v.commit)[:10], "samenvatting": (v.samenvatting or "").strip()}
            for v in sorted(region.vaststellingen, key=lambda v: (v.datum, v.place.line), reverse=True)]


def status_row(source, region: Region, documents: list[dict], status: str, today: date) -> dict:
    """Return the region's row on the home page: its documents' status, the next deadline, what is overdue.

    The status is computed without the realisatie: findings on the realisatie can name people (privacy.md).
    """
    reports, _ = load_reports(source, region.id)  # their problems are the validate stage's
    found = region_status(region, reports, today, None, concept=not status.startswith("Vastgesteld"))
    deadlines = [{"datum": long_date(d.deadline.datum), "naam": d.deadline.naam, "dagen": d.days,
                  "ontbreekt": [p.message for p in d.missing]} for d in found.deadlines]
    return {"id": region.id, "naam": region.naam, "status": str(status), "documents": documents,
            "upcoming": [d for d in deadlines if d["dagen"] >= 0][:1],
            "overdue": [d for d in deadlines if d["dagen"] < 0],
            "risks": [p.message for p in found.risks]}


def region_pages(source, region: Region, documents: list[Rendered], status: str,
                 today: date) -> tuple[list[Page], dict]:
    """Return every page of one region (documents, redlines, region page) and its row on the home page.

    Each document's PDF lies beside its page, under the name `build` gives it (pipeline.output_name).
    """
    pages = [document_page(d, region, d.path) for d in documents]
    listed = [{"titel": DOCUMENTS.get(d.key) or _title(d), "html": f"{region.id}/{d.key}.html", "pdf": d.path}
              for d in documents]
    redlines = comparisons(source, region)
    pages += [redline_page(c, region) for c in redlines]
    row = status_row(source, region, listed, status, today)
    pages.append(_page("region.html", f"{region.id}/index.html", region=region, row=row,
                       approvals=approvals_of(region),
                       redlines=[{"titel": c.title, "path": c.path,
                                  "van": version_label(c.compared.changeset.old),
                                  "naar": version_label(c.compared.changeset.new)} for c in redlines]))
    row["redline"] = redlines[-1].path if redlines else None
    return pages, row


def _title(document: Rendered) -> str:
    found = re.search(r"<title>(.*?)</title>", document.html, re.S)
    return html.unescape(found[1]) if found else document.key


def assets() -> list[Page]:
    """Return the style sheets and scripts every page uses (templates/site/ and the redline's own CSS)."""
    folder = TEMPLATE_DIR / "site"
    pages = [Page(f"assets/{name}", (folder / name).read_bytes()) for name in ASSETS]
    return pages + [Page("assets/redline.css", (TEMPLATE_DIR / "redline.css").read_bytes())]


def index_search(output: Path) -> None:
    """Make Pagefind's index of every document and redline page (those marked data-pagefind-body).

    Pagefind's own Python API runs its binary (shipped in the pagefind-bin wheel); no program is started here.
    """
    async def index() -> None:
        config = IndexConfig(output_path=str(output / SEARCH_FOLDER), force_language="nl")
        async with PagefindIndex(config=config) as search:
            await search.add_directory(str(output))

    try:
        asyncio.run(index())
    except Exception as exc:  # the binary's failures arrive as several exception types; each means the same here
        raise EnvironmentFailure(f"de zoekindex van de site kon niet gemaakt worden (Pagefind): {exc}") from None


def _state_bytes(output: Path) -> bytes | None:
    try:
        return (output / STATE).read_bytes()
    except OSError:
        return None


def _load_state(output: Path) -> dict:
    try:
        data = json.loads((output / STATE).read_text(encoding="utf-8"))
        return data if isinstance(data, dict) else {}
    except (OSError, ValueError):
        return {}


def build_site(source, names: list[str] | None, today: date, output: Path, variant: str = "pdf/ua-1",
               progress: Callable[[str], None] | None = None, workers: int | None = None,
               force: bool = False) -> SiteBuilt:
    """Check every region, then write the site: only the regions whose inputs changed, unless `force`."""
    # discover; leave out every region whose inputs and pages are as the last site build left them
    wanted = discover(source, names)
    versions = region_versions(source, wanted)
    manifest = Manifest.load(output)
    shared = shared_inputs(getattr(source, "root", Path(".")))
    settings = settings_of(SITE_FORMAT, variant, today, None, None)
    keys = {name: region_key(source, name, shared, versions[name], settings) for name in wanted}
    todo = [name for name in wanted if force or not manifest.region_fresh(name, keys[name])]
    # load, validate and model every other region; stop before writing if any has errors
    checked = check(source, todo, today) if todo else None
    if checked is not None and not checked.ok:
        raise ContentError(checked.problems)
    regions = checked.regions if checked else {}
    # render each document to HTML, and to PDF where its PDF is not already made from the same HTML
    status = statuses(source, regions, versions)
    documents = render_html(regions, versions, status, "pdf") + render_reports_html(source, regions, versions, "pdf")
    keyed = {d.path: document_key(shared, d.html, d.region.assets, versions[d.region.id].date, SITE_FORMAT, variant)
             for d in documents}
    stale = [d for d in documents if force or not manifest.intact(d.path, keyed[d.path])]
    pdfs = dict(zip((d.path for d in stale), render_pdf(stale, versions, variant, progress, workers)))
    # the pages of each changed region, and its row on the home page
    state = {name: row for name, row in _load_state(output).items() if name in wanted}
    pages: list[Page] = []
    for name, region in sorted(regions.items()):
        own = [d for d in documents if d.region.id == name]
        made, state[name] = region_pages(source, region, own, status[name], today)
        pages += made + [Page(f"{name}/{path}", data) for path, data in sorted(region.assets.items())]
    if todo or not (output / "index.html").is_file():
        rows = [state[name] for name in wanted if name in state]
        pages += [_page("index.html", "index.html", rows=rows, today=long_date(today)),
                  _page("zoeken.html", "zoeken.html"), *assets()]
    # write, every file of the site together (staged, then renamed into place); a page that is on disk exactly
    # as the last build left it is not written again (a region with warnings is checked and rendered every time)
    pages = [page for page in pages if force or not manifest.intact(page.path, blob_id(page.data))]
    writer = Writer(output)
    with writer.together():
        for path, data in sorted(pdfs.items()):
            writer.write(path, data)
        for page in pages:
            writer.write(page.path, page.data)
        rows = (json.dumps(dict(sorted(state.items())), ensure_ascii=False, indent=1, sort_keys=True) + "\n").encode()
        if rows != _state_bytes(output):
            writer.write(STATE, rows)
    # the search index covers every page, so it is made again whenever a page changed
    if pages:
        index_search(output)
    # remember what each file and region was made from (a region with warnings is checked again next time)
    for document in documents:
        manifest.record_file(document.path, keyed[document.path])
    for page in pages:
        manifest.record_file(page.path, blob_id(page.data))
    warned = {p.path.split("/")[1] for p in checked.problems if p.path.startswith(f"{CONTENT}/")} if checked else set()
    for name in regions:
        files = [d.path for d in documents if d.region.id == name] + \
                [p.path for p in pages if p.path.startswith(f"{name}/")]
        manifest.record_region(name, None if name in warned else keys[name], files)
    if manifest.changed():
        Writer(output).write(MANIFEST, manifest.data())
    return SiteBuilt(checked.problems if checked else [], writer.written, [n for n in wanted if n not in todo],
                     [state[name] for name in wanted if name in state])
