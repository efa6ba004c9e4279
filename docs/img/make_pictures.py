#!/usr/bin/env python3
"""Make the pictures of docs/handleiding.md from the example: a redline page and the proposal comment.

Needs pdftoppm (poppler-utils) besides stodocs; the tests do not. Run: `make pictures`.
"""
from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from datetime import datetime, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from gitrepo import GitRepo  # noqa: E402

HERE = Path(__file__).resolve().parent
RESOLUTION = 56  # dots per inch: readable in the guide, small in git

COMMENT_CSS = """
@page { size: 180mm 230mm; margin: 6mm; }
body { font-family: Lato, sans-serif; font-size: 9pt; color: #1f2328; }
.box { border: 1px solid #d0d7de; border-radius: 6px; }
.head { background: #f6f8fa; border-bottom: 1px solid #d0d7de; padding: 6px 10px; color: #59636e; }
.body { padding: 4px 12px; }
h1 { font-size: 13pt; } h2 { font-size: 12pt; border-bottom: 1px solid #d8dee4; } h3, h4 { font-size: 10pt; }
table { border-collapse: collapse; margin: 4px 0; } td, th { border: 1px solid #d0d7de; padding: 2px 6px; }
code { background: #eff1f3; padding: 0 3px; }
"""


def png(pdf: Path, page: int, target: Path) -> None:
    """Write one page of a PDF as a PNG."""
    stem = target.with_suffix("")
    subprocess.run(["pdftoppm", "-png", "-r", str(RESOLUTION), "-f", str(page), "-l", str(page), "-singlefile",
                    str(pdf), str(stem)], check=True)


def activity_page(pdf: Path) -> int:
    """Return the number of the redline page where the activiteitenplan shows the new activity."""
    from pypdf import PdfReader
    pages = [page.extract_text() for page in PdfReader(pdf).pages]
    start = next(n for n, text in enumerate(pages) if "Activiteitenplan" in text and n > 0)
    return next(n for n, text in enumerate(pages) if n >= start and "Zorgrobots in de praktijk" in text) + 1


def main() -> int:
    if not shutil.which("pdftoppm"):
        print("pdftoppm ontbreekt; installeer het met: sudo apt-get install poppler-utils", file=sys.stderr)
        return 2
    from markdown_it import MarkdownIt
    from stodocs.pdf import PdfJob, html_to_pdf
    with tempfile.TemporaryDirectory() as tmp:
        repo = GitRepo.example(Path(tmp) / "repo")
        repo.commit("Regioplan Lindewaard", tag="v1.0")
        repo.apply_case("casussen/typische-wijziging")  # the change the tests play: zorgrobots, a 3D printer
        repo.commit("Zorgrobots en 3D-printer")
        comment = Path(tmp) / "commentaar.md"
        done = repo.run_cli("diff", "--from", "v1.0", "--commentaar", str(comment))
        if done.returncode:
            print(done.stderr, file=sys.stderr)
            return 1
        # the full redline, not the one with only the changes (-alleen-wijzigingen)
        [redline] = [p for p in (repo.root / "output" / "diffs" / "lindewaard").glob("*.pdf")
                     if not p.stem.endswith("-alleen-wijzigingen")]
        png(redline, 1, HERE / "redline-overzicht.png")
        png(redline, activity_page(redline), HERE / "redline-pagina.png")  # the new activity, marked
        html = MarkdownIt("commonmark").enable("table").render(comment.read_text("utf-8"))
        page = (f"<html lang='nl'><head><style>{COMMENT_CSS}</style></head><body><div class='box'>"
                f"<div class='head'><b>github-actions</b> (bot) gaf commentaar</div>"
                f"<div class='body'>{html}</div></div></body></html>")
        pdf = Path(tmp) / "commentaar.pdf"
        pdf.write_bytes(html_to_pdf(PdfJob(page, {}, datetime(2026, 3, 15, tzinfo=timezone.utc))).data)
        png(pdf, 1, HERE / "commentaar.png")
    for name in ("redline-overzicht.png", "redline-pagina.png", "commentaar.png"):
        print(f"{name}: {(HERE / name).stat().st_size // 1024} kB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
