"""The rapportage stages in order: check the region, load its rapportages and realisatie, work out, render, write.

`build.py rapportage JAAR` makes a voortgangsrapportage or the eindverslag, `build.py g2 JAAR` the
G2 table (PDF and CSV), `build.py status` the deadline status. Each reads what `check` reads,
plus the rapportage files (reports.py) and the projectadministratie.
"""
from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

from markupsafe import Markup

from .. import formatting
from ..administratie.model import cut_off
from ..diff.changeset import compare_regions
from ..diff.document import line_rows
from ..model import LAST_SPENDING_DAY, Region, body_in_text
from ..pipeline import Rendered, Versions, check, region_versions, statuses, version_of
from ..problems import ContentError, Problem, UsageError, errors
from ..render import TEMPLATE_DIR, environment, outline, stylesheet, w3c_datetime
from ..sources import CONTENT, GitRevision, MissingRevision, Version
from ..write import Writer
from .accounts import G2, Accounts
from .forecast_chart import forecast_chart
from ..administratie.states import DocumentState, Step, document_state
from .reports import PLACEHOLDER, STANDS, Report, load_reports, load_steps, load_vaststelling, report_folder
from .schedule import REPORT_KINDS, REPORT_TITLES
from .status import Status, region_status


@dataclass(frozen=True)
class RegionData:
    """What every rapportage command needs of one region: the plan, its rapportages and its accounts."""

    region: Region
    reports: dict[int, Report]
    accounts: Accounts
    warnings: tuple[Problem, ...] = ()  # what validate warns about in this region: the commands print them
    steps: tuple[Step, ...] = ()  # the recorded steps of its documents (rapportages/indieningen.yaml)


def gather(source, names: list[str] | None, realisatie: Path | None = None,
           today: date | None = None) -> tuple[dict[str, RegionData], Version]:
    """Check every region as a build does (content errors raise) and gather its rapportages and accounts.

    `realisatie` is the private folder holding the regions' realisatie, when it is not in the region (privacy.md).
    """
    checked = check(source, names, today, realisatie)
    if not checked.ok:
        raise ContentError(checked.problems)
    out = {}
    for name, region in sorted(checked.regions.items()):
        reports, _ = load_reports(source, name)  # their problems are in checked.problems already
        vaststelling, _ = load_vaststelling(source, name)
        steps, _ = load_steps(source, name)
        own = tuple(p for p in checked.problems if p.path.startswith(f"{CONTENT}/{name}/")
                    or (realisatie is not None and Path(p.path).is_relative_to(realisatie / name)))
        out[name] = RegionData(region, reports, Accounts(region, region.realisatie, vaststelling), own, steps)
    return out, source.version()


def statuses_of(source, names: list[str] | None, today: date,
                realisatie: Path | None = None) -> tuple[list[tuple[Status, str]], list[Problem]]:
    """Return each region's status on `today` with its name, and the content's errors.

    Unlike a build, status goes on past errors where a model could be built: an error (a cost on a
    budget line of another year, say) is one more thing to fix before the deadline.
    """
    checked = check(source, names, None, realisatie)
    out = []
    for name, region in sorted(checked.regions.items()):
        reports, _ = load_reports(source, name)
        vaststelling, _ = load_vaststelling(source, name)
        accounts = Accounts(region, region.realisatie, vaststelling)
        steps, _ = load_steps(source, name)
        concept = statuses(source, {name: region}, source.version())[name].startswith("concept")
        out.append((region_status(region, reports, today, accounts, concept, steps), region.naam))
    return out, errors(checked.problems)


def report_state(data: RegionData, report: Report) -> DocumentState:
    """Return the rapportage's status: voorlopig until the administratie reaches its peildatum, then as recorded."""
    return document_state(report.key, data.steps, data.accounts.peildatum, report.peildatum)


