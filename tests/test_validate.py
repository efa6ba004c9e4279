"""Schemas and cross-document rules. One rule per case folder lives in test_cases.py; here the machinery."""
from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from gitrepo import TODAY, GitRepo, copy_example
from stodocs.load import REQUIRED_FILES, load_region, parse_yaml
from stodocs.pipeline import check
from stodocs.sources import WorkingTree
from stodocs.validate import SCHEMA_OF_FILE, check_deadlines, check_file, load_schema, quick_ok

CASES = Path(__file__).resolve().parent / "cases"


def test_example_is_valid_without_warnings(folder: GitRepo):
    checked = check(WorkingTree(folder.root), None, TODAY)
    assert checked.problems == []
    assert list(checked.regions) == ["lindewaard"]


def test_every_file_kind_has_a_schema_that_loads():
    for name in sorted(set(SCHEMA_OF_FILE.values())):
        assert isinstance(load_schema(name), dict) and load_schema(name)


def _yaml_files_of_cases():
    for path in sorted(CASES.glob("*/*/*")):
        if path.name in SCHEMA_OF_FILE and path.suffix == ".yaml":
            yield path


@pytest.mark.parametrize("path", list(_yaml_files_of_cases()), ids=lambda p: f"{p.parent.name}/{p.name}")
def test_quick_check_never_passes_what_cerberus_refuses(path: Path):
    """The quick walk may only skip Cerberus when Cerberus would find nothing."""
    loaded, problems = parse_yaml(path.name, path.read_bytes().decode("utf-8", "replace"))
    if loaded is None or not isinstance(loaded.data, dict):
        return
    schema = load_schema(SCHEMA_OF_FILE[path.name])
    import cerberus  # noqa: F401  (the judge)
    from stodocs.validate import _validator
    validator = _validator(SCHEMA_OF_FILE[path.name])
    cerberus_ok = validator.validate(loaded.data, normalize=False)
    if quick_ok(loaded.data, schema):
        assert cerberus_ok, validator.errors


def test_quick_check_accepts_the_example(folder: GitRepo):
    files, _ = load_region(WorkingTree(folder.root), "lindewaard")
    for name, loaded in files.files.items():
        assert quick_ok(loaded.data, load_schema(SCHEMA_OF_FILE[name])), name


def test_all_schema_problems_of_a_file_are_reported_at_once():
    loaded, _ = parse_yaml("content/r/regio.yaml", "naam: ''\nsoort: regio\npenvoerder: X\nkleur: rood\n")
    problems = check_file("regio.yaml", loaded)
    assert sorted((p.line, p.field) for p in problems) == [(1, "naam"), (2, "soort"), (3, "penvoerder"), (4, "kleur")]
    assert all(p.message for p in problems)


def test_problems_from_several_regions_come_together_and_sorted(tmp_path: Path):
    for name in ("noord", "zuid"):
        region = copy_example(tmp_path, name)
    (tmp_path / "content/noord/regio.yaml").write_text("naam: Noord\n", encoding="utf-8")
    (region / "personen.yaml").unlink()
    checked = check(WorkingTree(tmp_path), None, TODAY)
    assert [p.format() for p in checked.problems] == [
        "content/noord/regio.yaml:1: penvoerder: 'penvoerder' ontbreekt; voeg een regel 'penvoerder: ...' toe",
        "content/noord/regio.yaml:1: soort: 'soort' ontbreekt; voeg een regel 'soort: ...' toe",
        "content/zuid/personen.yaml:1: bestand ontbreekt; maak het aan (zie docs/inhoud.md voor een voorbeeld)",
    ]
    assert checked.regions == {}


def test_deadline_within_60_days_is_a_warning_only():
    from stodocs.model import Place

    class _Region:
        place = Place("content/r/regio.yaml", 1)

    warnings = check_deadlines(_Region(), date(2026, 8, 15))
    assert [p.format() for p in warnings] == [
        "content/r/regio.yaml:1: waarschuwing: uiterlijk 1 oktober 2026: eerste voortgangsrapportage en uitgewerkt "
        "plan en meerjarenbegroting 2027-2028 (47 dagen); 'build.py status' toont wat er nog ontbreekt"]
    assert check_deadlines(_Region(), date(2026, 7, 1)) == []


