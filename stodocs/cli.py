"""stodocs command line: validate and render the plan documents of STO regions.

The installed `stodocs` command works on the project folder it is started in (content/, output/);
build.py is the same command for the folder it sits in.
"""
from __future__ import annotations

import argparse
import os
import signal
import sys
from dataclasses import replace
from datetime import date
from pathlib import Path

EXIT_OK, EXIT_CONTENT, EXIT_USAGE = 0, 1, 2


# argparse's own words, in Dutch: it looks up `_` (gettext) in its module each time it speaks (see _parse).
_DUTCH = {
    "usage: ": "gebruik: ",
    "positional arguments": "argumenten",
    "options": "opties",
    "show this help message and exit": "toon deze hulp en stop",
    "the following arguments are required: %s": "dit ontbreekt: %s",
    "unrecognized arguments: %s": "onbekende argumenten: %s",
    "invalid choice: %(value)r (choose from %(choices)s)": "ongeldige keuze: %(value)r (kies uit %(choices)s)",
    "expected one argument": "hier hoort één waarde achter",
    "argument %(argument_name)s: %(message)s": "%(argument_name)s: %(message)s",
    "ambiguous option: %(option)s could match %(matches)s": "dubbelzinnige optie: %(option)s kan zijn: %(matches)s",
    "%(prog)s: error: %(message)s\n": "%(prog)s: fout: %(message)s\n",
    "expected at most one argument": "hier hoort hoogstens één waarde achter",
    "expected at least one argument": "hier hoort minstens één waarde achter",
    "invalid %(type)s value: %(value)r": "ongeldige waarde: %(value)r",
    "not allowed with argument %s": "gaat niet samen met %s",
    "ignored explicit argument %r": "waarde %r hoort hier niet",
}


class _Parser(argparse.ArgumentParser):
    argv: list[str] = []  # what is being parsed, to answer a usage error in the machine format asked for

    def error(self, message: str):  # argparse's own usage errors, in Dutch, exit 2
        self.print_usage(sys.stderr)
        print(f"fout: {message}{self._suggestion(message)}", file=sys.stderr)
        _usage_report(_asked_format(self.argv), f"{message}{self._suggestion(message)}")
        raise SystemExit(EXIT_USAGE)

    def _suggestion(self, message: str) -> str:
        """Name the option that a mistyped one was probably meant to be."""
        import difflib
        known = [o for action in self._actions for o in action.option_strings]
        for action in self._actions:
            if isinstance(action, argparse._SubParsersAction):
                known += [o for parser in action.choices.values() for a in parser._actions for o in a.option_strings]
        if not message.startswith(_DUTCH["unrecognized arguments: %s"][:-2]):
            return ""
        for word in message.split():
            if word.startswith("--") and word not in known:
                close = difflib.get_close_matches(word, sorted(set(known)), n=1)
                if close:
                    return f"; bedoelde u {close[0]}?"
        return ""


# The commands whose --format is a report for a machine (the others' --format is pdf or html).
REPORTING_COMMANDS = ("validate", "diff", "regios")


def _asked_format(argv: list[str]) -> str:
    """Return the report format the command line asks for (`--format json`, `--format=gitlab`), or 'text'."""
    if not argv or argv[0] not in REPORTING_COMMANDS:
        return "text"
    for i, arg in enumerate(argv):
        if arg == "--":
            break
        value = arg.split("=", 1)[1] if arg.startswith("--format=") else argv[i + 1] if arg == "--format" and \
            i + 1 < len(argv) else None
        if value in ("github", "gitlab", "json"):
            return value
    return "text"


def _usage_report(fmt: str, message: str) -> None:
    """Write a usage error as the machine format asks, so a pipeline that reads stdout still gets valid data."""
    import json
    if fmt == "json":
        print(json.dumps({"problems": [], "errors": 0, "warnings": 0, "usage_error": message}, ensure_ascii=False,
                         indent=2))
    elif fmt == "gitlab":
        print("[]")  # a Code Quality report without issues: the job log says what went wrong
    elif fmt == "github":
        from stodocs.report import escape_data
        print(f"::error title=stodocs::{escape_data('fout: ' + message)}")


REALISATIE_HELP = ("lees de projectadministratie van elke regio uit MAP/<regio>/ in plaats van uit "
                   "content/<regio>/realisatie/ (een besloten map buiten de repository; zie docs/privacy.md)")


