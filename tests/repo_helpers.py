"""A copy of the project in a real git repository under tmp_path, for end-to-end tests."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PROJECT_PARTS = ("build.py", "stodocs", "schemas", "templates", "content")
GIT_ENV = {
    "GIT_AUTHOR_NAME": "Penvoerder", "GIT_AUTHOR_EMAIL": "penvoerder@example.org",
    "GIT_COMMITTER_NAME": "Penvoerder", "GIT_COMMITTER_EMAIL": "penvoerder@example.org",
    "GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1",
}


def git(repo: Path, *args: str, date: str = "2026-03-01T12:00:00+01:00") -> str:
    """Run git in `repo` with a fixed identity and date; return stdout."""
    env = dict(os.environ, **GIT_ENV, GIT_AUTHOR_DATE=date, GIT_COMMITTER_DATE=date)
    done = subprocess.run(["git", "-C", str(repo), *args], capture_output=True, text=True, env=env, check=True)
    return done.stdout.strip()


def make_repo(tmp_path: Path) -> Path:
    """Copy the code and the example region into a new git repository with one commit; return it."""
    repo = tmp_path / "repo"
    repo.mkdir()
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc", "*.egg-info")
    for part in PROJECT_PARTS:
        src = ROOT / part
        if src.is_dir():
            shutil.copytree(src, repo / part, ignore=ignore)
        else:
            shutil.copy2(src, repo / part)
    for record in (repo / "content").glob("*/vaststellingen.yaml"):  # start without decisions
        record.unlink()
    git(repo, "init", "-q", "-b", "main")
    commit(repo, "Basisversie regioplan Lindewaard")
    return repo


def commit(repo: Path, message: str, date: str = "2026-03-01T12:00:00+01:00") -> str:
    """Commit everything in `repo`; return the full hash."""
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", message, date=date)
    return git(repo, "rev-parse", "HEAD")


def region_file(repo: Path, name: str, region: str = "lindewaard") -> Path:
    return repo / "content" / region / name


def replace_in(path: Path, old: str, new: str, count: int = 1) -> None:
    """Replace `old` by `new` in a text file, insisting that it occurs."""
    text = path.read_text(encoding="utf-8")
    assert text.count(old) >= count, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, count), encoding="utf-8")


def run_cli(repo: Path, *args: str) -> subprocess.CompletedProcess:
    """Run the repository's own build.py with this interpreter."""
    env = dict(os.environ, **GIT_ENV, SOURCE_DATE_EPOCH="1772362800")
    return subprocess.run([sys.executable, str(repo / "build.py"), *args], capture_output=True, text=True,
                          cwd=repo, env=env, check=False)
