"""The rapportages a region writes beside its plan: loading, model and checks.

A rapportage lives in `content/<regio>/rapportages/<jaar>/`, where <jaar> names its deadline
(2026 and 2028: voortgangsrapportage; 2029: eindverslag). `rapportage.md` holds its front matter
(titel, peildatum, ...) and the general text; `<activiteit-id>.md` holds one activity's progress:
its status, the stand of each of the plan's resultaten, and the text. Figures are never typed:
a text names them with a placeholder such as `{{ gerealiseerd 2025 }}`, filled in from the data.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import date
from typing import Mapping

from ..formatting import long_date, month
from ..load import Loaded, load_file, suggest
from ..model import LAST_SPENDING_DAY, Place, Region
from ..problems import WARNING, Problem
from ..sources import CONTENT
from ..validate import check_file
from ..administratie.statements import statements
from ..administratie.states import REGISTER_FILE, STATE_NAMES, Step
from .schedule import REPORT_DEADLINES, REPORT_KINDS, REPORT_TITLES

FOLDER = "rapportages"
MAIN_FILE = "rapportage.md"
VASTSTELLING_FILE = "vaststelling.yaml"  # DUS-I's final decision on the subsidy, once it is there
STANDS = {"behaald": "behaald", "deels": "deels behaald", "niet-behaald": "niet behaald", "nog-niet": "nog niet aan de orde"}

# The figures a text may name, and what each means (docs/verantwoording.md explains them the same way).
# Without a year: the whole period; with a year (`{{ begroot 2026 }}`): that year only. In an
# activity's text they are that activity's figures, in rapportage.md the region's.
PLACEHOLDERS = {
    "begroot": "de begrote kosten volgens het huidige plan",
    "subsidie": "het begrote subsidiedeel volgens het huidige plan",
    "gerealiseerd": "de gerealiseerde kosten tot en met de peildatum",
    "verschil": "gerealiseerd min begroot",
    "besteed": "gerealiseerd als percentage van begroot",
}
PLACEHOLDER = re.compile(r"\{\{\s*([^{}\s]*)\s*([^{}]*?)\s*\}\}")
# A typed amount in a text: the figure should come from the data instead.
TYPED_AMOUNT = re.compile(r"(€|EUR|euro)\s*[0-9]|[0-9][0-9.,]*\s*(euro|EUR)\b")


def same_text(a: str, b: str) -> bool:
    """Whether two texts are the same result: case and white space do not count."""
    return " ".join(a.split()).casefold() == " ".join(b.split()).casefold()


@dataclass(frozen=True)
class ResultStand:
    """The stand of one of the plan's resultaten; `resultaat` is that result's text, the link to the plan."""

    resultaat: str
    stand: str
    toelichting: str
    place: Place


@dataclass(frozen=True)
class Progress:
    """One activity's progress text in one rapportage."""

    activiteit: str
    status: str
    resultaten: tuple[ResultStand, ...]
    body: str
    body_line: int
    path: str
    place: Place

    def stand_of(self, resultaat: str) -> ResultStand | None:
        """Return the stand given for the plan's result with this text, or None."""
        return next((s for s in self.resultaten if same_text(s.resultaat, resultaat)), None)


@dataclass(frozen=True)
class Indicator:
    doelstelling: str
    stand: str
    line: int


@dataclass(frozen=True)
class Report:
    """One rapportage: its front matter and text, and the progress text of each activity by id."""

    jaar: int
    titel: str
    ondertitel: str
    peildatum: date
    basisplan: str
    indicatoren: tuple[Indicator, ...]
    body: str
    body_line: int
    path: str
    voortgang: Mapping[str, Progress]
    place: Place
    files: tuple[str, ...] = ()  # the names of every .md file in its folder, also those that could not be read

    @property
    def soort(self) -> str:
        return REPORT_KINDS[self.jaar]

    @property
    def kind(self) -> str:
        """The rapportage's kind as a reader names it: Voortgangsrapportage or Eindverslag."""
        return REPORT_TITLES[self.soort]

    @property
    def key(self) -> str:
        return report_key(self.jaar)

    @property
    def folder(self) -> str:
        return self.path.rsplit("/", 1)[0]


def report_key(jaar: int) -> str:
    """Return a rapportage's output name: voortgangsrapportage-2026, voortgangsrapportage-2028 or eindverslag."""
    soort = REPORT_KINDS[jaar]
    return soort if soort == "eindverslag" else f"{soort}-{jaar}"


