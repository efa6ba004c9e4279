"""The stages in order: discover, load, validate, model, render HTML, PDF, write."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Callable

from .administratie.private import add_private_realisatie
from .administratie.statements import render_statement, statement_path, statements
from .administratie.validate import check_realisatie
from .approval import check_approvals, find_approval
from .fonts import check_characters
from .load import OPTIONAL_FILES, REQUIRED_FILES, RegionFiles, load_region
from .markdown import check_comments, check_images, check_size
from .model import DOCUMENTS, Region, build_region, with_placeholders
from .problems import ContentError, Problem, UsageError, errors
from .render import document_status, render_document
from .reports import check_reports
from .sources import CONTENT, REGION_NAME, Version
from .validate import check_region, check_schemas
from .write import Writer


@dataclass
class Checked:
    """The outcome of loading and validating regions: every model that could be built, every problem."""

    regions: dict[str, Region]
    problems: list[Problem]

    @property
    def ok(self) -> bool:
        return not errors(self.problems)


def discover(source, names: list[str] | None = None) -> list[str]:
    """Return the regions to process: `names` if given (each must exist), else all under content/."""
    available = source.region_names()
    if not names:
        if not available:
            raise UsageError("geen regio's gevonden onder content/; maak een map content/<regio>/ aan")
        return available
    for name in names:
        if name not in available:
            hint = f"; beschikbaar: {', '.join(available)}" if available else ""
            raise UsageError(f"regio '{name}' bestaat niet onder content/{hint}")
    return sorted(set(names))


def broken_files(files: RegionFiles, problems: list[Problem]) -> frozenset[str]:
    """Return the names of the region's content files that are missing or have an error of their own."""
    failing = {p.path for p in errors(problems)}
    return frozenset(name for name in (*REQUIRED_FILES, *OPTIONAL_FILES)
                     if f"{files.folder}/{name}" in failing or (name in REQUIRED_FILES and name not in files.files))


def check(source, names: list[str] | None = None, today: date | None = None,
          realisatie: Path | None = None) -> Checked:
    """Load and validate every region, collecting all problems; build a model where the files allow.

    With `realisatie`, each region's realisatie is read from that private folder (`<folder>/<regio>/`).
    """
    regions = {}
    problems = [Problem(f"{CONTENT}/{name}", 0, "", "deze regiomap is een symbolische koppeling naar een andere plek; "
                        "zet de bestanden van de regio zelf in deze map") for name in source.refused_regions()]
    root = source.git_root()
    for name in discover(source, names):
        if not REGION_NAME.match(name):
            problems.append(Problem(f"{CONTENT}/{name}", 0, "",
                                    "een regiomap heet in kleine letters, cijfers en streepjes (bijvoorbeeld west-brabant)"))
            continue
        files, found = load_region(source, name)
        if realisatie is not None:
            found += add_private_realisatie(files, realisatie)
        found += check_schemas(files)
        # A file that is missing or broken hides only the rules that need it: the others run on the rest.
        broken = broken_files(files, found)
        found += check_characters(files)
        region = build_region(with_placeholders(files, broken) if broken else files)
        whole = not errors(found)
        found += check_region(region, today, broken) + check_images(region) + check_comments(region)
        found += check_size(region)
        if "vaststellingen.yaml" not in broken:
            found += check_approvals(root, name, region.vaststellingen)
        if not broken:  # the administratie and the rapportages build on the whole plan
            found += check_realisatie(region) + check_reports(source, region, today)
        if whole:  # only a region whose files load and pass their schemas without errors is rendered
            regions[name] = region
        problems += found
    return Checked(regions, sorted(set(problems)))


@dataclass(frozen=True)
class Rendered:
    """One document of one region as HTML, and where its output goes (relative to the output folder)."""

    region: Region
    key: str
    html: str
    path: str
    source: str = ""  # the file a PDF problem points at; empty for a plan document (its own Markdown file)


@dataclass
class Built:
    problems: list[Problem]  # warnings only: a build with errors writes nothing
    written: list[Path]


def output_name(region: str, key: str, version: Version, fmt: str) -> str:
    """Return e.g. `lindewaard/regioplan-1a2b3c4d5e.pdf`: region folder, document, version."""
    return f"{region}/{key}-{version.slug}.{fmt}"


