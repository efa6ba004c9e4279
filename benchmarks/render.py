#!/usr/bin/env python3
"""Rendering: the whole pipeline for the example region against WeasyPrint alone on the same HTML.

Overhead = (pipeline - WeasyPrint) / WeasyPrint, in CPU time of this process, median of --repeat runs.
Both sides run serially in one warm process, so imports and worker start-up are not counted.
"""
from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from weasyprint import HTML  # noqa: E402

from stodocs.pdf import REGION_BASE, LockedFetcher, PdfJob, html_to_pdf  # noqa: E402
from stodocs.pipeline import check, render_html, statuses  # noqa: E402
from stodocs.render import TEMPLATE_DIR  # noqa: E402
from stodocs.sources import WorkingTree  # noqa: E402


def pipeline_once(source, region: str) -> float:
    start = time.process_time()
    checked = check(source, [region])
    version = source.version()
    for document in render_html(checked.regions, version, statuses(source, checked.regions, version), "pdf"):
        html_to_pdf(PdfJob(document.html, document.region.assets, version.date))
    return time.process_time() - start


def weasyprint_once(documents) -> float:
    start = time.process_time()
    for document in documents:
        fetcher = LockedFetcher(TEMPLATE_DIR, document.region.assets)
        HTML(string=document.html, base_url=REGION_BASE, url_fetcher=fetcher).write_pdf(pdf_variant="pdf/ua-1")
    return time.process_time() - start


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--region", default="lindewaard")
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    source = WorkingTree(ROOT)
    checked = check(source, [args.region])
    version = source.version()
    documents = render_html(checked.regions, version, statuses(source, checked.regions, version), "pdf")
    pipeline_once(source, args.region)  # warm caches (templates, fonts) on both sides alike
    weasyprint_once(documents)
    pipeline, weasy = [], []
    for _ in range(args.repeat):  # interleaved, so machine noise hits both sides alike
        weasy.append(weasyprint_once(documents))
        pipeline.append(pipeline_once(source, args.region))
    p, w = statistics.median(pipeline), statistics.median(weasy)
    print(f"region {args.region}: {len(documents)} documents, {args.repeat} runs, CPU seconds (median)")
    print(f"  WeasyPrint alone on the same HTML: {w:.3f} s")
    print(f"  whole pipeline (check, render, PDF): {p:.3f} s")
    print(f"  overhead: {(p - w) / w * 100:+.1f}% (target: at most 10%)")
    return 0 if (p - w) / w <= 0.10 else 1


if __name__ == "__main__":
    sys.exit(main())
