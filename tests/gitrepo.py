"""The one helper for tests on real folders: a copy of build.py and the fixture region, in git once committed,
and the case overlays of tests/cases/ applied to such a copy."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
from datetime import date, datetime, timezone
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = "lindewaard"
# The frozen fixture region every test runs against. content/lindewaard is the users' example, checked only by
# test_content.py, so editing it breaks no other test.
FIXTURE = ROOT / "tests" / "fixture"
FIXTURE_REGION = FIXTURE / "content" / EXAMPLE
# Every change a test makes to the fixture region as data: the rule cases (invalid/, valid/) and the seed
# deck's casussen (casussen/), each a folder holding only what it changes. See test_cases.py for the format.
CASES = ROOT / "tests" / "cases"
CASE_FILES = {"expected.txt", "_delete", "_grow", "change.patch"}
# A case file may replace a fixture file outright (an empty file, a YAML bomb), never repeat it with edits.
MAX_SHARED_LINES = 2
# A fixed "today" far from any deadline of the regulation, so no deadline warning appears.
TODAY = date(2026, 12, 15)
GIT_ENV = {
    "GIT_AUTHOR_NAME": "Test", "GIT_AUTHOR_EMAIL": "test@example.org",
    "GIT_COMMITTER_NAME": "Test", "GIT_COMMITTER_EMAIL": "test@example.org",
    "GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1",
}


def user_env(today: date | None = TODAY) -> dict[str, str]:
    """Return the environment of a user's command: a fixed git identity, and `today` as SOURCE_DATE_EPOCH
    (None: leave it unset), so no deadline warning comes and goes with the calendar."""
    env = {key: value for key, value in os.environ.items() if key not in ("SOURCE_DATE_EPOCH", "PYTHONPATH")}
    env.update(GIT_ENV)
    if today is not None:
        env["SOURCE_DATE_EPOCH"] = str(int(datetime(today.year, today.month, today.day, tzinfo=timezone.utc)
                                           .timestamp()))
    return env


def copy_example(root: Path, name: str = EXAMPLE) -> Path:
    """Copy the fixture region to `root/content/<name>` and return that folder."""
    target = root / "content" / name
    shutil.copytree(FIXTURE_REGION, target)
    return target


def apply_case(case: Path, region: Path, context: int | None = None) -> None:
    """Apply the overlay in folder `case` to the region folder `region`; fail naming the case when it no longer fits.

    `context` lowers how many lines around each change must match, to stack one case on another.
    """
    name = case.relative_to(CASES).as_posix() if case.is_relative_to(CASES) else case.name
    patch = case / "change.patch"
    if patch.exists():
        # The ceiling keeps git from finding a repository around the region: inside one, `git apply` would
        # read the patch's paths from the repository's top and silently skip them.
        env = dict(os.environ, **GIT_ENV, GIT_CEILING_DIRECTORIES=str(region.parent))
        fuzz = [f"-C{context}"] if context is not None else []
        done = subprocess.run(["git", "apply", "--binary", "--whitespace=nowarn", "--unsafe-paths", *fuzz, str(patch)],
                              cwd=region, capture_output=True, text=True, env=env)
        if done.returncode != 0:
            pytest.fail(f"case {name}: change.patch no longer fits the fixture region; "
                        f"remake it against tests/fixture/content/{EXAMPLE}/:\n{done.stderr}")
    for item in sorted(case.rglob("*")):
        if item.is_file() and item.name not in CASE_FILES:
            rel = item.relative_to(case)
            shared = _shared_lines(item, FIXTURE_REGION / rel)
            assert shared <= MAX_SHARED_LINES, (f"case {name}: {rel} repeats {shared} lines of the fixture's file, "
                                                "so it is an edited copy; put the change in change.patch")
            target = region / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(item, target)
    delete = case / "_delete"
    if delete.exists():
        for name in delete.read_text(encoding="utf-8").split():
            (region / name).unlink()
    grow = case / "_grow"
    if grow.exists():
        for line in grow.read_text(encoding="utf-8").splitlines():
            name, size = line.split()
            path = region / name
            padding = b"# opvulling\n" * (int(size) // 12 + 1)
            path.write_bytes(path.read_bytes() + padding)


def _shared_lines(file: Path, fixture_file: Path) -> int:
    """Return how many non-blank lines of `file` the fixture's file of that name holds too (0 if it has none)."""
    if not fixture_file.exists():
        return 0
    theirs = {line.strip() for line in fixture_file.read_bytes().splitlines()}
    return sum(1 for line in file.read_bytes().splitlines() if line.strip() and line.strip() in theirs)


