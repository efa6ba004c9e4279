#!/usr/bin/env python3
"""How large a document body may be: time and peak memory of one PDF with many headings, table cells or blocks;
and how long a rapportage with many placeholders (`placeholders 100000`) takes to validate and to fill in.

Each measurement renders the fixture's regioplan with a generated body, in a fresh process, and reports the wall
time and the peak resident memory of that process. The limits in stodocs/markdown.py (MAX_HEADINGS,
MAX_TABLE_CELLS, MAX_BLOCKS) are set so that the worst accepted body builds in under 30 s and 1 GB; the figures
are in docs/performance.md. Usage: benchmarks/limits.py [kind count ...], e.g. `headings 500 cells 20000`.
"""
from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT = ["headings", "300", "cells", "8000", "blocks", "8000", "worst", "8000", "placeholders", "100000"]


def body(kind: str, count: int) -> str:
    if kind == "headings":
        return "\n\n".join(f"## Kop {i}\n\nTekst." for i in range(count)) + "\n"
    if kind == "cells":
        columns = 10
        rows = count // columns
        head = "| " + " | ".join(f"k{c}" for c in range(columns)) + " |\n|" + "---|" * columns + "\n"
        return "## Tabel\n\n" + head + "".join("| " + " | ".join(str(r * columns + c) for c in range(columns)) + " |\n"
                                                for r in range(rows))
    if kind == "worst":  # every limit at once: MAX_HEADINGS headings, the rest of `count` blocks as paragraphs
        sys.path.insert(0, str(ROOT))
        from stodocs.markdown import MAX_HEADINGS
        headings = MAX_HEADINGS
        per = (count - headings) // headings
        return "\n\n".join(f"## Kop {h}\n\n" + "\n\n".join(f"Alinea {h}.{i} met wat tekst." for i in range(per))
                             for h in range(headings)) + "\n"
    if kind == "blocks":
        return "## Tekst\n\n" + "\n\n".join(f"Alinea {i} met wat tekst." for i in range(count)) + "\n"
    raise SystemExit(f"unknown kind {kind}")


def measure_placeholders(count: int) -> None:
    """In a fresh process: a copy of the fixture whose rapportage 2026 ends in `count` `{{ gerealiseerd }}`
    placeholders (100 a line; 100,000 is 1.9 MB, under the 2 MB limit); validate it and make the rapportage as HTML.
    Print the seconds of each as JSON."""
    import tempfile
    sys.path.insert(0, str(ROOT))
    sys.path.insert(0, str(ROOT / "tests"))
    from gitrepo import TODAY, copy_example

    from stodocs.pipeline import check
    from stodocs.sources import WorkingTree
    from stodocs.verantwoording.reporting import make_reports
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        copy_example(root)
        report = root / "content" / "lindewaard" / "rapportages" / "2026" / "rapportage.md"
        lines = ["{{ gerealiseerd }} " * 100] * (count // 100)
        report.write_text(report.read_text(encoding="utf-8") + "\n" + "\n".join(lines) + "\n", encoding="utf-8")
        start = time.perf_counter()
        problems = check(WorkingTree(root), ["lindewaard"], TODAY).problems
        validate = time.perf_counter() - start
        start = time.perf_counter()
        make_reports(WorkingTree(root), ["lindewaard"], 2026, "html", root / "output", None, TODAY, lambda p: None)
        fill = time.perf_counter() - start
    print(json.dumps({"kind": "placeholders", "count": count, "bytes": len(lines[0]) * len(lines),
                      "problems": len(problems), "validate_seconds": round(validate, 2),
                      "rapportage_html_seconds": round(fill, 2)}))


def measure_one(kind: str, count: int) -> None:
    """In a fresh process: render the regioplan with the generated body; print seconds and peak MB as JSON."""
    if kind == "placeholders":
        return measure_placeholders(count)
    sys.path.insert(0, str(ROOT))
    from dataclasses import replace

    from stodocs.pdf import PdfJob, html_to_pdf
    from stodocs.pipeline import check
    from stodocs.render import render_document
    from stodocs.sources import WorkingTree
    fixture = ROOT / "tests" / "fixture"
    source = WorkingTree(fixture)
    region = check(source, ["lindewaard"]).regions["lindewaard"]
    document = replace(region.documents["regioplan"], body=body(kind, count))
    region = replace(region, documents={**region.documents, "regioplan": document})
    version = source.version()
    start = time.perf_counter()
    html = render_document(region, "regioplan", version, "concept")
    data = html_to_pdf(PdfJob(html, region.assets, version.date)).data
    seconds = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    from io import BytesIO

    from pypdf import PdfReader  # a test dependency, installed by make build
    print(json.dumps({"kind": kind, "count": count, "seconds": round(seconds, 1), "peak_mb": round(peak),
                      "pages": len(PdfReader(BytesIO(data)).pages)}))


def main(args: list[str]) -> int:
    if args[:1] == ["--one"]:
        measure_one(args[1], int(args[2]))
        return 0
    pairs = args or DEFAULT
    print(f"load average before: {os.getloadavg()[0]:.2f}")
    for kind, count in zip(pairs[::2], pairs[1::2]):
        done = subprocess.run([sys.executable, __file__, "--one", kind, count], capture_output=True, text=True)
        print(done.stdout.strip() or done.stderr.strip()[-500:], f"(load {os.getloadavg()[0]:.2f})", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
