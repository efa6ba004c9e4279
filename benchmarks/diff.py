#!/usr/bin/env python3
"""Time the diff of one region between two git revisions: the change set alone, and the whole redline.

Run: .venv/bin/python benchmarks/diff.py [--repeat R]
Targets (issues 4 and 8): the change set under 0.5 s per region; the whole diff, PDFs included (the full and
the compact redline), at most 1.5x one build of that region's four documents. Both make their PDFs the way
the CLI does, in two forked workers. Results go in docs/performance.md, section "Diff", with the load average.
"""
from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from stodocs.diff.changeset import compare_regions  # noqa: E402
from stodocs.diff.pipeline import compare_sources, diff_files, redlines, summary_files  # noqa: E402
from stodocs.model import DOCUMENTS  # noqa: E402
from stodocs.sources import GitRevision  # noqa: E402


def git(root: Path, *args: str) -> None:
    env = dict(os.environ, GIT_AUTHOR_NAME="b", GIT_AUTHOR_EMAIL="b@example.org", GIT_COMMITTER_NAME="b",
               GIT_COMMITTER_EMAIL="b@example.org", GIT_AUTHOR_DATE="2026-03-01T10:00:00+00:00",
               GIT_COMMITTER_DATE="2026-03-01T10:00:00+00:00", GIT_CONFIG_GLOBAL=os.devnull, GIT_CONFIG_NOSYSTEM="1")
    subprocess.run(["git", "-C", str(root), *args], check=True, capture_output=True, env=env)


def make_repo(root: Path) -> None:
    """Commit the example region, then a typical change: a word, a budget shift, a renamed activity."""
    region = root / "content" / "lindewaard"
    shutil.copytree(ROOT / "content" / "lindewaard", region)
    git(root, "init", "-q", "-b", "main")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "basis")
    for name, old, new in [
        ("regioplan.md", "Tegelijk daalt het aantal", "Tegelijk krimpt het aantal"),
        ("begroting.yaml", "    aantal: 40\n    eenheid: leskist", "    aantal: 48\n    eenheid: leskist"),
        ("begroting.yaml", "    aantal: 2600\n", "    aantal: 2400\n"),
        ("activiteiten.yaml", "naam: Techniekfestival en regionale doe-dagen", "naam: Techniekfestival"),
    ]:
        path = region / name
        path.write_text(path.read_text(encoding="utf-8").replace(old, new, 1), encoding="utf-8")
    git(root, "commit", "-q", "-am", "wijziging")


def best(times: list[float]) -> str:
    return f"median {statistics.median(times):.3f} s (min {min(times):.3f} s)"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    from stodocs.pdf import PdfJob, html_to_pdf, render_pdfs
    from stodocs.render import document_status, render_document

    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        make_repo(root)
        # 1. The change set: read both revisions from git, load, validate, model and compare; no layout.
        loading, comparing = [], []
        for _ in range(args.repeat):
            start = time.perf_counter()
            [compared] = compare_sources(GitRevision(root, "HEAD~1"), GitRevision(root, "HEAD"))
            loading.append(time.perf_counter() - start)
            start = time.perf_counter()
            compare_regions("lindewaard", compared.old, compared.new)
            comparing.append(time.perf_counter() - start)
        print(f"change set incl. reading both revisions: {best(loading)}")
        print(f"  of which comparing the two models:     {best(comparing)}")
        # 2. One build of the region's four documents (HTML and PDF), the yardstick: one after the other in one
        # process (the work), and in the two forked workers that `build` uses (the wall time).
        region, version = compared.new, compared.changeset.new

        def documents():
            return [PdfJob(render_document(region, key, version, document_status(version)), region.assets,
                           version.date) for key in DOCUMENTS]
        build_work, build_wall = [], []
        for _ in range(args.repeat):
            start = time.perf_counter()
            for job in documents():
                html_to_pdf(job)
            build_work.append(time.perf_counter() - start)
            start = time.perf_counter()
            render_pdfs(documents())
            build_wall.append(time.perf_counter() - start)
        print(f"one build, one process (work):          {best(build_work)}")
        print(f"one build, two workers (wall):          {best(build_wall)}")
        # 3. The whole diff: change set, both renders, both redlines as PDF, summary and JSON; again once in one
        # process and once as `build.py diff` runs it (the two redlines in the two workers at once).
        diff_work, diff_wall = [], []
        for _ in range(args.repeat):
            start = time.perf_counter()
            [compared] = compare_sources(GitRevision(root, "HEAD~1"), GitRevision(root, "HEAD"))
            summary_files(compared)
            for line in redlines(compared):
                html_to_pdf(PdfJob(line.html, {}, version.date))
            diff_work.append(time.perf_counter() - start)
            start = time.perf_counter()
            [compared] = compare_sources(GitRevision(root, "HEAD~1"), GitRevision(root, "HEAD"))
            diff_files(compared)
            diff_wall.append(time.perf_counter() - start)
        from io import BytesIO
        from pypdf import PdfReader
        build_pages = sum(len(PdfReader(BytesIO(r.data)).pages) for r in render_pdfs(documents()))
        files, _ = diff_files(compared)
        diff_pages = [len(PdfReader(BytesIO(data)).pages) for path, data in sorted(files.items())
                      if path.endswith(".pdf")]
        print(f"pages: one build {build_pages}; the redlines {' + '.join(map(str, diff_pages))} "
              f"(compact, full) = {sum(diff_pages)}: {sum(diff_pages) / build_pages:.2f}x")
        work = statistics.median(diff_work) / statistics.median(build_work)
        wall = statistics.median(diff_wall) / statistics.median(build_wall)
        print(f"whole diff, one process (work):         {best(diff_work)}; {work:.2f}x one build")
        print(f"whole diff, two workers (wall):         {best(diff_wall)}; {wall:.2f}x one build")
        start = time.perf_counter()
        diff_files(compared, compact_only=True)
        print(f"whole diff, --alleen-wijzigingen:       {time.perf_counter() - start:.3f} s (one run)")
        print(f"load average: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
