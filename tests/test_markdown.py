"""markdown.py: image references are checked at their file:line; heading ids are stable."""
from __future__ import annotations

from dataclasses import replace

import pytest

from test_images import PNG
from stodocs.markdown import (MAX_BLOCKS, MAX_HEADINGS, MAX_TABLE_CELLS, check_comments, check_images, check_size,
                             comment_lines, parser)


@pytest.mark.parametrize("src, expected", [
    ("file:///etc/passwd", "buiten de regiomap"),
    ("http://127.0.0.1:8000/x.png", "buiten de regiomap"),
    ("//example.org/x.png", "buiten de regiomap"),
    ("../../etc/passwd", "'..'"),
    ("/etc/passwd", "'..'"),
    ("sub/../../x.png", "'..'"),
    ("ontbreekt.png", "bestaat niet"),
])
def test_disallowed_image_is_a_problem_at_its_line(example_region, src, expected):
    document = example_region.documents["regioplan"]
    body = f"## Kop\n\nTekst.\n\n![plaatje]({src})\n"
    region = replace(example_region, documents={**example_region.documents,
                                                "regioplan": replace(document, body=body)})
    problems = check_images(region)
    assert len(problems) == 1
    assert problems[0].path == document.path
    assert problems[0].line == document.body_line + 4
    assert expected in problems[0].message


def test_image_in_the_region_folder_is_fine(example_region):
    document = example_region.documents["regioplan"]
    region = replace(example_region, assets={"logo.png": PNG},
                     documents={**example_region.documents, "regioplan": replace(document, body="![Logo](logo.png)\n")})
    assert check_images(region) == []


@pytest.mark.parametrize("name, data, expected", [
    ("kaart.png", b"geen afbeelding", "afbeelding 'kaart.png' is geen PNG-afbeelding"),
    ("logo.svg", b'<svg xmlns="http://www.w3.org/2000/svg"><image href="file:///etc/hostname"/></svg>',
     "afbeelding 'logo.svg' laadt 'file:///etc/hostname'"),
])
def test_image_that_would_break_the_pdf_is_a_problem_where_it_is_shown(example_region, name, data, expected):
    document = example_region.documents["regioplan"]
    body = f"## Kop\n\nTekst.\n\n![plaatje]({name})\n\n![nog eens]({name})\n"
    region = replace(example_region, assets={name: data},
                     documents={**example_region.documents, "regioplan": replace(document, body=body)})
    problems = check_images(region)
    assert [(p.path, p.line, p.severity) for p in problems] == [
        (document.path, document.body_line + 4, "fout"), (document.path, document.body_line + 6, "fout")]
    assert all(p.message.startswith(expected) for p in problems)


def test_image_in_an_activity_description_is_checked(example_region):
    activity = replace(example_region.activiteiten[0], omschrijving="Zie ![x](file:///etc/passwd)")
    region = replace(example_region, activiteiten=(activity,) + example_region.activiteiten[1:])
    [problem] = check_images(region)
    assert (problem.path, problem.line) == (activity.place.path, activity.place.line)


def test_example_region_has_no_image_problems(example_region):
    assert check_images(example_region) == []


def test_headings_get_unique_stable_ids():
    env = {}
    html = parser().render("## Visie\n\n## Visie\n\n### Één ding\n", env)
    assert 'id="h-visie"' in html and 'id="h-visie-2"' in html and 'id="h-een-ding"' in html


@pytest.mark.parametrize("text, lines", [
    ("<!-- notitie -->\n\nTekst.\n", [0]),
    ("Tekst.\n\nNog een zin\nmet <!-- notitie --> erin.\n", [3]),
    ("Tekst.\n\n<!--\nlange\nnotitie\n-->\n\nMeer <!-- twee -->.\n", [2, 7]),
    ("| a | b |\n|---|---|\n| x | <!-- c --> |\n", [2]),
    ("Code: `<!-- geen commentaar -->`.\n", []),
    ("```\n<!-- in een codeblok -->\n```\n\n    <!-- ingesprongen code -->\n", []),
    ("Een pijl <-- en --> is geen commentaar.\n", []),
])
def test_html_comments_are_found_outside_code(text, lines):
    assert comment_lines(text) == lines


