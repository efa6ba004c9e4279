"""requirements.lock: it agrees with pyproject.toml, .venv holds exactly it, and two fresh clones built from it
give the same bytes."""
from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tomllib
from importlib.metadata import PackageNotFoundError, requires
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

from gitrepo import GIT_ENV, ROOT, GitRepo, copy_example
from stodocs.incremental import MANIFEST

LOCK = ROOT / "requirements.lock"
PYPROJECT = ROOT / "pyproject.toml"
# The venv's own installer comes with Python (ensurepip), not from the lock; it writes no byte of a PDF.
# stodocs itself is this working tree.
NOT_LOCKED = {"pip", "stodocs"}


def read_lock(text: str) -> dict[str, str]:
    """Return name -> pinned version from a pip-compile lock; every entry must be `name==version` with hashes."""
    pins: dict[str, str] = {}
    for entry in re.sub(r"\\\n", " ", text).splitlines():
        entry = entry.split("#", 1)[0].strip()
        if not entry:
            continue
        requirement, *options = entry.split(" --")
        match = re.fullmatch(r"([A-Za-z0-9._-]+)==([^\s;]+)", requirement.strip())
        assert match, f"requirements.lock: {requirement!r} is not pinned as name==version"
        assert any(option.startswith("hash=sha256:") for option in options), f"requirements.lock: {entry!r} has no hash"
        pins[canonicalize_name(match[1])] = match[2]
    return pins


def wanted(pyproject: dict) -> list[Requirement]:
    """What pyproject.toml asks for: the dependencies, every optional extra, and the build backend."""
    project = pyproject["project"]
    listed = [*project.get("dependencies", []), *pyproject.get("build-system", {}).get("requires", [])]
    for extra in project.get("optional-dependencies", {}).values():
        listed += extra
    own = canonicalize_name(project["name"])
    return [r for r in map(Requirement, listed) if canonicalize_name(r.name) != own]


def disagreements(pyproject: dict, pins: dict[str, str]) -> list[str]:
    """Return, in words, every way the lock and pyproject.toml disagree; empty when they agree."""
    # What each package needs in turn comes from its installed metadata (.venv holds exactly the lock, see
    # test_venv_holds_exactly_the_lock), so a pin that nothing in pyproject.toml leads to is found too.
    problems = []
    needed: set[str] = set()
    walked: set[tuple[str, frozenset[str]]] = set()
    todo = [(r, "pyproject.toml") for r in wanted(pyproject)]
    while todo:
        requirement, wanted_by = todo.pop()
        name = canonicalize_name(requirement.name)
        if requirement.marker and not any(requirement.marker.evaluate({"extra": e}) for e in extras_of(wanted_by)):
            continue
        if name not in pins:
            problems.append(f"{wanted_by} needs {requirement}, but requirements.lock does not pin {name}")
            continue
        if not requirement.specifier.contains(pins[name], prereleases=True):
            problems.append(f"{wanted_by} needs {requirement}, but requirements.lock pins {name}=={pins[name]}")
        needed.add(name)
        if (name, frozenset(requirement.extras)) in walked:
            continue
        walked.add((name, frozenset(requirement.extras)))
        by = f"{name}[{','.join(sorted(requirement.extras))}]" if requirement.extras else name
        try:
            todo += [(Requirement(r), by) for r in requires(name) or []]
        except PackageNotFoundError:
            problems.append(f"{name} is pinned but not installed in {sys.prefix}; run make build")
    problems += [f"requirements.lock pins {name}=={pins[name]}, which nothing in pyproject.toml needs"
                 for name in sorted(set(pins) - needed)]
    return problems


def extras_of(wanted_by: str) -> list[str]:
    """'pkg[a,b]' -> ['', 'a', 'b']: the extras under which a requirement's marker is evaluated."""
    inside = wanted_by.partition("[")[2].rstrip("]")
    return ["", *filter(None, inside.split(","))]


def frozen(python: Path | str) -> dict[str, str]:
    """Return name -> version of everything installed for `python`, as pip freeze lists it (stodocs left out)."""
    done = subprocess.run([str(python), "-m", "pip", "freeze", "--all", "--exclude-editable"], capture_output=True,
                          text=True, check=True)
    installed = dict(line.split("==", 1) for line in done.stdout.splitlines() if "==" in line and not line[0] == "#")
    return {canonicalize_name(name): v for name, v in installed.items() if canonicalize_name(name) not in NOT_LOCKED}


def test_lock_agrees_with_pyproject():
    problems = disagreements(tomllib.loads(PYPROJECT.read_text()), read_lock(LOCK.read_text()))
    assert not problems, "\n".join(problems) + "\nRun `make lock`, review the diff and commit requirements.lock."


@pytest.fixture
def project() -> dict:
    return tomllib.loads(PYPROJECT.read_text())