def _parser(root: Path, prog: str) -> argparse.ArgumentParser:
    parser = _Parser(prog=prog, description="Valideer en maak de plandocumenten van STO-regio's.",
                     epilog="Zonder opdracht: build. REGIO is de naam van een map onder content/ (standaard: alle). "
                            "Exitcodes: 0 alles goed, 1 problemen in de inhoud of de omgeving (een ontbrekende revisie, "
                            "een map die niet beschreven kan worden), 2 verkeerd gebruik, interne fout of afgebroken "
                            "(Ctrl-C, SIGTERM, SIGHUP). Zie docs/inhoud.md.")
    commands = parser.add_subparsers(dest="command", metavar="opdracht",
                                     help="wat stodocs doet; 'build.py OPDRACHT --help' toont haar argumenten")

    class _Commands:  # each command's help line is also the description of its own --help
        def add_parser(self, name: str, help: str) -> argparse.ArgumentParser:
            return commands.add_parser(name, help=help, description=help[:1].upper() + help[1:] + ".")

    sub = _Commands()
    validate = sub.add_parser("validate", help="controleer de inhoud van regio's")
    _add_regions(validate)
    validate.add_argument("--strict", action="store_true", help="waarschuwingen tellen als fouten")
    validate.add_argument("--bestanden", action="store_true",
                          help="de argumenten zijn gewijzigde bestanden; controleer de regio's die ze raken (pre-commit)")
    _add_report_format(validate)
    validate.add_argument("--realisatie", type=Path, metavar="MAP", help=REALISATIE_HELP)
    build = sub.add_parser("build", help="controleer en maak de documenten (standaard)")
    _add_regions(build)
    build.add_argument("--format", choices=("pdf", "html"), default="pdf", help="pdf (standaard) of html")
    build.add_argument("--pdf-variant", choices=("pdf/ua-1", "pdf/a-3u"), default="pdf/ua-1",
                       help="pdf/ua-1: getagd en toegankelijk (standaard); pdf/a-3u: voor het archief")
    build.add_argument("--output", type=Path, default=root / "output", metavar="MAP",
                       help="waar de documenten komen (standaard output/)")
    build.add_argument("--administratie", type=Path, default=root / "administratie", metavar="MAP",
                       help="waar de verklaringen om te ondertekenen komen (Bijlage 1, 2, 4 en 6); ze bevatten "
                            "persoonsgegevens en komen daarom nooit in output/ (standaard administratie/, zie docs/privacy.md)")
    build.add_argument("--realisatie", type=Path, metavar="MAP", help=REALISATIE_HELP)
    build.add_argument("--zonder-administratie", action="store_true",
                       help="maak geen verklaringen, alleen de plandocumenten (bijvoorbeeld in CI)")
    build.add_argument("--opnieuw", "--force", dest="force", action="store_true",
                       help="maak alles opnieuw, ook wat sinds de vorige keer niet veranderd is")
    _add_jobs(build)
    site = sub.add_parser("site", help="maak de reviewsite: alle documenten, wijzigingen en de status in de browser")
    _add_regions(site)
    site.add_argument("--output", type=Path, default=root / "site", metavar="MAP",
                      help="waar de site komt (standaard site/); zie docs/site.md")
    site.add_argument("--datum", type=_iso_date, metavar="JJJJ-MM-DD",
                      help="de stand van de termijnen op deze datum (standaard: vandaag)")
    site.add_argument("--opnieuw", "--force", dest="force", action="store_true",
                      help="maak alles opnieuw, ook wat sinds de vorige keer niet veranderd is")
    site.add_argument("--commentaar", type=Path, metavar="BESTAND",
                      help="voeg aan de Markdown van het commentaar bij een voorstel de links naar de site toe (CI)")
    site.add_argument("--site-url", default="", metavar="URL",
                      help="waar de site te openen is (een voorbeeld-URL van de git-host), voor de links in het commentaar")
    _add_jobs(site)
    schema = sub.add_parser("schema", help="schrijf de schema's als JSON Schema, voor editors")
    schema.add_argument("--output", type=Path, default=root / "schemas" / "json", metavar="MAP",
                        help="map voor de JSON-bestanden (standaard schemas/json)")
    log = sub.add_parser("log", help="toon de vastgestelde versies van regio's")
    _add_regions(log)
    diff = sub.add_parser("diff", help="toon wat er tussen twee versies (git-revisies) is gewijzigd")
    _add_regions(diff)
    diff.add_argument("--from", dest="from_rev", required=True, metavar="REV",
                      help="de oude versie: een branch, tag, commit of bijvoorbeeld origin/main")
    diff.add_argument("--to", dest="to_rev", metavar="REV", help="de nieuwe versie (standaard: de werkmap)")
    diff.add_argument("--alleen-wijzigingen", action="store_true",
                      help="maak alleen de korte redline (gewijzigde delen met hun koppen), niet ook de volledige")
    diff.add_argument("--output", type=Path, default=root / "output", metavar="MAP",
                      help="waar de diffs komen, in diffs/<regio>/ (standaard output/)")
    diff.add_argument("--commentaar", type=Path, metavar="BESTAND",
                      help="schrijf ook het commentaar voor het voorstel (de samenvatting van elke regio, Markdown)")
    diff.add_argument("--alleen-commentaar", action="store_true",
                      help="schrijf alleen het commentaar (--commentaar), geen redline: sneller")
    _add_report_format(diff)
    _add_jobs(diff)
    regions = sub.add_parser("regios", help="toon de regio's, of alleen die een wijziging raakt (voor CI)")
    regions.add_argument("--gewijzigd-sinds", metavar="REV",
                         help="alleen de regio's die sinds deze revisie gewijzigd zijn; een wijziging in templates/, "
                              "schemas/ of stodocs/ raakt ze allemaal")
    regions.add_argument("--format", dest="report", choices=("text", "json", "gitlab"), default="text",
                         help="text: één regio per regel (standaard); json: een lijst, voor een CI-matrix; "
                              "gitlab: een kind-pijplijn met een job per regio")
    release = sub.add_parser("vaststelling", help="controleer dat een tag vastgesteld-<regio>-<datum> een vastgestelde "
                                                  "versie noemt; toont de regio (voor CI)")
    release.add_argument("tag", metavar="TAG", help="bijvoorbeeld vastgesteld-lindewaard-2026-03-14")
    new_region = sub.add_parser("nieuwe-regio", help="maak een nieuwe regiomap met alles wat nog ingevuld moet worden")
    new_region.add_argument("name", metavar="NAAM", help="de naam van de map, bijvoorbeeld west-brabant")
    status = sub.add_parser("status", help="toon de volgende termijn, wat daarvoor nog ontbreekt en wat risico loopt")
    _add_regions(status)
    status.add_argument("--datum", type=_iso_date, metavar="JJJJ-MM-DD",
                        help="bekijk de stand op deze datum (standaard: vandaag)")
    status.add_argument("--strict", action="store_true",
                        help="exitcode 1 als er binnen 60 dagen iets ontbreekt of risico loopt (voor CI)")
    status.add_argument("--realisatie", type=Path, metavar="MAP", help=REALISATIE_HELP)
    rapportage = sub.add_parser("rapportage", help="maak de voortgangsrapportage (2026, 2028) of het eindverslag (2029)")
    rapportage.add_argument("jaar", type=_year, metavar="JAAR", help="2026, 2028 (voortgangsrapportage) of 2029 (eindverslag)")
    _add_regions(rapportage)
    rapportage.add_argument("--format", choices=("pdf", "html"), default="pdf", help="pdf (standaard) of html")
    rapportage.add_argument("--from", dest="from_rev", metavar="REV",
                            help="maak een redline: wat is er in de rapportage gewijzigd sinds deze versie?")
    rapportage.add_argument("--to", dest="to_rev", metavar="REV", help="met --from: de nieuwe versie (standaard: de werkmap)")
    rapportage.add_argument("--alleen-wijzigingen", action="store_true",
                            help="met --from: laat ongewijzigde delen weg (koppen blijven staan)")
    rapportage.add_argument("--output", type=Path, default=root / "output", metavar="MAP",
                            help="waar de rapportage komt (standaard output/)")
    rapportage.add_argument("--realisatie", type=Path, metavar="MAP", help=REALISATIE_HELP)
    g2 = sub.add_parser("g2", help="maak de tabel model G2 voor het jaarverslag van de penvoerder (PDF en CSV)")
    g2.add_argument("jaar", type=_year, metavar="VERSLAGJAAR", help="2025 tot en met 2029")
    _add_regions(g2)
    g2.add_argument("--format", choices=("pdf", "html"), default="pdf", help="pdf (standaard) of html; de CSV komt er altijd bij")
    g2.add_argument("--output", type=Path, default=root / "output", metavar="MAP",
                    help="waar de tabel komt (standaard output/)")
    g2.add_argument("--realisatie", type=Path, metavar="MAP", help=REALISATIE_HELP)
    return parser


