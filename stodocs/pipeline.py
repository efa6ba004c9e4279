"""The stages in order: discover, load, validate, model, render HTML, PDF, write."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Callable, Mapping

from .administratie.private import add_private_realisatie
from .administratie.statements import render_statement, statement_path, statement_state, statements
from .administratie.validate import check_realisatie
from .incremental import MANIFEST, Manifest, document_key, region_key, settings_of, shared_inputs
from .approval import check_approvals, find_approval
from .fonts import check_characters
from .load import OPTIONAL_FILES, REQUIRED_FILES, RegionFiles, load_region
from .markdown import check_comments, check_images, check_size
from .model import DOCUMENTS, Region, build_region, with_placeholders
from .problems import WARNING, ContentError, Problem, UsageError, errors
from .render import document_status, render_document
from .verantwoording.reports import check_reports, load_reports, load_steps
from .sources import CONTENT, REGION_NAME, GitRevision, MissingRevision, Version
from .validate import check_region, check_schemas
from .write import Writer

Versions = Mapping[str, Version]  # the version each region's documents carry (sources.region_versions)


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
          realisatie: Path | None = None, basisplans: bool = True) -> Checked:
    """Load and validate every region, collecting all problems; build a model where the files allow.

    With `realisatie`, each region's realisatie is read from that private folder (`<folder>/<regio>/`). With
    `basisplans`, a rapportage's basisplan must be a revision whose plan can be read, as the build needs it.
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
            found += check_basisplans(source, region) if basisplans else []
        if whole:  # only a region whose files load and pass their schemas without errors is rendered
            regions[name] = region
        problems += found
    return Checked(regions, sorted(set(problems)))


def check_basisplans(source, region: Region) -> list[Problem]:
    """Return a problem for each rapportage whose basisplan a build could not use: a revision git does not know,
    or one in which the region's plan cannot be read. So validate says it, and a green proposal builds on main."""
    reports, _ = load_reports(source, region.id)
    root = source.git_root()
    problems = []
    for report in reports.values():
        if not report.basisplan:
            continue
        where = (report.path, report.place.of("basisplan"), "basisplan")
        try:
            if root is None:
                raise MissingRevision(report.basisplan, "het basisplan is een git-revisie, maar deze map staat niet in git")
            old = GitRevision(root, report.basisplan)
        except MissingRevision as exc:
            problems.append(Problem(*where, exc.message))
            continue
        except UsageError as exc:
            problems.append(Problem(*where, str(exc)))
            continue
        if region.id not in old.region_names() or region.id not in check(old, [region.id], basisplans=False).regions:
            problems.append(Problem(*where, f"het plan van {region.id} in revisie {report.basisplan} kan niet gelezen "
                                            "worden; kies een revisie waarin het plan zonder fouten is"))
    return problems


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
    unchanged: list[str] = field(default_factory=list)  # regions left alone: nothing they depend on changed


def output_name(region: str, key: str, version: Version, fmt: str) -> str:
    """Return e.g. `lindewaard/regioplan-1a2b3c4d5e.pdf`: region folder, document, version."""
    return f"{region}/{key}-{version.slug}.{fmt}"


def region_versions(source, names: list[str]) -> dict[str, Version]:
    """Return the version each region's documents carry: the last change to the region's inputs (see
    sources.WorkingTree.region_versions), so a commit that leaves a region alone leaves its documents alone."""
    return source.region_versions(names) if hasattr(source, "region_versions") else \
        {name: source.version() for name in names}


def version_of(versions: Version | Versions, name: str) -> Version:
    """Return region `name`'s version: `versions` itself when one version holds for all."""
    return versions if isinstance(versions, Version) else versions[name]


def statuses(source, regions: dict[str, Region], version: Version | Versions) -> dict[str, str]:
    """Return each region's document status: vastgesteld when a recorded decision covers this content."""
    root = source.git_root()
    return {name: document_status(version_of(version, name), find_approval(root, name, region.vaststellingen, source)
                                  if root is not None else None)
            for name, region in regions.items()}


