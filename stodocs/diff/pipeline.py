"""The diff stages in order: read both versions, check them, compare, render the redline, make the files, write them."""
from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path

from ..load import PLAN_FILES, REQUIRED_FILES, RegionFiles, load_region
from ..model import Region, build_region
from ..pipeline import check, region_versions
from ..problems import ContentError, Problem, UsageError, errors
from ..sources import CONTENT, Version
from ..validate import check_schemas
from ..write import Writer
from ..approval import Approval, find_approval
from ..impact import Impact, classify
from ..proposal import proposal_markdown, with_proposal
from .changeset import ChangeSet, FileText, changeset_to_json, compare_regions
from ..render import document_status
from .summary import changeset_to_markdown, side_label

OUTPUT = "diffs"  # below the output folder
REALISATIE = "realisatie"  # the region's sub-folder with the projectadministratie (docs/privacy.md)


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


@dataclass(frozen=True)
class Side:
    """One version of one region, modelled as far as its files allow.

    `problems` are everything validation reports, paths as the user names them (REV:path for a revision);
    `broken` names the files (e.g. 'begroting.yaml') that could not be loaded or fail their schema.
    """

    present: bool
    region: Region | None
    problems: tuple[Problem, ...] = ()
    broken: frozenset[str] = frozenset()
    files: RegionFiles | None = None


def _planned(problems, name: str) -> list[Problem]:
    """Return the problems of the plan: the realisatie is no part of a comparison (it holds personal data)."""
    private = f"{CONTENT}/{name}/{REALISATIE}/"
    return [p for p in problems if not p.path.startswith(private)]


def _read_side(source, name: str, available: set[str]) -> Side:
    """Load, check and model one version of a region; no model when any of its files fails."""
    if name not in available:
        return Side(False, None)
    checked = check(source, [name], None)
    return Side(True, checked.regions.get(name), tuple(_named(_planned(checked.problems, name), source)))


def _with_files(side: Side, source, name: str) -> Side:
    """Return `side` with its loaded files and which of them fail, so that the other side's may stand in."""
    if not side.present or side.files is not None:
        return side
    files, found = load_region(source, name)
    folder = f"{CONTENT}/{name}/"
    broken = {p.path[len(folder):] for p in errors(found + check_schemas(files)) if p.path.startswith(folder)}
    broken |= {n for n in REQUIRED_FILES if n not in files.files}
    return replace(side, files=files, broken=frozenset(broken))


def _stand_in(side: Side, other: Side, name: str) -> Region | None:
    """Model a side whose own files do not all pass: each broken file is replaced by the other side's version."""
    if side.files is None:
        return None
    usable = {n: loaded for n, loaded in (other.files.files if other.files else {}).items() if n not in other.broken}
    merged = {n: loaded for n, loaded in side.files.files.items() if n not in side.broken}
    merged.update({n: usable[n] for n in side.broken if n in usable})
    if any(n not in merged for n in REQUIRED_FILES):
        return None
    return build_region(RegionFiles(name, merged, side.files.assets))


def _stood_in(side: Side, other: Side, name: str) -> Side:
    """Return `side` modelled with stand-ins (its problems, from check(), already cover its own files)."""
    if side.region is not None or not side.present:
        return side
    return replace(side, region=_stand_in(side, other, name))


def _named(problems, source) -> list[Problem]:
    """Return problems with their paths as the user names them: REV:path for a git revision."""
    if getattr(source, "rev", None):
        return [replace(p, path=f"{source.rev}:{p.path}") for p in problems]
    return list(problems)


def _text(source, path: str) -> str | None:
    read = source.read(path)
    return read.data.decode("utf-8", "replace") if read.data is not None else None


def compare_region(name: str, old_source, new_source, old: Side, new: Side,
                   versions, documents=(None, None)) -> tuple[Region | None, Region | None, ChangeSet]:
    """Compare one region's two sides; broken files are shown as text, the rest as a model comparison.

    `versions` are the revisions compared, `documents` the versions the region's documents carry on each side.
    Returns the two models compared (None for a side that is absent or could not be modelled) and the change set.
    """
    old_version, new_version = versions
    if (old.present and old.region is None) or (new.present and new.region is None):
        old, new = _with_files(old, old_source, name), _with_files(new, new_source, name)
        old = _stood_in(old, new, name)
        new = _stood_in(new, old, name)
    broken = old.broken | new.broken
    old_model, new_model = old.region, new.region
    if (old.present and old_model is None) or (new.present and new_model is None):
        # Not even with stand-ins: compare every file as text.
        old_model = new_model = None
        broken = {n for side in (old, new) if side.files for n in side.files.files} | broken
    texts = []
    for n in sorted(n for n in broken if not n.startswith(f"{REALISATIE}/")):  # never the realisatie: personal data
        path = f"{CONTENT}/{name}/{n}"
        before = _text(old_source, path) if old.present else None
        after = _text(new_source, path) if new.present else None
        if before != after and n in PLAN_FILES:
            texts.append(FileText(path, before, after))
        elif before != after:  # any other file may hold anything (a misplaced personeel.yaml): its name only
            texts.append(FileText(path, None if before is None else "", None if after is None else "", shown=False))
    changeset = compare_regions(name, old_model, new_model, old_version if old.present else None,
                                new_version if new.present else None)
    changeset = replace(changeset, old_problems=old.problems, new_problems=new.problems, files=tuple(texts),
                        old_documents=documents[0] if old.present else None,
                        new_documents=documents[1] if new.present else None)
    return old_model, new_model, changeset