def report_folder(region: str, jaar: int) -> str:
    return f"{CONTENT}/{region}/{FOLDER}/{jaar}"


def _place(loaded: Loaded, *fpath) -> Place:
    children = tuple((k[-1], line) for k, line in loaded.lines.items()
                     if len(k) == len(fpath) + 1 and k[:-1] == tuple(fpath) and isinstance(k[-1], str))
    return Place(loaded.path, loaded.line(fpath), children, ".".join(str(p) for p in fpath))


def _text(value) -> str:
    return "" if value is None else str(value)


def _progress(loaded: Loaded, activiteit: str) -> Progress:
    data = loaded.data
    stands = tuple(ResultStand(str(r["resultaat"]), r["stand"], _text(r.get("toelichting")),
                               _place(loaded, "resultaten", i))
                   for i, r in enumerate(data.get("resultaten") or []))
    return Progress(activiteit, data["status"], stands, loaded.body or "", loaded.body_line, loaded.path,
                    _place(loaded))


def _report(loaded: Loaded, jaar: int, voortgang: dict[str, Progress]) -> Report:
    data = loaded.data
    indicatoren = tuple(Indicator(k, str(v), loaded.line(("indicatoren", k)))
                        for k, v in (data.get("indicatoren") or {}).items())
    return Report(jaar, data["titel"], _text(data.get("ondertitel")), date.fromisoformat(data["peildatum"]),
                  _text(data.get("basisplan")), indicatoren, loaded.body or "", loaded.body_line, loaded.path,
                  dict(sorted(voortgang.items())), _place(loaded))


def load_reports(source, region: str, present: list[str] | None = None) -> tuple[dict[int, Report], list[Problem]]:
    """Load every rapportage of `region` from `source`; broken files become problems, never exceptions.

    `present` is the region's file list, when the caller has it already (listing a folder costs).
    """
    base = f"{CONTENT}/{region}/{FOLDER}/"
    by_year: dict[str, dict[str, Loaded]] = {}
    problems: list[Problem] = []
    years = ", ".join(str(y) for y in REPORT_KINDS)
    for path in source.files(region) if present is None else present:
        if not path.startswith(base) or path in (base + VASTSTELLING_FILE, base + REGISTER_FILE):
            continue
        parts = path[len(base):].split("/")
        if len(parts) != 2 or not parts[0].isdigit() or int(parts[0]) not in REPORT_KINDS:
            problems.append(Problem(path, 0, "", f"hoort niet in {FOLDER}/: een rapportage staat in "
                                                 f"{FOLDER}/<jaar>/ met jaar {years} (zie docs/verantwoording.md)"))
            continue
        if not parts[1].endswith(".md"):
            problems.append(Problem(path, 0, "", "wordt niet gebruikt: een rapportage bestaat uit .md-bestanden",
                                    severity=WARNING))
            continue
        loaded, found = load_file(source.read(path))
        problems += found
        if loaded is not None:
            by_year.setdefault(parts[0], {})[parts[1]] = loaded
    reports: dict[int, Report] = {}
    for year, files in sorted(by_year.items()):
        jaar = int(year)
        names = tuple(sorted(files))
        main = files.pop(MAIN_FILE, None)
        if main is None:
            problems.append(Problem(f"{report_folder(region, jaar)}/{MAIN_FILE}", 0, "",
                                    f"bestand ontbreekt: elke rapportage heeft een {MAIN_FILE} met titel en peildatum "
                                    "(zie docs/verantwoording.md)"))
        found = check_file(MAIN_FILE, main, "rapportage") if main is not None else []
        voortgang = {}
        for name, loaded in sorted(files.items()):
            if loaded.body_line == 1:  # no front matter: say what belongs there, not a document's titel
                problems.append(Problem(loaded.path, 1, "", "de voortgangstekst begint niet met gegevens tussen twee "
                                                            "regels '---'; zet bovenaan '---', dan 'status: lopend' "
                                                            "(of gepland, vertraagd, afgerond, vervallen) en dan weer '---'"))
                continue
            own = check_file(name, loaded, "voortgang")
            found += own
            if not own:
                voortgang[name[:-3]] = _progress(loaded, name[:-3])
        problems += found
        if main is not None and not any(p.path == main.path for p in found):
            reports[jaar] = replace(_report(main, jaar, voortgang), files=names)
    return reports, problems


