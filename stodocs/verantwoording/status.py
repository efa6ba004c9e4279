"""`build.py status`: the next deadline of a region, what is still missing for it, and what is at risk.

Findings are Problems (a place and a Dutch message), so they print as `path:line: message`; within
WARN_DAYS of the deadline they are warnings, earlier they are notes.
"""
from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal

from ..formatting import counted, euro, long_date, month, percentage
from ..model import YEARS, Region
from ..problems import WARNING, Problem
from .reports import MAIN_FILE, Report, report_folder, report_key
from ..administratie.states import REGISTER_FILE, Step
from .schedule import CALENDAR, REPORT_ARTICLES, REPORT_TITLES, WARN_DAYS, Deadline, due_soon, upcoming as upcoming_deadlines

OVERDUE_KINDS = ("plan",)  # a plan deadline passed while the plan is concept: overdue for WARN_DAYS days
# What the penvoerder hands in and records in rapportages/indieningen.yaml: overdue until it is recorded as ingediend.
HANDED_IN_KINDS = ("voortgang", "eindverslag", "g2")

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
    soort = "eindverslag" if deadline.kind == "eindverslag" else "voortgangsrapportage"
    title = f"{REPORT_ARTICLES[soort]} {REPORT_TITLES[soort].lower()}"
    if report is None:
        return [Problem(f"{folder}/{MAIN_FILE}", 0, "",
                        f"{title} ({deadline.jaar}) is nog niet begonnen: maak {folder}/{MAIN_FILE} "
                        "met titel en peildatum, en per activiteit een tekst (zie docs/verantwoording.md)")]
    out = []
    for activity in _started(region, report.peildatum):
        progress = report.voortgang.get(activity.id)
        if progress is None:
            out.append(Problem(f"{folder}/{activity.id}.md", 0, "",
                               f"voortgangstekst ontbreekt voor activiteit '{activity.id}' ({activity.naam}), die "
                               f"begon in {month(activity.start)}; maak dit bestand aan"))
        elif any(progress.stand_of(r) is None for r in activity.resultaten):
            missing = sum(progress.stand_of(r) is None for r in activity.resultaten)
            out.append(Problem(progress.path, progress.place.of("resultaten"), "resultaten",
                               f"de stand van {missing} van de {len(activity.resultaten)} resultaten uit het plan "
                               "ontbreekt"))
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
                out.append(activity.place.problem("id", f"activiteit '{activity.id}' loopt in {year} maar heeft voor "
                                                  f"{year} geen begrotingsregels; werk de begroting voor dat jaar uit "
                                                  "in begroting.yaml"))
    return out


REALISATIE = "realisatie"  # the projectadministratie's folder in a region (docs/inhoud.md)


def _years_needed(deadline: Deadline) -> tuple[int, ...]:
    """Return the years the projectadministratie must have closed for `deadline`."""
    if deadline.kind == "voortgang":
        return tuple(y for y in YEARS if y < deadline.jaar)
    if deadline.kind == "eindverslag":
        return YEARS
    if deadline.kind == "g2":
        return tuple(y for y in YEARS if y == deadline.jaar)
    return ()


def _listed(items: list[str]) -> str:
    """Return `2026`, `2026 en 2027`, `2026, 2027 en 2028`."""
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " en " + items[-1]


def _places(realisatie) -> dict[str, object]:
    """Return the place of every realisatie entry by id, to point at the entry a post comes from."""
    entries = [*realisatie.jaartaken, *realisatie.verklaringen, *realisatie.afschrijvingen, *realisatie.kosten,
               *realisatie.cofinanciering]
    return {e.id: e.place for e in entries}


def _costs_off_budget(region: Region, accounts, folder: str) -> list[Problem]:
    """Realised costs on no budget line, or on a line of another year: the budget has no line for them."""
    lines = region.begroting.lines_by_id
    places = _places(accounts.realisatie)
    out = []
    for post in accounts.posts():
        line = lines.get(post.regel)
        if line is not None and line.jaar == post.jaar:
            continue
        place = places.get(post.ref)
        where = (place.path, place.line) if place is not None else (folder, 0)
        if line is None:
            out.append(Problem(*where, "", f"{euro(post.kosten)} uit {post.jaar} staat op geen begrotingsregel; "
                                           "boek het op een regel uit begroting.yaml"))
        else:
            out.append(Problem(*where, "", f"{euro(post.kosten)} uit {post.jaar} staat op begrotingsregel '{line.id}' "
                                           f"van {line.jaar}: de begroting heeft voor deze kosten geen regel in "
                                           f"{post.jaar}. Boek ze op een regel van {post.jaar} of wijzig de begroting"))
    return out