def _parse(argv: list[str], root: Path, prog: str) -> argparse.Namespace:
    """Parse the arguments with argparse speaking Dutch, for this call only (stodocs is also a library)."""
    english, argparse._ = argparse._, lambda text: _DUTCH.get(text, text)
    try:
        parser = _parser(root, prog)
        for each in [parser] + [p for a in parser._actions if isinstance(a, argparse._SubParsersAction)
                                for p in a.choices.values()]:
            each.argv = argv
        args = parser.parse_args(argv)
    finally:
        argparse._ = english
    args.root = root
    return args


def _add_regions(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("regions", nargs="*", metavar="REGIO",
                        help="de regio's om mee te werken: mappen onder content/ (standaard: alle)")


def _add_report_format(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--format", dest="report", choices=("text", "github", "gitlab", "json"), default="text",
                        help="text: bestand:regel: melding (standaard); github: meldingen bij de regels van het "
                             "voorstel en een tabel in de samenvatting; gitlab: Code Quality-rapport; json: de problemen als data")


def _add_jobs(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("-j", "--jobs", type=_jobs, default=None, metavar="N",
                        help="maak de PDF's in N processen tegelijk (standaard: het aantal processorkernen); "
                             "de uitkomst is dezelfde als met -j 1")


def _jobs(text: str) -> int:
    if not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"'{text}' is geen aantal processen; schrijf een getal vanaf 1, bijvoorbeeld 2")
    return int(text)


def _workers(args) -> int:
    """Return the number of PDF processes: -j N, or the cores this process may use."""
    if args.jobs:
        return args.jobs
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:
        return os.cpu_count() or 1


def _year(text: str) -> int:
    if not (text.isdigit() and len(text) == 4):
        raise argparse.ArgumentTypeError(f"'{text}' is geen jaartal; schrijf bijvoorbeeld 2026")
    return int(text)


def _iso_date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is geen datum; schrijf JJJJ-MM-DD, bijvoorbeeld 2026-08-15")


def _today() -> date:
    from stodocs.sources import epoch_date
    epoch = epoch_date()
    return epoch.date() if epoch else date.today()


def _report(problems, strict: bool, fmt: str = "text", **extra) -> int:
    """Print the problems in the chosen format; return the exit code they mean."""
    from stodocs import report
    from stodocs.problems import errors, warnings
    if fmt == "text":
        print(report.text(problems), end="", file=sys.stderr)
    elif fmt == "github":
        print(report.github(problems), end="")
        summary = os.environ.get("GITHUB_STEP_SUMMARY")
        if summary and problems:  # GitHub shows only 10 annotations of a kind: the summary holds them all
            _append_summary(summary, report.markdown_table(problems))
    elif fmt == "gitlab":
        print(report.text(problems), end="", file=sys.stderr)  # the job log; the report goes to a file
        print(report.gitlab(problems), end="")
    else:
        print(report.as_json(problems, **extra), end="")
    failing = errors(problems) + (warnings(problems) if strict else [])
    return EXIT_CONTENT if failing else EXIT_OK


def _append_summary(path: str, markdown: str) -> None:
    """Add Markdown to GitHub's job summary; a summary that cannot be written costs a line, not the check."""
    try:
        with open(path, "a", encoding="utf-8") as out:
            out.write(markdown.rstrip("\n") + "\n\n")
    except OSError as exc:
        print(f"let op: kan de samenvatting {path} niet schrijven: {exc.strerror}", file=sys.stderr)


def _realisatie(args) -> Path | None:
    """Return the private realisatie folder of --realisatie; it must exist."""
    if args.realisatie is None:
        return None
    from stodocs.problems import UsageError
    if not args.realisatie.is_dir():
        raise UsageError(f"--realisatie {args.realisatie}: die map bestaat niet")
    return args.realisatie


def cmd_validate(args) -> int:
    from stodocs.formatting import counted
    from stodocs.pipeline import check
    from stodocs.problems import errors, warnings
    from stodocs.sources import WorkingTree
    source = WorkingTree(args.root)
    names = args.regions
    if args.bestanden:
        from stodocs.dependencies import regions_affected
        names = regions_affected(_repository_paths(args.regions, args.root), source.region_names())
        if not names:
            print("Deze bestanden raken geen regio; er is niets te controleren.", file=sys.stderr)
            return _report([], args.strict, args.report, regions=[]) if args.report != "text" else EXIT_OK
    checked = check(source, names, _today(), _realisatie(args))
    code = _report(checked.problems, args.strict, args.report, regions=sorted(checked.regions))
    if args.report == "json":
        return code
    # With github or gitlab, stdout holds the machine-readable report; the words go to the log.
    words = sys.stdout if args.report == "text" else sys.stderr
    if code == EXIT_OK:
        n_warn = len(warnings(checked.problems))
        names = ", ".join(sorted(checked.regions))
        extra = f", {counted(n_warn, 'waarschuwing')}" if n_warn else ""
        print(f"{counted(len(checked.regions), 'regio')} gecontroleerd ({names}): geen fouten{extra}.", file=words)
    else:
        print(f"{counted(len(errors(checked.problems)), 'fout')}, {counted(len(warnings(checked.problems)), 'waarschuwing')}.",
              file=sys.stderr)
    return code


def _repository_paths(paths: list[str], root: Path) -> list[str]:
    """Return the given file paths relative to the project, with forward slashes; paths outside it are left out."""
    out = []
    for path in paths:
        full = Path(path) if Path(path).is_absolute() else Path.cwd() / path
        try:
            # The folder resolved (root is), the name kept: a linked file is still the path that changed.
            out.append((Path(os.path.normpath(full)).parent.resolve() / full.name).relative_to(root).as_posix())
        except ValueError:
            continue
    return out


def cmd_log(args) -> int:
    from stodocs.approval import print_log
    from stodocs.pipeline import check
    from stodocs.problems import errors
    from stodocs.sources import WorkingTree
    source = WorkingTree(args.root)
    root = source.git_root()
    if root is None:
        print(f"fout: {args.root} is geen git-repository; vaststellingen verwijzen naar git-commits", file=sys.stderr)
        return EXIT_USAGE
    checked = check(source, args.regions, _today())
    if errors(checked.problems):
        return _report(checked.problems, strict=False)
    print_log(root, [checked.regions[name] for name in sorted(checked.regions)], sys.stdout)
    return EXIT_OK


def cmd_diff(args) -> int:
    from stodocs import report
    from stodocs.diff.comment import comment_markdown, comment_problems
    from stodocs.diff.pipeline import compare_sources, diff, diff_base, region_name, summary_markdown
    from stodocs.formatting import markdown_text
    from stodocs.formatting import counted
    from stodocs.problems import WARNING, ContentError, EnvironmentFailure, UsageError
    from stodocs.sources import GitRevision, WorkingTree
    from stodocs.write import Writer, check_output_file, check_output_folder
    check_output_folder(args.output, args.root)
    if args.commentaar:
        check_output_file(args.commentaar, args.root, "--commentaar")
    if args.alleen_commentaar and not args.commentaar:
        raise UsageError("--alleen-commentaar hoort bij --commentaar BESTAND")
    old = GitRevision(args.root, args.from_rev)
    new = GitRevision(args.root, args.to_rev) if args.to_rev else WorkingTree(args.root)

    def write_comment(body: str) -> None:
        try:
            Writer(args.commentaar.parent).write(args.commentaar.name, body.encode("utf-8"))
        except EnvironmentFailure as exc:  # the Writer says the OS error in Dutch
            raise UsageError(str(exc)) from None

    try:
        if args.alleen_commentaar:
            compared = compare_sources(old, new, args.regions)
        else:
            compared = diff(old, new, args.regions, args.output, args.alleen_wijzigingen, _workers(args))
    except ContentError as exc:  # the comment says so too, so nobody reads an old summary as the current one
        if args.commentaar:
            write_comment(comment_problems(exc.problems, args.from_rev))
        raise
    reports: dict[str, list] = {}  # region -> the redline PDFs of its changed rapportages
    if not args.alleen_commentaar:
        from stodocs.verantwoording.report_diff import diff_reports
        try:
            paths = diff_reports(old, new, args.regions, None, args.output, args.alleen_wijzigingen, changed_only=True)
        except ContentError:  # a version that breaks the rules: its plan redline is made, its rapportages are not
            paths = []
            print("waarschuwing: de rapportages zijn niet vergeleken, want een van beide versies voldoet niet aan "
                  "de regels (zie de redline van het plan)", file=sys.stderr)
        for path in paths:
            if path.suffix == ".pdf":  # <output>/diffs/<regio>/rapportages/<file>
                reports.setdefault(path.parent.parent.name, []).append(path)
    summaries = {c.name: summary_markdown(c, args.alleen_wijzigingen) for c in compared if not c.changeset.empty}
    names = {c.name: region_name(c) for c in compared}  # readers see the region's name, never its folder
    for name in reports:  # a changed rapportage is a change too, also when the plan stays the same
        note = ("**De rapportage is gewijzigd.** Haar redline (bij de uitvoer van deze controle) toont ook de "
                "gewijzigde totalen uit de projectadministratie (zie docs/privacy.md).")
        summaries[name] = (summaries[name].rstrip("\n") + "\n\n" + note + "\n") if name in summaries else \
            f"### {markdown_text(names.get(name, name))}\n\nDe plandocumenten zijn niet gewijzigd. {note}\n"
    # A version that breaks the rules still gets its redline, but its errors fail the check, as a build would.
    # An old version that fails today's rules is only a warning: the comparison was made all the same.
    new_errors = [p for c in compared for p in c.changeset.new_errors]
    old_errors = [replace(p, severity=WARNING) for c in compared for p in c.changeset.old_errors]
    code = EXIT_CONTENT if new_errors else EXIT_OK
    if args.commentaar:
        write_comment(comment_markdown([(names[c.name], summaries.get(c.name)) for c in compared], args.from_rev))
    if args.report == "github" and os.environ.get("GITHUB_STEP_SUMMARY") and summaries:
        _append_summary(os.environ["GITHUB_STEP_SUMMARY"], "\n\n".join(summaries[name] for name in sorted(summaries)))
    if args.report in ("github", "gitlab"):
        _report(new_errors + old_errors, False, args.report)
    if args.report == "gitlab":
        return code
    if args.report == "json":
        redlines = (True,) if args.alleen_wijzigingen else (False, True)
        files = {} if args.alleen_commentaar else {
            c.name: sorted([f"{diff_base(c, compact)}.{ext}" for compact in redlines for ext in ("pdf", "html")]
                           + [f"{diff_base(c)}.{ext}" for ext in ("md", "json")])
            for c in compared if not c.changeset.empty}
        print(report.as_json(new_errors + old_errors, regions=[
            {"name": c.name, "changes": len(c.changeset.changes) + len(c.changeset.files),
             "files": files.get(c.name, [])} for c in compared]), end="")
        return code
    if args.report == "text":
        print(report.text(new_errors), end="", file=sys.stderr)
        for c in compared:
            if c.changeset.old_errors:
                print(f"waarschuwing: {c.name}: de oude versie ({args.from_rev}) voldoet niet aan de huidige regels "
                      f"({counted(len(c.changeset.old_errors), 'fout')}); de vergelijking is toch gemaakt:",
                      file=sys.stderr)
                print("".join(f"  {line}\n" for line in report.text(c.changeset.old_errors).splitlines()), end="",
                      file=sys.stderr)
    for c in compared:
        changes = counted(len(c.changeset.changes) + len(c.changeset.files), "wijziging")
        if c.changeset.empty and c.name in reports:
            print(f"{c.name}: geen wijzigingen in het plan, wel in de rapportage.")
        elif c.changeset.empty:
            print(f"{c.name}: geen wijzigingen.")
        elif args.alleen_commentaar:
            print(f"{c.name}: {changes}.")
        else:
            print(f"{c.name}: {changes}; zie {args.output / diff_base(c, args.alleen_wijzigingen)}.pdf "
                  f"(ook .html, .md en .json)")
    for name in sorted(reports):
        for path in reports[name]:
            print(f"{name}: rapportage gewijzigd; zie {path} (ook .html)")
    if args.commentaar:
        print(f"Commentaar voor het voorstel: {args.commentaar}")
    return code


def cmd_regions(args) -> int:
    import json
    from stodocs import report
    from stodocs.dependencies import regions_affected
    from stodocs.sources import changed_paths
    from stodocs.report import gitlab_child_pipeline
    from stodocs.sources import WorkingTree
    from stodocs.problems import Problem
    from stodocs.sources import CONTENT, REGION_NAME
    folders = WorkingTree(args.root).region_names()
    # Only a name of the region pattern is a region: any other folder name (`--from=HEAD`, `*`, `$CI_JOB_TOKEN`)
    # would become an option, a glob or a variable in the pipelines that read this list.
    names = [name for name in folders if REGION_NAME.match(name)]
    refused = [Problem(f"{CONTENT}/{name}", 0, "", "geen regio: een regiomap heet in kleine letters, cijfers en "
                       "streepjes (bijvoorbeeld west-brabant)") for name in folders if not REGION_NAME.match(name)]
    if refused:
        print(report.text(refused), end="", file=sys.stderr)
    if args.gewijzigd_sinds:
        names = regions_affected(changed_paths(args.root, args.gewijzigd_sinds), names)
    if args.report == "gitlab":
        print(gitlab_child_pipeline(names), end="")
    elif args.report == "json":
        print(json.dumps(names))
    else:
        print("".join(f"{name}\n" for name in names), end="")
    return EXIT_CONTENT if refused else EXIT_OK


def cmd_release(args) -> int:
    from stodocs.approval import released_region
    from stodocs.sources import WorkingTree
    print(released_region(WorkingTree(args.root), args.tag, _today()))
    return EXIT_OK


def cmd_new_region(args) -> int:
    from stodocs.scaffold import scaffold_region
    folder = scaffold_region(args.root, args.name)
    print(f"Nieuwe regio gemaakt in {folder.relative_to(args.root)}/. Vul alles in wat 'NOG INVULLEN' zegt; "
          f"'build.py validate {args.name}' noemt elke plek.")
    return EXIT_OK


def cmd_status(args) -> int:
    from stodocs.formatting import counted
    from stodocs.problems import warnings
    from stodocs.verantwoording.reporting import statuses_of
    from stodocs.sources import WorkingTree
    from stodocs.verantwoording.status import status_lines
    found, problems = statuses_of(WorkingTree(args.root), args.regions, args.datum or _today(), _realisatie(args))
    if problems:
        print(f"Eerst te herstellen: {counted(len(problems), 'fout')} in de inhoud (ook 'build.py validate' toont ze):")
        for problem in problems:
            print(problem.format())
    from stodocs.formatting import one_line
    for status, naam in found:
        print("\n".join(one_line(line) for line in status_lines(status, naam)))  # no control character from content
    if problems:
        return EXIT_CONTENT
    urgent = [p for status, _ in found for p in warnings(status.problems)]
    return EXIT_CONTENT if args.strict and urgent else EXIT_OK


def cmd_rapportage(args) -> int:
    from stodocs.sources import GitRevision, WorkingTree
    from stodocs.write import check_output_folder
    check_output_folder(args.output, args.root)
    if (args.to_rev or args.alleen_wijzigingen) and not args.from_rev:
        print("fout: --to en --alleen-wijzigingen werken alleen samen met --from", file=sys.stderr)
        return EXIT_USAGE
    if args.from_rev:
        if args.realisatie is not None:
            print("fout: --realisatie werkt niet samen met --from; een redline vergelijkt twee versies uit git",
                  file=sys.stderr)
            return EXIT_USAGE
        from stodocs.verantwoording.report_diff import diff_reports
        old = GitRevision(args.root, args.from_rev)
        new = GitRevision(args.root, args.to_rev) if args.to_rev else WorkingTree(args.root)
        written = diff_reports(old, new, args.regions, args.jaar, args.output, args.alleen_wijzigingen)
    else:
        from stodocs.verantwoording.reporting import make_reports
        written = make_reports(WorkingTree(args.root), args.regions, args.jaar, args.format, args.output,
                               _realisatie(args), _today(), lambda p: print(p.format(), file=sys.stderr))
    for path in written:
        print(f"  {path}")
    return EXIT_OK


def cmd_g2(args) -> int:
    from stodocs.verantwoording.reporting import make_g2
    from stodocs.sources import WorkingTree
    from stodocs.write import check_output_folder
    check_output_folder(args.output, args.root)
    written, tables = make_g2(WorkingTree(args.root), args.regions, args.jaar, args.format, args.output,
                              _realisatie(args), _today())
    for path in written:
        print(f"  {path}")
    for table in tables:
        if table.voorlopig:
            print(f"waarschuwing: de projectadministratie dekt {args.jaar} nog niet helemaal; de tabel is voorlopig.",
                  file=sys.stderr)
    return EXIT_OK


def cmd_build(args) -> int:
    from stodocs.formatting import counted
    from stodocs.pipeline import build
    from stodocs.sources import WorkingTree
    from stodocs.write import check_output_folder, check_private_folder
    check_output_folder(args.output, args.root)
    progress = (lambda path: print(f"  {path}", flush=True)) if sys.stdout.isatty() else None
    private = None if args.zonder_administratie else args.administratie
    if private is not None:
        check_private_folder(private, args.output, args.root)
    built = build(WorkingTree(args.root), args.regions, _today(), args.format, args.pdf_variant, args.output, progress,
                  private, _realisatie(args), _workers(args), args.force)
    for problem in built.problems:
        print(problem.format(), file=sys.stderr)
    if sys.stdout.isatty():  # quiet in CI
        signed = [p for p in built.written if private is not None and p.is_relative_to(private)]
        print(f"{counted(len(built.written) - len(signed), 'document')} geschreven in {args.output}.")
        if built.unchanged:
            print(f"{counted(len(built.unchanged), 'regio')} ongewijzigd sinds de vorige build, overgeslagen "
                  f"(alles opnieuw: --opnieuw).")
        if signed:
            print(f"{counted(len(signed), 'verklaring')} om te ondertekenen geschreven in {private} (bevatten persoonsgegevens).")
    return EXIT_OK


def cmd_site(args) -> int:
    from stodocs.formatting import counted
    from stodocs.site import build_site, comment_links
    from stodocs.sources import WorkingTree
    from stodocs.write import check_output_file, check_output_folder, check_public_folder
    # The project folder, content/ and the private folder of the statements are refused, as is a comment file
    # among the sources.
    check_output_folder(args.output, args.root)
    check_public_folder(args.output, args.root / "administratie")
    if args.commentaar is not None:
        check_output_file(args.commentaar, args.root, "--commentaar")
    progress = (lambda path: print(f"  {path}", flush=True)) if sys.stdout.isatty() else None
    built = build_site(WorkingTree(args.root), args.regions, args.datum or _today(), args.output,
                       progress=progress, workers=_workers(args), force=args.force)
    for problem in built.problems:
        print(problem.format(), file=sys.stderr)
    if sys.stdout.isatty():
        print(f"{counted(len(built.written), 'bestand')} geschreven in {args.output}; open {args.output / 'index.html'}.")
        if built.unchanged:
            print(f"{counted(len(built.unchanged), 'regio')} ongewijzigd sinds de vorige keer, overgeslagen "
                  f"(alles opnieuw: --opnieuw).")
    if args.commentaar is not None:
        url = args.site_url + ("/" if args.site_url and not args.site_url.endswith("/") else "")
        _append_comment(args.commentaar, comment_links(built.rows, url))
    return EXIT_OK


def _append_comment(path: Path, markdown: str) -> None:
    from stodocs.problems import EnvironmentFailure
    try:
        with open(path, "a", encoding="utf-8") as out:
            out.write(markdown)
    except OSError as exc:
        raise EnvironmentFailure(f"kan het commentaar {path} niet aanvullen: {exc.strerror}") from None


def cmd_schema(args) -> int:
    from stodocs.jsonschema import export_schemas
    written = export_schemas(args.output)  # an OS error is an EnvironmentFailure: a Dutch message, exit 1
    print(f"{len(written)} JSON-schema's geschreven in {args.output}.")
    return EXIT_OK


def main(argv: list[str] | None = None, root: Path | None = None, prog: str = "stodocs") -> int:
    """Run one command on the project folder `root` (default: the current folder); return the exit code."""
    try:
        code = _main(argv, Path.cwd() if root is None else Path(root), prog)
        sys.stdout.flush()  # here, so a closed pipe is caught below and not at the interpreter's exit
        return code
    except BrokenPipeError:  # the reader stopped reading (e.g. `| head`): nothing more to say, and no error
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())  # so the exit's own flush stays quiet
        return EXIT_OK
    except KeyboardInterrupt:  # Ctrl-C anywhere, also while starting: a word, not a traceback
        print("afgebroken.", file=sys.stderr)
        return EXIT_USAGE