def load_vaststelling(source, region: str, present: list[str] | None = None):
    """Return DUS-I's vaststelling of the subsidy from rapportages/vaststelling.yaml (None without it), and problems."""
    from .accounts import Vaststelling
    from ..model import money
    path = f"{CONTENT}/{region}/{FOLDER}/{VASTSTELLING_FILE}"
    if path not in (source.files(region) if present is None else present):
        return None, []
    loaded, problems = load_file(source.read(path))
    if loaded is None:
        return None, problems
    problems += check_file(VASTSTELLING_FILE, loaded, "vaststelling")
    if problems:
        return None, problems
    data = loaded.data
    return Vaststelling(data["kenmerk"], date.fromisoformat(data["datum"]), money(data["bedrag"])), []


def load_steps(source, region: str, present: list[str] | None = None) -> tuple[tuple[Step, ...], list[Problem]]:
    """Return the recorded steps of rapportages/indieningen.yaml (none without it), and its problems."""
    path = f"{CONTENT}/{region}/{FOLDER}/{REGISTER_FILE}"
    if path not in (source.files(region) if present is None else present):
        return (), []
    loaded, problems = load_file(source.read(path))
    if loaded is None:
        return (), problems
    problems += check_file(REGISTER_FILE, loaded, "indieningen")
    if problems:
        return (), problems
    steps = tuple(Step(s["document"], s["status"], date.fromisoformat(s["datum"]), _text(s.get("kenmerk")),
                       _place(loaded, "stappen", i))
                  for i, s in enumerate(loaded.data["stappen"]))
    for step in steps:
        if step.status == "ingediend" and not step.kenmerk:
            problems.append(Problem(step.place.path, step.place.line, step.place.name("kenmerk"),
                                    f"'{step.document}' is ingediend zonder kenmerk; schrijf onder 'kenmerk:' het "
                                    "kenmerk van de indiening (bijvoorbeeld van de ontvangstbevestiging van DUS-I)"))
    return steps, problems


def documents_of(region: Region) -> dict[str, str]:
    """Return the key of every verantwoording document the region can have, with its title."""
    out = {report_key(jaar): REPORT_TITLES[soort] + f" {jaar}" for jaar, soort in REPORT_KINDS.items()}
    out.update({f"g2-{jaar}": f"Model G2 verslagjaar {jaar}" for jaar in range(2025, 2030)})
    out.update({s.key: s.title for s in statements(region)})
    return out


def period_ends(region: Region, reports: Mapping[int, Report]) -> dict[str, date]:
    """Return the last day each verantwoording document covers, by its key: a G2 its verslagjaar, a rapportage
    its peildatum, a statement its period (up to the end of the spending period)."""
    out = {f"g2-{jaar}": min(date(jaar, 12, 31), LAST_SPENDING_DAY) for jaar in range(2025, 2030)}
    out.update({report.key: report.peildatum for report in reports.values()})
    out.update({s.key: s.period_end for s in statements(region)})
    return out


def check_steps(region: Region, steps: tuple[Step, ...], documents: dict[str, str],
                ends: Mapping[str, date] | None = None) -> list[Problem]:
    """Each step names a document the region has (`documents`: key -> its name for a reader), with a suggestion if
    not, and is taken after the period it covers (`ends`: key -> its last day), which the administratie covers."""
    problems = []
    peildatum = region.realisatie.peildatum if region.realisatie is not None else None
    for step in steps:
        if step.document not in documents:
            guess = suggest(step.document, documents)
            hint = f"bedoelde u '{guess}'?" if guess else "noem het document zoals in de bestandsnaam, bijvoorbeeld g2-2025"
            problems.append(Problem(step.place.path, step.place.of("document"), step.place.name("document"),
                                    f"'{step.document}' is geen document van deze regio; {hint}"))
            continue
        end = (ends or {}).get(step.document)
        if end is None:
            continue
        state = STATE_NAMES[step.status]
        if step.datum < end:
            problems.append(Problem(step.place.path, step.place.of("datum"), step.place.name("datum"),
                                    f"'{step.document}' staat op {long_date(step.datum)} op {state}, maar de periode "
                                    f"ervan loopt tot en met {long_date(end)}: een document gaat pas ter ondertekening "
                                    "en wordt pas ingediend als de periode voorbij is. Verbeter de datum, of haal de "
                                    "stap weg"))
        elif peildatum is None or peildatum < end:
            covered = (f"de administratie is bijgewerkt tot en met {long_date(peildatum)}" if peildatum
                       else "de administratie heeft nog geen peildatum")
            then = ("dus blijft het document voorlopig" if step.status == "ter-ondertekening"
                    else "dus tellen de bedragen in het document niet alles")
            problems.append(Problem(step.place.path, step.place.of("status"), step.place.name("status"),
                                    f"'{step.document}' staat vastgelegd als {state}, maar {covered} en de periode "
                                    f"loopt tot en met {long_date(end)}, {then}. Zet de peildatum in "
                                    f"realisatie/verantwoording.yaml op {long_date(end)} of later zodra alles tot "
                                    "dan geboekt is", severity=WARNING))
    return problems