def g2_state(data: RegionData, jaar: int) -> DocumentState:
    """Return the status of model G2 for `jaar`: voorlopig until the administratie covers the year, then as recorded."""
    return document_state(f"g2-{jaar}", data.steps, data.accounts.peildatum, min(date(jaar, 12, 31), LAST_SPENDING_DAY))


def report_accounts(accounts: Accounts, report: Report) -> Accounts:
    """Return the accounts as they stood on the rapportage's peildatum: every figure of a rapportage uses it."""
    if accounts.realisatie is None:
        return accounts
    return Accounts(accounts.region, cut_off(accounts.realisatie, report.peildatum, accounts.region.begroting),
                    accounts.vaststelling)


# --- figures in the text ---------------------------------------------------------------------------

def figure(accounts: Accounts, name: str, argument: str, activiteit: str | None) -> str:
    """Return the figure a placeholder names, formatted for a reader (see reports.PLACEHOLDERS)."""
    year = int(argument) if argument else None
    if activiteit is None:
        variance = accounts.per_jaar()[year] if year else accounts.totaal()
    elif year:
        variance = accounts.per_activiteit_jaar()[(activiteit, year)]
    else:
        variance = accounts.per_activiteit()[activiteit]
    if name == "begroot":
        return formatting.euro(variance.begroot.totaal)
    if name == "subsidie":
        return formatting.euro(variance.begroot.subsidie)
    if name == "gerealiseerd":
        return formatting.euro(variance.gerealiseerd.totaal)
    if name == "verschil":
        # a no-break space after the sign: "+ " at the start of a line would make a Markdown list item
        return formatting.euro_delta(variance.verschil.totaal).replace(" ", "\u00a0", 1)
    return formatting.percentage(variance.besteed) if variance.besteed is not None else "–"


def fill(text: str, accounts: Accounts, activiteit: str | None = None) -> str:
    """Return `text` with every placeholder replaced by its figure (validate has refused unknown ones).

    Each distinct placeholder is worked out once: a text may repeat one many times.
    """
    figures: dict[tuple[str, str], str] = {}

    def figure_of(m) -> str:
        key = (m.group(1), m.group(2))
        if key not in figures:
            figures[key] = figure(accounts, *key, activiteit)
        return figures[key]
    return PLACEHOLDER.sub(figure_of, text)


# --- the old plan ------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Basis:
    """The plan a rapportage compares the current plan with: the first vastgestelde version, or `basisplan`."""

    region: Region | None
    label: str
    note: str  # why there is no comparison, when region is None


def basis_of(source, data: RegionData, report: Report) -> Basis:
    """Load the original plan: the report's `basisplan` revision, else the region's first vaststelling.

    A basisplan the report names must be there (else a problem at its line). The first vaststelling
    is only a default: outside git, or in a clone without that commit, the comparison is left out
    with a note, so a build in a shallow CI clone still works.
    """
    region = data.region
    root = source.git_root()
    explicit = bool(report.basisplan)
    rev, label = report.basisplan, f"versie {report.basisplan}"
    if not rev and region.vaststellingen:
        first = min(region.vaststellingen, key=lambda v: (v.datum, v.commit))
        rev = first.commit
        label = f"de versie die {body_in_text(first.orgaan)} op {formatting.long_date(first.datum)} vaststelde ({first.kenmerk})"
    if not rev:
        # written for the reader of the report (DUS-I), not for the one who keeps the files
        return Basis(None, "", "Het plan is nog niet vastgesteld; er is dus nog geen oorspronkelijk plan om het "
                               "huidige plan mee te vergelijken.")
    where = (report.path, report.place.of("basisplan"), "basisplan")
    try:
        if root is None:
            raise MissingRevision(rev, "het basisplan is een git-revisie, maar deze map staat niet in git")
        old = GitRevision(root, rev)
    except MissingRevision as exc:
        if explicit:
            raise ContentError([Problem(*where, exc.message)])
        return Basis(None, "", f"Het oorspronkelijke plan ({label}) is hier niet beschikbaar: {exc.message}")
    checked = check(old, [region.id], None) if region.id in old.region_names() else None
    if checked is None or region.id not in checked.regions:
        if explicit:
            raise ContentError([Problem(*where, f"het plan van {region.id} in revisie {rev} kan niet gelezen worden; "
                                                "kies een revisie waarin het plan zonder fouten is")])
        return Basis(None, "", f"Het oorspronkelijke plan ({label}) kan niet gelezen worden.")
    return Basis(checked.regions[region.id], label, "")


