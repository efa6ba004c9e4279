"""The install of `make build`: the lock alone decides what .venv holds, whatever the index serves that day.

Played offline on a folder of small wheels made here, shaped like the case that broke it: weasyprint asks for
`fonttools[woff]`, the lock pins fonttools 4.68.0 (pip-compile writes no extras), and the index has since
published fonttools 99.0.
"""
from __future__ import annotations

import base64
import hashlib
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from gitrepo import ROOT


def make_wheel(folder: Path, name: str, version: str, requires: list[str] = (), extras: list[str] = ()) -> Path:
    """Write a pure-Python wheel `name-version` with the given metadata into `folder`; return its path."""
    dist = f"{name}-{version}.dist-info"
    metadata = [f"Metadata-Version: 2.1", f"Name: {name}", f"Version: {version}",
                *(f"Provides-Extra: {extra}" for extra in extras), *(f"Requires-Dist: {r}" for r in requires)]
    files = {f"{name}_stand_in.py": f"VERSION = {version!r}\n",
             f"{dist}/METADATA": "\n".join(metadata) + "\n",
             f"{dist}/WHEEL": "Wheel-Version: 1.0\nGenerator: stodocs-test\nRoot-Is-Purelib: true\nTag: py3-none-any\n"}
    record = [f"{path},sha256={_digest(text.encode())},{len(text.encode())}" for path, text in files.items()]
    files[f"{dist}/RECORD"] = "\n".join([*record, f"{dist}/RECORD,,"]) + "\n"
    wheel = folder / f"{name}-{version}-py3-none-any.whl"
    with zipfile.ZipFile(wheel, "w") as archive:
        for path, text in files.items():
            archive.writestr(zipfile.ZipInfo(path, date_time=(2026, 1, 1, 0, 0, 0)), text)
    return wheel


def _digest(data: bytes) -> str:
    return base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()


def lock_entry(wheel: Path) -> str:
    """Return the pip-compile lock entry (name==version with its hash) for a wheel."""
    name, version = wheel.name.split("-")[:2]
    return f"{name}=={version} \\\n    --hash=sha256:{hashlib.sha256(wheel.read_bytes()).hexdigest()}\n"


@pytest.fixture
def index(tmp_path) -> tuple[Path, list[Path]]:
    """A local package folder: the locked wheels, plus a newer fonttools that nothing locked."""
    wheels = tmp_path / "wheels"
    wheels.mkdir()
    locked = [make_wheel(wheels, "weasyprint", "70.0", ["fonttools[woff]>=4.59.2", "pydyf>=0.11"]),
              make_wheel(wheels, "fonttools", "4.68.0", ['brotli>=1.0.1; extra == "woff"'], ["woff"]),
              make_wheel(wheels, "brotli", "1.2.1"),
              make_wheel(wheels, "pydyf", "0.13.0")]
    make_wheel(wheels, "fonttools", "99.0", ['brotli>=1.0.1; extra == "woff"'], ["woff"])  # released after the lock
    return wheels, locked


def install_lock(tmp_path: Path, wheels: Path, lock: Path) -> subprocess.CompletedProcess:
    """Install `lock` into a fresh venv the way `make build` does, from `wheels` only, with the pip that this
    machine's `python3 -m venv` brings."""
    env = {k: v for k, v in os.environ.items()
           if not k.startswith("PIP_") and k not in ("VIRTUAL_ENV", "MAKEFLAGS", "MAKELEVEL")}
    env["PIP_CONFIG_FILE"] = os.devnull  # no index or find-links from this machine's pip configuration
    python = Path(sys.base_prefix) / "bin" / "python3"
    return subprocess.run(["make", "-s", "-C", str(ROOT), "install-lock", f"PYTHON={python}",
                           f"VENV={tmp_path / 'venv'}", f"LOCK={lock}",
                           f"PIP_OPTIONS=--no-index --find-links {wheels}"],
                          capture_output=True, text=True, env=env, check=False)


def installed(venv: Path) -> dict[str, str]:
    """Return name -> version of what a venv holds besides pip."""
    site = next((venv / "lib").glob("python3*/site-packages"))
    found = {}
    for info in site.glob("*.dist-info"):
        name, version = info.name.removesuffix(".dist-info").rsplit("-", 1)
        found[name.lower()] = version
    found.pop("pip", None)
    found.pop("setuptools", None)  # the venv's own, on Pythons that still bring it
    return found


def test_the_lock_decides_even_when_the_index_has_a_newer_release_of_an_extras_package(tmp_path, index):
    wheels, locked = index
    lock = tmp_path / "requirements.lock"
    lock.write_text("".join(lock_entry(wheel) for wheel in locked), encoding="utf-8")
    done = install_lock(tmp_path, wheels, lock)
    assert done.returncode == 0, done.stdout + done.stderr
    assert installed(tmp_path / "venv") == {"weasyprint": "70.0", "fonttools": "4.68.0", "brotli": "1.2.1",
                                            "pydyf": "0.13.0"}


def test_an_incomplete_lock_fails_with_a_clear_message(tmp_path, index):
    wheels, locked = index
    lock = tmp_path / "requirements.lock"
    # (pip check does not follow extras: a package that only an extra needs is checked by test_lock.py instead)
    lock.write_text("".join(lock_entry(wheel) for wheel in locked if not wheel.name.startswith("pydyf")),
                    encoding="utf-8")
    done = install_lock(tmp_path, wheels, lock)
    assert done.returncode != 0
    assert "pydyf" in done.stdout + done.stderr  # pip check names what is missing
    assert "requirements.lock is niet compleet: voer 'make lock' uit" in done.stderr
