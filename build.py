#!/usr/bin/env python3
"""stodocs command line: validate and render the plan documents of STO regions."""
from __future__ import annotations

import argparse
import os
import sys
from datetime import date, datetime, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parent

EXIT_OK, EXIT_CONTENT, EXIT_USAGE = 0, 1, 2


class _Parser(argparse.ArgumentParser):
    def error(self, message: str):  # argparse's own usage errors, in Dutch, exit 2
        self.print_usage(sys.stderr)
        print(f"fout: {message}", file=sys.stderr)
        raise SystemExit(EXIT_USAGE)


def _parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="build.py", description="Valideer en maak de plandocumenten van STO-regio's.")
    sub = parser.add_subparsers(dest="command", metavar="opdracht")
    validate = sub.add_parser("validate", help="controleer de inhoud van regio's")
    validate.add_argument("regions", nargs="*", metavar="REGIO")
    validate.add_argument("--strict", action="store_true", help="waarschuwingen tellen als fouten")
    build = sub.add_parser("build", help="controleer en maak de documenten (standaard)")
    build.add_argument("regions", nargs="*", metavar="REGIO")
    build.add_argument("--format", choices=("pdf", "html"), default="pdf", help="pdf (standaard) of html")
    build.add_argument("--pdf-variant", choices=("pdf/ua-1", "pdf/a-3u"), default="pdf/ua-1",
                       help="pdf/ua-1: getagd en toegankelijk (standaard); pdf/a-3u: voor het archief")
    build.add_argument("--output", type=Path, default=ROOT / "output", metavar="MAP",
                       help="waar de documenten komen (standaard output/)")
    schema = sub.add_parser("schema", help="schrijf de schema's als JSON Schema, voor editors")
    schema.add_argument("--output", type=Path, default=ROOT / "schemas" / "json", metavar="MAP",
                        help="map voor de JSON-bestanden (standaard schemas/json)")
    return parser


def _today() -> date:
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch.isdigit():
        return datetime.fromtimestamp(int(epoch), tz=timezone.utc).date()
    return date.today()


def _report(problems, strict: bool) -> int:
    from stodocs.problems import errors, warnings
    for problem in problems:
        print(problem.format(), file=sys.stderr)
    failing = errors(problems) + (warnings(problems) if strict else [])
    return EXIT_CONTENT if failing else EXIT_OK


def cmd_validate(args) -> int:
    from stodocs.pipeline import check
    from stodocs.problems import errors, warnings
    from stodocs.sources import WorkingTree
    checked = check(WorkingTree(ROOT), args.regions, _today())
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


def cmd_build(args) -> int:
    from stodocs.pipeline import build
    from stodocs.sources import WorkingTree
    progress = (lambda path: print(f"  {path}", flush=True)) if sys.stdout.isatty() else None
    built = build(WorkingTree(ROOT), args.regions, _today(), args.format, args.pdf_variant, args.output, progress)
    for problem in built.problems:
        print(problem.format(), file=sys.stderr)
    if sys.stdout.isatty():
        print(f"{len(built.written)} document(en) geschreven in {args.output}.")
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


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if not argv or argv[0] not in ("validate", "build", "schema", "-h", "--help"):
        argv = ["build", *argv]  # `python build.py [REGIO ...]` builds
    args = _parser().parse_args(argv)
    from stodocs.problems import ContentError, UsageError
    try:
        return {"validate": cmd_validate, "build": cmd_build, "schema": cmd_schema}[args.command](args)
    except UsageError as exc:
        print(f"fout: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except ContentError as exc:
        return _report(exc.problems, strict=False) or EXIT_CONTENT
    except KeyboardInterrupt:
        print("afgebroken.", file=sys.stderr)
        return EXIT_USAGE
    except Exception as exc:  # the one place that turns a bug into a message instead of a traceback
        print(f"interne fout in stodocs: {type(exc).__name__}: {exc}. Meld dit aan de beheerders van stodocs.",
              file=sys.stderr)
        return EXIT_USAGE


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
