"""Dutch money, numbers and dates, as every document and message shows them."""
from __future__ import annotations

from datetime import date, datetime, timezone
from decimal import Decimal

import html
import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from markdowntext import rendered

from stodocs.diff.summary import version_label
from stodocs.formatting import (WORD_JOINER, markdown_text, one_line, counted, euro, euro_delta, euro_text, long_date, month, number, percentage, plural,
                                version_text)
from stodocs.sources import Version


def test_money_the_dutch_way():
    assert euro(Decimal("7500")).replace("\xa0", " ") == "€ 7.500,00"
    assert euro(Decimal("1234567.8")).replace("\xa0", " ") == "€ 1.234.567,80"
    assert euro_delta(Decimal("-200")).replace("\xa0", " ") == "− € 200,00"
    assert euro_delta(Decimal("200")).replace("\xa0", " ") == "+ € 200,00"


def test_numbers_and_percentages():
    assert number(Decimal("1234.5")) == "1.234,5"
    assert percentage(Decimal("0.1163")) == "11,6%"


def test_dates_are_dutch_dates():
    assert long_date("2026-10-01") == "1 oktober 2026"
    assert long_date(date(2029, 6, 1)) == "1 juni 2029"
    assert month("2026-09") == "september 2026"


def test_a_moment_is_dated_as_in_the_netherlands():
    # 23:43 UTC on 27 November is already 28 November in Dutch time (CET, UTC+1).
    late = datetime(2026, 11, 27, 23, 43, tzinfo=timezone.utc)
    assert long_date(late) == "28 november 2026"
    # ...and the redline names the version with that same date as the document's cover does.
    version = Version("9f578d6022" + "0" * 30, None, late, dirty=False, in_git=True)
    assert "28 november 2026" in version_label(version)


@pytest.mark.parametrize("n, word, expected", [
    (1, "wijziging", "1 wijziging"), (3, "wijziging", "3 wijzigingen"), (0, "mutatie", "0 mutaties"),
    (40, "leskist", "40 leskisten"), (120, "rit", "120 ritten"), (10, "maand", "10 maanden"),
    (2000, "uur", "2.000 uur"), (Decimal("1.5"), "dag", "1,5 dagen"), (2, "onbekend", "2 onbekend"),
])
def test_counted_uses_the_plural_table(n, word, expected):
    assert counted(n, word) == expected


def test_counted_prefers_the_given_plural():
    assert counted(2, "drone", "drones") == "2 drones"
    assert plural("drone") is None


@pytest.mark.parametrize("n, unit, expected", [
    (40, "leskist", "40 leskisten"), (120, "rit", "120 ritten"), (10, "maand", "10 maanden"),
    (1, "maand", "1 maand"), (Decimal("0.5"), "maand", "0,5 maand"), (0, "rit", "0 ritten"),
    (40, "uur", "40 uur"), (3, "jaar", "3 jaar"), (2, "set", "2 sets"), (5, "stuk", "5 stuks"),
    (3, "kratje", "3 kratje"), (12, "maanden", "12 maanden"), (1, "maanden", "1 maand"), (12, "mnd", "12 mnd"),
])
def test_units_count_as_a_dutch_editor_writes_them(n, unit, expected):
    assert counted(n, unit) == expected


def test_a_region_given_plural_wins_over_the_table():
    assert counted(3, "kratje", "kratjes") == "3 kratjes"
    assert plural("kratje") is None and plural("kratje", "kratjes") == "kratjes"
    assert plural("maanden") == "maanden"  # a unit written in the plural is known too


def test_running_text_drops_the_cents_of_whole_euros_only():
    assert euro_text(Decimal("10000")).replace("\xa0", " ") == "€ 10.000"
    assert euro_text(Decimal("10000.00")).replace("\xa0", " ") == "€ 10.000"
    assert euro_text(Decimal("7500.50")).replace("\xa0", " ") == "€ 7.500,50"
    assert euro_text(Decimal("0")).replace("\xa0", " ") == "€ 0"