def test_a_dependency_added_to_pyproject_only_is_found(project):
    project["project"]["dependencies"].append("python-dateutil>=2.8")
    assert disagreements(project, read_lock(LOCK.read_text())) == [
        "pyproject.toml needs python-dateutil>=2.8, but requirements.lock does not pin python-dateutil"]


def test_a_test_dependency_or_build_backend_missing_from_the_lock_is_found(project):
    pins = read_lock(LOCK.read_text())
    del pins["pypdf"], pins["setuptools"]
    problems = disagreements(project, pins)
    assert any("does not pin pypdf" in p for p in problems) and any("does not pin setuptools" in p for p in problems)


def test_a_pin_added_to_the_lock_only_is_found(project):
    text = LOCK.read_text() + "six==1.17.0 \\\n    --hash=sha256:" + "0" * 64 + "\n"
    assert disagreements(project, read_lock(text)) == [
        "requirements.lock pins six==1.17.0, which nothing in pyproject.toml needs"]


def test_a_pin_outside_what_pyproject_allows_is_found(project):
    project["project"]["dependencies"] = [d if not d.startswith("weasyprint") else "weasyprint>=99"
                                          for d in project["project"]["dependencies"]]
    pins = read_lock(LOCK.read_text())
    assert disagreements(project, pins) == [
        f"pyproject.toml needs weasyprint>=99, but requirements.lock pins weasyprint=={pins['weasyprint']}"]


def test_a_transitive_dependency_missing_from_the_lock_is_found(project):
    pins = read_lock(LOCK.read_text())
    del pins["pydyf"]
    assert any("needs pydyf" in p and "does not pin pydyf" in p for p in disagreements(project, pins))


def test_every_lock_entry_is_pinned_and_hashed():
    with pytest.raises(AssertionError, match="not pinned"):
        read_lock("weasyprint>=66 \\\n    --hash=sha256:" + "0" * 64 + "\n")
    with pytest.raises(AssertionError, match="no hash"):
        read_lock("weasyprint==70.0\n")


def test_venv_holds_exactly_the_lock():
    """What `make build` installed in .venv (this interpreter) is what requirements.lock pins, no more, no less."""
    assert frozen(sys.executable) == read_lock(LOCK.read_text())


def project_files() -> list[str]:
    """The project's files as this working tree has them: tracked and new, not ignored, not deleted."""
    listed = subprocess.run(["git", "-C", str(ROOT), "ls-files", "-co", "--exclude-standard"], capture_output=True,
                            text=True, check=True).stdout.splitlines()
    return [name for name in listed if (ROOT / name).is_file()]


def make_env() -> dict[str, str]:
    """Return the environment of a new user's shell: no active venv, no SOURCE_DATE_EPOCH."""
    env = {k: v for k, v in os.environ.items()
           if k not in ("VIRTUAL_ENV", "PYTHONPATH", "PYTHONHOME", "SOURCE_DATE_EPOCH", "MAKEFLAGS", "MAKELEVEL")}
    env["PATH"] = os.pathsep.join(p for p in env.get("PATH", "").split(os.pathsep)
                                  if not Path(p).resolve().is_relative_to(Path(sys.prefix).resolve()))
    return env


def make_build(clone: Path) -> subprocess.CompletedProcess:
    """Run `make build` in `clone` as a new user would."""
    return subprocess.run(["make", "-C", str(clone), "build"], capture_output=True, text=True, check=False,
                          env=dict(make_env(), **GIT_ENV))


def test_two_fresh_clones_install_the_lock_and_build_the_same_bytes(tmp_path):
    """Build one commit in two fresh clones, each with its own .venv from the lock: the same bytes."""
    # Both installs go through `make build`, so this also shows that a fresh clone installs exactly the locked
    # versions with --require-hashes on this machine; pip's cache keeps it affordable (about 30 s).
    source = GitRepo(tmp_path / "project")
    for name in project_files():
        if name.startswith("content/"):  # the project as it is, with the fixture region as its content
            continue
        (source.root / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(ROOT / name, source.root / name)
    copy_example(source.root)
    source.commit("stodocs", date="2026-03-14T10:00:00+01:00")
    outputs = []
    for clone_name in ("a", "b"):
        clone = source.clone(tmp_path / clone_name).root
        try:
            done = make_build(clone)
            assert done.returncode == 0, done.stdout + done.stderr
            assert frozen(clone / ".venv" / "bin" / "python") == read_lock(LOCK.read_text())
        finally:
            shutil.rmtree(clone / ".venv", ignore_errors=True)  # 160 MB each; pytest keeps old tmp folders
        # the build's manifest records when each file was written on this machine: a cache, not an output
        outputs.append({p.relative_to(clone / "output"): p.read_bytes()
                        for p in sorted((clone / "output").rglob("*")) if p.is_file() and p.name != MANIFEST})
    assert any(name.suffix == ".pdf" for name in outputs[0]), sorted(outputs[0])
    assert outputs[0].keys() == outputs[1].keys()
    assert [name for name in outputs[0] if outputs[0][name] != outputs[1][name]] == []