def _schooljaren_without_statements(region: Region, realisatie, until: date) -> list[str]:
    """Return the schooljaren, ended by `until`, with internal staff budgeted but no jaartaak or verklaring."""
    budgeted = {line.jaar for line in region.begroting.lines if line.categorie == "personeel-intern"}
    out = []
    for first in range(YEARS[0] - 1, YEARS[-1] + 1):
        start, end = date(first, 8, 1), date(first + 1, 7, 31)
        if end > until or not budgeted & {first, first + 1} or end < date(YEARS[0], 1, 1):
            continue
        naam = f"{first}-{first + 1}"
        covered = any(j.schooljaar.naam == naam for j in realisatie.jaartaken) or \
            any(v.start <= end and v.end >= start for v in realisatie.verklaringen)
        if not covered:
            out.append(naam)
    return out


def _missing_realisatie(deadline: Deadline, region: Region, accounts) -> list[Problem]:
    """The projectadministratie a rapportage or a G2 needs: closed years, costs on lines, statements, receipts."""
    if deadline.kind not in ("voortgang", "eindverslag", "g2"):
        return []
    folder = f"{region.folder}/{REALISATIE}"
    realisatie = accounts.realisatie
    if realisatie is None:
        return [Problem(folder, 0, "", f"er is nog geen projectadministratie; leg de realisatie vast in {folder}/ "
                                       "(zie docs/inhoud.md)")]
    out = []
    needed = _years_needed(deadline)
    open_years = [y for y in needed if y not in accounts.closed_years]
    if open_years:
        shown = long_date(realisatie.peildatum) if realisatie.peildatum else "geen peildatum"
        out.append(Problem(realisatie.place.path, realisatie.place.of("peildatum"), "peildatum",
                           f"de projectadministratie is bijgewerkt tot en met {shown}; voor deze termijn moet "
                           f"{_listed([str(y) for y in open_years])} helemaal geboekt zijn. Zet de peildatum op "
                           f"31 december {open_years[-1]} of later als alles geboekt is"))
    out += _costs_off_budget(region, accounts, folder)
    until = min(deadline.datum, realisatie.peildatum) if realisatie.peildatum else deadline.datum
    for naam in _schooljaren_without_statements(region, realisatie, until):
        out.append(Problem(f"{folder}/personeel.yaml", 0, "",
                           f"voor schooljaar {naam} is eigen personeel begroot, maar er is geen jaartaak (Bijlage 1) of "
                           "verklaring (Bijlage 2) vastgelegd"))
    if deadline.kind == "g2":
        if realisatie.beschikking is None:
            out.append(Problem(f"{folder}/subsidie.yaml", 0, "beschikking",
                               "de beschikking (kenmerk, datum en bedrag) ontbreekt; model G2 noemt ze"))
        if not any(v.datum.year == deadline.jaar for v in realisatie.voorschotten) and deadline.jaar in YEARS:
            out.append(Problem(f"{folder}/subsidie.yaml", 0, "voorschotten",
                               f"er is in {deadline.jaar} geen ontvangen subsidie (voorschot) geboekt; klopt dat?"))
    return out


def _money_risks(region: Region, accounts) -> list[Problem]:
    """Spending behind plan by more than BEHIND_THRESHOLD in a closed year, and subsidy that would be reclaimed."""
    if accounts.realisatie is None:
        return []
    at = (region.begroting.place.path, region.begroting.place.line)
    out = []
    per_jaar = accounts.per_jaar()
    for year in accounts.closed_years:
        v = per_jaar[year]
        if v.begroot.totaal and v.gerealiseerd.totaal < v.begroot.totaal * (1 - BEHIND_THRESHOLD):
            out.append(Problem(*at, "", f"in {year} is {euro(v.gerealiseerd.totaal)} besteed van {euro(v.begroot.totaal)} "
                                        f"begroot ({percentage(v.besteed)}): meer dan {percentage(BEHIND_THRESHOLD)} "
                                        "achter op het plan"))
    if accounts.closed_years and accounts.cofinanciering_bedrijven() < accounts.cofinanciering_norm():
        out.append(Problem(*at, "", f"cofinanciering door bedrijven is tot nu toe {euro(accounts.cofinanciering_bedrijven())}, "
                                    f"minder dan 10% van de gerealiseerde kosten ({euro(accounts.cofinanciering_norm())}); "
                                    "blijft dat zo, dan stelt DUS-I de subsidie lager vast"))
    forecast = accounts.forecast()
    if forecast.terugvordering > 0:
        out.append(Problem(*at, "", f"bij het huidige bestedingstempo blijft op 31 december 2028 "
                                    f"{euro(forecast.terugvordering)} van de subsidie ({euro(forecast.toegekend)}) "
                                    "onbesteed; dat bedrag wordt teruggevorderd"))
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
        out += _missing_realisatie(deadline, region, accounts)
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
                               f"activiteit '{activity.naam}' is vertraagd; meld dat aan DUS-I met het wijzigingsformulier "
                               "en leg het besluit vast volgens de wijzigingsprocedure"))
        if status not in ("afgerond", "vervallen") and activity.eind < _month(today):
            out.append(Problem(activity.place.path, activity.place.of("eind"), "eind",
                               f"activiteit '{activity.naam}' had in {month(activity.eind)} klaar moeten zijn maar staat op "
                               f"'{status}'; pas de planning aan of zet de status op afgerond"))
    if accounts is not None:
        out += _money_risks(region, accounts)
    return out


