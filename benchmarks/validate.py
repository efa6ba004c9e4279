#!/usr/bin/env python3
"""Validate 74 copies of the example region (one per STO region) and report time and peak memory.

Run: .venv/bin/python benchmarks/validate.py [--copies N] [--repeat R]
The figure to beat is 2 s on the 2-core reference machine; results go in docs/performance.md.
"""
from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from stodocs.pipeline import check  # noqa: E402
from stodocs.sources import WorkingTree  # noqa: E402


def make_regions(root: Path, copies: int, realisatie: bool = True) -> None:
    """Copy content/lindewaard to `copies` region folders under `root/content` (its realisatie/ too, unless told)."""
    skip = shutil.ignore_patterns() if realisatie else shutil.ignore_patterns("realisatie")
    for n in range(copies):
        shutil.copytree(ROOT / "content" / "lindewaard", root / "content" / f"regio-{n:02d}", ignore=skip)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--copies", type=int, default=74)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--zonder-realisatie", action="store_true",
                        help="laat realisatie/ (de projectadministratie) weg, om te zien wat die kost")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        make_regions(root, args.copies, not args.zonder_realisatie)
        # In-process, warm: what a long-running caller (tests, the build) pays per run.
        times, cpu = [], []
        for _ in range(args.repeat):
            start, start_cpu = time.perf_counter(), time.process_time()
            checked = check(WorkingTree(root), None, None)
            times.append(time.perf_counter() - start)
            cpu.append(time.process_time() - start_cpu)
        assert checked.ok and len(checked.regions) == args.copies, checked.problems[:5]
        tracemalloc.start()
        check(WorkingTree(root), None, None)
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        # End to end, cold: what a user typing the command waits for (interpreter start and imports included).
        shutil.copyfile(ROOT / "build.py", root / "build.py")  # build.py checks the repository it sits in
        start = time.perf_counter()
        cli = subprocess.run([sys.executable, str(root / "build.py"), "validate"], cwd=root,
                             capture_output=True, text=True, env={"PATH": "/usr/bin:/bin"})
        cold = time.perf_counter() - start
    print(f"regio's:                          {args.copies}{' (zonder realisatie)' if args.zonder_realisatie else ''}")
    print(f"check() warm, mediaan van {args.repeat}:     {statistics.median(times):.2f} s "
          f"(min {min(times):.2f}, max {max(times):.2f})")
    # CPU time is what this process used; on a busy machine wall time also counts waiting for a core.
    print(f"check() CPU-tijd, mediaan:        {statistics.median(cpu):.2f} s")
    print(f"piek geheugen (tracemalloc):      {peak / 1e6:.1f} MB")
    print(f"build.py validate, koude start:   {cold:.2f} s (exitcode {cli.returncode})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
