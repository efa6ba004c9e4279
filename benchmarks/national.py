#!/usr/bin/env python3
"""The national benchmark: N varied regions (74 by default) in one repository, built as CI would build them.

Run: .venv/bin/python benchmarks/national.py [--regions N] [--jobs J] [--json FILE]

It makes a project folder of its own in a temporary folder (build.py, stodocs/, templates/, schemas/, the lock
and N regions made from content/lindewaard, each a little different), commits it, and measures, each as the
`build.py` command a user or CI runs (interpreter start included), with the load average next to every figure:
- validate of all regions;
- WeasyPrint alone on the very HTML the build makes (documents, rapportages and statements), in a pool of J
  forked processes (chunksize 1), the yardstick; then at once the full build (`build.py build -j J`);
- the no-op rebuild;
- the rebuild after one region changed, and that one region's own full build (`--opnieuw`) for comparison;
- the diff of that region (`build.py diff --from HEAD`);
- the rebuild after a template changed (templates/print.css);
- peak memory (the largest process of each command: the main process or a PDF worker).
It prints a table and writes the figures, with the machine they were measured on, as JSON.
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PROJECT = ("build.py", "pyproject.toml", "requirements.lock", "stodocs", "templates", "schemas")
GIT = {"GIT_AUTHOR_NAME": "Bench", "GIT_AUTHOR_EMAIL": "bench@example.org", "GIT_COMMITTER_NAME": "Bench",
       "GIT_COMMITTER_EMAIL": "bench@example.org", "GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1"}
SENTENCE = ("In deze regio werken scholen en bedrijven samen aan goed techniekonderwijs voor elke leerling, van de "
            "eerste kennismaking op de basisschool tot een diploma dat past bij de vraag van de arbeidsmarkt. ")


def make_project(root: Path, regions: int) -> list[str]:
    """Make a project folder with `regions` regions, each the example with its own name and more or less text."""
    for name in PROJECT:
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, root / name, ignore=shutil.ignore_patterns("__pycache__", "json"))
        else:
            shutil.copy(source, root / name)
    names = [f"regio-{n:02d}" for n in range(regions)]
    for n, name in enumerate(names):
        folder = root / "content" / name
        shutil.copytree(ROOT / "content" / "lindewaard", folder)
        regio = folder / "regio.yaml"
        regio.write_text(regio.read_text(encoding="utf-8").replace("Techniekregio Lindewaard", f"Techniekregio {n:02d}", 1),
                         encoding="utf-8")
        for document, extra in (("regioplan.md", n % 7), ("activiteitenplan.md", (n * 3) % 5)):
            path = folder / document
            path.write_text(path.read_text(encoding="utf-8").rstrip("\n") + "\n\n" + SENTENCE * (4 * extra) + "\n",
                            encoding="utf-8")
    git(root, "init", "-q", "-b", "main")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", f"{regions} regio's")
    return names


def git(root: Path, *args: str) -> None:
    subprocess.run(["git", "-C", str(root), *args], check=True, capture_output=True, env=dict(os.environ, **GIT))


def load() -> float:
    return os.getloadavg()[0]


def run_measured(root: Path, *args: str) -> dict:
    """As run(), with the peak memory (max RSS) of the command's largest process, via wait4."""
    before = load()
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    env["SOURCE_DATE_EPOCH"] = str(int(time.mktime((2026, 12, 15, 0, 0, 0, 0, 0, 0))))
    start = time.perf_counter()
    process = subprocess.Popen([sys.executable, *args], cwd=root, env=dict(env, **GIT), stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE)
    out = process.stdout.read()
    err = process.stderr.read()
    _, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - start
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode != 0:
        raise SystemExit(f"{' '.join(args)} failed ({process.returncode}):\n{err.decode()[-3000:]}")
    return {"seconds": round(wall, 3), "peak_mb": round(usage.ru_maxrss / 1024, 1), "load_before": round(before, 2),
            "load_after": round(load(), 2), "output": out.decode()[-1000:]}


def yardstick(root: Path, jobs: int) -> None:
    """In the project's own stodocs: make the build's HTML, then time WeasyPrint alone on it (J forked processes)."""
    sys.path.insert(0, str(root))
    import multiprocessing

    from weasyprint import HTML

    from stodocs.pdf import REGION_BASE, LockedFetcher
    from stodocs.pipeline import check, region_versions, render_html, render_reports_html, render_statements_html, statuses
    from stodocs.render import TEMPLATE_DIR
    from stodocs.sources import WorkingTree

    source = WorkingTree(root)
    checked = check(source, None)
    versions = region_versions(source, sorted(checked.regions))
    status = statuses(source, checked.regions, versions)
    documents = render_html(checked.regions, versions, status, "pdf")
    documents += render_reports_html(source, checked.regions, versions, "pdf")
    documents += render_statements_html(checked.regions, versions, "pdf")
    global _DOCUMENTS
    _DOCUMENTS = [(d.html, dict(d.region.assets), TEMPLATE_DIR, REGION_BASE) for d in documents]

    def one(i: int) -> int:
        html, assets, templates, base = _DOCUMENTS[i]
        fetcher = LockedFetcher(templates, assets)
        return len(HTML(string=html, base_url=base, url_fetcher=fetcher).write_pdf(pdf_variant="pdf/ua-1"))

    global _ONE
    _ONE = one
    start = time.perf_counter()
    with multiprocessing.get_context("fork").Pool(jobs) as pool:
        sizes = list(pool.imap(_call, range(len(_DOCUMENTS)), chunksize=1))
    wall = time.perf_counter() - start
    print(json.dumps({"seconds": round(wall, 3), "documents": len(sizes), "bytes": sum(sizes)}))