def placeholders(text: str) -> list[tuple[int, str, str]]:
    """Return (0-based line, name, argument) of every placeholder in `text`, in one pass (linear in its length)."""
    found, line, counted_to = [], 0, 0
    for m in PLACEHOLDER.finditer(text):
        line += text.count("\n", counted_to, m.start())
        counted_to = m.start()
        found.append((line, m.group(1), m.group(2)))
    return found


def placeholder_problem(name: str, argument: str, report: Report) -> str | None:
    """Return why a placeholder cannot be filled in, or None."""
    known = ", ".join(PLACEHOLDERS)
    if name not in PLACEHOLDERS:
        guess = suggest(name, PLACEHOLDERS)
        hint = f"bedoelde u '{{{{ {guess} }}}}'? " if guess else ""
        return f"onbekend gegeven '{{{{ {name} }}}}'; {hint}bekend zijn: {known}"
    if argument and not (argument.isdigit() and 2025 <= int(argument) <= 2028):
        return (f"'{{{{ {name} {argument} }}}}': achter de naam mag alleen een jaar van 2025 tot en met 2028 staan, "
                f"bijvoorbeeld {{{{ {name} 2026 }}}}")
    if argument and name in ("gerealiseerd", "verschil", "besteed") and int(argument) > report.peildatum.year:
        return (f"'{{{{ {name} {argument} }}}}' ligt na de peildatum ({long_date(report.peildatum)}); "
                "daarover is nog niets gerealiseerd")
    return None


def _text_checks(path: str, first_line: int, text: str, report: Report) -> list[Problem]:
    problems = []
    for offset, name, argument in placeholders(text):
        why = placeholder_problem(name, argument, report)
        if why:
            problems.append(Problem(path, first_line + offset, "", why))
    for offset, line in enumerate(text.split("\n")):
        rest = PLACEHOLDER.sub("", line)
        if "{{" in rest or "}}" in rest:
            problems.append(Problem(path, first_line + offset, "",
                                    "hier staat een gegeven dat niet goed is afgesloten (zoals '{{ gerealiseerd }' of "
                                    "'{ gerealiseerd }}'); schrijf twee accolades aan elke kant: {{ gerealiseerd }}"))
        if TYPED_AMOUNT.search(rest):
            problems.append(Problem(path, first_line + offset, "",
                                    "hier staat een getypt bedrag; laat bedragen uit de gegevens invullen met "
                                    "bijvoorbeeld {{ gerealiseerd 2025 }} of {{ begroot }} (zie docs/verantwoording.md)",
                                    severity=WARNING))
    return problems


