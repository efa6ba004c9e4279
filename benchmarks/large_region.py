#!/usr/bin/env python3
"""Memory and time of one PDF worker on a region with a very large budget (2,000 lines by default).

Run: .venv/bin/python benchmarks/large_region.py [--lines 2000]

It copies content/lindewaard into a temporary project, repeats its budget lines (new ids, the same activities,
years and categories, smaller amounts so the totals stay within the subsidy) until there are --lines of them,
and builds that region's documents with one worker (`build.py build -j 1 --format pdf`), in a fresh process.
It prints the wall time, the peak memory (max RSS) of the process, the pages of the meerjarenbegroting and
the load average.
"""
from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
REGION = "lindewaard"


def grow_budget(path: Path, lines: int) -> int:
    """Repeat the budget's lines until there are `lines`; return how many there are."""
    text = path.read_text(encoding="utf-8")
    head, body = text.split("regels:\n", 1)
    entries = re.split(r"\n(?=  - id: )", body.strip("\n"))
    entries = [e for e in entries if e.startswith("  - id: ")]
    rest = body[body.index(entries[-1]) + len(entries[-1]):] if entries else ""
    out = list(entries)
    n = 0
    while len(out) < lines:
        entry = entries[n % len(entries)]
        copy = re.sub(r"(  - id: )(\S+)", lambda m: f"{m.group(1)}{m.group(2)}-x{n}", entry, count=1)
        copy = re.sub(r"(\n    aantal: )\d+", r"\g<1>1", copy)
        copy = re.sub(r"(\n    prijs: )[\d.]+", r"\g<1>1", copy)
        copy = re.sub(r"\n    cofinancier(ing)?: [^\n]*", "", copy)
        out.append(copy)
        n += 1
    path.write_text(head + "regels:\n" + "\n".join(out) + rest + "\n", encoding="utf-8")
    return len(out)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lines", type=int, default=2000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="stodocs-large-") as tmp:
        root = Path(tmp)
        shutil.copy(ROOT / "build.py", root / "build.py")
        shutil.copytree(ROOT / "content" / REGION, root / "content" / REGION)
        count = grow_budget(root / "content" / REGION / "begroting.yaml", args.lines)
        regio = root / "content" / REGION / "regio.yaml"  # room for the extra lines' euros
        regio.write_text(re.sub(r"maximale_subsidie: (\d+)", lambda m: f"maximale_subsidie: {int(m.group(1)) + 20000}",
                                regio.read_text(encoding="utf-8")), encoding="utf-8")
        load = os.getloadavg()[0]
        start = time.perf_counter()
        process = subprocess.Popen([sys.executable, "build.py", "build", "-j", "1", "--zonder-administratie"], cwd=root,
                                   stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        out, err = process.stdout.read(), process.stderr.read()
        _, status, usage = os.wait4(process.pid, 0)
        wall = time.perf_counter() - start
        if os.waitstatus_to_exitcode(status) != 0:
            print(err.decode()[-3000:])
            return 1
        from pypdf import PdfReader
        [begroting] = (root / "output" / REGION).glob("meerjarenbegroting-*.pdf")
        pages = len(PdfReader(begroting).pages)
        print(f"{count} budget lines: {wall:.1f} s, peak {usage.ru_maxrss / 1024:.0f} MB, meerjarenbegroting "
              f"{pages} pages, load {load:.2f}-{os.getloadavg()[0]:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