_DOCUMENTS: list = []
_ONE = None


def _call(i: int) -> int:
    return _ONE(i)


def machine() -> dict:
    return {"platform": platform.platform(), "machine": platform.machine(), "processor": platform.processor(),
            "cpus": os.cpu_count(), "python": platform.python_version(),
            "memory_mb": round(os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**20)}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--regions", type=int, default=74, help="how many regions (standaard 74)")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1, help="PDF processes (default: the cores)")
    parser.add_argument("--noop-repeat", type=int, default=3)
    parser.add_argument("--html", action="store_true",
                        help="build HTML instead of PDF, without the yardstick: the incremental figures (no-op, one "
                             "region) for many regions in little time; the manifest works the same for both")
    parser.add_argument("--json", type=Path, default=ROOT / "benchmarks" / "national.json")
    parser.add_argument("--yardstick", type=Path, help=argparse.SUPPRESS)  # internal: measure in this project
    args = parser.parse_args()
    if args.yardstick:
        yardstick(args.yardstick, args.jobs)
        return 0
    figures: dict = {"machine": machine(), "regions": args.regions, "jobs": args.jobs,
                     "format": "html" if args.html else "pdf"}
    with tempfile.TemporaryDirectory(prefix="stodocs-national-") as tmp:
        root = Path(tmp) / "project"
        root.mkdir()
        names = make_project(root, args.regions)
        j = ("-j", str(args.jobs), *(("--format", "html") if args.html else ()))
        figures["validate"] = run_measured(root, "build.py", "validate")
        if not args.html:
            measured = run_measured(root, str(Path(__file__).resolve()), "--yardstick", str(root), "--jobs",
                                    str(args.jobs))
            figures["weasyprint_alone"] = {**json.loads(measured["output"]), **{k: measured[k] for k in
                                                                                ("peak_mb", "load_before", "load_after")}}
        figures["full_build"] = run_measured(root, "build.py", "build", *j)
        if not args.html:
            figures["full_build"]["ratio_to_weasyprint"] = round(
                figures["full_build"]["seconds"] / figures["weasyprint_alone"]["seconds"], 3)
        noops = [run_measured(root, "build.py", "build", *j) for _ in range(args.noop_repeat)]
        figures["noop_rebuild"] = {**noops[len(noops) // 2], "seconds": statistics.median(n["seconds"] for n in noops),
                                   "all_seconds": [n["seconds"] for n in noops]}
        changed = names[0]
        regioplan = root / "content" / changed / "regioplan.md"
        regioplan.write_text(regioplan.read_text(encoding="utf-8") + "\nEen nieuwe zin in de benchmark.\n",
                             encoding="utf-8")
        figures["one_region_changed"] = run_measured(root, "build.py", "build", *j)
        figures["that_region_alone"] = run_measured(root, "build.py", "build", changed, "--opnieuw", *j,
                                                    "--output", str(Path(tmp) / "alone"),
                                                    "--administratie", str(Path(tmp) / "alone-administratie"))
        figures["one_region_changed"]["minus_that_region_alone"] = round(
            figures["one_region_changed"]["seconds"] - figures["that_region_alone"]["seconds"], 3)
        figures["diff_one_region"] = run_measured(root, "build.py", "diff", "--from", "HEAD", changed, *j[:2],
                                                  "--output", str(Path(tmp) / "diffs"))
        css = root / "templates" / "print.css"
        css.write_text(css.read_text(encoding="utf-8") + "\n/* benchmark: a template changed */\n", encoding="utf-8")
        figures["template_changed"] = run_measured(root, "build.py", "build", *j)
    for value in figures.values():
        if isinstance(value, dict):
            value.pop("output", None)
    args.json.write_text(json.dumps(figures, indent=1) + "\n", encoding="utf-8")
    print(f"{args.regions} regions, {figures['format']}, -j {args.jobs}, {figures['machine']['cpus']} cpus")
    print(f"{'measure':34} {'seconds':>9} {'peak MB':>8} {'load':>11}")
    for key, value in figures.items():
        if isinstance(value, dict) and "seconds" in value:
            print(f"{key:34} {value['seconds']:9.2f} {value.get('peak_mb', ''):>8} "
                  f"{value['load_before']:5.2f}-{value['load_after']:<5.2f}")
    if not args.html:
        print(f"full build / WeasyPrint alone: {figures['full_build']['ratio_to_weasyprint']:.3f}")
    print(f"one region changed - that region alone: {figures['one_region_changed']['minus_that_region_alone']:+.2f} s")
    print(f"written to {args.json}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
