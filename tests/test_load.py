"""Loading YAML and Markdown: values, lines, and every trap turned into a problem."""
from __future__ import annotations

from decimal import Decimal

import pytest

from stodocs import load
from stodocs.load import load_file, parse_markdown, parse_yaml, suggest
from stodocs.sources import SourceFile


def _parse(text: str):
    loaded, problems = parse_yaml("x.yaml", text)
    return loaded, [(p.line, p.field, p.message) for p in problems]


def test_scalars_resolve_the_yaml_1_2_way():
    loaded, problems = _parse("a: nee\nb: off\nc: 010\nd: 2025-01-01\ne: 1.10\nf: true\ng: 7500\nh: ~\ni: '12'\n")
    assert problems == []
    assert loaded.data == {"a": "nee", "b": "off", "c": "010", "d": "2025-01-01", "e": Decimal("1.10"),
                           "f": True, "g": 7500, "h": None, "i": "12"}
    assert str(loaded.data["e"]) == "1.10"  # exact, not a float
    assert loaded.raw[("e",)] == "1.10" and loaded.raw[("g",)] == "7500"


def test_lines_of_keys_items_and_nested_fields():
    loaded, _ = _parse("# kop\nlijst:\n  - id: a\n    naam: A\n  - id: b\nmap:\n  sub: 1\n")
    assert loaded.line(("lijst",)) == 2
    assert loaded.line(("lijst", 0)) == 3
    assert loaded.line(("lijst", 0, "naam")) == 4
    assert loaded.line(("lijst", 1, "id")) == 5
    assert loaded.line(("map",)) == 6
    assert loaded.line(("lijst", 1, "ontbreekt")) == 5  # nearest ancestor


def test_duplicate_key_is_reported_with_both_lines():
    _, problems = _parse("naam: A\nsoort: x\nnaam: B\n")
    assert problems == [(3, "naam", "sleutel 'naam' staat hier voor de tweede keer (eerst op regel 1); de tweede "
                         "waarde zou de eerste ongemerkt vervangen. Voeg ze samen of verwijder er één")]


def test_duplicate_key_in_a_list_item_names_the_item():
    _, problems = _parse("regels:\n  - id: a\n    id: b\n")
    assert [(line, field) for line, field, _ in problems] == [(3, "regels[1].id")]


@pytest.mark.parametrize("text, line", [("a: 1\n\tb: 2\n", 2), ("a:\n  - x\n  -\ty\n", 3)])
def test_tabs_are_refused_with_their_line(text, line):
    loaded, problems = _parse(text)
    assert loaded is None and [p[0] for p in problems] == [line]
    assert "tab" in problems[0][2]


def test_alias_bomb_is_refused_before_expanding():
    bomb = "a: &a [x, x]\n" + "".join(f"{chr(98 + i)}: &{chr(98 + i)} [*{chr(97 + i)}, *{chr(97 + i)}]\n"
                                       for i in range(20))
    loaded, problems = _parse(bomb)
    assert loaded is None
    assert problems == [(1, "", load._ALIAS_MESSAGE)] and "anker of verwijzing" in load._ALIAS_MESSAGE


def test_alias_is_refused_in_the_python_parser_too(monkeypatch):
    monkeypatch.setattr(load, "_FastLoader", None)
    loaded, problems = _parse("a: &x 1\nb: *x\n")
    assert loaded is None and problems[0][0] == 1 and "anker of verwijzing" in problems[0][2]


def test_tags_are_refused():
    _, problems = _parse("a: !!python/object:os.system ls\n")
    assert problems == [(1, "", "een waarde die met ! begint, leest YAML als type-aanduiding (tag); zet tekst die met ! "
                                "begint tussen aanhalingstekens, of haal het ! weg")]


