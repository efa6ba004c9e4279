"""Reporters: problems (values) turned into text for people, GitHub workflow commands, GitLab Code Quality or JSON.

Checking never prints; a reporter never checks. Each reporter returns text; build.py decides where it goes.
"""
from __future__ import annotations

import hashlib
import json
import re
from collections import Counter
from typing import Iterable

from .formatting import counted, markdown_text, printable_line
from .problems import ERROR, WARNING, Problem, errors, warnings

FORMATS = ("text", "github", "gitlab", "json")

# GitHub shows at most this many annotations of each type per step; the rest go only to the step summary.
GITHUB_ANNOTATION_LIMIT = 10
# GitLab Code Quality severities: info, minor, major, critical, blocker.
GITLAB_SEVERITY = {ERROR: "major", WARNING: "minor"}
JSON_SEVERITY = {ERROR: "error", WARNING: "warning"}


def text(problems: Iterable[Problem]) -> str:
    """Return one `path:line: message` line per problem."""
    return "".join(p.format() + "\n" for p in problems)  # format() gives one printable line


def _is_folder(problem: Problem) -> bool:
    return "." not in problem.path.rsplit("/", 1)[-1]


def split_revision(path: str) -> tuple[str | None, str]:
    """Return (revision, path) for a problem in an old version, written the way git does (`v1.0:content/...`)."""
    revision, sep, rest = path.partition(":")
    if sep and rest.startswith("content/") and not path.startswith("content/"):
        return revision, rest
    return None, path


def _line(problem: Problem) -> int | None:
    """Return the line an annotation points at: a whole file is its first line; a folder has none."""
    if _is_folder(problem) and not problem.line:
        return None
    return problem.line or 1


# --- GitHub: workflow commands (docs.github.com, "Workflow commands for GitHub Actions") -----------------------------

def escape_data(value: str) -> str:
    """Escape a workflow command's message: %, CR and LF (as @actions/core does)."""
    return value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(value: str) -> str:
    """Escape a workflow command's property value: as a message, and also : and , (which end a property)."""
    return escape_data(value).replace(":", "%3A").replace(",", "%2C")


def _message(problem: Problem) -> str:
    field = f"{problem.shown_label}: " if problem.shown_label else ""
    return printable_line(field + problem.message)


def github_annotation(problem: Problem) -> str:
    """Return `::error file=…,line=…,title=…::…` (or ::warning) for one problem.

    A problem in an old version (`REV:path`) has no place in the proposal's files: it names its place in the text.
    """
    command = "error" if problem.severity == ERROR else "warning"
    revision, path = split_revision(problem.path)
    line = _line(problem)
    where = f"{printable_line(problem.path)}:{line or 1}: " if revision else ""
    props = {"file": None if revision else printable_line(path), "line": str(line) if line and not revision else None,
             "title": f"stodocs: {'fout' if problem.severity == ERROR else 'waarschuwing'}"}
    properties = ",".join(f"{key}={escape_property(value)}" for key, value in props.items() if value)
    return f"::{command} {properties}::{escape_data(where + _message(problem))}\n"


def github(problems: list[Problem]) -> str:
    """Return a workflow command per problem, and a notice when GitHub will not show them all."""
    out = "".join(github_annotation(p) for p in problems)
    hidden = sum(max(0, n - GITHUB_ANNOTATION_LIMIT) for n in Counter(p.severity for p in problems).values())
    if hidden:
        out += "::notice title=stodocs::" + escape_data(
            f"GitHub toont per stap maar {GITHUB_ANNOTATION_LIMIT} meldingen van elke soort; {hidden} andere staan "
            "in de samenvatting van deze run (Summary)") + "\n"
    return out


def markdown_table(problems: list[Problem], heading: str = "stodocs: problemen") -> str:
    """Return every problem as a Markdown table (for $GITHUB_STEP_SUMMARY): none left out."""
    if not problems:
        return f"### {heading}\n\nGeen problemen gevonden.\n"
    counts = f"{counted(len(errors(problems)), 'fout')}, {counted(len(warnings(problems)), 'waarschuwing')}"
    rows = [f"| {markdown_text(p.severity)} | `{printable_line(p.path).replace('`', '').replace('|', '')}` | {_line(p) or ''} | "
            f"{markdown_text(printable_line(p.shown_label))} | {markdown_text(printable_line(p.message))} |" for p in problems]
    return "\n".join([f"### {heading}", "", counts + ":", "", "| soort | bestand | regel | veld | melding |",
                      "|---|---|---|---|---|", *rows, ""])