def statuses(source, regions: dict[str, Region], version: Version) -> dict[str, str]:
    """Return each region's document status: vastgesteld when a recorded decision covers this content."""
    root = source.git_root()
    return {name: document_status(version, find_approval(root, name, region.vaststellingen, source)
                                  if root is not None else None)
            for name, region in regions.items()}


def render_html(regions: dict[str, Region], version: Version, status: dict[str, str], fmt: str) -> list[Rendered]:
    """Render every document of every region to HTML, in a fixed order."""
    return [Rendered(region, key, render_document(region, key, version, status[name]),
                     output_name(name, key, version, fmt))
            for name, region in sorted(regions.items()) for key in DOCUMENTS]


def render_pdf(documents: list[Rendered], version: Version, variant: str,
               progress: Callable[[str], None] | None = None) -> list[bytes]:
    """Turn each document into PDF bytes; anything WeasyPrint complains about is a problem."""
    from . import pdf  # imported here: WeasyPrint takes half a second, and `validate` does not need it

    def done(i: int, result) -> None:
        if progress:
            progress(documents[i].path)

    jobs = [pdf.PdfJob(d.html, d.region.assets, version.date, variant) for d in documents]
    results = pdf.render_pdfs(jobs, on_done=done)
    problems = [Problem(d.source or d.region.documents[d.key].path, 0, "",
                        f"de PDF van {DOCUMENTS.get(d.key, d.key).lower()} kon niet zonder fouten gemaakt worden: {message}")
                for d, result in zip(documents, results) for message in result.messages]
    if problems:
        raise ContentError(problems)
    return [result.data for result in results]


def render_statements_html(regions: dict[str, Region], version: Version, fmt: str) -> list[Rendered]:
    """Render every statement to sign (Bijlagen 1, 2, 4, 6) of every region to HTML, in a fixed order."""
    return [Rendered(region, statement.kind, render_statement(region, statement, version),
                     statement_path(name, statement, version, fmt), statement.source(region))
            for name, region in sorted(regions.items()) for statement in statements(region)]


def html_bytes(documents: list[Rendered], progress: Callable[[str], None] | None = None) -> list[bytes]:
    """Return each document's HTML as the bytes of its file."""
    for d in documents:
        if progress:
            progress(d.path)
    return [d.html.encode("utf-8") for d in documents]


def write_all(output: Path, documents: list[Rendered], contents: list[bytes]) -> list[Path]:
    """Write each document's file below `output`, all of them together or none; return the paths written."""
    writer = Writer(output)
    with writer.together():
        for document, data in zip(documents, contents):
            writer.write(document.path, data)
    return writer.written


def render_reports_html(source, regions: dict[str, Region], version: Version, status: dict[str, str],
                        fmt: str) -> list[Rendered]:
    """Render every rapportage (voortgangsrapportage, eindverslag) of every region to HTML, in a fixed order."""
    from .reporting import rendered_reports  # reporting builds on this module
    return rendered_reports(source, regions, version, status, fmt)


def build(source, names: list[str] | None, today: date | None, fmt: str, variant: str, output: Path,
          progress: Callable[[str], None] | None = None, private: Path | None = None,
          realisatie: Path | None = None) -> Built:
    """Check, render and write the four documents and the rapportages of each region; write nothing if anything fails.

    With `private`, the statements to sign (personal data) are written below that folder, never below `output`;
    with `realisatie`, the realisatie is read from that private folder instead of the region's.
    """
    # discover, load, validate and model every region; stop before writing if any has errors
    checked = check(source, names, today, realisatie)
    if not checked.ok:
        raise ContentError(checked.problems)
    version = source.version()
    # render HTML, each region with its status (concept or vastgesteld)
    status = statuses(source, checked.regions, version)
    documents = render_html(checked.regions, version, status, fmt)
    documents += render_reports_html(source, checked.regions, version, status, fmt)
    signed = render_statements_html(checked.regions, version, fmt) if private is not None else []
    # make PDFs, or keep the HTML
    every = documents + signed
    contents = render_pdf(every, version, variant, progress) if fmt == "pdf" else html_bytes(every, progress)
    # write, all files of a folder together (staged, then renamed into place): the plan documents below
    # output, the statements below the private folder
    written = write_all(output, documents, contents[:len(documents)])
    if signed:
        written += write_all(private, signed, contents[len(documents):])
    return Built(checked.problems, written)
