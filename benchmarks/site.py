#!/usr/bin/env python3
"""The review site for N regions (74 by default): full site, no-op rebuild, one region changed.

Run: .venv/bin/python benchmarks/site.py [--regions N] [--jobs J] [--json FILE]

The project is made as benchmarks/national.py makes it (N varied regions from content/lindewaard, committed);
each figure is the `build.py site` command as a user or CI runs it (interpreter start included), with the load
average before and after next to it. The full site lays out every PDF and runs Pagefind over every page; the
no-op rebuild should write nothing and take seconds; a one-region change costs that region's pages and PDFs
and one Pagefind run.
"""
from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from national import machine, make_project, run_measured  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--regions", type=int, default=74)
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--json", type=Path, default=ROOT / "benchmarks" / "site.json")
    args = parser.parse_args()
    figures: dict = {"machine": machine(), "regions": args.regions, "jobs": args.jobs}
    with tempfile.TemporaryDirectory(prefix="stodocs-site-") as tmp:
        root = Path(tmp) / "project"
        root.mkdir()
        names = make_project(root, args.regions)
        site = ("build.py", "site", "--output", str(Path(tmp) / "site"), "-j", str(args.jobs))
        figures["full_site"] = run_measured(root, *site)
        figures["noop_rebuild"] = run_measured(root, *site)
        regioplan = root / "content" / names[0] / "regioplan.md"
        regioplan.write_text(regioplan.read_text(encoding="utf-8") + "\nEen nieuwe zin in de benchmark.\n",
                             encoding="utf-8")
        figures["one_region_changed"] = run_measured(root, *site)
        figures["pages"] = sum(1 for _ in (Path(tmp) / "site").rglob("*.html"))
    for value in figures.values():
        if isinstance(value, dict):
            value.pop("output", None)
    args.json.write_text(json.dumps(figures, indent=1) + "\n", encoding="utf-8")
    print(f"{args.regions} regions, -j {args.jobs}, {figures['pages']} pages")
    for key in ("full_site", "noop_rebuild", "one_region_changed"):
        value = figures[key]
        print(f"{key:24} {value['seconds']:9.2f} s  peak {value['peak_mb']} MB  load {value['load_before']} -> "
              f"{value['load_after']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
