"""The diff stages in order: read both versions, check them, compare, render the redline, make the files, write them."""
from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path
from typing import Mapping

from ..model import Region
from ..pipeline import check
from ..problems import ContentError, Problem, UsageError, errors
from ..sources import CONTENT, Version
from ..write import Writer
from .changeset import ChangeSet, changeset_to_json, compare_regions
from ..approval import Approval, find_approval
from ..impact import Impact, classify
from ..proposal import proposal_markdown, with_proposal
from .summary import changeset_to_markdown

OUTPUT = "diffs"  # below the output folder


@dataclass(frozen=True)
class Compared:
    """One region in both versions (either may be None) and what changed."""

    name: str
    old: Region | None
    new: Region | None
    changeset: ChangeSet
    old_approval: Approval | None = None
    new_approval: Approval | None = None


def _names(old_source, new_source, wanted: list[str] | None) -> list[str]:
    available = sorted(set(old_source.region_names()) | set(new_source.region_names()))
    if not wanted:
        if not available:
            raise UsageError("geen regio's gevonden onder content/ in beide versies")
        return available
    for name in wanted:
        if name not in available:
            raise UsageError(f"regio '{name}' bestaat in geen van beide versies; beschikbaar: {', '.join(available)}")
    return sorted(set(wanted))


def _checked(source, names: list[str]) -> tuple[dict[str, Region], list[Problem]]:
    available = set(source.region_names())  # lists the folder or the git tree: once, not once per name
    present = [n for n in names if n in available]
    if not present:
        return {}, []
    checked = check(source, present, None)
    found = errors(checked.problems)
    if getattr(source, "rev", None):  # name the revision the way git does: REV:path
        found = [replace(p, path=f"{source.rev}:{p.path}") for p in found]
    return checked.regions, found


def compare_sources(old_source, new_source, wanted: list[str] | None = None) -> list[Compared]:
    """Load and check both versions of every region, then compare; all problems of both raise together."""
    names = _names(old_source, new_source, wanted)
    old_regions, old_problems = _checked(old_source, names)
    new_regions, new_problems = _checked(new_source, names)
    if old_problems or new_problems:
        raise ContentError(old_problems + new_problems)
    old_version, new_version = old_source.version(), new_source.version()
    root = new_source.git_root() or old_source.git_root()
    out = []
    for name in names:
        old, new = old_regions.get(name), new_regions.get(name)
        changeset = compare_regions(name, old, new, old_version if old else None, new_version if new else None)
        # The newest register of decisions judges both sides: an old version may be approved later.
        records = (new or old).vaststellingen
        approvals = [find_approval(root, name, records, source) if region and root else None
                     for region, source in ((old, old_source), (new, new_source))]
        out.append(Compared(name, old, new, changeset, *approvals))
    return out


def _slug(version: Version | None, missing: str) -> str:
    return version.slug if version is not None else missing


ONLY_CHANGES_SUFFIX = "-alleen-wijzigingen"  # the shortened redline must not overwrite the full one


def file_stem(compared: Compared, only_changes: bool = False) -> str:
    """Return the name shared by a region's diff files: region, old version, new version (and whether shortened)."""
    cs = compared.changeset
    stem = f"{compared.name}-{_slug(cs.old, 'geen')}-naar-{_slug(cs.new, 'verwijderd')}"
    return stem + (ONLY_CHANGES_SUFFIX if only_changes else "")


def diff_base(compared: Compared, only_changes: bool = False) -> str:
    """Return where a region's diff files go below the output folder, without the extension."""
    return f"{OUTPUT}/{compared.name}/{file_stem(compared, only_changes)}"


def impact_of(compared: Compared) -> Impact:
    """Classify the changes; the old version is "de vastgestelde versie" only when a body approved it."""
    return classify(compared.changeset, compared.old, compared.new,
                    old_approved=compared.old_approval is not None)


