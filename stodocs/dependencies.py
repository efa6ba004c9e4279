"""What a region's documents depend on, and so which regions a change touches.

One place for this notion: the CI job matrix (`build.py regios --gewijzigd-sinds`) uses it, and so do the
version a region's documents carry (its last change, `last_changes`) and the incremental build (incremental.py).
"""
from __future__ import annotations

from pathlib import Path, PurePosixPath
from typing import Iterable

from .sources import CONTENT, log_paths

# Inputs every region's documents are made from, besides the region's own folder: the templates (CSS and fonts
# included), the schemas, the library, the command line and the installed dependencies.
SHARED_INPUTS = ("templates/", "schemas/", "stodocs/", "build.py", "pyproject.toml", "requirements.lock")
# Inside those, what no document is made from: the files `build.py nieuwe-regio` copies.
NOT_INPUTS = ("templates/nieuwe-regio/",)


def region_of(path: str) -> str | None:
    """Return the region a repository path belongs to (`content/<regio>/...`), or None."""
    parts = PurePosixPath(path).parts
    return parts[1] if len(parts) > 2 and parts[0] == CONTENT else None


def is_shared(path: str) -> bool:
    """Return whether a change to this repository path changes every region's documents."""
    if path.startswith(NOT_INPUTS):
        return False
    return any(path == shared or (shared.endswith("/") and path.startswith(shared)) for shared in SHARED_INPUTS)


def regions_affected(changed: Iterable[str], regions: Iterable[str]) -> list[str]:
    """Return, sorted, the regions (of `regions`) whose documents depend on any of the changed paths."""
    regions = sorted(set(regions))
    changed = list(changed)
    if any(is_shared(path) for path in changed):
        return regions
    touched = {region_of(path) for path in changed}
    return [name for name in regions if name in touched]


def last_changes(root: Path, rev: str, regions: Iterable[str]) -> dict[str, tuple[str, int]]:
    """Return, for each region, the last commit up to `rev` (first parents only) that changed its inputs:
    region -> (commit, commit time). A region no commit touched is left out.

    `root` is the project folder (it may lie below the repository's top). The history is read newest first and
    only until every region is placed, so the cost does not grow with the number of regions: a commit that
    touches a shared input places every region still open.
    """
    open_ = set(regions)
    found: dict[str, tuple[str, int]] = {}
    if not open_:
        return found
    specs = [f"{CONTENT}/", *SHARED_INPUTS, *(f":(exclude){path}" for path in NOT_INPUTS)]
    for commit, stamp, path in log_paths(root, rev, specs):
        touched = set(open_) if is_shared(path) else ({region_of(path)} & open_)
        for name in touched:
            found[name] = (commit, stamp)
        open_ -= touched
        if not open_:
            break
    return found