def test_check_is_deterministic(folder: GitRepo):
    folder.file("partners.yaml").write_text("partners:\n  - id: x\n", encoding="utf-8")
    first = check(WorkingTree(folder.root), None, TODAY).problems
    assert first == check(WorkingTree(folder.root), None, TODAY).problems == sorted(first)


def test_a_schema_error_in_one_file_hides_no_cross_document_problem_elsewhere(folder: GitRepo):
    """The docs promise every problem at once: a broken regio.yaml must not hide a dangling reference in the budget."""
    folder.replace("regio.yaml", "soort: techniek", "soort: technikregio-x")  # a value the schema refuses
    folder.replace("begroting.yaml", "activiteit: techniekroute-po", "activiteit: techniekroute-vo")
    checked = check(WorkingTree(folder.root), ["lindewaard"], TODAY)
    messages = [p.format() for p in checked.problems]
    assert any(m.startswith("content/lindewaard/regio.yaml:") and "soort" in m for m in messages), messages
    assert any(m.startswith("content/lindewaard/begroting.yaml:") and "'techniekroute-vo'" in m for m in messages), \
        messages
    assert checked.regions == {}  # a region with a broken file is never rendered


@pytest.mark.parametrize("name", sorted(REQUIRED_FILES))
@pytest.mark.parametrize("how", ["broken", "missing"])
def test_a_broken_file_hides_only_the_rules_that_need_it(folder: GitRepo, name, how):
    """Every other file is fine: no rule may report a problem that only the placeholder of the broken file causes."""
    if how == "missing":
        folder.file(name).unlink()
    elif name.endswith(".md"):
        folder.replace(name, "titel:", "titul:")
    else:
        folder.file(name).write_text("[\n", encoding="utf-8")
    checked = check(WorkingTree(folder.root), ["lindewaard"], TODAY)
    elsewhere = [p.format() for p in checked.problems if p.path != f"content/lindewaard/{name}"]
    assert checked.problems and elsewhere == []


def test_a_character_no_bundled_font_can_draw_is_named_at_its_line(folder: GitRepo):
    """The PDF would show an empty box; validate names the character, its code and where it is."""
    folder.replace("regioplan.md", "## Aanleiding en context", "## Aanleiding en context 中文")
    folder.replace("regioplan.md", "ondertitel: Samen sterk", "ondertitel: 𓀀 Samen sterk")
    folder.replace("regioplan.md", "omvat de gemeenten", "omvat ✓ → € α β Ω de gemeenten")  # all drawable
    checked = check(WorkingTree(folder.root), ["lindewaard"], TODAY)
    assert [p.format() for p in checked.problems] == [
        "content/lindewaard/regioplan.md:3: ondertitel: dit teken kan niet in de PDF getekend worden: '𓀀' "
        "(U+13000 EGYPTIAN HIEROGLYPH A001); de lettertypen van stodocs hebben er geen vorm voor. Vervang het door "
        "gewone tekst of een teken dat wel bestaat",
        "content/lindewaard/regioplan.md:6: deze tekens kunnen niet in de PDF getekend worden: '中' (U+4E2D CJK "
        "UNIFIED IDEOGRAPH-4E2D), '文' (U+6587 CJK UNIFIED IDEOGRAPH-6587); de lettertypen van stodocs hebben er "
        "geen vorm voor. Vervang het door gewone tekst of een teken dat wel bestaat",
    ]


def test_every_printable_ascii_character_is_drawable():
    """undrawable() skips ASCII text without looking: that is only right while the fonts draw all of it."""
    from stodocs.fonts import drawable
    assert all(code in drawable() for code in range(32, 127))