def version_rows(compared: Compared) -> tuple[tuple[str, str, str], ...]:
    """Return (Van/Naar, version label, status) for each side of the comparison that exists."""
    from ..render import document_status
    from .summary import version_label
    cs = compared.changeset
    return tuple((role, version_label(version), document_status(version, approval))
                 for role, region, version, approval in (("Van", compared.old, cs.old, compared.old_approval),
                                                         ("Naar", compared.new, cs.new, compared.new_approval))
                 if region is not None and version is not None)


def summary_markdown(compared: Compared) -> str:
    """Return a region's Markdown summary for a proposal: the changes, then the Wijzigingsvoorstel."""
    return (changeset_to_markdown(compared.changeset).rstrip("\n") + "\n\n"
            + proposal_markdown(impact_of(compared), level=3, versions=version_rows(compared)))


@dataclass(frozen=True)
class DiffPage:
    """A region's diff before its PDF is made: the redline's HTML, what the PDF needs, and the other files."""

    base: str  # the path of the files below the output folder, without suffix
    html: str
    assets: Mapping[str, bytes]
    date: datetime
    other: dict[str, bytes]  # summary and change set, by path

    def files(self, pdf: bytes) -> dict[str, bytes]:
        return {f"{self.base}.pdf": pdf, f"{self.base}.html": self.html.encode("utf-8"), **self.other}


def diff_page(compared: Compared, only_changes: bool = False) -> DiffPage:
    """Return a region's redline as HTML, with its summary and change set."""
    from .document import render_redline

    cs = compared.changeset
    impact = impact_of(compared)
    versions = version_rows(compared)
    html = with_proposal(render_redline(cs, compared.old, compared.new, only_changes=only_changes,
                                        approvals=(compared.old_approval, compared.new_approval)), impact, versions)
    assets = {**(compared.old.assets if compared.old else {}), **(compared.new.assets if compared.new else {})}
    dated = cs.new or cs.old
    base = diff_base(compared, only_changes)
    return DiffPage(base, html, assets, dated.date, {f"{base}.md": summary_markdown(compared).encode("utf-8"),
                                                     f"{base}.json": changeset_to_json(cs).encode("utf-8")})


def diff_files(compared: Compared, only_changes: bool = False) -> tuple[dict[str, bytes], tuple[str, ...]]:
    """Return the region's diff files by path below the output folder (redline PDF and HTML, summary, change set) and what
    WeasyPrint reported while making the PDF."""
    from ..pdf import PdfJob, html_to_pdf  # WeasyPrint is imported only when a PDF is made
    page = diff_page(compared, only_changes)
    pdf = html_to_pdf(PdfJob(page.html, page.assets, page.date))
    return page.files(pdf.data), pdf.messages


def diff(old_source, new_source, names: list[str] | None, output: Path, only_changes: bool = False,
         workers: int | None = None) -> list[Compared]:
    """Compare, render and write the diff files of each changed region; write nothing if anything fails.

    The redline PDFs are made in `workers` processes, as in a build (default: pdf.WORKERS).
    """
    # load, check and compare both versions of every region; stop before writing if any has errors
    compared = compare_sources(old_source, new_source, names)
    changed = [c for c in compared if not c.changeset.empty]
    # make every changed region's files: redline HTML, summary, change set; then the PDFs, in parallel
    pages = [diff_page(c, only_changes) for c in changed]
    made = []
    if pages:
        from .. import pdf  # WeasyPrint is imported only when a PDF is made
        results = pdf.render_pdfs([pdf.PdfJob(p.html, p.assets, p.date) for p in pages], workers or pdf.WORKERS)
        made = [(page.files(result.data), result.messages) for page, result in zip(pages, results)]
    # anything WeasyPrint complained about is a problem, as in a build
    problems = [Problem(f"{CONTENT}/{c.name}", 0, "",
                        f"de PDF met de wijzigingen kon niet zonder fouten gemaakt worden: {message}")
                for c, (_, messages) in zip(changed, made) for message in messages]
    if problems:
        raise ContentError(problems)
    # write, all files together (staged, then renamed into place)
    writer = Writer(output)
    with writer.together():
        for files, _ in made:
            for path, data in files.items():
                writer.write(path, data)
    return compared
