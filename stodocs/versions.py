"""What made a PDF, beyond the commit and requirements.lock: the system libraries WeasyPrint draws with.

requirements.lock pins every Python package. Pango (layout), HarfBuzz (shaping, and font subsetting when
libharfbuzz-subset0 is present), fontconfig (which font file a family name means) and zlib (stream
compression) come from the operating system, so each PDF names their versions in its document information
dictionary. Rebuilding an old version byte for byte needs the same lock and these same versions
(docs/reproduceerbaar.md).
"""
from __future__ import annotations

import sys
import zlib

import cffi
import pydyf
import weasyprint
from weasyprint.text import ffi as weasyprint_ffi

UNKNOWN = "onbekend"
# The libraries WeasyPrint opens (weasyprint/text/ffi.py), by the names it tries; the first that loads is
# the one already in this process.
_LIBRARIES = {
    "harfbuzz": ("libharfbuzz.so.0", "libharfbuzz.0.dylib", "libharfbuzz-0.dll", "harfbuzz"),
    "fontconfig": ("libfontconfig.so.1", "libfontconfig.1.dylib", "libfontconfig-1.dll", "fontconfig"),
}
_ffi = cffi.FFI()
_ffi.cdef("const char *hb_version_string(void); int FcGetVersion(void);")


def _open(kind: str):
    for name in _LIBRARIES[kind]:
        try:
            return _ffi.dlopen(name)
        except OSError:
            continue
    return None


def _dotted(number: int, base: int) -> str:
    """Return a packed version number as text: 15012 -> '1.50.12' (Pango), 21401 -> '2.14.1' (fontconfig)."""
    return f"{number // base // base}.{number // base % base}.{number % base}"


def render_versions() -> dict[str, str]:
    """Return the versions that decide a PDF's bytes besides the commit and the lock: name -> version."""
    harfbuzz = _open("harfbuzz")
    fontconfig = _open("fontconfig")
    subsetting = weasyprint_ffi.harfbuzz_subset is not None and weasyprint_ffi.harfbuzz.hb_version_atleast(4, 1, 0)
    return {
        "WeasyPrint": weasyprint.__version__,
        "Pango": _dotted(weasyprint_ffi.pango.pango_version(), 100),
        "HarfBuzz": _ffi.string(harfbuzz.hb_version_string()).decode() if harfbuzz else UNKNOWN,
        "Fontconfig": _dotted(fontconfig.FcGetVersion(), 100) if fontconfig else UNKNOWN,
        # Without libharfbuzz-subset0 WeasyPrint subsets fonts with fontTools: other bytes, same text.
        "FontSubsetter": "HarfBuzz" if subsetting else "fontTools",
        "zlib": zlib.ZLIB_RUNTIME_VERSION,
        "Python": ".".join(map(str, sys.version_info[:3])),
    }


def record_versions(document: weasyprint.Document, pdf: pydyf.PDF) -> None:
    """WeasyPrint finisher: name those versions in the PDF's document information dictionary (/Pango ...)."""
    for name, version in render_versions().items():
        pdf.info[name] = pydyf.String(version)
