#!/usr/bin/env python3
"""Time the CI feedback on a proposal that changes one region: the shipped workflow's commands, after install.

Run: .venv/bin/python benchmarks/ci_feedback.py [--regions N] [--repeat R] [--install]
A repository with N copies of the example region (default 10); a proposal changes one of them. Each step runs as the
workflow runs it (a new `build.py` process), and is timed in wall time and in compute (user + system CPU of the
process and its children). Target (issue 13): the feedback for one changed region under 10 s of compute.
--install also times `make install` into a fresh .venv (pip's cache warm), the fixed cost of every CI job.
Results go in docs/performance.md, section "CI".
"""
from __future__ import annotations

import argparse
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable

# The workflow's steps for one proposal (.github/workflows/stodocs.yml), with {regio} the changed region.
STEPS = [
    ("regios (job regios)", ["regios", "--gewijzigd-sinds", "origin/main", "--format", "json"]),
    ("validate --format github (job regio)", ["validate", "{regio}", "--format", "github"]),
    ("diff --alleen-commentaar (job commentaar)",
     ["diff", "--from", "origin/main", "{regio}", "--alleen-commentaar", "--commentaar", "output/commentaar.md",
      "--format", "github"]),
    ("diff, redline PDF (job regio)", ["diff", "--from", "origin/main", "{regio}", "--format", "github"]),
]


def git(root: Path, *args: str) -> None:
    env = dict(os.environ, GIT_AUTHOR_NAME="b", GIT_AUTHOR_EMAIL="b@example.org", GIT_COMMITTER_NAME="b",
               GIT_COMMITTER_EMAIL="b@example.org", GIT_AUTHOR_DATE="2026-03-01T10:00:00+00:00",
               GIT_COMMITTER_DATE="2026-03-01T10:00:00+00:00", GIT_CONFIG_GLOBAL=os.devnull, GIT_CONFIG_NOSYSTEM="1")
    subprocess.run(["git", "-C", str(root), *args], check=True, capture_output=True, env=env)


def make_repo(root: Path, regions: int) -> str:
    """Commit N regions on main (origin/main as a checkout has it); then change one on a branch; return its name."""
    root.mkdir(parents=True)
    shutil.copy(ROOT / "build.py", root / "build.py")
    names = [f"regio-{i:02d}" for i in range(regions)]
    for name in names:
        shutil.copytree(ROOT / "content" / "lindewaard", root / "content" / name)
    git(root, "init", "-q", "-b", "main")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "basis")
    git(root, "update-ref", "refs/remotes/origin/main", "main")
    git(root, "checkout", "-q", "-b", "voorstel")
    changed = names[len(names) // 2]
    region = root / "content" / changed
    for name, old, new in [
        ("regioplan.md", "Tegelijk daalt het aantal", "Tegelijk krimpt het aantal"),
        ("begroting.yaml", "    aantal: 40\n    eenheid: leskist", "    aantal: 48\n    eenheid: leskist"),
        ("begroting.yaml", "    aantal: 2600\n", "    aantal: 2400\n"),
        ("activiteiten.yaml", "naam: Techniekfestival en regionale doe-dagen", "naam: Techniekfestival"),
    ]:
        path = region / name
        path.write_text(path.read_text(encoding="utf-8").replace(old, new, 1), encoding="utf-8")
    git(root, "commit", "-q", "-am", "wijziging")
    return changed


def timed(args: list[str], cwd: Path, env: dict) -> tuple[float, float]:
    """Run a command; return (wall seconds, compute seconds of it and its children)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    done = subprocess.run(args, cwd=cwd, env=env, capture_output=True, text=True)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(args)} failed:\n{done.stderr}")
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--regions", type=int, default=10)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--install", action="store_true")
    args = parser.parse_args()
    print(f"load average before: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    with tempfile.TemporaryDirectory() as tmp:
        repo = Path(tmp) / "repo"
        changed = make_repo(repo, args.regions)
        env = dict(os.environ, GITHUB_STEP_SUMMARY=str(Path(tmp) / "summary.md"))
        results: dict[str, list[tuple[float, float]]] = {name: [] for name, _ in STEPS}
        for _ in range(args.repeat):
            for name, command in STEPS:
                command = [PYTHON, "build.py", *(part.replace("{regio}", changed) for part in command)]
                results[name].append(timed(command, repo, env))
        print(f"{args.regions} regions, 1 changed; medians of {args.repeat} runs (wall / compute):")
        feedback = 0.0
        for name, times in results.items():
            wall = statistics.median(t[0] for t in times)
            cpu = statistics.median(t[1] for t in times)
            if "PDF" not in name:
                feedback += cpu
            print(f"  {name:45s} {wall:6.2f} s / {cpu:6.2f} s")
        total = feedback + statistics.median(t[1] for t in results[STEPS[-1][0]])
        print(f"  feedback (annotations + comment), compute     {feedback:6.2f} s")
        print(f"  all of it, redline PDF included, compute      {total:6.2f} s")
        if args.install:
            project = Path(tmp) / "install"
            shutil.copytree(ROOT, project, ignore=shutil.ignore_patterns(".venv", "output", ".git", "__pycache__"))
            wall, cpu = timed(["make", "install"], project, dict(os.environ))
            print(f"  make install into a fresh .venv (warm pip cache) {wall:6.2f} s / {cpu:6.2f} s")
    print(f"load average after: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
