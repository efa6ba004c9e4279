"""A real git repository in a temporary folder, holding a copy of the example region."""
from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

EXAMPLE = Path(__file__).resolve().parent.parent / "content" / "lindewaard"


class GitRepo:
    """A repository with content/<regio>/; every commit gets a fixed, increasing date."""

    def __init__(self, root: Path):
        self.root = root
        self.commits = 0
        root.mkdir(parents=True, exist_ok=True)
        self.git("init", "-q", "-b", "main")

    def git(self, *args: str) -> str:
        stamp = f"2026-03-{1 + self.commits:02d}T10:00:00+00:00"
        env = dict(os.environ, GIT_AUTHOR_NAME="Test", GIT_AUTHOR_EMAIL="test@example.org",
                   GIT_COMMITTER_NAME="Test", GIT_COMMITTER_EMAIL="test@example.org",
                   GIT_AUTHOR_DATE=stamp, GIT_COMMITTER_DATE=stamp, GIT_CONFIG_GLOBAL=os.devnull,
                   GIT_CONFIG_NOSYSTEM="1")
        return subprocess.run(["git", "-C", str(self.root), *args], check=True, capture_output=True,
                              text=True, env=env).stdout.strip()

    def add_region(self, name: str = "lindewaard") -> Path:
        target = self.root / "content" / name
        shutil.copytree(EXAMPLE, target)
        return target

    def path(self, relative: str) -> Path:
        return self.root / relative

    def replace(self, relative: str, old: str, new: str, count: int = 1) -> None:
        """Replace `old` by `new` in a file; the text must be there."""
        file = self.root / relative
        text = file.read_text(encoding="utf-8")
        assert old in text, f"{old!r} not in {relative}"
        file.write_text(text.replace(old, new, count), encoding="utf-8")

    def commit(self, message: str, tag: str | None = None) -> str:
        self.git("add", "-A")
        self.git("commit", "-q", "-m", message)
        self.commits += 1
        if tag:
            self.git("tag", tag)
        return self.git("rev-parse", "HEAD")

    @classmethod
    def existing(cls, root: Path) -> "GitRepo":
        """Wrap a repository that already exists (e.g. a clone)."""
        repo = cls.__new__(cls)
        repo.root, repo.commits = root, 0
        return repo