def _main(argv: list[str] | None, root: Path, prog: str) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if not argv or argv[0] not in ("validate", "build", "schema", "diff", "log", "status", "rapportage", "g2", "regios",
                                 "nieuwe-regio", "vaststelling", "site", "-h", "--help"):
        argv = ["build", *argv]  # `python build.py [REGIO ...]` builds
    args = _parse(argv, root, prog)
    from stodocs.problems import ContentError, EnvironmentFailure, UsageError
    from stodocs.sources import MissingRevision
    try:
        return {"validate": cmd_validate, "build": cmd_build, "schema": cmd_schema,
                "diff": cmd_diff, "log": cmd_log, "status": cmd_status,
                "rapportage": cmd_rapportage, "g2": cmd_g2, "regios": cmd_regions, "nieuwe-regio": cmd_new_region,
                "vaststelling": cmd_release, "site": cmd_site}[args.command](args)
    except UsageError as exc:
        print(f"fout: {exc}", file=sys.stderr)
        _usage_report(_asked_format(argv), str(exc))
        return EXIT_USAGE
    except MissingRevision as exc:
        print(f"fout: {exc.message}", file=sys.stderr)
        return EXIT_CONTENT
    except ContentError as exc:
        return _report(exc.problems, False, getattr(args, "report", "text")) or EXIT_CONTENT
    except EnvironmentFailure as exc:  # the machine, not the content: a Dutch message that says what to do
        print(f"fout: {exc}", file=sys.stderr)
        return EXIT_CONTENT
    except BrokenPipeError:  # not a bug: main() says nothing of it
        raise
    except Exception as exc:  # the one place that turns a bug into a message instead of a traceback
        print(f"interne fout in stodocs: {type(exc).__name__}: {exc}. Meld dit aan de beheerders van stodocs.",
              file=sys.stderr)
        return EXIT_USAGE


def _stop(signum, frame) -> None:
    raise KeyboardInterrupt


def run(argv: list[str] | None = None, root: Path | None = None, prog: str = "stodocs") -> int:
    """Run as a program (the `stodocs` command, build.py): as main(), and a kill stops like Ctrl-C."""
    # A kill (a CI time-out or cancel, a closed terminal) stops like Ctrl-C: workers ended, no half files.
    signal.signal(signal.SIGTERM, _stop)
    signal.signal(signal.SIGHUP, _stop)
    return main(argv, root, prog)
