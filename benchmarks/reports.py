#!/usr/bin/env python3
"""Time the rapportage commands on the example: status, g2, rapportage (HTML warm, PDF cold) and 74 regions' status.

Run: .venv/bin/python benchmarks/reports.py [--repeat R]
Results go in docs/performance.md, with the load average printed here.
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
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from stodocs.verantwoording.reporting import gather, render_report, basis_of, statuses_of  # noqa: E402
from stodocs.sources import WorkingTree  # noqa: E402


def _cli(root: Path, *args: str) -> float:
    start = time.perf_counter()
    done = subprocess.run([sys.executable, str(root / "build.py"), *args], cwd=root, capture_output=True, text=True,
                          env={"PATH": "/usr/bin:/bin", "SOURCE_DATE_EPOCH": "1797292800"})
    assert done.returncode in (0, 1), done.stderr
    return time.perf_counter() - start


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    print(f"load average at start: {os.getloadavg()[0]:.2f}")
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        shutil.copyfile(ROOT / "build.py", root / "build.py")
        shutil.copytree(ROOT / "content" / "lindewaard", root / "content" / "lindewaard")
        source = WorkingTree(root)
        warm = []
        for _ in range(args.repeat):
            start = time.perf_counter()
            gathered, version = gather(source, None)
            data = gathered["lindewaard"]
            report = data.reports[2026]
            render_report(data, report, basis_of(source, data, report), version, "concept")
            warm.append(time.perf_counter() - start)
        print(f"rapportage 2026 as HTML, warm (check + render), median of {args.repeat}: {statistics.median(warm):.3f} s")
        for label, command in (("status", ("status",)), ("g2 2026 (PDF + CSV)", ("g2", "2026")),
                               ("rapportage 2026 (PDF)", ("rapportage", "2026"))):
            times = [_cli(root, *command) for _ in range(args.repeat)]
            print(f"build.py {label}, cold, median of {args.repeat}: {statistics.median(times):.2f} s")
        for n in range(1, 74):
            shutil.copytree(ROOT / "content" / "lindewaard", root / "content" / f"regio-{n:02d}")
        start = time.perf_counter()
        statuses_of(WorkingTree(root), None, date(2026, 8, 15))
        print(f"status of 74 regions, warm: {time.perf_counter() - start:.2f} s")
    print(f"load average at end: {os.getloadavg()[0]:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
