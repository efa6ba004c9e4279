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


def finish(process: subprocess.Popen, master: int, bound: float = 300) -> str:
    """Wait until the build and every worker are gone (they share stderr); return stderr."""
    try:
        _, err = process.communicate(timeout=bound)  # only against a hang
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


def workers_of(pid: int) -> list[int]:
    """Return the build's PDF workers: its children that run what it runs (forked), not git."""
    children = Path(f"/proc/{pid}/task/{pid}/children")
    try:
        found = [int(p) for p in children.read_text().split()]
        own = Path(f"/proc/{pid}/cmdline").read_bytes()
        return [child for child in found if Path(f"/proc/{child}/cmdline").read_bytes() == own]
    except OSError:  # the build or a child just ended
        return []


def build_until(project: Path, moment: str):
    """Start a build in its own process group and return it at `moment`:

    'workers': both PDF workers exist (a git child, forked but not yet git, looks like one for a moment); 'first': one PDF is done; 'last': every PDF is done and
    the files are being written.
    """
    if moment == "first":
        return build_until_first_document(project)
    master, slave = pty.openpty()
    process = subprocess.Popen([sys.executable, "build.py", "build"], cwd=project, stdout=slave,
                               stderr=subprocess.PIPE, text=True, start_new_session=True)
    os.close(slave)
    seen = b""
    try:
        if moment == "workers":
            while len(workers_of(process.pid)) < 2:  # both: git runs one child at a time, never two
                assert process.poll() is None, "the build ended before it started its workers"
                select.select([], [], [], 0.01)
        else:
            while seen.count(b".pdf") < 12:  # three regions of four documents
                ready, _, _ = select.select([master], [], [], 300)  # only against a hang; no time is asserted
                assert ready, "the build printed no progress line"
                seen += os.read(master, 4096)
    except BaseException:
        os.killpg(process.pid, signal.SIGKILL)
        process.communicate()
        os.close(master)
        raise
    return process, master


@pytest.mark.skipif(not Path("/proc/self/task").exists(), reason="needs Linux /proc to see the workers")
@pytest.mark.parametrize("moment, signum", [("workers", signal.SIGTERM), ("first", signal.SIGTERM),
                                            ("last", signal.SIGTERM), ("first", signal.SIGHUP)])
def test_a_signal_to_the_process_group_stops_the_build_like_ctrl_c(project, moment, signum):
    """As `timeout`, GitLab and GitHub cancel a job: the signal goes to the build and its workers at once."""
    process, master = build_until(project, moment)
    workers = workers_of(process.pid)
    os.killpg(process.pid, signum)
    err = finish(process, master, bound=60)  # a stop takes a second; a minute only says "hangs" on a busy machine
    leftovers = [p for p in (project / "output").rglob("*") if p.name.startswith(".")] \
        if (project / "output").exists() else []
    assert leftovers == []
    for pid in workers:
        assert not Path(f"/proc/{pid}").exists() or "Z" in Path(f"/proc/{pid}/stat").read_text().split()[2]
    if moment == "last" and process.returncode == 0:  # the signal came after the last file: the build is whole
        assert len(files_in(project / "output")) == 12
        return
    assert (process.returncode, err) == (2, "afgebroken.\n")
    # A region's four documents appear together or not at all.
    for region in ("lindewaard", "twee", "drie"):
        assert len(files_in(project / "output" / region)) in (0, 4)
    if moment != "last":
        assert files_in(project / "output") == []


@pytest.mark.skipif(not Path("/proc/self/task").exists(), reason="needs Linux /proc to see the workers")
def test_a_worker_killed_on_its_own_is_a_message_and_writes_nothing(project):
    """The kernel's out-of-memory killer ends one worker: the build says so in Dutch, never hangs or half-writes."""
    process, master = build_until(project, "first")  # from here on the build's only children are its workers
    os.kill(workers_of(process.pid)[0], signal.SIGKILL)
    err = finish(process, master, bound=60)
    assert process.returncode == 1
    assert err.startswith("fout: een PDF-werkproces is onverwacht gestopt") and "Traceback" not in err
    assert files_in(project / "output") == []