# --- rendering ---------------------------------------------------------------------------------------

def report_css() -> Markup:
    """Return the house style plus the rapportages' additions, inlined like the plan documents'."""
    return Markup(stylesheet() + "\n" + (TEMPLATE_DIR / "rapportage.css").read_text(encoding="utf-8"))


def _page(region: Region, key: str, kind: str, titel: str, ondertitel: str, body: str, version: Version,
          status: str) -> str:
    env = environment()

    @dataclass(frozen=True)
    class _Document:
        titel: str
        ondertitel: str

    context = {"region": region, "key": key, "kind": kind, "document": _Document(titel, ondertitel),
               "version": version, "status": status, "shown_date": version.date,
               "created": w3c_datetime(version.date), "markdown_env": {}}
    return env.get_template("base.html").render(context, body=Markup(body), toc=outline(body), css=report_css())


def render_report(data: RegionData, report: Report, basis: Basis, version: Version, status: str) -> str:
    """Return the complete HTML of a voortgangsrapportage or the eindverslag."""
    region, accounts = data.region, report_accounts(data.accounts, report)
    # the old plan against the current one, read as a redline reads it (old, mutatie, new)
    changes = compare_regions(region.id, basis.region, region, None, None) if basis.region is not None else None
    realisatie = accounts.realisatie
    forecast = accounts.forecast()
    context = {
        "region": region, "report": report, "accounts": accounts, "markdown_env": {}, "STANDS": STANDS,
        "intro": fill(report.body, accounts),
        "texts": {a: fill(p.body, accounts, a) for a, p in report.voortgang.items()},
        "indicatoren": {i.doelstelling: i.stand for i in report.indicatoren},
        "beschikking": realisatie.beschikking if realisatie is not None else None,
        "ontvangen": realisatie.ontvangen_subsidie if realisatie is not None else Decimal("0.00"),
        "basis": changes.budget if changes else None, "basis_label": basis.label, "basis_note": basis.note,
        "plan_regels": line_rows(changes) if changes else [],
        "lijnnamen": {l.id: l.naam for r in (basis.region, region) if r for l in r.programmalijnen},
        "forecast": forecast, "chart": forecast_chart(forecast),
    }
    body = environment().get_template("rapportage.html").render(context)
    return _page(region, report.key, report.kind, report.titel, report.ondertitel, body, version, status)


G2_COLUMNS_B = ("Omschrijving", "Toewijzing kenmerk", "Toewijzing datum", "Bedrag van de toewijzing",
                "Saldo 1 januari", "Ontvangen in verslagjaar", "Lasten in verslagjaar", "Totale kosten 31 december",
                "Saldo nog te besteden ultimo verslagjaar")
G2_COLUMNS_A = ("Omschrijving", "Toewijzing kenmerk", "Toewijzing datum", "Bedrag van de toewijzing",
                "Ontvangen t/m verslagjaar", "Totale kosten", "Te verrekenen ultimo verslagjaar")


def g2_values(g2: G2) -> tuple:
    """Return the row of model G2 in its columns: text and Decimal, unformatted."""
    datum = g2.datum.isoformat() if g2.datum else ""
    if g2.model == "A":
        return (g2.omschrijving, g2.kenmerk, datum, g2.bedrag, g2.ontvangen_totaal, g2.totale_kosten, g2.te_verrekenen)
    return (g2.omschrijving, g2.kenmerk, datum, g2.bedrag, g2.saldo_begin, g2.ontvangen, g2.lasten,
            g2.totale_kosten, g2.saldo_eind)