def test_too_many_values_are_refused_while_composing(monkeypatch):
    monkeypatch.setattr(load, "MAX_NODES", 50)  # the real limits, scaled down to keep the test fast
    monkeypatch.setattr(load, "FAST_LIMIT", 100)
    text = "a: [" + ", ".join(["0"] * 60) + "]\n"
    assert len(text) > load.FAST_LIMIT  # takes the Python composer, which counts nodes
    loaded, problems = _parse(text)
    assert loaded is None and problems == [(1, "", "het bestand heeft meer dan 50 waarden; dat is geen planbestand")]


@pytest.mark.parametrize("fast", [True, False])
def test_syntax_error_gives_a_dutch_message_and_line(monkeypatch, fast):
    if not fast:
        monkeypatch.setattr(load, "_FastLoader", None)
    _, problems = _parse('a: 1\nb: "open\nc: 3\n')
    assert problems == [(2, "", 'het aanhalingsteken " bij teken 4 wordt op deze regel niet gesloten; zet hetzelfde '
                                "aanhalingsteken aan het eind van de tekst (of haal het weg)")]


def test_empty_and_comment_only_files():
    assert _parse("  \n")[1] == [(1, "", "het bestand is leeg; vul het in volgens docs/inhoud.md")]
    assert _parse("# niets\n")[1] == [(1, "", "het bestand bevat alleen commentaar; vul het in volgens docs/inhoud.md")]


def test_non_utf8_names_the_line():
    source = SourceFile("content/r/regio.yaml", "naam: A\nplaats: Zwolle\nwie: Jos\u00e9\n".encode("cp1252"))
    loaded, problems = load_file(source)
    assert loaded is None and problems[0].line == 3 and "geen UTF-8" in problems[0].message


def test_bom_and_crlf_are_accepted():
    loaded, problems = load_file(SourceFile("c/r/regio.yaml", b"\xef\xbb\xbfnaam: A\r\nsoort: b\r\n"))
    assert problems == [] and loaded.data == {"naam": "A", "soort": "b"} and loaded.line(("soort",)) == 2


def test_nul_byte_is_refused():
    _, problems = load_file(SourceFile("c/r/regio.yaml", b"naam: A\n\x00\n"))
    assert problems[0].line == 2 and "nul-teken" in problems[0].message


def test_unreadable_source_becomes_a_problem():
    _, problems = load_file(SourceFile("c/r/regio.yaml", None, "is te groot"))
    assert [(p.line, p.message) for p in problems] == [(0, "is te groot")]


def test_markdown_front_matter_lines_count_in_the_file():
    loaded, problems = parse_markdown("d.md", "---\ntitel: T\nondertitel: O\n---\n\n## Kop\n")
    assert problems == []
    assert loaded.data == {"titel": "T", "ondertitel": "O"}
    assert loaded.line(("ondertitel",)) == 3
    assert loaded.body == "\n## Kop\n" and loaded.body_line == 5


def test_markdown_front_matter_errors_point_into_the_file():
    _, problems = parse_markdown("d.md", "---\ntitel: T\ntitel: U\n---\nTekst\n")
    assert [(p.line, p.field) for p in problems] == [(3, "titel")]


def test_markdown_without_front_matter_keeps_the_whole_body():
    loaded, problems = parse_markdown("d.md", "# Kop\n")
    assert problems == [] and loaded.data == {} and loaded.body_line == 1


def test_suggest_catches_typos_and_shortened_ids_only():
    assert suggest("pijs", ["prijs", "aantal"]) == "prijs"
    assert suggest("fatima", ["fatima-ouali", "bram-bakker"]) == "fatima-ouali"
    assert suggest("gemeente-lindewaard", ["csg-lindewaard", "waardmetaal"]) is None
    assert suggest("techniek-in-andere-domeinen", ["techniek-in-po"]) is None


def test_a_file_of_very_many_lines_is_refused_before_parsing():
    text = "regels:\n" + "  - 1\n" * 240_000
    loaded, problems = parse_yaml("begroting.yaml", text)
    assert loaded is None
    assert [p.format() for p in problems] == [
        "begroting.yaml:1: het bestand heeft meer dan 20.000 regels; dat is geen planbestand. "
        "Controleer of dit het goede bestand is"]
