"""Property-based tests (Hypothesis): whatever the input, the loaders, the validator, the model and the change set
give a value or Problems, never an exception; and a region compared with itself has no changes.

`make test` runs the small, fixed profile (the same examples every run); `make fuzz` runs the long one, with new
examples each round, for ten minutes. The profiles are in conftest.py.
"""
from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timezone
from decimal import Decimal

from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from gitrepo import EXAMPLE, FIXTURE
from stodocs.diff.changeset import compare_regions
from stodocs.load import REQUIRED_FILES, Loaded, load_file, parse_markdown, parse_yaml
from stodocs.markdown import check_size, comment_lines, image_refs
from stodocs.model import CATEGORIES, CENT, YEARS, Budget, BudgetLine, Place, sum_lines
from stodocs.pipeline import check
from stodocs.problems import Problem
from stodocs.sources import MAX_FILE_BYTES, SourceFile, Version, WorkingTree
from stodocs.validate import SCHEMA_OF_FILE, check_file, load_schema

# Pieces that make YAML and Markdown interesting: structure, traps of YAML 1.1, escapes, odd characters.
YAML_PIECES = st.sampled_from([
    "\n", "  ", "- ", ": ", "[", "]", "{", "}", ",", "'", '"', "#", "&a ", "*a", "!tag ", "!!python/object ",
    "\t", "---\n", "...\n", "? ", "|\n", ">\n", "~", "null", "yes", "nee", "010", "1.000", "1e9", "0x1F", "12:30",
    "2025-13-45", "9" * 5000, "-.inf", ".nan", "\\u0000", "\x00", "\ufeff", "\u2028", "€", "✓", "中", "𓀀",
    "naam", "id", "regels", "partners", "activiteiten", "commit", "bedrag", "7500", "49,95", "-1",
])
MD_PIECES = st.sampled_from([
    "\n", "\n\n", "# ", "## ", "### ", "| a | b |\n|---|---|\n", "| ", " |", "- ", "1. ", "> ", "```\n", "`",
    "![x](", ")", "](", "[", "]", "<!--", "-->", "<img src=x>", "<script>", "**", "_", "\\", "&amp;", "&#0;",
    "http://127.0.0.1/x.png", "file:///etc/passwd", "../../x.png", "logo.png?v=2", "data:image/svg+xml,<svg/>",
    "---\n", "titel: x\n", "\t", "\x00", "€", "✓", "中", "tekst ",
])
yaml_texts = st.lists(st.one_of(YAML_PIECES, st.text(max_size=8)), max_size=60).map("".join)
md_texts = st.lists(st.one_of(MD_PIECES, st.text(max_size=8)), max_size=60).map("".join)


def only_problems(problems) -> None:
    assert isinstance(problems, list) and all(isinstance(p, Problem) for p in problems)
    for problem in problems:
        problem.format()  # and every one can be printed


@given(yaml_texts)
def test_yaml_loader_gives_a_value_or_problems(text):
    loaded, problems = parse_yaml("content/r/regio.yaml", text)
    only_problems(problems)
    assert loaded is not None or problems


@given(md_texts)
def test_markdown_loader_and_checks_give_a_value_or_problems(text):
    loaded, problems = parse_markdown("content/r/regioplan.md", text)
    only_problems(problems)
    if loaded is not None and loaded.body is not None:
        image_refs(loaded.body)
        comment_lines(loaded.body)


@given(st.binary(max_size=300))
def test_any_bytes_load_as_a_value_or_problems(data):
    for name in ("content/r/regio.yaml", "content/r/regioplan.md"):
        _, problems = load_file(SourceFile(name, data))
        only_problems(problems)


SCALARS = st.one_of(st.none(), st.booleans(), st.integers(-10**15, 10**15), st.text(max_size=20),
                    st.decimals(allow_nan=False, allow_infinity=False, places=3, min_value=-10**9, max_value=10**9),
                    st.sampled_from(["2025-01-01", "2025-13", "2026-02", "vmbo", "stuurgroep", "a" * 70, "1.000"]))


def schema_keys() -> list[str]:
    keys: set[str] = set()

    def walk(schema) -> None:
        if isinstance(schema, dict):
            for key, value in schema.items():
                keys.add(str(key))
                walk(value)
        elif isinstance(schema, list):
            for value in schema:
                walk(value)
    for name in set(SCHEMA_OF_FILE.values()):
        walk(load_schema(name))
    return sorted(keys)


KEYS = st.sampled_from(schema_keys())
DATA = st.recursive(SCALARS, lambda inner: st.one_of(st.lists(inner, max_size=4),
                                                     st.dictionaries(KEYS, inner, max_size=6)), max_leaves=30)