# --- GitLab: Code Quality report (docs.gitlab.com, "Code Quality", implementing a custom tool) ----------------------

# Places that move when lines or list items are added above: `regel 12`, `begroting.yaml:5`, `regels[3]`.
_LINE_REFERENCE = re.compile(r"\bregel \d+|(?<=\.yaml):\d+|(?<=\.md):\d+|\[\d+\]")


def _identity(problem: Problem) -> str:
    # What the problem is, not where it is: its line, and lines or list positions its text names, shift when
    # something is added above.
    field, message = (_LINE_REFERENCE.sub("#", part) for part in (problem.field, problem.message))
    return "\0".join((problem.path, field, problem.severity, message))


def fingerprints(problems: list[Problem]) -> list[str]:
    """Return a fingerprint per problem that stays the same across runs and line shifts.

    Equal problems in one file (same field, same message) are told apart by their order, which a shift keeps.
    """
    seen: Counter[str] = Counter()
    result = [""] * len(problems)
    for i in sorted(range(len(problems)), key=lambda i: (problems[i].path, problems[i].line)):
        identity = _identity(problems[i])
        seen[identity] += 1
        result[i] = hashlib.sha256(f"stodocs\0{identity}\0{seen[identity]}".encode("utf-8", "surrogateescape")).hexdigest()
    return result


def gitlab(problems: list[Problem]) -> str:
    """Return a GitLab Code Quality report: a JSON array with one issue per problem."""
    issues = []
    for p, fingerprint in zip(problems, fingerprints(problems)):
        revision, path = split_revision(p.path)
        # A problem in an old version is shown on its file in the proposal, and says which version it is in.
        where = f"in versie {revision}: " if revision else ""
        issues.append({"description": where + _message(p),
                       "check_name": f"stodocs/{p.field.split('.')[0].split('[')[0] or 'inhoud'}",
                       "fingerprint": fingerprint,
                       "severity": GITLAB_SEVERITY[p.severity],
                       "location": {"path": printable_line(path), "lines": {"begin": _line(p) or 1}}})
    return json.dumps(issues, ensure_ascii=False, indent=2) + "\n"


# --- JSON -----------------------------------------------------------------------------------------------------------

def problems_json(problems: list[Problem]) -> list[dict]:
    """Return the problems as plain data: file, line, field (the path), label (its name), severity and message."""
    return [{"file": printable_line(p.path), "line": p.line, "field": printable_line(p.field), "label": printable_line(p.shown_label),
             "severity": JSON_SEVERITY[p.severity], "message": printable_line(p.message)} for p in problems]


def as_json(problems: list[Problem], **extra) -> str:
    """Return `{"problems": [...], "errors": n, "warnings": n, ...extra}` as JSON."""
    data = {"problems": problems_json(problems), "errors": len(errors(problems)),
            "warnings": len(warnings(problems)), **extra}
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


# --- GitLab: a child pipeline with one job per region ---------------------------------------------------------------

GITLAB_REGION_JOB = ".gitlab/stodocs-regio.yml"  # defines the hidden job .stodocs-regio


def gitlab_child_pipeline(regions: list[str]) -> str:
    """Return a GitLab CI configuration (JSON, which is YAML too) with one job per region, or one that says none."""
    if not regions:
        config: dict = {"geen-regio": {"image": "busybox:1.37.0",
                                       "script": ["echo \"Deze wijziging raakt geen regio; er is niets te maken.\""]}}
    else:
        config = {"include": [{"local": GITLAB_REGION_JOB}]}
        # expand false: GitLab never reads a `$` in the value as a variable (region names have none; this stays so)
        config.update({f"regio {name}": {"extends": ".stodocs-regio",
                                         "variables": {"REGIO": {"value": name, "expand": False}}}
                       for name in sorted(regions)})
    return json.dumps(config, ensure_ascii=False, indent=2) + "\n"
