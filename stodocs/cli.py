"""stodocs command line: validate and render the plan documents of STO regions.

The installed `stodocs` command works on the project folder it is started in (content/, output/);
build.py is the same command for the folder it sits in.
"""
from __future__ import annotations

import argparse
import signal
import sys
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
}


class _Parser(argparse.ArgumentParser):
    def error(self, message: str):  # argparse's own usage errors, in Dutch, exit 2
        self.print_usage(sys.stderr)
        print(f"fout: {message}{self._suggestion(message)}", file=sys.stderr)
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


REALISATIE_HELP = ("lees de projectadministratie van elke regio uit MAP/<regio>/ in plaats van uit "
                   "content/<regio>/realisatie/ (een besloten map buiten de repository; zie docs/privacy.md)")


def _parser(root: Path, prog: str) -> argparse.ArgumentParser:
    parser = _Parser(prog=prog, description="Valideer en maak de plandocumenten van STO-regio's.",
                     epilog="Zonder opdracht: build. REGIO is de naam van een map onder content/ (standaard: alle). "
                            "Exitcodes: 0 alles goed, 1 problemen in de inhoud (of een ontbrekende revisie), "
                            "2 verkeerd gebruik, interne fout of afgebroken (Ctrl-C). Zie docs/inhoud.md.")
    sub = parser.add_subparsers(dest="command", metavar="opdracht")
    validate = sub.add_parser("validate", help="controleer de inhoud van regio's")
    validate.add_argument("regions", nargs="*", metavar="REGIO")
    validate.add_argument("--strict", action="store_true", help="waarschuwingen tellen als fouten")
    validate.add_argument("--realisatie", type=Path, metavar="MAP", help=REALISATIE_HELP)
    build = sub.add_parser("build", help="controleer en maak de documenten (standaard)")
    build.add_argument("regions", nargs="*", metavar="REGIO")
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
    schema = sub.add_parser("schema", help="schrijf de schema's als JSON Schema, voor editors")
    schema.add_argument("--output", type=Path, default=root / "schemas" / "json", metavar="MAP",
                        help="map voor de JSON-bestanden (standaard schemas/json)")
    log = sub.add_parser("log", help="toon de vastgestelde versies van regio's")
    log.add_argument("regions", nargs="*", metavar="REGIO")
    diff = sub.add_parser("diff", help="toon wat er tussen twee versies (git-revisies) is gewijzigd")
    diff.add_argument("regions", nargs="*", metavar="REGIO")
    diff.add_argument("--from", dest="from_rev", required=True, metavar="REV",
                      help="de oude versie: een branch, tag, commit of bijvoorbeeld origin/main")
    diff.add_argument("--to", dest="to_rev", metavar="REV", help="de nieuwe versie (standaard: de werkmap)")
    diff.add_argument("--alleen-wijzigingen", action="store_true",
                      help="maak alleen de korte redline (gewijzigde delen met hun koppen), niet ook de volledige")
    diff.add_argument("--output", type=Path, default=root / "output", metavar="MAP",
                      help="waar de diffs komen, in diffs/<regio>/ (standaard output/)")
    return parser


def _parse(argv: list[str], root: Path, prog: str) -> argparse.Namespace:
    """Parse the arguments with argparse speaking Dutch, for this call only (stodocs is also a library)."""
    english, argparse._ = argparse._, lambda text: _DUTCH.get(text, text)
    try:
        args = _parser(root, prog).parse_args(argv)
    finally:
        argparse._ = english
    args.root = root
    return args


def _today() -> date:
    from stodocs.sources import epoch_date
    epoch = epoch_date()
    return epoch.date() if epoch else date.today()


def _report(problems, strict: bool) -> int:
    from stodocs.problems import errors, warnings
    for problem in problems:
        print(problem.format(), file=sys.stderr)
    failing = errors(problems) + (warnings(problems) if strict else [])
    return EXIT_CONTENT if failing else EXIT_OK


def _realisatie(args) -> Path | None:
    """Return the private realisatie folder of --realisatie; it must exist."""
    if args.realisatie is None:
        return None
    from stodocs.problems import UsageError
    if not args.realisatie.is_dir():
        raise UsageError(f"--realisatie {args.realisatie}: die map bestaat niet")
    return args.realisatie


