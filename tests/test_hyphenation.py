"""hyphenation.py: Dutch compounds break at their parts, in pyphen and in the PDFs WeasyPrint makes with it."""
from __future__ import annotations

import io

import pyphen
import pytest
from pypdf import PdfReader

from stodocs.hyphenation import COMPOUNDS, install
from stodocs.pdf import PdfJob, html_to_pdf
from stodocs.render import stylesheet
from test_render import VERSION

# The word breaks the issue found in our documents, and where a Dutch editor would break instead.
BAD_BREAKS = {
    "onderwijsondersteunend": ("onderwijson-dersteunend", "onderwijs-ondersteunend"),
    "vakexperts": ("vakex-perts", "vak-experts"),
    "werkomgeving": ("werkom-geving", "werk-omgeving"),
    "programmamanagement": ("programmama-nagement", "programma-management"),
}


def breaks(word: str) -> set[str]:
    return {f"{first}-{second}" for first, second in pyphen.Pyphen(lang="nl", left=3, right=3).iterate(word)}


@pytest.mark.parametrize("word", sorted(BAD_BREAKS))
def test_compounds_break_at_their_parts_not_beside_them(word):
    install()
    bad, good = BAD_BREAKS[word]
    assert good in breaks(word) and bad not in breaks(word)


def test_every_listed_compound_breaks_at_each_of_its_parts():
    install()
    for entry in COMPOUNDS:
        parts = entry.split("|")
        word = "".join(parts)
        for i in range(1, len(parts)):
            left, right = "".join(parts[:i]), "".join(parts[i:])
            if len(left) >= 3 and len(right) >= 3:
                assert f"{left}-{right}" in breaks(word), entry


def test_a_narrow_paragraph_in_a_pdf_breaks_the_words_only_where_a_dutch_editor_would():
    words = " ".join(sorted(BAD_BREAKS) * 3)
    html = (f"<!DOCTYPE html><html lang='nl'><head><style>{stylesheet()}</style></head><body>"
            f"<p style='width: 32mm; text-align: justify'>{words}</p><p>Tabel en kop:</p>"
            f"<table><tr><td style='width: 20mm'>{words}</td></tr></table><h2 style='width: 30mm'>{words}</h2></body></html>")
    pages = PdfReader(io.BytesIO(html_to_pdf(PdfJob(html, {}, VERSION.date)).data)).pages
    text = "\n".join(page.extract_text() for page in pages).replace("\u2010", "-")  # WeasyPrint's hyphen
    running, table_and_heading = text.split("Tabel en kop:")
    for bad, _ in BAD_BREAKS.values():
        first, second = bad.split("-")
        assert f"{first}-\n{second}" not in running
    assert running.count("-\n") >= 3, running  # it did hyphenate, at good places
    assert "-\n" not in table_and_heading  # table cells and headings never break a word