MOMENT = datetime(2026, 3, 14, 9, 0, tzinfo=timezone.utc)


@pytest.mark.parametrize("version, expected", [
    (Version("0d307d19b4" + "0" * 30, None, MOMENT, dirty=False, in_git=True), "Versie van 14 maart 2026 (0d307d1)"),
    (Version("0d307d19b4" + "0" * 30, "v1.0", MOMENT, dirty=False, in_git=True), "Versie v1.0 van 14 maart 2026 (0d307d1)"),
    (Version("0d307d19b4" + "0" * 30, "v1.0-3-g0d307d19b4", MOMENT, dirty=False, in_git=True),
     "Versie van 14 maart 2026 (0d307d1)"),
    (Version("0d307d19b4" + "0" * 30, None, MOMENT, dirty=True, in_git=True),
     "Versie van 14 maart 2026 (0d307d1 met niet-vastgelegde wijzigingen)"),
    (Version(None, None, MOMENT, dirty=False, in_git=False), "Versie van 14 maart 2026 (buiten git)"),
])
def test_the_version_as_people_read_it(version, expected):
    assert version_text(version) == expected


# --- markdown_text: content in every Markdown output is text and nothing else (issue 25) ---------------------------

MARKDOWN_TRAPS = st.sampled_from([
    "\n", "\n\n", "\r", "\x1b[31m", "\x85", "\u2028", "\t", "    ", "# ", "## ", "- ", "1. ", "> ", "```", "`", "~~~",
    "| a | b |\n|---|---|\n", "|", "<!--", "-->", "<img src=x>", "<a href=x>", "<script>", "</p>", "![x](y.png)",
    "[klik](https://x.example)", "<https://x.example>", "https://x.example", "www.x.example", "a@b.nl", "@iemand",
    "#12", "!3", "~label", "**", "__", "*", "_", "\\", "&amp;", "&#60;", "&lt;", "---", "===", "[^1]", "[x]: /y",
    "\x00", "\x7f", "€", "中", "\u00a0", "::error::", "e", " ",
])
contents = st.lists(st.one_of(MARKDOWN_TRAPS, st.text(max_size=6)), max_size=30).map("".join)

# Where a reporter puts content: a paragraph, a table cell, a list item, a heading, bold text.
PLACES = {"paragraph": ("{}", "<p>{}</p>"), "cell": ("| a |\n|---|\n| {} |", "<td>{}</td>"),
          "item": ("- {}", "<li>{}</li>"), "heading": ("## {}", "<h2>{}</h2>"),
          "bold": ("Van **{}**.", "<p>Van <strong>{}</strong>.</p>")}


@given(contents, st.sampled_from(sorted(PLACES)))
def test_markdown_text_renders_as_exactly_that_text_and_nothing_else(content, place):
    markdown, wrapper = PLACES[place]
    expected = " ".join(one_line(content).split())
    out = rendered(markdown.format(markdown_text(content))).replace(WORD_JOINER, "")
    if not expected:
        return
    # markdown-it's own escaping of text: & < > and "
    assert html.escape(expected, quote=False).replace('"', "&quot;") in out
    assert wrapper.format(html.escape(expected, quote=False).replace('"', "&quot;")) in out
    assert set(re.findall(r"</?([a-z0-9]+)", out)) <= {"p", "table", "thead", "tbody", "tr", "th", "td", "ul", "li",
                                                       "h2", "strong"}


def test_markdown_text_defuses_what_a_git_host_links():
    text = markdown_text("zie https://x.example en www.x.example, mail a@b.nl of @iemand over #12 en !3")
    for joined in ("\\:⁠\\/\\/", "www⁠\\.", "\\@⁠b", "\\@⁠iemand", "\\#⁠12", "\\!⁠3"):
        assert joined in text


def test_one_line_replaces_every_control_character():
    assert one_line("a\r\nb\x1b[2Jc\x00d\x85e\u2028f\x9bg\tτ") == "a b�[2Jc�d e f�g τ"  # one break, one space