def check_report(region: Region, report: Report, today: date | None = None) -> list[Problem]:
    """Cross-checks of one rapportage against the plan: ids, resultaten, peildatum, placeholders."""
    problems = []
    if today is not None and report.peildatum > today:
        problems.append(Problem(report.path, report.place.of("peildatum"), "peildatum",
                                f"{long_date(report.peildatum)} ligt na vandaag ({long_date(today)}); een rapportage "
                                "beschrijft de stand op een dag die voorbij is. Kies vandaag of een eerdere datum"))
    deadline = REPORT_DEADLINES[report.jaar]
    if not (date(2025, 1, 1) <= report.peildatum <= deadline.datum):
        problems.append(Problem(report.path, report.place.of("peildatum"), "peildatum",
                                f"peildatum {long_date(report.peildatum)} past niet bij deze rapportage: kies een datum "
                                f"vanaf 1 januari 2025 en uiterlijk de inleverdatum ({long_date(deadline.datum)})"))
    realisatie = region.realisatie
    if realisatie is not None and realisatie.peildatum is not None and realisatie.peildatum < report.peildatum:
        problems.append(Problem(report.path, report.place.of("peildatum"), "peildatum",
                                f"de projectadministratie is bijgewerkt tot en met {long_date(realisatie.peildatum)}, "
                                f"de rapportage gaat tot en met {long_date(report.peildatum)}; de bedragen in de "
                                "rapportage zijn dus niet compleet. Werk de administratie bij (peildatum in "
                                "realisatie/verantwoording.yaml)", severity=WARNING))
    if realisatie is not None and realisatie.beschikking is None:
        where = realisatie.place.path.rsplit("/", 1)[0] + "/subsidie.yaml"
        problems.append(Problem(report.path, report.place.of("peildatum"), "",
                                f"de rapportage noemt de toegekende subsidie en de ontvangen voorschotten, maar {where} "
                                "ontbreekt; maak dat bestand met de beschikking (kenmerk, datum, bedrag) en de "
                                "voorschotten (zie docs/verantwoording.md)"))
    doelen = region.doelstellingen_by_id
    for indicator in report.indicatoren:
        if indicator.doelstelling not in doelen:
            guess = suggest(indicator.doelstelling, doelen)
            hint = f"bedoelde u '{guess}'?" if guess else "gebruik de id van een doelstelling uit programmalijnen.yaml"
            problems.append(Problem(report.path, indicator.line, f"indicatoren.{indicator.doelstelling}",
                                    f"doelstelling '{indicator.doelstelling}' bestaat niet; {hint}"))
    problems += _text_checks(report.path, report.body_line, report.body, report)
    activities = region.activiteiten_by_id
    folder = report.folder
    for activity in region.activiteiten:
        if f"{activity.id}.md" not in report.files and activity.start <= f"{report.peildatum:%Y-%m}":
            problems.append(Problem(f"{folder}/{activity.id}.md", 0, "",
                                    f"bestand ontbreekt: activiteit '{activity.id}' ({activity.naam}) begon in "
                                    f"{month(activity.start)}, vóór de peildatum; zonder dit bestand toont de "
                                    "rapportage haar zonder stand van de resultaten en zonder tekst",
                                    severity=WARNING))
    for progress in report.voortgang.values():
        activity = activities.get(progress.activiteit)
        if activity is None:
            guess = suggest(progress.activiteit, activities)
            hint = (f"bedoelde u '{guess}.md'?" if guess else
                    "noem het bestand naar de id van een activiteit uit activiteiten.yaml")
            problems.append(Problem(progress.path, 0, "",
                                    f"er is geen activiteit '{progress.activiteit}'; {hint}"))
            continue
        problems += _stand_checks(activity, progress)
        problems += _text_checks(progress.path, progress.body_line, progress.body, report)
    return problems


def _stand_checks(activity, progress: Progress) -> list[Problem]:
    """Each stand names one of the activity's resultaten by its text, once; a result without a stand is a warning."""
    problems = []
    seen: list[str] = []
    for stand in progress.resultaten:
        where = (progress.path, stand.place.of("resultaat") or stand.place.line, "resultaat")
        match = next((r for r in activity.resultaten if same_text(r, stand.resultaat)), None)
        if match is None:
            guess = suggest(stand.resultaat, activity.resultaten)
            hint = (f"bedoelde u '{guess}'?" if guess else
                    "kopieer de tekst van het resultaat uit activiteiten.yaml")
            problems.append(Problem(*where, f"'{stand.resultaat}' is geen resultaat van '{activity.id}' in het "
                                            f"activiteitenplan; {hint}"))
        elif match in seen:
            problems.append(Problem(*where, f"de stand van '{match}' staat hier twee keer; geef elk resultaat één stand"))
        else:
            seen.append(match)
    missing = [r for r in activity.resultaten if r not in seen]
    if missing:
        problems.append(Problem(progress.path, progress.place.of("resultaten"), "resultaten",
                                f"de stand ontbreekt van {len(missing)} van de {len(activity.resultaten)} resultaten "
                                f"uit het plan: {', '.join(repr(r) for r in missing)}. Geef elk een stand: "
                                "'- resultaat:' met de tekst uit activiteiten.yaml, en 'stand:'", severity=WARNING))
    return problems


def check_reports(source, region: Region, today: date | None = None) -> list[Problem]:
    """Load and check every rapportage of `region`: the validate stage for rapportages."""
    present = source.files(region.id)
    reports, problems = load_reports(source, region.id, present)
    problems += load_vaststelling(source, region.id, present)[1]
    steps, found = load_steps(source, region.id, present)
    problems += found + (check_steps(region, steps, documents_of(region), period_ends(region, reports)) if steps else [])
    for report in reports.values():
        problems += check_report(region, report, today)
    return problems