def g2_csv(region: Region, g2: G2, status: DocumentState) -> bytes:
    """Return model G2 as CSV for the accountant, as Dutch Excel opens it: semicolons, amounts with a decimal
    comma and no thousands separator, UTF-8 with BOM. `Status` is the table's status, as on its PDF."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(("Regio", "Verslagjaar", "Model", "Status", *(G2_COLUMNS_A if g2.model == "A" else G2_COLUMNS_B)))
    # Amounts are ours (a minus sign is a number); text comes from the content and is never a formula.
    writer.writerow((formatting.spreadsheet_text(region.naam), g2.jaar, f"G2-{g2.model}", status.name,
                     *(f"{v:.2f}".replace(".", ",") if isinstance(v, Decimal) else formatting.spreadsheet_text(v)
                       for v in g2_values(g2))))
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def render_g2(data: RegionData, g2: G2, version: Version, status: str) -> str:
    """Return the complete HTML of the G2 table for one verslagjaar."""
    per_jaar = data.accounts.per_jaar()
    context = {"region": data.region, "g2": g2, "accounts": data.accounts,
               "jaar_totaal": per_jaar[g2.jaar].gerealiseerd if g2.jaar in per_jaar else None,
               "columns": G2_COLUMNS_A if g2.model == "A" else G2_COLUMNS_B, "values": g2_values(g2),
               "Decimal": Decimal}
    body = environment().get_template("g2.html").render(context)
    return _page(data.region, f"g2-{g2.jaar}", "Verantwoording model G2", f"Model G2 verslagjaar {g2.jaar}",
                 f"Verantwoording van de subsidie Sterk Techniekonderwijs in het jaarverslag {g2.jaar} van de penvoerder",
                 body, version, status)


# --- the commands ------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Made:
    """One document to make: where it goes below the output folder, its HTML and the images it may show."""

    path: str
    html: str
    assets: dict
    date: datetime | None = None  # the date of the region's version, if not the one given to to_pdfs


def to_pdfs(made: list[Made], version: Version | None, fmt: str, variant: str = "pdf/ua-1") -> dict[str, bytes]:
    """Return each document's file: the HTML as it is, or the PDF (anything WeasyPrint complains about is a problem)."""
    if fmt == "html":
        return {m.path: m.html.encode("utf-8") for m in made}
    from .. import pdf
    results = pdf.render_pdfs([pdf.PdfJob(m.html, m.assets, m.date or version.date, variant) for m in made])
    problems = [Problem(m.path, 0, "", f"de PDF kon niet zonder fouten gemaakt worden: {message}")
                for m, result in zip(made, results) for message in result.messages]
    if problems:
        raise ContentError(problems)
    return {m.path: r.data for m, r in zip(made, results)}


def write_files(output: Path, files: dict[str, bytes]) -> list[Path]:
    """Write every file below `output`, all of them together or none; return the paths written."""
    writer = Writer(output)
    with writer.together():
        for path, data in files.items():
            writer.write(path, data)
    return writer.written


def rendered_reports(source, regions: dict[str, Region], version: Version | Versions, fmt: str,
                     jaar: int | None = None) -> list[Rendered]:
    """Render each region's rapportages (only `jaar`'s, if given) to HTML, in a fixed order, each with its own status."""
    out = []
    for name, region in sorted(regions.items()):
        present = source.files(name)
        reports, _ = load_reports(source, name, present)  # their problems are the validate stage's
        vaststelling, _ = load_vaststelling(source, name, present)
        steps, _ = load_steps(source, name, present)
        data = RegionData(region, reports, Accounts(region, region.realisatie, vaststelling), (), steps)
        for year, report in sorted(reports.items()):
            if jaar is None or year == jaar:
                own = version_of(version, name)
                state = report_state(data, report)
                html = render_report(data, report, basis_of(source, data, report), own, state)
                out.append(Rendered(region, report.key, html, f"{name}/{report.key}{state.in_file_name}-{own.slug}.{fmt}",
                                    report.path))
    return out


