"""Stopping a build halfway: Ctrl-C or a kill ends the PDF workers quietly and leaves no file behind."""
from __future__ import annotations

import os
import pty
import select
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from gitrepo import GitRepo


@pytest.fixture
def project(folder: GitRepo) -> Path:
    """A folder with build.py and three regions (outside git): twelve documents, still busy after the first."""
    folder.add_region("twee")
    folder.add_region("drie")
    return folder.root


def build_until_first_document(project: Path):
    """Start `build.py build` as from a terminal, in its own process group; return it once a PDF is done.

    Returns the process and the pty's master end, which must stay open while the build may still print.
    """
    master, slave = pty.openpty()  # progress lines are printed only to a terminal
    process = subprocess.Popen([sys.executable, "build.py", "build"], cwd=project, stdout=slave,
                               stderr=subprocess.PIPE, text=True, start_new_session=True)
    os.close(slave)
    seen = b""
    try:
        while b".pdf" not in seen:
            ready, _, _ = select.select([master], [], [], 300)  # only against a hang; no time is asserted
            assert ready, "the build printed no progress line"
            seen += os.read(master, 1024)
    except BaseException:
        os.killpg(process.pid, signal.SIGKILL)
        process.communicate()
        os.close(master)
        raise
    return process, master


def finish(process: subprocess.Popen, master: int) -> str:
    """Wait until the build and every worker are gone (they share stderr); return stderr."""
    try:
        _, err = process.communicate(timeout=300)  # only against a hang
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        _, err = process.communicate()
        pytest.fail(f"the build or a worker did not end; stderr: {err}")
    finally:
        os.close(master)
    return err


def files_in(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*") if p.is_file()) if folder.exists() else []


@pytest.mark.parametrize("stop", ["ctrl-c", "kill"])
def test_stopped_build_says_afgebroken_without_traceback_and_writes_nothing(project, stop):
    process, master = build_until_first_document(project)
    if stop == "ctrl-c":
        os.killpg(process.pid, signal.SIGINT)  # as a terminal does: to the build and its workers
    else:
        os.kill(process.pid, signal.SIGTERM)  # as a CI time-out does: to the build only
    err = finish(process, master)
    assert process.returncode == 2
    assert err == "afgebroken.\n"
    assert files_in(project / "output") == []
    assert files_in(project / "administratie") == []  # nor any statement to sign


def test_workers_end_quietly_when_the_build_is_killed_hard(project):
    process, master = build_until_first_document(project)
    os.kill(process.pid, signal.SIGKILL)
    err = finish(process, master)  # returns only once the workers have closed stderr too
    assert process.returncode == -signal.SIGKILL
    assert "Traceback" not in err and "Error" not in err
    assert files_in(project / "output") == []
    assert files_in(project / "administratie") == []