def compare_sources(old_source, new_source, wanted: list[str] | None = None) -> list[Compared]:
    """Load, check and compare both versions of every region; content problems never stop the comparison."""
    names = _names(old_source, new_source, wanted)
    old_available, new_available = set(old_source.region_names()), set(new_source.region_names())
    versions = (old_source.version(), new_source.version())
    root = new_source.git_root() or old_source.git_root()
    # each side's documents carry the region's own version, as a build of that side prints it
    old_documents = region_versions(old_source, [n for n in names if n in old_available])
    new_documents = region_versions(new_source, [n for n in names if n in new_available])
    out = []
    for name in names:
        old, new = _read_side(old_source, name, old_available), _read_side(new_source, name, new_available)
        old_model, new_model, changeset = compare_region(name, old_source, new_source, old, new, versions,
                                                         (old_documents.get(name), new_documents.get(name)))
        # The newest register of decisions judges both sides: an old version may be approved later.
        either = new_model or old_model
        records = either.vaststellingen if either else ()
        approvals = [find_approval(root, name, records, source) if region and root else None
                     for region, source in ((old_model, old_source), (new_model, new_source))]
        out.append(Compared(name, old_model, new_model, changeset, *approvals))
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
    """Return (Van/Naar, version as the documents print it, status) for each side of the comparison that exists."""
    cs = compared.changeset
    return tuple((role, side_label(documents, version), document_status(documents or version, approval))
                 for role, version, documents, approval in (
                     ("Van", cs.old, cs.old_documents, compared.old_approval),
                     ("Naar", cs.new, cs.new_documents, compared.new_approval))
                 if version is not None)


def region_name(compared: Compared) -> str:
    """Return the region's name as its documents give it (`Techniekregio Lindewaard`), else its folder."""
    region = compared.new or compared.old
    return region.naam if region is not None else compared.name


def summary_markdown(compared: Compared, compact_only: bool = False) -> str:
    """Return a region's Markdown summary for a proposal: the changes (linking the redlines), then the Wijzigingsvoorstel."""
    links = [f"{file_stem(compared, compact)}.pdf" for compact in ((True,) if compact_only else (False, True))]
    return (changeset_to_markdown(compared.changeset, links, region_name(compared)).rstrip("\n") + "\n\n"
            + proposal_markdown(impact_of(compared), level=3, versions=version_rows(compared)))


@dataclass(frozen=True)
class Redline:
    """One redline of one region: its HTML and where its PDF and HTML go (without extension)."""

    compared: Compared
    base: str
    html: str


def redlines(compared: Compared, compact_only: bool = False) -> list[Redline]:
    """Return the region's redlines as HTML: the full one and the compact one (or only the compact one)."""
    from .document import render_redline

    cs = compared.changeset
    impact, versions = impact_of(compared), version_rows(compared)
    out = []
    for compact in ((True,) if compact_only else (False, True)):
        html = render_redline(cs, compared.old, compared.new, only_changes=compact,
                              approvals=(compared.old_approval, compared.new_approval),
                              other="" if compact_only else file_stem(compared, not compact), impact=impact)
        out.append(Redline(compared, diff_base(compared, compact), with_proposal(html, impact, versions)))
    return out


def summary_files(compared: Compared, compact_only: bool = False) -> dict[str, bytes]:
    """Return the region's Markdown summary (with the Wijzigingsvoorstel) and its change set as JSON."""
    base = diff_base(compared)
    return {f"{base}.md": summary_markdown(compared, compact_only).encode("utf-8"),
            f"{base}.json": changeset_to_json(compared.changeset).encode("utf-8")}


def diff_files(compared: Compared, compact_only: bool = False) -> tuple[dict[str, bytes], tuple[str, ...]]:
    """Return one region's diff files by path below the output folder, and what WeasyPrint reported."""
    [(files, messages)] = make_files([compared], compact_only)
    return files, messages


def make_files(changed: list[Compared], compact_only: bool = False,
               workers: int | None = None) -> list[tuple[dict[str, bytes], tuple[str, ...]]]:
    """Return per region its diff files (redline PDFs and HTML, summary, change set) and WeasyPrint's messages.

    Every region's redlines are laid out in the same `workers` processes as a build (default: pdf.WORKERS).
    """
    if not changed:
        return []
    from .. import pdf  # WeasyPrint is imported only when a PDF is made

    made = [redlines(c, compact_only) for c in changed]
    jobs = [pdf.PdfJob(r.html, _assets(r.compared), (r.compared.changeset.new or r.compared.changeset.old).date)
            for lines in made for r in lines]
    results = iter(pdf.render_pdfs(jobs, workers or pdf.WORKERS))
    out = []
    for compared, lines in zip(changed, made):
        files, messages = summary_files(compared, compact_only), ()
        for line in lines:
            result = next(results)
            files[f"{line.base}.pdf"] = result.data
            files[f"{line.base}.html"] = line.html.encode("utf-8")
            messages += tuple(result.messages)
        out.append((dict(sorted(files.items())), messages))
    return out


def _assets(compared: Compared) -> dict[str, bytes]:
    return {**(compared.old.assets if compared.old else {}), **(compared.new.assets if compared.new else {})}


def diff(old_source, new_source, names: list[str] | None, output: Path, compact_only: bool = False,
         workers: int | None = None) -> list[Compared]:
    """Compare, render and write the diff files of each changed region; write nothing if a PDF fails.

    Content problems never stop a diff: they are shown in the redline, and the caller sets the exit code.
    """
    # load, check and compare both versions of every region, each modelled as far as its files allow
    compared = compare_sources(old_source, new_source, names)
    changed = [c for c in compared if not c.changeset.empty]
    # make every changed region's files: redline PDFs and HTML (full and compact), summary, change set
    made = make_files(changed, compact_only, workers)
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
