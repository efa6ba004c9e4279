"""`build.py status`: the next deadline of a region, what is still missing for it, and what is at risk.

Findings are Problems (a place and a Dutch message), so they print as `path:line: message`; within
WARN_DAYS of the deadline they are warnings, earlier they are notes.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from .formatting import euro, long_date, percentage
from .model import YEARS, Region
from .problems import WARNING, Problem
from .reports import FOLDER, MAIN_FILE, Report, report_folder
from .schedule import CALENDAR, REPORT_TITLES, WARN_DAYS, Deadline, due_soon, next_deadline

NOTE = "opmerking"  # a finding that is not yet urgent: printed without a prefix, never an error
# Spending in a closed year this far behind the plan is a risk (a fraction of the planned cost).
BEHIND_THRESHOLD = Decimal("0.20")


@dataclass(frozen=True)
class DeadlineStatus:
    deadline: Deadline
    days: int
    missing: tuple[Problem, ...]


@dataclass(frozen=True)
class Status:
    """A region's status on `today`: the deadlines it must look at and the risks it runs."""

    region: str
    today: date
    deadlines: tuple[DeadlineStatus, ...]
    risks: tuple[Problem, ...]

    @property
    def problems(self) -> list[Problem]:
        return [p for d in self.deadlines for p in d.missing] + list(self.risks)


def _month(day: date) -> str:
    return f"{day:%Y-%m}"


def _started(region: Region, by: date) -> list:
    """Return the activities that started by `by`: they owe a progress text."""
    return [a for a in region.activiteiten if a.start <= _month(by)]


def _missing_texts(region: Region, deadline: Deadline, report: Report | None) -> list[Problem]:
    folder = report_folder(region.id, deadline.jaar)
    title = REPORT_TITLES["eindverslag" if deadline.kind == "eindverslag" else "voortgangsrapportage"]
    if report is None:
        return [Problem(f"{folder}/{MAIN_FILE}", 0, "",
                        f"de {title.lower()} ({deadline.jaar}) is nog niet begonnen: maak {folder}/{MAIN_FILE} "
                        "met titel en peildatum, en per activiteit een tekst (zie docs/verantwoording.md)")]
    out = []
    for activity in _started(region, report.peildatum):
        progress = report.voortgang.get(activity.id)
        if progress is None:
            out.append(Problem(f"{folder}/{activity.id}.md", 0, "",
                               f"voortgangstekst ontbreekt voor activiteit '{activity.id}' ({activity.naam}), die "
                               f"begon in {activity.start}; maak dit bestand aan"))
        elif len(progress.resultaten) < len(activity.resultaten):
            out.append(Problem(progress.path, progress.place.of("resultaten"), "resultaten",
                               f"de stand van {len(activity.resultaten) - len(progress.resultaten)} van de "
                               f"{len(activity.resultaten)} resultaten uit het plan ontbreekt"))
        elif not progress.body.strip():
            out.append(Problem(progress.path, progress.body_line, "",
                               f"de tekst over activiteit '{activity.id}' is leeg; beschrijf wat er bereikt is"))
    reported = {i.doelstelling for i in report.indicatoren}
    for doel in region.doelstellingen:
        if doel.indicator and doel.id not in reported:
            out.append(Problem(report.path, report.place.of("indicatoren"), "indicatoren",
                               f"de stand van de indicator van doelstelling '{doel.id}' ontbreekt; voeg onder "
                               f"'indicatoren:' een regel '{doel.id}: ...' toe"))
    if deadline.kind == "eindverslag":
        for activity in region.activiteiten:
            progress = report.voortgang.get(activity.id)
            status = progress.status if progress else activity.status
            if status not in ("afgerond", "vervallen"):
                out.append(Problem(progress.path if progress else activity.place.path,
                                   progress.place.of("status") if progress else activity.place.of("status"), "status",
                                   f"activiteit '{activity.id}' staat op '{status}'; in het eindverslag is elke "
                                   "activiteit afgerond of vervallen"))
    return out


