"""write.py: atomic, each path once, nothing partial left behind."""
from __future__ import annotations

import errno
import os
import signal
import subprocess

import pytest

from stodocs.problems import EnvironmentFailure
from stodocs.write import _WHAT_TO_DO, Writer


def test_writes_atomically_and_replaces(tmp_path):
    (tmp_path / "r").mkdir()
    (tmp_path / "r" / "a.pdf").write_bytes(b"old")
    path = Writer(tmp_path).write("r/a.pdf", b"new")
    assert path.read_bytes() == b"new"
    assert os.listdir(tmp_path / "r") == ["a.pdf"]


def test_refuses_one_path_twice(tmp_path):
    writer = Writer(tmp_path)
    writer.write("r/a.pdf", b"1")
    with pytest.raises(ValueError, match="twice"):
        writer.write("r/a.pdf", b"2")
    assert (tmp_path / "r" / "a.pdf").read_bytes() == b"1"


@pytest.mark.parametrize("path", ["../x.pdf", "/etc/x.pdf", ""])
def test_refuses_paths_outside_the_output_folder(tmp_path, path):
    with pytest.raises(ValueError):
        Writer(tmp_path / "out").write(path, b"x")


def test_failed_write_leaves_the_old_file_and_no_temporary(tmp_path, monkeypatch):
    (tmp_path / "r").mkdir()
    (tmp_path / "r" / "a.pdf").write_bytes(b"old")

    def interrupted(src, dst):
        raise KeyboardInterrupt

    monkeypatch.setattr(os, "replace", interrupted)
    with pytest.raises(KeyboardInterrupt):
        Writer(tmp_path).write("r/a.pdf", b"new")
    assert os.listdir(tmp_path / "r") == ["a.pdf"]
    assert (tmp_path / "r" / "a.pdf").read_bytes() == b"old"


def dead_pid() -> int:
    """The id of a process that has ended."""
    done = subprocess.Popen(["true"])
    done.wait()
    return done.pid


def test_a_set_appears_together_or_not_at_all(tmp_path):
    writer = Writer(tmp_path / "out")
    with pytest.raises(RuntimeError):
        with writer.together():
            writer.write("r/a.pdf", b"a")
            writer.write("r/b.pdf", b"b")
            raise RuntimeError("the third document failed")
    assert [p.name for p in (tmp_path / "out").rglob("*")] == []
    with writer.together():
        writer.write("r/a.pdf", b"a")
        writer.write("r/b.pdf", b"b")
    assert sorted(p.name for p in (tmp_path / "out").rglob("*")) == ["a.pdf", "b.pdf", "r"]


def test_a_stop_during_the_renames_waits_until_the_set_is_whole(tmp_path, monkeypatch):
    real_replace = os.replace

    def stopped_halfway(src, dst):
        os.kill(os.getpid(), signal.SIGINT)  # Ctrl-C (SIGTERM and SIGHUP are held back the same way)
        real_replace(src, dst)

    monkeypatch.setattr(os, "replace", stopped_halfway)
    writer = Writer(tmp_path)
    with pytest.raises(KeyboardInterrupt):
        with writer.together():
            for name in ("a", "b", "c", "d"):
                writer.write(f"r/{name}.pdf", name.encode())
    assert sorted(os.listdir(tmp_path / "r")) == ["a.pdf", "b.pdf", "c.pdf", "d.pdf"]
    assert [p for p in os.listdir(tmp_path) if p.startswith(".")] == []


def test_leftovers_of_stopped_builds_are_removed_and_a_running_builds_are_kept(tmp_path):
    gone, running = dead_pid(), os.getppid()
    (tmp_path / "r").mkdir()
    (tmp_path / f".staging-{gone}-abc").mkdir()
    (tmp_path / f".staging-{gone}-abc" / "half.pdf").write_bytes(b"half")
    (tmp_path / "r" / f".a.pdf.{gone}-x1y2.tmp").write_bytes(b"half")
    legacy = tmp_path / "r" / ".b.pdf.k3j4h5g6.tmp"
    legacy.write_bytes(b"half")
    os.utime(legacy, (0, 0))
    (tmp_path / f".staging-{running}-def").mkdir()
    (tmp_path / "r" / "keep.pdf").write_bytes(b"old")
    writer = Writer(tmp_path)
    with writer.together():
        writer.write("r/new.pdf", b"new")
    assert sorted(p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*")) == \
        [f".staging-{running}-def", "r", "r/keep.pdf", "r/new.pdf"]


@pytest.mark.parametrize("code, expected", [(errno.ENOSPC, "de schijf is vol"), (errno.EROFS, "alleen-lezen"),
                                            (errno.EACCES, "geen schrijfrechten")])
def test_an_os_error_is_a_dutch_message_naming_the_path(tmp_path, monkeypatch, code, expected):
    def failing(*args, **kwargs):
        raise OSError(code, os.strerror(code), str(tmp_path / "r" / "a.pdf"))

    monkeypatch.setattr(os, "fsync", failing)
    writer = Writer(tmp_path)
    with pytest.raises(EnvironmentFailure) as raised:
        with writer.together():
            writer.write("r/a.pdf", b"a")
    assert str(raised.value) == f"kan niet schrijven in {tmp_path / 'r' / 'a.pdf'}: " + \
        next(text for c, text in _WHAT_TO_DO.items() if c == code)
    assert expected in str(raised.value)
    assert not (tmp_path / "r" / "a.pdf").exists()


def test_an_error_during_the_renames_takes_back_what_appeared_and_names_the_file(tmp_path, monkeypatch):
    (tmp_path / "r").mkdir()
    (tmp_path / "r" / "old.pdf").write_bytes(b"old")
    real_replace = os.replace

    def full_at_the_third(src, dst):
        if str(dst).endswith("c.pdf"):
            raise OSError(errno.ENOSPC, "No space left on device")
        real_replace(src, dst)

    monkeypatch.setattr(os, "replace", full_at_the_third)
    writer = Writer(tmp_path)
    with pytest.raises(EnvironmentFailure) as raised:
        with writer.together():
            for name in ("a", "b", "c", "d"):
                writer.write(f"r/{name}.pdf", name.encode())
    assert str(raised.value).startswith(f"kan niet schrijven in {tmp_path / 'r' / 'c.pdf'}: de schijf is vol")
    assert sorted(os.listdir(tmp_path)) == ["r"] and os.listdir(tmp_path / "r") == ["old.pdf"]
    assert writer.written == []