def document_of(deadline: Deadline) -> str:
    """Return the key in the register (rapportages/indieningen.yaml) of what `deadline` asks to hand in."""
    return f"g2-{deadline.jaar}" if deadline.kind == "g2" else report_key(deadline.jaar)


def handed_in(deadline: Deadline, steps: tuple[Step, ...]) -> Step | None:
    """Return the recorded step that handed in what `deadline` asks for, or None."""
    if deadline.kind not in HANDED_IN_KINDS:
        return None
    key = document_of(deadline)
    return next((s for s in steps if s.document == key and s.status == "ingediend"), None)


def region_status(region: Region, reports: dict[int, Report], today: date, accounts=None,
                  concept: bool = False, steps: tuple[Step, ...] = ()) -> Status:
    """Return the status of `region` on `today`: the next deadline and any within WARN_DAYS, with what is missing.

    A rapportage, the eindverslag or a G2 whose deadline passed stays, as overdue (negative days), until
    `steps` (rapportages/indieningen.yaml) records it as ingediend; one that is recorded is not shown at
    all. With `concept` (the plan is not vastgesteld), a plan deadline that passed in the last WARN_DAYS
    days is shown as overdue too.
    """
    wanted: list[Deadline] = []
    for d in CALENDAR:
        if d.days_from(today) >= 0:
            continue
        if d.kind in HANDED_IN_KINDS and handed_in(d, steps) is None:
            wanted.append(d)
        elif concept and d.kind in OVERDUE_KINDS and -WARN_DAYS <= d.days_from(today):
            wanted.append(d)
    upcoming = [d for d in upcoming_deadlines(today) if handed_in(d, steps) is None]
    first = upcoming[0] if upcoming else None
    for deadline in ([first] if first else []) + [d for d in due_soon(today) if d in upcoming]:
        if deadline not in wanted:
            wanted.append(deadline)
    deadlines = []
    for deadline in wanted:
        days = deadline.days_from(today)
        severity = WARNING if days <= WARN_DAYS else NOTE  # an overdue deadline (days < 0) warns too
        missing = tuple(replace(p, severity=severity)
                        for p in sorted(set(missing_for(deadline, region, reports, accounts))))
        deadlines.append(DeadlineStatus(deadline, days, missing))
    # Risks warn (and fail --strict) only while a deadline is near, like what is missing.
    urgent = WARNING if any(d.days <= WARN_DAYS for d in deadlines) else NOTE
    found = sorted(set(risks(region, reports, today, accounts)))
    return Status(region.id, today, tuple(deadlines), tuple(replace(p, severity=urgent) for p in found))


def status_lines(status: Status, naam: str) -> list[str]:
    """Return the status report as lines of Dutch text."""
    lines = []
    if not status.deadlines:
        lines.append(f"{naam}: geen termijnen meer na {long_date(status.today)}.")
    for d in status.deadlines:
        if d.days < 0 and d.deadline.kind in HANDED_IN_KINDS:
            lines.append(f"{naam}: TE LAAT: uiterlijk {long_date(d.deadline.datum)} ({counted(-d.days, 'dag')} "
                         f"geleden): {d.deadline.naam}. De termijn is verstreken en er is geen indiening vastgelegd; "
                         f"lever zo snel mogelijk in en leg de indiening (datum en kenmerk) vast in "
                         f"rapportages/{REGISTER_FILE} als '{document_of(d.deadline)}'.")
        elif d.days < 0:
            lines.append(f"{naam}: TE LAAT: uiterlijk {long_date(d.deadline.datum)} ({counted(-d.days, 'dag')} "
                         f"geleden): {d.deadline.naam}. De termijn is verstreken en de documenten zijn nog concept "
                         "(niet vastgesteld); lever zo snel mogelijk in en leg de vaststelling vast in "
                         "vaststellingen.yaml.")
        else:
            when = "vandaag" if d.days == 0 else f"over {counted(d.days, 'dag')}"
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