def render_html(regions: dict[str, Region], version: Version | Versions, status: dict[str, str],
                fmt: str) -> list[Rendered]:
    """Render every document of every region to HTML, in a fixed order."""
    return [Rendered(region, key, render_document(region, key, version_of(version, name), status[name]),
                     output_name(name, key, version_of(version, name), fmt))
            for name, region in sorted(regions.items()) for key in DOCUMENTS]


def render_pdf(documents: list[Rendered], version: Version | Versions, variant: str,
               progress: Callable[[str], None] | None = None, workers: int | None = None) -> list[bytes]:
    """Turn each document into PDF bytes (in `workers` processes); anything WeasyPrint complains about is a problem."""
    if not documents:  # nothing to lay out: not even WeasyPrint's import (half a second) is paid
        return []
    from . import pdf  # imported here: WeasyPrint takes half a second, and `validate` does not need it

    def done(i: int, result) -> None:
        if progress:
            progress(documents[i].path)

    jobs = [pdf.PdfJob(d.html, d.region.assets, version_of(version, d.region.id).date, variant) for d in documents]
    results = pdf.render_pdfs(jobs, workers or pdf.WORKERS, on_done=done)
    problems = [Problem(d.source or d.region.documents[d.key].path, 0, "",
                        f"de PDF van {DOCUMENTS.get(d.key, d.key).lower()} kon niet zonder fouten gemaakt worden: {message}")
                for d, result in zip(documents, results) for message in result.messages]
    if problems:
        raise ContentError(problems)
    return [result.data for result in results]


def render_statements_html(regions: dict[str, Region], version: Version | Versions, fmt: str,
                           steps: dict[str, tuple] | None = None) -> list[Rendered]:
    """Render every statement to sign (Bijlagen 1, 2, 4, 6) of every region to HTML, in a fixed order.

    `steps` holds each region's recorded steps (rapportages/indieningen.yaml): a statement's status comes from them.
    """
    out = []
    for name, region in sorted(regions.items()):
        own = version_of(version, name)
        for statement in statements(region):
            state = statement_state(region, statement, (steps or {}).get(name, ()))
            out.append(Rendered(region, statement.kind, render_statement(region, statement, own, state),
                                statement_path(name, statement, own, fmt, state), statement.source(region)))
    return out


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


def render_reports_html(source, regions: dict[str, Region], version: Version | Versions, fmt: str) -> list[Rendered]:
    """Render every rapportage (voortgangsrapportage, eindverslag) of every region to HTML, in a fixed order."""
    from .verantwoording.reporting import rendered_reports  # reporting builds on this module
    return rendered_reports(source, regions, version, fmt)


def build(source, names: list[str] | None, today: date | None, fmt: str, variant: str, output: Path,
          progress: Callable[[str], None] | None = None, private: Path | None = None,
          realisatie: Path | None = None, workers: int | None = None, force: bool = False) -> Built:
    """Check, render and write the four documents and the rapportages of each region; write nothing if anything fails.

    With `private`, the statements to sign (personal data) are written below that folder, never below `output`;
    with `realisatie`, the realisatie is read from that private folder instead of the region's. Only what changed
    is built again (incremental.py), unless `force`; `workers` PDF processes (default: pdf.WORKERS).
    """
    # discover; leave out every region whose inputs and files are as the last build left them
    wanted = discover(source, names)
    versions = region_versions(source, wanted)
    plan = Plan(source, output, private, settings_of(fmt, variant, today, private, realisatie), versions, force)
    todo = [name for name in wanted if not plan.region_fresh(name)]
    # load, validate and model every other region; stop before writing if any has errors
    checked = check(source, todo, today, realisatie) if todo else Checked({}, [])
    if not checked.ok:
        raise ContentError(checked.problems)
    # render HTML, each region with its own version and status (concept or vastgesteld)
    status = statuses(source, checked.regions, versions)
    documents = render_html(checked.regions, versions, status, fmt)
    documents += render_reports_html(source, checked.regions, versions, fmt)
    steps = {name: load_steps(source, name)[0] for name in checked.regions}
    signed = render_statements_html(checked.regions, versions, fmt, steps) if private is not None else []
    # make PDFs (or keep the HTML) of the documents whose file is not already made from the same HTML
    every = [d for d in documents if not plan.file_fresh(d, plan.output)]
    every += [d for d in signed if not plan.file_fresh(d, plan.private)]
    contents = render_pdf(every, versions, variant, progress, workers) if fmt == "pdf" else html_bytes(every, progress)
    made = dict(zip(map(id, every), contents))
    # write, all files of a folder together (staged, then renamed into place): the plan documents below
    # output, the statements below the private folder
    written = write_all(output, *_made(documents, made))
    if signed:
        written += write_all(private, *_made(signed, made))
    # remember what each file and region was made from (warnings: validated again next time)
    plan.record(checked, documents, signed)
    return Built(checked.problems + plan.damage(), written, [name for name in wanted if name not in todo])