@given(st.sampled_from(sorted(SCHEMA_OF_FILE)), st.dictionaries(KEYS, DATA, max_size=8))
def test_validator_gives_problems_for_any_data(name, data):
    only_problems(check_file(name, Loaded(f"content/r/{name}", data, {(): 1})))


class MemorySource:
    """A source whose files are held in memory: the fixture region, with some files replaced."""

    def __init__(self, files: dict[str, bytes]):
        self._files = files
        self.name = "geheugen"

    def region_names(self) -> list[str]:
        return [EXAMPLE]

    def refused_regions(self) -> list[str]:
        return []

    def files(self, region: str) -> list[str]:
        return sorted(self._files)

    def read(self, path: str) -> SourceFile:
        data = self._files[path]
        return SourceFile(path, data) if len(data) <= MAX_FILE_BYTES else SourceFile(path, None, "te groot")

    def git_root(self):
        return None

    def version(self) -> Version:
        return Version(None, None, datetime(2026, 3, 14, tzinfo=timezone.utc), dirty=False, in_git=False)


def fixture_files() -> dict[str, bytes]:
    folder = FIXTURE / "content" / EXAMPLE
    return {f"content/{EXAMPLE}/{p.name}": p.read_bytes() for p in sorted(folder.iterdir()) if p.is_file()}


FIXTURE_FILES = fixture_files()


@settings(suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(REQUIRED_FILES), st.one_of(yaml_texts, md_texts), st.booleans())
def test_the_whole_check_gives_problems_for_any_file(name, text, keep_front_matter):
    """One file of the region replaced by anything: check() reports problems, and never raises."""
    files = dict(FIXTURE_FILES)
    path = f"content/{EXAMPLE}/{name}"
    if name.endswith(".md") and keep_front_matter:
        text = "---\ntitel: Titel\n---\n" + text
    files[path] = text.encode("utf-8", "surrogatepass")
    checked = check(MemorySource(files), [EXAMPLE])
    only_problems(checked.problems)
    for region in checked.regions.values():
        only_problems(check_size(region))


@settings(suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(["activiteiten.yaml", "begroting.yaml", "partners.yaml", "regioplan.md"]),
       st.text(min_size=1, max_size=30))
def test_a_region_compared_with_itself_has_no_changes(name, word):
    """Whatever a text says, a region against itself is an empty change set; against the fixture, a value."""
    files = dict(FIXTURE_FILES)
    path = f"content/{EXAMPLE}/{name}"
    original = files[path].decode("utf-8")
    anchor = "omschrijving: " if name.endswith(".yaml") else "## "
    assume(anchor in original)
    safe = word.replace("\n", " ").replace("'", "''")
    files[path] = original.replace(anchor, f"{anchor}'{safe}' " if name.endswith(".yaml") else f"{anchor}{safe} ",
                                   1).encode("utf-8", "surrogatepass")
    checked = check(MemorySource(files), [EXAMPLE])
    if EXAMPLE not in checked.regions:
        only_problems(checked.problems)
        return
    region = checked.regions[EXAMPLE]
    assert compare_regions(EXAMPLE, region, region).empty
    base = check(WorkingTree(FIXTURE), [EXAMPLE]).regions[EXAMPLE]
    compare_regions(EXAMPLE, base, region)


AMOUNTS = st.decimals(min_value=0, max_value=10**6, places=2)
COUNTS = st.decimals(min_value=0, max_value=10**4, places=2)


@given(st.lists(st.tuples(st.sampled_from(YEARS), st.sampled_from(sorted(CATEGORIES)), COUNTS, AMOUNTS, AMOUNTS),
                max_size=12))
def test_budget_totals_add_up_to_the_cent(rows):
    """Per year and per category, the totals add up to the whole budget, exactly (Decimal, never float)."""
    lines = []
    for i, (year, category, aantal, prijs, cofinanciering) in enumerate(rows):
        line = BudgetLine(f"r{i}", "a", year, category, "x", aantal, "uur", prijs, Decimal("0.00"), "", "",
                          Place("p", 1))
        lines.append(replace(line, cofinanciering=min(cofinanciering, line.totaal).quantize(CENT)
                             if line.whole_cents else Decimal("0.00")))
    budget = Budget(tuple(lines))
    totals = budget.totals
    assert totals.totaal == sum((line.totaal for line in lines), Decimal("0"))
    assert totals.subsidie == totals.totaal - totals.cofinanciering
    assert sum_lines([]) == budget.by_year().get(1900, sum_lines([]))
    by_year = budget.by_year()
    assert sum((t.totaal for t in by_year.values()), Decimal("0")) == totals.totaal
    assert sum((t.subsidie for t in budget.by_category().values()), Decimal("0")) == totals.subsidie
