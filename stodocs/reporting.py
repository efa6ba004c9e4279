"""The rapportage stages in order: check the region, load its rapportages and realisatie, work out, render, write."""
from __future__ import annotations

from datetime import date

from .pipeline import check
from .problems import ContentError
from .reports import load_reports
from .status import Status, region_status


def statuses_of(source, names: list[str] | None, today: date) -> list[tuple[Status, str]]:
    """Return each region's status on `today` with its name; content errors raise, as in a build."""
    checked = check(source, names, None)
    if not checked.ok:
        raise ContentError(checked.problems)
    out = []
    for name, region in sorted(checked.regions.items()):
        reports, _ = load_reports(source, name)  # their problems are in checked.problems already
        out.append((region_status(region, reports, today), region.naam))
    return out