class Plan:
    """What this build may leave alone, from the manifests of the output (and private) folder."""

    def __init__(self, source, output: Path, private: Path | None, settings: dict, versions: Versions, force: bool):
        self.output = Manifest.load(output)
        self.private = Manifest.load(private) if private is not None else None
        self.force = force or bool(source.refused_regions())  # a linked region folder: check every region
        self.shared = shared_inputs(getattr(source, "root", Path(".")))
        self.keys = {name: region_key(source, name, self.shared, version, settings) for name, version in versions.items()}
        self.settings = settings
        self.versions = versions

    def damage(self) -> list[Problem]:
        """Return a warning per damaged manifest: this build made everything again and wrote a new one."""
        return [Problem(str(m.folder / MANIFEST), 0, "", "dit bestand was beschadigd (geen geldig overzicht van de "
                        "vorige build); alles is opnieuw gemaakt en het bestand is vervangen", WARNING)
                for m in self._manifests() if m.damaged]

    def region_fresh(self, name: str) -> bool:
        return not self.force and all(m.region_fresh(name, self.keys[name]) for m in self._manifests())

    def _manifests(self) -> list[Manifest]:
        return [self.output] + ([self.private] if self.private is not None else [])

    def _key(self, document: Rendered) -> str:
        return document_key(self.shared, document.html, document.region.assets,
                            self.versions[document.region.id].date, self.settings["format"], self.settings["variant"])

    def file_fresh(self, document: Rendered, manifest: Manifest | None) -> bool:
        """Return whether `document`'s file is on disk as made from this very HTML (and images, date, ...)."""
        return not self.force and manifest is not None and manifest.intact(document.path, self._key(document))

    def record(self, checked: Checked, documents: list[Rendered], signed: list[Rendered]) -> None:
        warned = {_region_of(p.path) for p in checked.problems}
        for manifest, rendered in ((self.output, documents), (self.private, signed)):
            if manifest is None:
                continue
            for document in rendered:
                manifest.record_file(document.path, self._key(document))
            for name in checked.regions:
                files = [d.path for d in rendered if d.region.id == name]
                fresh = name not in warned and None not in warned
                manifest.record_region(name, self.keys[name] if fresh else None, files)
            if manifest.changed():
                Writer(manifest.folder).write(MANIFEST, manifest.data())


def _region_of(path: str) -> str | None:
    """Return the region a problem's path lies in (content/<regio>/...), or None when it names no region."""
    parts = path.split("/")
    return parts[1] if len(parts) > 2 and parts[0] == CONTENT else None


def _made(documents: list[Rendered], made: dict[int, bytes]) -> tuple[list[Rendered], list[bytes]]:
    """Return the documents made in this build, and their contents."""
    new = [d for d in documents if id(d) in made]
    return new, [made[id(d)] for d in new]
