"""The stages in order: discover, load, validate, model (then render, PDF, write)."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from .approval import check_approvals, git_root
from .load import load_region
from .model import Region, build_region
from .problems import Problem, UsageError, errors
from .sources import REGION_NAME
from .validate import check_region, check_schemas


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


def check(source, names: list[str] | None = None, today: date | None = None) -> Checked:
    """Load and validate every region, collecting all problems; build a model where the files allow."""
    regions, problems = {}, []
    root = git_root(source)
    for name in discover(source, names):
        if not REGION_NAME.match(name):
            problems.append(Problem(f"content/{name}", 0, "",
                                    "een regiomap heet in kleine letters, cijfers en streepjes (bijvoorbeeld west-brabant)"))
            continue
        files, found = load_region(source, name)
        found += check_schemas(files)
        if not errors(found):
            region = build_region(files)
            found += check_region(region, today)
            if region.vaststellingen:
                found += (check_approvals(root, name, region.vaststellingen) if root is not None else
                          [Problem(region.vaststellingen[0].place.path, region.vaststellingen[0].place.line, "commit",
                                   "vaststellingen verwijzen naar git-commits, maar deze map is geen git-repository")])
            regions[name] = region
        problems += found
    return Checked(regions, sorted(set(problems)))