class GitRepo:
    """A project folder under tmp_path with build.py and content/<regio>/; the first commit makes it a repository.

    Every git command runs with a fixed identity and no user configuration. A commit without a date
    is dated one day after the one before: 2026-03-01, 2026-03-02, ... (10:00 UTC).
    """

    def __init__(self, root: Path):
        self.root = root
        self.commits = 0

    @classmethod
    def example(cls, root: Path) -> GitRepo:
        """Return a new folder holding build.py and the example region, not yet in git."""
        root.mkdir(parents=True, exist_ok=True)
        shutil.copy(ROOT / "build.py", root / "build.py")
        repo = cls(root)
        repo.add_region()
        return repo

    def git(self, *args: str, date: str | None = None) -> str:
        """Run git in the folder; return its output, stripped."""
        env = dict(os.environ, **GIT_ENV)
        if date is not None:
            env.update(GIT_AUTHOR_DATE=date, GIT_COMMITTER_DATE=date)
        done = subprocess.run(["git", "-C", str(self.root), *args], capture_output=True, text=True, env=env,
                              check=True)
        return done.stdout.strip()

    def add_region(self, name: str = EXAMPLE) -> Path:
        """Copy the example region to content/<name>/ and return that folder."""
        return copy_example(self.root, name)

    def file(self, name: str, region: str = EXAMPLE) -> Path:
        """Return the path of file `name` of a region."""
        return self.root / "content" / region / name

    def apply_case(self, name: str, region: str = EXAMPLE, context: int | None = None) -> None:
        """Apply the case overlay tests/cases/<name>/ (e.g. 'casussen/zorgrobots') to a region's files."""
        apply_case(CASES / name, self.root / "content" / region, context)

    def replace(self, name: str, old: str, new: str, *, count: int = 1, after: str = "",
                region: str = EXAMPLE) -> None:
        """Replace `old` by `new` in a region file, `count` times from the first `after`; the text must be there."""
        path = self.file(name, region)
        text = path.read_text(encoding="utf-8")
        start = text.index(after) if after else 0
        assert text.count(old, start) >= count, f"{old!r} not in {path}" + (f" after {after!r}" if after else "")
        path.write_text(text[:start] + text[start:].replace(old, new, count), encoding="utf-8")

    def append(self, name: str, text: str, region: str = EXAMPLE) -> None:
        """Add `text` at the end of a region file, on a line of its own."""
        path = self.file(name, region)
        path.write_text(path.read_text(encoding="utf-8").rstrip("\n") + "\n" + text, encoding="utf-8")

    def commit(self, message: str, *, date: str | None = None, tag: str | None = None) -> str:
        """Commit everything (the first time, after `git init`); return the full hash."""
        if not (self.root / ".git").exists():
            self.git("init", "-q", "-b", "main")
        self.git("add", "-A")
        self.git("commit", "-q", "-m", message, date=date or f"2026-03-{1 + self.commits:02d}T10:00:00+00:00")
        self.commits += 1
        if tag:
            self.git("tag", tag)
        return self.head

    @property
    def head(self) -> str:
        return self.git("rev-parse", "HEAD")

    def clone(self, target: Path, depth: int | None = None) -> GitRepo:
        """Clone this repository into `target` (shallow with a `depth`), as git fetches from elsewhere."""
        shallow = ("--depth", str(depth)) if depth else ()
        subprocess.run(["git", "clone", "-q", *shallow, f"file://{self.root}", str(target)], capture_output=True,
                       check=True, env=dict(os.environ, **GIT_ENV))
        return GitRepo(target)

    def run_cli(self, *args: str, today: date | None = TODAY) -> subprocess.CompletedProcess:
        """Run the folder's build.py as a user would; `today` is SOURCE_DATE_EPOCH (None: leave it unset)."""
        return subprocess.run([sys.executable, str(self.root / "build.py"), *args], capture_output=True, text=True,
                              cwd=self.root, env=user_env(today), check=False)