def _unplanned_years(region: Region, years: tuple[int, ...]) -> list[Problem]:
    """Activities running in `years` without a budget line in that year: the plan is not worked out."""
    budgeted = {(line.activiteit, line.jaar) for line in region.begroting.lines}
    out = []
    for activity in region.activiteiten:
        if activity.status == "vervallen":
            continue
        for year in years:
            runs = activity.start[:4] <= str(year) <= activity.eind[:4]
            if runs and (activity.id, year) not in budgeted:
                out.append(Problem(activity.place.path, activity.place.line, activity.place.name("id"),
                                   f"activiteit '{activity.id}' loopt in {year} maar heeft voor {year} geen "
                                   "begrotingsregels; werk de begroting voor dat jaar uit in begroting.yaml"))
    return out


def missing_for(deadline: Deadline, region: Region, reports: dict[int, Report], accounts=None) -> list[Problem]:
    """Return what `region` still lacks for `deadline`; `accounts` (accounts.Accounts) adds the realisatie checks."""
    out: list[Problem] = []
    if deadline.key == "plan-2025-2026":
        out += _unplanned_years(region, (2025, 2026))
    if deadline.kind in ("voortgang", "eindverslag"):
        out += _missing_texts(region, deadline, reports.get(deadline.jaar))
    if deadline.key == "voortgang-2026":
        out += _unplanned_years(region, (2027, 2028))
    if accounts is not None:
        out += accounts.missing_for(deadline)
    return out


def risks(region: Region, reports: dict[int, Report], today: date, accounts=None) -> list[Problem]:
    """Return what is at risk on `today`: delayed activities, spending behind plan, subsidy to be reclaimed."""
    out = []
    latest = max(reports.values(), key=lambda r: r.jaar, default=None)
    for activity in region.activiteiten:
        progress = latest.voortgang.get(activity.id) if latest else None
        status = progress.status if progress else activity.status
        if status == "vertraagd":
            where = progress.place if progress else activity.place
            out.append(Problem(where.path, where.of("status"), "status",
                               f"activiteit '{activity.id}' is vertraagd; meld dat aan DUS-I met het wijzigingsformulier "
                               "en leg het besluit vast volgens de wijzigingsprocedure"))
        if status not in ("afgerond", "vervallen") and activity.eind < _month(today):
            out.append(Problem(activity.place.path, activity.place.of("eind"), "eind",
                               f"activiteit '{activity.id}' had in {activity.eind} klaar moeten zijn maar staat op "
                               f"'{status}'; pas de planning aan of zet de status op afgerond"))
    if accounts is not None:
        out += accounts.risks(today, BEHIND_THRESHOLD)
    return out


def region_status(region: Region, reports: dict[int, Report], today: date, accounts=None) -> Status:
    """Return the status of `region` on `today`: the next deadline and any within WARN_DAYS, with what is missing."""
    wanted: list[Deadline] = []
    first = next_deadline(today)
    for deadline in ([first] if first else []) + due_soon(today):
        if deadline not in wanted:
            wanted.append(deadline)
    deadlines = []
    for deadline in wanted:
        days = deadline.days_from(today)
        severity = WARNING if days <= WARN_DAYS else NOTE
        missing = tuple(Problem(p.path, p.line, p.field, p.message, severity)
                        for p in sorted(set(missing_for(deadline, region, reports, accounts))))
        deadlines.append(DeadlineStatus(deadline, days, missing))
    found = sorted(set(risks(region, reports, today, accounts)))
    return Status(region.id, today, tuple(deadlines), tuple(Problem(p.path, p.line, p.field, p.message, WARNING)
                                                           for p in found))


def status_lines(status: Status, naam: str) -> list[str]:
    """Return the status report as lines of Dutch text."""
    lines = []
    if not status.deadlines:
        lines.append(f"{naam}: geen termijnen meer na {long_date(status.today)}.")
    for d in status.deadlines:
        when = "vandaag" if d.days == 0 else f"over {d.days} dagen"
        lines.append(f"{naam}: uiterlijk {long_date(d.deadline.datum)} ({when}): {d.deadline.naam}.")
        if d.missing:
            lines.append(f"  Nog niet klaar ({len(d.missing)}):")
            lines += [p.format() for p in d.missing]
        else:
            lines.append("  Niets ontbreekt.")
    if status.risks:
        lines.append(f"  Risico's ({len(status.risks)}):")
        lines += [p.format() for p in status.risks]
    return lines