def make_reports(source, names: list[str] | None, jaar: int, fmt: str, output: Path,
                 realisatie: Path | None = None, today: date | None = None,
                 warn=None) -> list[Path]:
    """Render rapportage `jaar` of each region that has one; write nothing if anything fails.

    `warn`, if given, is called with each warning of those regions (validate's), before anything is made.
    """
    if jaar not in REPORT_KINDS:
        raise UsageError(f"er is geen rapportage {jaar}; kies {', '.join(str(y) for y in REPORT_KINDS)} "
                         "(voortgangsrapportages 2026 en 2028, eindverslag 2029)")
    gathered, _ = gather(source, names, realisatie, today)
    versions = region_versions(source, sorted(gathered))  # each region's own version, as in a build
    with_report = {n: d.region for n, d in gathered.items() if jaar in d.reports}
    if not with_report:
        folders = ", ".join(f"{report_folder(n, jaar)}/" for n in gathered)
        raise UsageError(f"geen {REPORT_TITLES[REPORT_KINDS[jaar]].lower()} {jaar} gevonden; maak {folders} "
                         "(zie docs/verantwoording.md)")
    for name in with_report:
        for problem in gathered[name].warnings if warn else ():
            warn(problem)
    made = [Made(r.path, r.html, dict(r.region.assets), versions[r.region.id].date)
            for r in rendered_reports(source, with_report, versions, fmt, jaar)]
    return write_files(output, to_pdfs(made, None, fmt))


def g2_missing(region: Region) -> Problem | None:
    """Return why model G2 cannot be made for `region` (no projectadministratie, no beschikking), or None."""
    realisatie = region.realisatie
    folder = f"{CONTENT}/{region.id}/realisatie"
    if realisatie is None:
        return Problem(folder, 0, "", "de projectadministratie ontbreekt; de tabel model G2 heeft de beschikking, de "
                                      "voorschotten en de kosten nodig uit realisatie/ (zie docs/verantwoording.md)")
    if realisatie.beschikking is None:
        where = realisatie.place.path.rsplit("/", 1)[0] + "/subsidie.yaml"
        return Problem(where, 0, "", "bestand ontbreekt: de tabel model G2 noemt het kenmerk, de datum en het bedrag "
                                     "van de beschikking en de ontvangen voorschotten; maak dit bestand "
                                     "(zie docs/verantwoording.md)")
    return None


def make_g2(source, names: list[str] | None, jaar: int, fmt: str, output: Path,
            realisatie: Path | None = None, today: date | None = None) -> tuple[list[Path], list[G2]]:
    """Render model G2 for verslagjaar `jaar` of each region, as PDF (or HTML) and CSV."""
    if not 2025 <= jaar <= 2029:
        raise UsageError(f"verslagjaar {jaar} valt buiten de looptijd; kies 2025 tot en met 2029")
    if today is not None and jaar > today.year:
        raise UsageError(f"verslagjaar {jaar} is nog niet begonnen (vandaag is het {formatting.long_date(today)}); "
                         f"kies {today.year} of een eerder jaar")
    gathered, _ = gather(source, names, realisatie, today)
    missing = [g2_missing(data.region) for data in gathered.values()]
    if any(missing):
        raise ContentError([p for p in missing if p])
    versions = region_versions(source, sorted(gathered))  # each region's own version, as in a build
    made, tables = [], []
    files: dict[str, bytes] = {}
    for name, data in gathered.items():
        g2 = data.accounts.g2(jaar)
        tables.append(g2)
        version = versions[name]
        state = g2_state(data, jaar)
        base = f"{name}/g2-{jaar}{state.in_file_name}-{version.slug}"
        made.append(Made(f"{base}.{fmt}", render_g2(data, g2, version, state), data.region.assets, version.date))
        files[f"{base}.csv"] = g2_csv(data.region, g2, state)
    files = {**to_pdfs(made, None, fmt), **files}
    return write_files(output, files), tables