def cmd_validate(args) -> int:
    from stodocs.pipeline import check
    from stodocs.problems import errors, warnings
    from stodocs.sources import WorkingTree
    checked = check(WorkingTree(args.root), args.regions, _today(), _realisatie(args))
    code = _report(checked.problems, args.strict)
    if code == EXIT_OK:
        n_warn = len(warnings(checked.problems))
        names = ", ".join(sorted(checked.regions))
        extra = f", {n_warn} waarschuwing(en)" if n_warn else ""
        print(f"{len(checked.regions)} regio('s) gecontroleerd ({names}): geen fouten{extra}.")
    else:
        print(f"{len(errors(checked.problems))} fout(en), {len(warnings(checked.problems))} waarschuwing(en).",
              file=sys.stderr)
    return code


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
    from stodocs.diff.pipeline import diff, diff_base
    from stodocs.formatting import counted
    from stodocs.sources import GitRevision, WorkingTree
    old = GitRevision(args.root, args.from_rev)
    new = GitRevision(args.root, args.to_rev) if args.to_rev else WorkingTree(args.root)
    code = EXIT_OK
    for compared in diff(old, new, args.regions, args.output, args.alleen_wijzigingen):
        cs = compared.changeset
        for problem in cs.new_errors:  # the new version's errors fail CI, as a build would
            print(problem.format(), file=sys.stderr)
        if cs.old_errors:
            print(f"waarschuwing: {compared.name}: de oude versie ({args.from_rev}) voldoet niet aan de huidige regels "
                  f"({counted(len(cs.old_errors), 'fout')}); de vergelijking is toch gemaakt:", file=sys.stderr)
            for problem in cs.old_errors:
                print(f"  {problem.format()}", file=sys.stderr)
        if cs.new_errors:
            code = EXIT_CONTENT
        if cs.empty:
            print(f"{compared.name}: geen wijzigingen.")
            continue
        print(f"{compared.name}: {counted(len(cs.changes) + len(cs.files), 'wijziging')}; zie "
              f"{args.output / diff_base(compared, args.alleen_wijzigingen)}.pdf (ook .html, .md en .json)")
    return code


def cmd_build(args) -> int:
    from stodocs.pipeline import build
    from stodocs.sources import WorkingTree
    progress = (lambda path: print(f"  {path}", flush=True)) if sys.stdout.isatty() else None
    private = None if args.zonder_administratie else args.administratie
    built = build(WorkingTree(args.root), args.regions, _today(), args.format, args.pdf_variant, args.output, progress,
                  private, _realisatie(args))
    for problem in built.problems:
        print(problem.format(), file=sys.stderr)
    if sys.stdout.isatty():  # quiet in CI
        signed = [p for p in built.written if private is not None and p.is_relative_to(private)]
        print(f"{len(built.written) - len(signed)} document(en) geschreven in {args.output}.")
        if signed:
            print(f"{len(signed)} verklaring(en) om te ondertekenen geschreven in {private} (bevatten persoonsgegevens).")
    return EXIT_OK


def cmd_schema(args) -> int:
    from stodocs.jsonschema import export_schemas
    try:
        written = export_schemas(args.output)
    except OSError as exc:
        print(f"fout: kan niet schrijven in {args.output}: {exc.strerror}", file=sys.stderr)
        return EXIT_USAGE
    print(f"{len(written)} JSON-schema's geschreven in {args.output}.")
    return EXIT_OK


def main(argv: list[str] | None = None, root: Path | None = None, prog: str = "stodocs") -> int:
    """Run one command on the project folder `root` (default: the current folder); return the exit code."""
    try:
        return _main(argv, Path.cwd() if root is None else Path(root), prog)
    except KeyboardInterrupt:  # Ctrl-C anywhere, also while starting: a word, not a traceback
        print("afgebroken.", file=sys.stderr)
        return EXIT_USAGE


def _main(argv: list[str] | None, root: Path, prog: str) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if not argv or argv[0] not in ("validate", "build", "schema", "diff", "log", "-h", "--help"):
        argv = ["build", *argv]  # `python build.py [REGIO ...]` builds
    args = _parse(argv, root, prog)
    from stodocs.problems import ContentError, UsageError
    from stodocs.sources import MissingRevision
    try:
        return {"validate": cmd_validate, "build": cmd_build, "schema": cmd_schema,
                "diff": cmd_diff, "log": cmd_log}[args.command](args)
    except UsageError as exc:
        print(f"fout: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except MissingRevision as exc:
        print(f"fout: {exc.message}", file=sys.stderr)
        return EXIT_CONTENT
    except ContentError as exc:
        return _report(exc.problems, strict=False) or EXIT_CONTENT
    except Exception as exc:  # the one place that turns a bug into a message instead of a traceback
        print(f"interne fout in stodocs: {type(exc).__name__}: {exc}. Meld dit aan de beheerders van stodocs.",
              file=sys.stderr)
        return EXIT_USAGE


def _stop(signum, frame) -> None:
    raise KeyboardInterrupt


def run(argv: list[str] | None = None, root: Path | None = None, prog: str = "stodocs") -> int:
    """Run as a program (the `stodocs` command, build.py): as main(), and a kill stops like Ctrl-C."""
    signal.signal(signal.SIGTERM, _stop)  # a kill (e.g. a CI time-out) stops like Ctrl-C: workers ended, no half files
    return main(argv, root, prog)
