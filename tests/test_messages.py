"""The message catalogue: every message a region's staff can get reads as one Dutch line at a line that exists.

Two sources: every case folder (tests/cases/, whose expected.txt test_cases.py holds equal to what validate
reports) and syntax errors generated from the fixture region's YAML files by small, typical slips (a space
too many or too few, a quote or bracket not closed, a colon inside a value).
"""
from __future__ import annotations

import random
import re
from pathlib import Path

import pytest

from gitrepo import CASES, FIXTURE_REGION, apply_case, copy_example
from stodocs import load
from stodocs.load import parse_markdown, parse_yaml
from stodocs.problems import Problem

# Words of PyYAML's and libyaml's own messages, and of argparse: none may reach a user.
ENGLISH = re.compile(r"\b(expected|found|while (parsing|scanning)|mapping values|could not|block (end|mapping|collection)"
                     r"|document start|stream|scalar|token|indentation indicator|indicator|allowed here|simple key"
                     r"|character|YAML kan niet gelezen)\b", re.IGNORECASE)
FIELD_PATH = re.compile(r"\[\d+\]")
PLACE = re.compile(r"^(?P<path>[^\n]+?\.(yaml|md|png|jpg|jpeg|svg|gif|txt|yml)):(?P<line>\d+): (?P<rest>.+)$")


def _line_count(path: Path) -> int:
    """Lines a file has, as an editor counts them; a missing or empty file has its first line only."""
    if not path.exists():
        return 1
    text = path.read_bytes().decode("utf-8", "replace")
    return max(1, len(text.rstrip("\n").split("\n")))


def _cases() -> list[Path]:
    return sorted(p.parent for p in CASES.glob("*/*/expected.txt"))


def _check_message(line: str, where: Path) -> None:
    found = PLACE.match(line)
    assert found, f"not one `path:line: message` line: {line!r}"
    number = int(found.group("line"))
    assert 1 <= number <= _line_count(where.parent.parent / found.group("path")), f"line past the end: {line}"
    assert not ENGLISH.search(found.group("rest")), f"English parser words: {line}"
    assert not FIELD_PATH.search(found.group("rest")), f"a field path where people read: {line}"


@pytest.mark.parametrize("case", _cases(), ids=lambda p: p.relative_to(CASES).as_posix())
def test_every_case_message_is_one_dutch_line_at_an_existing_line(case: Path, tmp_path: Path):
    region = copy_example(tmp_path)
    apply_case(case, region)
    text = (case / "expected.txt").read_text(encoding="utf-8")
    assert "\r" not in text and "\x1b" not in text
    for line in text.splitlines():
        _check_message(line, region)  # region/../.. is tmp_path: paths in messages start at content/


SLIPS = (
    lambda line: line.replace(": ", ":", 1),  # no space after the colon
    lambda line: line + ' "',  # a quote not closed
    lambda line: " " + line,  # one space too many
    lambda line: line[1:] if line.startswith(" ") else line,  # one space too few
    lambda line: line.replace(": ", ': "', 1),  # an opening quote only
    lambda line: line + ": x",  # a colon inside a value
    lambda line: line.replace("- ", "-", 1),  # no space after a list dash
    lambda line: line + " [",  # a bracket not closed
    lambda line: line.replace(": ", ": '", 1),  # a single quote not closed
    lambda line: "   " + line,  # indented like the line above's text
    lambda line: line.replace(": ", ": *", 1),  # a value starting with a star (Markdown bold)
    lambda line: line.replace(": ", ": @", 1),  # a value starting with a sign YAML reserves
    lambda line: line + "\t",  # a tab
    lambda line: line.replace(": ", ': "a\\qb" ', 1),  # an unknown escape, and text after the quote
)
FILES = sorted(p for p in FIXTURE_REGION.rglob("*.yaml")) + sorted(FIXTURE_REGION.glob("*.md"))


def _slipped(seed: int) -> list[tuple[str, str]]:
    """Return (file name, text) pairs: each fixture file with one slip on a random line."""
    chance = random.Random(seed)
    out = []
    for path in FILES:
        lines = path.read_text(encoding="utf-8").split("\n")
        for slip in SLIPS:
            n = chance.randrange(len(lines))
            out.append((path.name, "\n".join(lines[:n] + [slip(lines[n])] + lines[n + 1:])))
    return out


def _parse(name: str, text: str) -> list[Problem]:
    loaded, problems = parse_markdown(name, text) if name.endswith(".md") else parse_yaml(name, text)
    return problems


@pytest.mark.parametrize("fast", [True, False], ids=["libyaml", "python"])
def test_generated_syntax_errors_are_one_dutch_line_at_an_existing_line(fast: bool, monkeypatch):
    if not fast:
        monkeypatch.setattr(load, "_FastLoader", None)
    broken = 0
    for name, text in _slipped(seed=27 if fast else 28):
        problems = _parse(name, text)
        lines = max(1, len(text.rstrip("\n").split("\n")))
        for problem in problems:
            shown = problem.format()
            assert "\n" not in shown and "\r" not in shown, shown
            assert 1 <= problem.line <= lines, f"{name}: line {problem.line} of {lines}: {shown}\n{text}"
            assert not ENGLISH.search(problem.message), shown
            assert not FIELD_PATH.search(shown), shown
        broken += any(p.severity == "fout" for p in problems)
    assert broken > 100  # the slips do break files: the test sees real syntax errors


def test_a_quote_closed_lines_later_is_refused_at_the_opening_quote():
    _, problems = parse_yaml("regio.yaml", 'naam: "Techniekregio\nsoort: techniekregio"\n')
    assert [p.line for p in problems] == [1] and problems[0].message.startswith("de tekst tussen aanhalingstekens")


def test_a_comment_needs_a_space_before_it_after_a_quote_or_bracket():
    for text in ('naam: "x"# c\n', "lijst: [a, b]# c\n", "tekst: |# c\n  regel\n"):
        loaded, problems = parse_yaml("a.yaml", text)
        assert loaded is None and "# zonder spatie ervoor" in problems[0].message, text
    assert parse_yaml("a.yaml", 'naam: "x" # c\nlijst: [a] # c\ntekst: | # c\n  regel\n')[1] == []


def test_a_syntax_error_at_the_end_of_the_file_names_a_line_the_file_has():
    _, problems = parse_yaml("a.yaml", "naam: x\nsoort: 'open\n\n\n")
    assert [p.line for p in problems] == [2]
