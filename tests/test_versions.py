"""Each PDF names the system libraries that made it, beside what requirements.lock pins."""
from __future__ import annotations

import io
import re
import sys
import zlib
from importlib.metadata import version

import pytest
from pypdf import PdfReader
from weasyprint.text.ffi import harfbuzz

from stodocs.model import DOCUMENTS

DOTTED = re.compile(r"(\d+)\.(\d+)\.(\d+)")


@pytest.mark.parametrize("key", list(DOCUMENTS))
def test_pdf_names_weasyprint_pango_harfbuzz_and_fontconfig(example_build, key):
    meta = PdfReader(io.BytesIO(example_build.pdf(key))).metadata
    assert meta["/WeasyPrint"] == version("weasyprint")
    for library in ("/Pango", "/HarfBuzz", "/Fontconfig"):
        assert DOTTED.fullmatch(meta[library]), (library, meta[library])
    assert meta["/FontSubsetter"] in ("HarfBuzz", "fontTools")
    assert meta["/zlib"] == zlib.ZLIB_RUNTIME_VERSION
    assert meta["/Python"] == "%d.%d.%d" % sys.version_info[:3]
    # The HarfBuzz that shapes the text in this process says it is exactly the version named.
    major, minor, micro = map(int, DOTTED.fullmatch(meta["/HarfBuzz"]).groups())
    assert harfbuzz.hb_version_atleast(major, minor, micro)
    assert not harfbuzz.hb_version_atleast(major, minor, micro + 1)