def test_html_comment_is_a_warning_at_its_line(example_region):
    document = example_region.documents["regioplan"]
    body = "## Kop\n\n<!-- TODO: cijfers navragen -->\n\nTekst.\n"
    region = replace(example_region, documents={**example_region.documents, "regioplan": replace(document, body=body)})
    [problem] = check_comments(region)
    assert (problem.path, problem.line, problem.severity) == (document.path, document.body_line + 2, "waarschuwing")
    assert problem.message.startswith("HTML-commentaar wordt als gewone tekst in het document getoond")
    assert check_comments(example_region) == []


@pytest.mark.parametrize("src", ["logo.png?v=2", "logo.png#boven", "logo.png?"])
def test_an_image_address_with_a_query_or_fragment_is_refused_as_the_pdf_would(example_region, src):
    """The PDF's fetcher serves a region image only by its plain name; validate says so first (a fragment or an
    empty query is refused too: it names no part of a PNG, and the writer meant the file itself)."""
    from stodocs.pdf import REGION_BASE, LockedFetcher, RefusedURL
    png = b"\x89PNG\r\n\x1a\n" + b"\x00" * 16
    if "?v" in src:
        with pytest.raises(RefusedURL):
            LockedFetcher(".", {"logo.png": png}).fetch(REGION_BASE + src)
    document = example_region.documents["regioplan"]
    region = replace(example_region, assets={"logo.png": png},
                     documents={**example_region.documents, "regioplan": replace(document, body=f"![Logo]({src})\n")})
    [problem] = check_images(region)
    assert problem.line == document.body_line and "alleen de bestandsnaam" in problem.message


def with_body(region, body: str):
    document = replace(region.documents["regioplan"], body=body)
    return replace(region, documents={**region.documents, "regioplan": document})


@pytest.mark.parametrize("kind, limit, make, expected", [
    ("headings", MAX_HEADINGS, lambda n: "\n\n".join(f"## Kop {i}" for i in range(n)), "te veel koppen"),
    ("cells", MAX_TABLE_CELLS, lambda n: "| a | b |\n|---|---|\n" + "| 1 | 2 |\n" * (n // 2 - 1), "te veel tabelcellen"),
    ("blocks", MAX_BLOCKS, lambda n: "\n\n".join(f"Alinea {i}." for i in range(n)), "te veel blokken"),
])
def test_a_body_too_large_to_build_is_refused_where_the_limit_is_passed(example_region, kind, limit, make, expected):
    """Limits measured in benchmarks/limits.py: at the limit a document builds in well under 30 s and 1 GB."""
    assert [p for p in check_size(with_body(example_region, make(limit))) if expected in p.message] == []
    [problem] = [p for p in check_size(with_body(example_region, make(limit + 2))) if expected in p.message]
    document = example_region.documents["regioplan"]
    assert problem.path == document.path and problem.line > document.body_line
    assert problem.message.startswith(f"{expected}") and f"meer dan {limit:,}".replace(",", ".") in problem.message


def test_the_size_check_parses_every_text_that_could_pass_a_limit(example_region):
    """A short text is not parsed; one line of deeply nested lists must not get past the block limit that way."""
    from stodocs.markdown import _SMALL_LINES
    assert parser().options["maxNesting"] == 20
    nested = "- " * 20 + "x\n"
    blocks = sum(1 for t in parser().parse(nested) if t.block and t.nesting >= 0 and t.type != "inline")
    assert blocks * _SMALL_LINES <= MAX_BLOCKS
    text = "\n".join(f"## Kop {i}" for i in range(_SMALL_LINES - 1))  # just under the threshold: not parsed
    assert MAX_HEADINGS >= _SMALL_LINES - 1 and check_size(with_body(example_region, text)) == []
